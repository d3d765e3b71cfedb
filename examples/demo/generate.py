#!/usr/bin/env python3
"""Regenerate the Northwind Analytics demo inputs for `tal`.

    python3 generate.py            # writes next to this file
    python3 generate.py --out DIR

Northwind Analytics sells a marketing-analytics SaaS. This script writes the
exports its marketing-ops team would feed to `tal`, built around the as-of date
2026-11-20 (a Friday):

  crm.csv            ~1,200 rows, a Salesforce "Accounts" report export (CRLF)
  firmographics.csv  ~2,500 rows, a data vendor's TAM file
  intent.csv         Bombora Company Surge style weekly topic scores
  engagement.csv     marketing-automation activity export
  overrides.csv      4 manual pins agreed between sales and marketing

Only the Python 3.11 standard library is used and the random generator is
seeded, so two runs give byte-identical files. `tal.toml` is written by hand and
is not touched by this script.

The data is deliberately messy in the ways real exports are: websites written
as URLs with paths, ports and tracking parameters, upper case, or missing;
numbers as "1,234", "201-500", "10,001+", "$1.2M", "n/a"; booleans as
true/false, Yes/No, 1/0; duplicate CRM accounts with another Account ID; a
quoted account name with a comma and one with a line break; intent rows with
"n/a" scores or impossible dates; free-mail and future-dated activities.

A few hand-written "story" accounts (Fabrikam, Contoso, Tailspin, Wingtip,
Woodgrove, Litware, Adventure Works...) have fixed attributes so the demo's
`tal explain` walk-through and overrides always show the same thing.
"""
import argparse
import csv
import datetime as dt
import math
import os
import random

AS_OF = dt.date(2026, 11, 20)
SEED = 20261120

INDUSTRIES = [
    ("Software", 12), ("Financial Services", 8), ("Healthcare", 7),
    ("Insurance", 3), ("Manufacturing", 9), ("Retail", 9),
    ("Education", 4), ("Construction", 4), ("Transportation", 4),
    ("Media", 5), ("Telecommunications", 3), ("Energy", 3),
    ("Hospitality", 4), ("Real Estate", 3), ("Government", 3),
    ("Nonprofit", 3), ("Agriculture", 2), ("Legal Services", 3),
    ("Consulting", 6), ("Biotechnology", 3),
]
TARGET_INDUSTRIES = ["Software", "Financial Services", "Healthcare", "Retail", "Media"]
COUNTRIES = [
    ("United States", 45), ("United Kingdom", 8), ("Germany", 7),
    ("Canada", 6), ("France", 5), ("Netherlands", 3), ("Australia", 4),
    ("India", 4), ("Brazil", 4), ("Japan", 2), ("Spain", 3),
    ("Italy", 2), ("Sweden", 2), ("Singapore", 2), ("Mexico", 3),
    ("Ireland", 2), ("Israel", 2), ("Poland", 2), ("Switzerland", 2),
]
# (technology, base adoption); larger companies adopt more
TECHS = [
    ("Salesforce", .30), ("HubSpot", .14), ("Marketo", .06), ("Pardot", .05),
    ("Eloqua", .02), ("Google Analytics", .50), ("WordPress", .30),
    ("Shopify", .05), ("Zendesk", .10), ("Slack", .28), ("Microsoft 365", .40),
    ("AWS", .30), ("Snowflake", .06), ("Segment", .05), ("Looker", .05),
    ("Tableau", .08), ("Mixpanel", .04), ("Intercom", .05), ("Gong", .03),
    ("Outreach", .04), ("ZoomInfo", .05), ("6sense", .02), ("RivalMetrics", .06),
    ("Okta", .07), ("SAP", .06),
]
MARKETING_STACK = ["Marketo", "HubSpot", "Pardot", "Eloqua", "Segment", "Snowflake"]

TOPICS_SPEC = ["Marketing Analytics", "Marketing Attribution", "Customer Data Platform",
               "Account Based Marketing", "Web Analytics"]
TOPICS_OTHER = ["Cloud Computing", "Cybersecurity", "Data Warehousing", "CRM Software",
                "Email Marketing", "Lead Generation", "Content Marketing",
                "Digital Transformation", "Customer Experience", "Revenue Operations",
                "Sales Enablement", "SEO", "Data Privacy", "Business Intelligence",
                "ERP", "HR Software", "Supply Chain Management", "Machine Learning"]

ACTIVITY_IN = [("meeting", 10), ("form_fill", 14), ("webinar", 12), ("email_click", 28),
               ("web_visit", 33), ("chat", 3)]
ACTIVITY_OUT = [("meeting", 2), ("form_fill", 7), ("webinar", 8), ("email_click", 33),
                ("web_visit", 48), ("chat", 2)]
PERSONAS = [("Marketing Ops", 20), ("Demand Gen", 18), ("CMO / executive", 7),
            ("Sales Ops", 10), ("RevOps", 9), ("IT", 8), ("", 28)]
FREEMAIL = ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "yahoo.com.br",
            "icloud.com", "proton.me"]

PRE = ("acme blue north bright data cloud alpha prime nova peak true red green "
       "silver iron smart next rapid clear sun stone river oak pine star apex "
       "vertex summit harbor delta zen metro urban global bold quantum lumen "
       "vivid core amber arrow aspen atlas beacon birch cedar cobalt coral "
       "crest echo ember falcon fern granite hawk horizon indigo jade juniper "
       "kestrel lake maple meridian onyx orbit pearl polar quartz raven sage "
       "sierra slate spruce terra tidal willow").split()
SUF = ("soft works labs systems health bank logic tech foods motors partners "
       "group media energy retail logistics capital analytics networks "
       "solutions insure build care learn ware point forge hub stack line "
       "bridge path gate wave field scale mind craft cast base grid sphere "
       "ly io metrics pay cart stream").split()
TLDS = [("com", 78), ("io", 6), ("net", 4), ("co", 4), ("de", 3), ("co.uk", 3), ("ai", 2)]
CORP = ["Inc.", "LLC", "Ltd", "GmbH", "Corp.", "Co.", "S.A.", "plc", "", "", ""]
FIRST = ("james mary john patricia robert jennifer michael linda william "
         "elizabeth david barbara richard susan joseph jessica thomas sarah "
         "carlos ana wei li priya raj yuki sven").split()
LAST = ("smith johnson williams brown jones garcia miller davis rodriguez "
        "martinez hernandez lopez gonzalez wilson anderson thomas taylor "
        "moore jackson martin lee chen kumar sato muller").split()
OWNERS = ["Dana Whitfield", "Marcus Oyelaran", "Priya Raman", "Tom Becker",
          "Sofia Alvarez", "Kenji Mori", "Rachel Stein", "Luis Ortega",
          "Hannah Okafor", "Gabe Lindqvist"]

# Hand-written accounts with fixed attributes (domain, name, industry, employees,
# revenue, country, techs, crm extras). They appear in every file where the
# story needs them.
STORY = [
    dict(domain="fabrikam.com", name="Fabrikam Financial Group", industry="Financial Services",
         employees=8200, revenue=2_400_000_000, country="United States",
         techs=["Salesforce", "Marketo", "Snowflake", "Tableau", "Okta"],
         website="https://www.fabrikam.com/", opp="$250,000", stage="Negotiation",
         customer=False, intent=[("Marketing Attribution", 88, 0), ("Marketing Analytics", 79, 1),
                                  ("Customer Data Platform", 71, 2), ("Web Analytics", 55, 3)],
         activity=[("meeting", 3, "CMO / executive"), ("webinar", 10, "Marketing Ops"),
                   ("form_fill", 12, "Demand Gen"), ("email_click", 20, "Marketing Ops")]),
    dict(domain="contoso.com", name="Contoso Retail", industry="Retail",
         employees=2600, revenue=780_000_000, country="United States",
         techs=["Salesforce", "HubSpot", "Shopify", "Google Analytics"],
         website="HTTP://WWW.CONTOSO.COM/shop", opp="", stage="",
         customer=False, intent=[("Web Analytics", 67, 1), ("Marketing Analytics", 61, 2)],
         activity=[]),
    dict(domain="tailspintoys.com", name="Tailspin Toys", industry="Retail",
         employees=6400, revenue=1_900_000_000, country="Canada",
         techs=["Salesforce", "Pardot", "Segment", "Google Analytics"],
         website="www.tailspintoys.com", opp="$180,000", stage="Proposal",
         customer=False, intent=[("Marketing Analytics", 83, 0), ("Account Based Marketing", 64, 2)],
         activity=[("meeting", 6, "Demand Gen"), ("form_fill", 8, "Marketing Ops")]),
    dict(domain="wingtiptoys.com", name="Wingtip Software", industry="Software",
         employees=450, revenue=95_000_000, country="United Kingdom",
         techs=["HubSpot", "Segment", "AWS", "Slack"],
         website="wingtiptoys.com", opp="", stage="Prospecting",
         customer=False, intent=[], activity=[("web_visit", 30, "")]),
    dict(domain="woodgrovebank.com", name="Woodgrove Bank", industry="Financial Services",
         employees=12000, revenue=5_100_000_000, country="United States",
         crm_employees="10,001+", techs=["Salesforce", "RivalMetrics", "Eloqua", "SAP"],
         website="https://woodgrovebank.com:443/?utm_source=salesforce", opp="", stage="",
         customer=False, intent=[("Marketing Attribution", 72, 1)],
         activity=[("email_click", 5, "Marketing Ops"), ("webinar", 9, "Demand Gen")]),
    dict(domain="litware.com", name="Litware, Inc.", industry="Software",
         employees=1300, revenue=310_000_000, country="United States",
         techs=["Salesforce", "Marketo", "Looker"],
         website="http://litware.com", opp="$45,000", stage="Qualification",
         customer=False, intent=[("Customer Data Platform", 66, 0)], activity=[]),
    dict(domain="adventure-works.com", name="Adventure Works\n(EMEA)", industry="Retail",
         employees="201-500", revenue="$48.5M", country="Germany",
         techs=["Shopify", "HubSpot", "Google Analytics"],
         website="https://www.adventure-works.com/de/", opp="", stage="",
         customer=False, intent=[], activity=[]),
    dict(domain="proseware.com", name="Proseware, Inc.", industry="Software",
         employees=3100, revenue=720_000_000, country="United States",
         techs=["Salesforce", "Marketo", "Snowflake"],
         website="https://www.proseware.com/", opp="$95,000", stage="Closed Won",
         customer=True, since="03/15/2023", renewals="3", intent=[], activity=[]),
]


def wchoice(rng, table):
    total = sum(w for _, w in table)
    x = rng.random() * total
    for v, w in table:
        x -= w
        if x < 0:
            return v
    return table[-1][0]


def poisson(rng, lam):
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def commas(n):
    return f"{int(n):,}"


def money_short(x):
    if x >= 1e9:
        return f"${x / 1e9:.2f}B"
    if x >= 1e6:
        return f"${x / 1e6:.1f}M"
    return f"${x / 1e3:.0f}K"


EMP_RANGES = [(1, 10), (11, 50), (51, 200), (201, 500), (501, 1000), (1001, 5000), (5001, 10000)]


def emp_range(x):
    if x > 10000:
        return "10,001+"
    for a, b in EMP_RANGES:
        if x <= b:
            return f"{a:,}-{b:,}"
    return str(x)


def website(rng, d, style=None):
    if style is None:
        style = wchoice(rng, [(0, 33), (1, 10), (2, 15), (3, 25), (4, 3), (5, 4), (6, 3),
                              (7, 1), (8, 4), (9, 2)])
    cap = d[0].upper() + d[1:]
    return [f"https://www.{cap}/", f"http://{d}", f"www.{d}", d, d.upper(),
            f" https://{d}/about-us ", f"https://{d}:443/?utm_source=salesforce&utm_medium=crm",
            f"{d}.", f"http://www.{d}/index.html#top", f"https://{d}/en-us/"][style], style


class Company:
    __slots__ = ("domain", "name", "industry", "employees", "revenue", "country", "techs",
                 "in_market", "story")


def make_tam(rng, n):
    combos = [(p, s) for p in PRE for s in SUF]
    rng.shuffle(combos)
    story_domains = [s["domain"] for s in STORY]
    out, seen = [], set(story_domains)
    for p, s in combos:
        if len(out) == n:
            break
        tld = wchoice(rng, TLDS)
        d = f"{p}{s}.{tld}"
        if d in seen:
            continue
        seen.add(d)
        c = Company()
        c.domain = d
        base = p.title() + s
        corp = rng.choice(CORP)
        c.name = f"{base}, {corp}" if corp in ("Inc.", "LLC") and rng.random() < .25 else \
            (f"{base} {corp}" if corp else base)
        c.industry = wchoice(rng, INDUSTRIES)
        c.employees = max(1, min(250000, int(rng.lognormvariate(math.log(150), 1.5))))
        c.revenue = int(c.employees * rng.lognormvariate(math.log(180000), 0.6) / 1000) * 1000
        c.country = wchoice(rng, COUNTRIES)
        size = min(2.0, max(0.5, 0.5 + 0.25 * math.log10(c.employees)))
        c.techs = [t for t, p0 in TECHS if rng.random() < min(0.95, p0 * size)]
        target = c.industry in TARGET_INDUSTRIES
        ma = any(t in MARKETING_STACK for t in c.techs)
        p_in = (0.03 + 0.22 * target + 0.12 * (c.employees >= 200) + 0.10 * ma
                + 0.10 * (c.employees >= 500) + 0.08 * (c.employees >= 1000))
        c.in_market = rng.random() < p_in
        c.story = None
        out.append(c)
    for s in STORY:
        c = Company()
        c.domain, c.name, c.industry, c.country = s["domain"], s["name"], s["industry"], s["country"]
        c.employees = s["employees"] if isinstance(s["employees"], int) else 350
        c.revenue = s["revenue"] if isinstance(s["revenue"], int) else 48_500_000
        c.techs, c.in_market, c.story = s["techs"], False, s
        out.append(c)
    return out


def write_csv(path, header, rows, crlf=False):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n" if crlf else "\n")
        w.writerow(header)
        w.writerows(rows)


def account_id(rng, used):
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    while True:
        v = "0015g00000" + "".join(rng.choice(alphabet) for _ in range(8))
        if v not in used:
            used.add(v)
            return v


def crm_row(rng, c, ids, style=None):
    """One Salesforce report row for company c (not a story account)."""
    web, style = website(rng, c.domain, style)
    iv = rng.random()
    ind = c.industry if iv < .90 else (rng.choice(INDUSTRIES)[0] if iv < .95 else None)
    if ind and rng.random() < .05:
        ind = ind.lower()
    e = max(1, int(c.employees * rng.lognormvariate(0, .12)))
    ef = wchoice(rng, [(0, 55), (1, 20), (2, 12), (3, 10), (4, 3)])
    emp = [str(e), commas(e), emp_range(e), "", "n/a"][ef]
    rf = wchoice(rng, [(0, 30), (1, 24), (2, 12), (3, 8), (4, 23), (5, 3)])
    rev = [money_short(c.revenue), str(c.revenue), commas(c.revenue), "$" + commas(c.revenue),
           "", "n/a"][rf]
    cv = rng.random()
    cty = c.country
    if cv > .92:
        cty = ""
    elif cv > .88 and cty == "United States":
        cty = rng.choice(["USA", "US", "United States of America"])
    elif cv > .85:
        cty = cty.upper()
    customer = rng.random() < (0.05 + 0.08 * (c.employees >= 200) + 0.05 * (c.employees >= 1000))
    p_opp = .08 + .12 * (c.employees >= 1000) + .55 * c.in_market
    opp, stage = "", ""
    if customer:
        stage = "Closed Won" if rng.random() < .4 else ""
    if rng.random() < p_opp:
        amt = round(rng.lognormvariate(math.log(40000 + 20000 * c.in_market) + 0.35 * math.log10(max(c.employees, 1)), .7)
                    / 500) * 500
        of = wchoice(rng, [(0, 50), (1, 32), (2, 10), (3, 5), (4, 3)])
        opp = ["$" + commas(amt), str(amt), f"{amt:.2f}", "0", money_short(amt)][of]
        stage = wchoice(rng, [("Prospecting", 30), ("Qualification", 30), ("Proposal", 22),
                              ("Negotiation", 12), ("Closed Won", 6 if customer else 0)])
    bf = wchoice(rng, [(0, 50), (1, 25), (2, 20), (3, 5)])
    cust = ["true" if customer else "false", "Yes" if customer else "No",
            "1" if customer else "0", ""][bf]
    if customer:
        ren = str(rng.randint(0, 6))
        d = AS_OF - dt.timedelta(days=rng.randint(200, 3000))
        since = d.strftime("%m/%d/%Y")
    else:
        ren = "0" if rng.random() < .5 else ""
        since = ""
    return [account_id(rng, ids), c.name, web, ind or "", emp, rev, cty, opp, stage,
            rng.choice(OWNERS), ren, cust, since], style


def story_crm_row(rng, s, ids):
    return [account_id(rng, ids), s["name"], s["website"], s["industry"],
            s.get("crm_employees") or
            (s["employees"] if isinstance(s["employees"], str) else commas(s["employees"])),
            s["revenue"] if isinstance(s["revenue"], str) else money_short(s["revenue"]),
            s["country"], s["opp"], s["stage"], OWNERS[len(s["domain"]) % len(OWNERS)],
            s.get("renewals", ""), "Yes" if s["customer"] else "No", s.get("since", "")]


CRM_HEADER = ["Account ID", "Account Name", "Website", "Industry", "Employees", "Annual Revenue",
              "Billing Country", "Open Opportunity Amount", "Opportunity Stage", "Account Owner",
              "Renewals", "Is Customer", "Customer Since"]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    a = ap.parse_args()
    rng = random.Random(SEED)
    tam = make_tam(rng, 2560)
    plain = [c for c in tam if c.story is None]
    stories = [c for c in tam if c.story is not None]

    # ------------------------------------------------------------ CRM
    in_crm = [c for c in plain
              if rng.random() < min(.9, .30 + .22 * (c.employees >= 200)
                                    + .25 * (c.employees >= 1000) + .12 * c.in_market)]
    # CRM-only accounts (the vendor does not know them)
    crm_only = []
    for i in range(36):
        c = Company()
        base = rng.choice(PRE).title() + rng.choice(SUF)
        c.domain = f"{base.lower()}-{rng.choice(['group', 'hq', 'global', 'us', 'corp'])}.com"
        c.name = f"{base} {rng.choice(['Group', 'Holdings', 'Global', 'US', 'Corp.'])}"
        c.industry = wchoice(rng, INDUSTRIES)
        c.employees = max(1, int(rng.lognormvariate(math.log(300), 1.2)))
        c.revenue = int(c.employees * rng.lognormvariate(math.log(180000), 0.6) / 1000) * 1000
        c.country = wchoice(rng, COUNTRIES)
        c.techs, c.in_market, c.story = [], rng.random() < .2, None
        crm_only.append(c)
    ids = set()
    rows, styles = [], []
    for c in in_crm + crm_only:
        r, st = crm_row(rng, c, ids)
        rows.append(r)
        styles.append((c, st))
    for c in stories:
        rows.append(story_crm_row(rng, c.story, ids))
    rng.shuffle(rows)
    # ~1% duplicates: same company, Website spelled differently, fields blank
    dups = []
    for c, st in rng.sample(styles, 12):
        r, _ = crm_row(rng, c, ids, style=(st + rng.randint(1, 8)) % 9)
        for col in (3, 4, 5, 6, 7, 8, 10, 11):
            if rng.random() < .35:
                r[col] = ""
        dups.append(r)
    # a Salesforce duplicate of a story account, too
    r = story_crm_row(rng, STORY[0], ids)
    r[2], r[4], r[5], r[7], r[8] = "fabrikam.com/contact", "", "", "", ""
    dups.append(r)
    # broken keys: empty Website, "n/a", a placeholder without a dot
    broken = []
    for web in ["", "", "n/a", "N/A", "none", "   "]:
        c = Company()
        base = rng.choice(PRE).title() + " " + rng.choice(SUF).title()
        c.domain, c.name = "x.com", f"{base} (lead convert)"
        c.industry, c.employees, c.revenue = wchoice(rng, INDUSTRIES), rng.randint(5, 900), 0
        c.revenue = c.employees * 150000
        c.country, c.in_market, c.techs = wchoice(rng, COUNTRIES), False, []
        r, _ = crm_row(rng, c, ids)
        r[2] = web
        broken.append(r)
    for r in dups + broken:
        rows.insert(rng.randint(0, len(rows)), r)
    write_csv(os.path.join(a.out, "crm.csv"), CRM_HEADER, rows, crlf=True)

    # ------------------------------------------------------------ firmographics
    crm_set = {c.domain for c in in_crm}
    firmo = []
    for c in tam:
        if c.story is not None and c.domain == "adventure-works.com":
            continue  # the vendor does not know Adventure Works: CRM data only
        if c.domain in crm_set and rng.random() < .04:
            continue  # most, not all, CRM accounts are in the vendor file
        techs = list(c.techs)
        sep = "; " if rng.random() < .2 else ";"
        row = [c.domain, c.name.replace("\n", " "), c.industry, str(c.employees), str(c.revenue),
               c.country, sep.join(techs)]
        if c.story is None:
            for col, p in ((2, .02), (3, .03), (4, .06), (5, .02), (6, .04)):
                if rng.random() < p:
                    row[col] = ""
        firmo.append(row)
    rng.shuffle(firmo)
    write_csv(os.path.join(a.out, "firmographics.csv"),
              ["domain", "company_name", "industry", "employee_count", "revenue_usd",
               "hq_country", "tech_stack"], firmo)

    # ------------------------------------------------------------ intent
    mondays = [AS_OF - dt.timedelta(days=4 + 7 * w) for w in range(12)]   # 11-16 back to 08-31
    topics_all = TOPICS_SPEC + TOPICS_OTHER
    intent = []

    def dom_variant(d):
        v = rng.random()
        return "www." + d if v < .03 else (d.upper() if v < .05 else d)

    def cname(c):
        return c.name.replace("\n", " ")

    for c in plain:
        has = (c.in_market and rng.random() < .9) or rng.random() < .04
        if not has:
            continue
        k = 1 + poisson(rng, 6.5 if c.in_market else 2)
        for _ in range(k):
            if c.in_market and rng.random() < .55:
                topic = rng.choice(TOPICS_SPEC)
            else:
                topic = rng.choice(topics_all)
            if rng.random() < .02:
                topic = topic.lower()
            wk = rng.randint(0, 3) if (c.in_market and rng.random() < .6) else rng.randint(0, 11)
            mu = 64 if c.in_market else 40
            score = max(0, min(100, round(rng.gauss(mu, 15))))
            intent.append([dom_variant(c.domain), cname(c), topic, str(score),
                           mondays[wk].isoformat()])
    for c in stories:
        for topic, score, wk in c.story["intent"]:
            intent.append([c.domain, cname(c), topic, str(score), mondays[wk].isoformat()])
    # edges: exactly as-of (in), as-of - 27 (in), as-of - 28 (out), after as-of (out)
    edge_pool = [c for c in plain if c.in_market]
    for day in (0, 0, -27, -27, -28, -28, 3, 10):
        c = rng.choice(edge_pool)
        intent.append([c.domain, cname(c), rng.choice(TOPICS_SPEC), str(rng.randint(55, 90)),
                       (AS_OF + dt.timedelta(days=day)).isoformat()])
    # unmatched domains (not in the CRM nor the vendor file)
    for i in range(40):
        d = f"{rng.choice(PRE)}{rng.choice(SUF)}{rng.randint(2, 99)}.com"
        intent.append([d, d.split(".")[0].title(), rng.choice(topics_all), str(rng.randint(20, 95)),
                       rng.choice(mondays).isoformat()])
    # bad scores and bad dates
    for bad in (["n/a", None], ["", None], [None, "2026-02-30"], [None, "11/09/2026"], ["high", None]):
        c = rng.choice(edge_pool)
        intent.append([c.domain, cname(c), rng.choice(TOPICS_SPEC),
                       bad[0] if bad[0] is not None else str(rng.randint(40, 90)),
                       bad[1] if bad[1] is not None else rng.choice(mondays).isoformat()])
    rng.shuffle(intent)
    intent.sort(key=lambda r: r[4], reverse=True)   # Bombora files come week by week
    write_csv(os.path.join(a.out, "intent.csv"),
              ["Domain", "Company Name", "Topic Name", "Composite Score", "Week Of"], intent)

    # ------------------------------------------------------------ engagement
    crm_accounts = in_crm + crm_only
    crm_mask = {c.domain for c in crm_accounts}
    eng = []

    def stamp(age_days, style):
        t = dt.datetime.combine(AS_OF, dt.time(0)) - dt.timedelta(days=age_days) \
            + dt.timedelta(seconds=rng.randint(0, 86399))
        return t.strftime("%Y-%m-%d %H:%M:%S") if style else t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def email(d):
        f, l = rng.choice(FIRST), rng.choice(LAST)
        local = rng.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}"])
        if rng.random() < .02:
            d = d.upper()
        return f"{local}@{d}"

    for c in plain + crm_only:
        has = (c.in_market and rng.random() < .85) or (c.domain in crm_mask and rng.random() < .06) \
            or rng.random() < .02
        if not has:
            continue
        k = 1 + poisson(rng, 4 if c.in_market else 1.5)
        for _ in range(k):
            typ = wchoice(rng, ACTIVITY_IN if c.in_market else ACTIVITY_OUT)
            if rng.random() < .02:
                typ = typ.title()
            age = int(min(rng.expovariate(1 / 22), 140)) if c.in_market else rng.randint(0, 140)
            if rng.random() < .01:
                age = -rng.randint(1, 5)   # future-dated (clock skew, scheduled meetings)
            eng.append([email(c.domain), typ, stamp(age, rng.random() < .15),
                        wchoice(rng, PERSONAS)])
    for c in stories:
        for typ, age, persona in c.story["activity"]:
            eng.append([email(c.domain), typ, stamp(age, False), persona])
    # free-mail sign-ups and people from companies we do not know
    for i in range(70):
        d = rng.choice(FREEMAIL)
        eng.append([f"{rng.choice(FIRST)}.{rng.choice(LAST)}{rng.randint(1, 99)}@{d}",
                    wchoice(rng, ACTIVITY_OUT), stamp(rng.randint(0, 80), False),
                    wchoice(rng, PERSONAS)])
    for i in range(25):
        d = f"{rng.choice(PRE)}{rng.choice(SUF)}{rng.randint(2, 99)}.net"
        eng.append([email(d), wchoice(rng, ACTIVITY_OUT), stamp(rng.randint(0, 80), False),
                    wchoice(rng, PERSONAS)])
    rng.shuffle(eng)
    eng.sort(key=lambda r: r[2][:10])
    write_csv(os.path.join(a.out, "engagement.csv"),
              ["email", "activity_type", "occurred_at", "persona"], eng)

    # ------------------------------------------------------------ overrides
    write_csv(os.path.join(a.out, "overrides.csv"),
              ["domain", "tier", "owner", "reason", "expires"],
              [["contoso.com", "Tier 1", "Dana Whitfield",
                "CRO strategic bet: new CMO from a Northwind customer", "2027-03-31"],
               ["https://www.tailspintoys.com/", "Excluded", "Marcus Oyelaran",
                "Legal hold: open contract dispute", ""],
               ["wingtiptoys.com", "Tier 1", "Priya Raman",
                "Q3 expansion play (expired)", "2026-09-30"],
               ["initech.com", "Tier 2", "Tom Becker",
                "Requested by the field, not in CRM yet", "2027-06-30"]])


if __name__ == "__main__":
    main()
