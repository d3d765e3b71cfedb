//! `tal score`: exact outputs on small inline projects, each built to hit one
//! rule of SPEC.md ("Signals", "Tiering and sizing", "TAL columns"). Every
//! expected number is worked out by hand in a comment; as-of is 2026-11-20.

use crate::util::*;

/// The TAL columns of SPEC.md, in order.
const COLUMNS: &str = "rank,tier,tier_label,style,account_id,name,domain,fit,fit_grade,acv,acv_band,intent_score,intent_topics,intent_topic_count,engagement_score,last_engaged,personas_engaged,stage,segments,demoted_from,reasons";

// ------------------------------------------------------------------ fit

const FIT_SPEC: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { industry = "industry", country = "country", employees = "employees" }

[fit]
high = 6.3
grades = { A = 93.8, B = 12.5, C = 6.3 }

[[fit.criteria]]
name = "Software"
points = 1
when = 'industry == "software"'

[[fit.criteria]]
name = "Not embargoed"
points = 1
when = 'country not in ["Narnia"]'

[[fit.criteria]]
name = "Size"
bands = [ { when = "employees >= 1000", points = 5 },
          { when = "employees >= 100", points = 14 } ]

[[tiers]]
name = "Target"
when = "high_fit"
"#;

const FIT_CRM: &str = "domain,industry,country,employees
a.com,Software,,50
b.com,SOFTWARE,Germany,40
c.com,Retail,,500
d.com,software,France,2000
e.com,Retail,Germany,500
f.com,,,
g.com,Software,Spain,999
";

#[test]
fn fit_points_bands_missing_fields_and_rounding() {
    let work = project(&[("tal.toml", FIT_SPEC), ("crm.csv", FIT_CRM)]);
    let rows = work.score(&["--all"]);
    // Possible points: 1 + 1 + 14 (the largest band, not the first) = 16.
    // A missing country makes `country not in [...]` false (two-valued logic).
    assert_eq!(
        view(&rows, "rank domain fit fit_grade tier"),
        [
            // 1 + 1 + 14 = 16 -> 100.0
            "1|g.com|100.0|A|Target",
            // 0 + 1 + 14 = 15 -> 93.75 -> 93.8 (half away from zero), and the
            // grade uses the rounded value: 93.8 >= A's 93.8
            "2|e.com|93.8|A|Target",
            // 0 + 0 (country missing) + 14 = 14 -> 87.5
            "3|c.com|87.5|B|Target",
            // 1 + 1 + 5 (the FIRST band that holds, though the second is worth
            // more) = 7 -> 43.75 -> 43.8
            "4|d.com|43.8|B|Target",
            // 1 (case-insensitive) + 1 + 0 = 2 -> 12.5 stays 12.5
            "5|b.com|12.5|B|Target",
            // 1 + 0 + 0 = 1 -> 6.25 -> 6.3; high_fit compares the rounded 6.3
            // with high = 6.3, so a.com is in
            "6|a.com|6.3|C|Target",
            // nothing: 0.0, grade D, not high fit
            "|f.com|0.0|D|Unassigned",
        ]
    );
    assert_eq!(
        view(&rows, "domain reasons")[3],
        "d.com|fit 43.8 (Software +1, Not embargoed +1, Size +5); ACV 0 small (default); no intent; no engagement"
    );
}

#[test]
fn comparison_with_a_missing_value_is_false() {
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { industry = "industry", employees = "employees" }

[[fit.criteria]]
name = "Not over 5"
points = 25
when = "not (employees > 5)"

[[fit.criteria]]
name = "Not 1 or 2"
points = 25
when = "employees not in [1, 2]"

[[fit.criteria]]
name = "Not retail"
points = 25
when = 'industry != "Retail"'

[[fit.criteria]]
name = "No headcount"
points = 25
when = "employees is null"
"#;
    let work = project(&[
        ("tal.toml", spec),
        (
            "crm.csv",
            "domain,industry,employees\nempty.com,,\nretail.com,retail,10\n",
        ),
    ]);
    // empty.com: `not (employees > 5)` holds (not of false), `not in` and `!=`
    // are false on a missing value, `is null` holds: 50 of 100.
    // retail.com: only `10 not in [1, 2]` holds ("retail" == "Retail"): 25.
    assert_eq!(
        view(&work.score(&["--all"]), "domain fit"),
        ["empty.com|50.0", "retail.com|25.0"]
    );
}

#[test]
fn fit_without_criteria_is_zero() {
    let work = project(&[
        ("tal.toml", "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\n[[tiers]]\nname = \"All\"\nwhen = \"fit == 0 and not high_fit\"\n"),
        ("crm.csv", "domain\na.com\n"),
    ]);
    assert_eq!(
        view(&work.score(&[]), "domain fit fit_grade tier"),
        ["a.com|0.0|D|All"]
    );
}

// ------------------------------------------------------------------ intent

const INTENT_SPEC: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"

[inputs.intent]
path = "intent.csv"
key = "domain"
fields = { topic = "topic", score = "score", date = "week" }

[intent]
topics = ["Marketing Analytics", "Data Warehouse"]
threshold = 60
window_days = 28

[[tiers]]
name = "Surging"
when = "intent"
"#;

const INTENT_CSV: &str = "domain,topic,score,week
a.com,marketing analytics,70,2026-10-24
a.com,Marketing Analytics,95,2026-10-23
a.com,DATA WAREHOUSE,65,2026-11-20
a.com,Data Warehouse,99,2026-11-21
a.com,Cloud,99,2026-11-19
b.com,Data warehouse,59,2026-11-10
b.com,,80,2026-11-10
c.com,Data Warehouse,66,2026-11-02
c.com,Marketing Analytics,66,2026-11-09
c.com,data warehouse,61,2026-11-16
zzz.com,Data Warehouse,90,2026-11-16
";

#[test]
fn intent_window_edges_topics_and_threshold() {
    let work = project(&[
        ("tal.toml", INTENT_SPEC),
        ("crm.csv", "domain\na.com\nb.com\nc.com\nd.com\n"),
        ("intent.csv", INTENT_CSV),
    ]);
    // Window: as-of - 28 < date <= as-of, i.e. 2026-10-24 ..= 2026-11-20.
    // a.com: 70 on as-of - 27 (in), 95 on as-of - 28 (out), 65 on as-of (in),
    //   99 tomorrow (out), 99 on the unlisted "Cloud" (out) -> max 70; both
    //   topics >= 60, by score desc, spelled as in `topics`.
    // b.com: 59 is below the threshold (score kept, no topic, no intent); the
    //   row without a topic is not on a listed topic.
    // c.com: 66 and 66 tie -> by name; "data warehouse" 61 is the same topic.
    assert_eq!(
        view(
            &work.score(&["--all"]),
            "domain tier intent_score intent_topics intent_topic_count stage"
        ),
        [
            "a.com|Surging|70|Marketing Analytics; Data Warehouse|2|Target",
            "c.com|Surging|66|Data Warehouse; Marketing Analytics|2|Target",
            "b.com|Unassigned|59||0|Target",
            "d.com|Unassigned|0||0|Target",
        ]
    );
    let report = work.check_json();
    assert_eq!(
        report["inputs"]["intent"]["rows"],
        serde_json::json!({"read": 11, "used": 6, "merged": 0, "rejected": 0, "unmatched": 1, "out_of_scope": 4, "free_mail": 0})
    );
}

#[test]
fn intent_topics_without_a_list_keep_the_first_spelling() {
    // No [intent] section: every topic counts, threshold 60, window 28.
    let spec = "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\n[inputs.intent_bombora]\npath = \"intent.csv\"\nkey = \"domain\"\nfields = { topic = \"topic\", score = \"score\", date = \"week\" }\n";
    let intent = "domain,topic,score,week
a.com,cloud security,70,2026-11-16
a.com,Cloud Security,80,2026-11-09
a.com,Zero Trust,75,2026-11-16
a.com,Firewalls,59,2026-11-16
a.com,Old News,90,2026-10-23
";
    let work = project(&[
        ("tal.toml", spec),
        ("crm.csv", "domain\na.com\n"),
        ("intent.csv", intent),
    ]);
    // "cloud security" (first seen) best 80, Zero Trust 75; Firewalls 59 is
    // below 60; Old News is 28 days old.
    assert_eq!(
        view(
            &work.score(&["--all"]),
            "intent_score intent_topics intent_topic_count"
        ),
        ["80|cloud security; Zero Trust|2"]
    );
}

// ------------------------------------------------------------------ engagement

const ENGAGEMENT_SPEC: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"

[inputs.engagement]
path = "engagement.csv"
key = "email"
fields = { type = "activity", date = "at", persona = "persona" }

[engagement]
window_days = 90
half_life_days = 14
threshold = 10
points = { meeting = 25, Webinar = 8, web_visit = 1 }
persona_weights = { CMO = 2.0 }

[[tiers]]
name = "Engaged"
when = "engaged"
"#;

const ENGAGEMENT_CSV: &str = "email,activity,at,persona
ann@a.com,meeting,2026-11-06,
bob@a.com,WEBINAR,2026-11-20T09:00:00Z,cmo
cy@a.com,chat,2026-11-19,Ops
dee@a.com,meeting,2026-08-22,
eve@a.com,meeting,2026-08-21,
fay@a.com,meeting,2026-11-21,
kim@a.com,web_visit,2026-11-13,Cmo
jo@a.com,web_visit,2026-08-01,Board
gus@b.com,web_visit,2026-10-09,
hal@c.com,Webinar,2026-09-25,
ian@c.com,web_visit,2026-10-09,
zed@gmail.com,meeting,2026-11-19,CMO
ops@yahoo.co.uk,meeting,2026-11-19,
x@nowhere.org,meeting,2026-11-19,
";

#[test]
fn engagement_decay_personas_window_and_rounding() {
    let work = project(&[
        ("tal.toml", ENGAGEMENT_SPEC),
        ("crm.csv", "domain\na.com\nb.com\nc.com\nd.com\n"),
        ("engagement.csv", ENGAGEMENT_CSV),
    ]);
    // a.com, age = as-of - date:
    //   ann meeting age 14:          25 × 0.5^(14/14)      = 12.5
    //   bob WEBINAR age 0, cmo:       8 × 2 × 0.5^0         = 16 (type and
    //                                 persona match case-insensitively)
    //   cy chat (unknown type):       0, but still activity (persona Ops)
    //   dee meeting age 90 (in):     25 × 0.5^(90/14)      = 0.290233...
    //   eve age 91, fay tomorrow:     out of the window
    //   kim web_visit age 7, Cmo:     1 × 2 × 0.5^(7/14)    = 1.414213...
    //   jo age 111:                   out (its persona Board does not count)
    //   sum 30.204446... -> 30.20; last 2026-11-20 (the datetime's date part);
    //   personas cmo (first seen), Ops.
    // b.com: web_visit age 42: 1 × 0.5^3 = 0.125 -> 0.13 (half away from zero,
    //   not 0.12 as half-to-even would give).
    // c.com: Webinar age 56: 8 × 0.5^4 = 0.5; web_visit age 42: 0.125;
    //   0.625 -> 0.63.
    assert_eq!(
        view(
            &work.score(&["--all"]),
            "domain tier engagement_score last_engaged personas_engaged stage"
        ),
        [
            "a.com|Engaged|30.20|2026-11-20|cmo; Ops|Target",
            "b.com|Unassigned|0.13|2026-10-09||Target",
            "c.com|Unassigned|0.63|2026-10-09||Target",
            "d.com|Unassigned|0.00|||Target",
        ]
    );
    // 14 rows: 8 used; eve, fay, jo out of scope; gmail.com and yahoo.co.uk
    // free mail; nowhere.org unmatched.
    assert_eq!(
        work.check_json()["inputs"]["engagement"]["rows"],
        serde_json::json!({"read": 14, "used": 8, "merged": 0, "rejected": 0, "unmatched": 1, "out_of_scope": 3, "free_mail": 2})
    );
}

#[test]
fn engagement_without_half_life_or_threshold() {
    // No decay without half_life_days; `engaged` means score > 0 without a
    // threshold; window_days defaults to 90.
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
[inputs.engagement]
path = "engagement.csv"
key = "email"
fields = { type = "type", date = "date" }
[engagement]
points = { web_visit = 1.5 }
[[tiers]]
name = "Engaged"
when = "engaged"
"#;
    let csv = "email,type,date\na@a.com,web_visit,2026-08-22\nb@b.com,chat,2026-11-15\nc@c.com,web_visit,2026-08-21\n";
    let work = project(&[
        ("tal.toml", spec),
        ("crm.csv", "domain\na.com\nb.com\nc.com\n"),
        ("engagement.csv", csv),
    ]);
    // a.com: 1.5 at age 90, undecayed; b.com: unknown type, 0 points, not
    // engaged but last_engaged is set; c.com: age 91 is out.
    assert_eq!(
        view(
            &work.score(&["--all"]),
            "domain tier engagement_score last_engaged"
        ),
        [
            "a.com|Engaged|1.50|2026-08-22",
            "b.com|Unassigned|0.00|2026-11-15",
            "c.com|Unassigned|0.00|"
        ]
    );
}

// ------------------------------------------------------------------ acv

#[test]
fn acv_fallback_chain_and_bands() {
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { acv = "Open Amount", employees = "employees" }

[[fit.criteria]]
name = "Open deal"            # inside [fit], `acv` is the raw field
points = 10
when = "acv > 0"

[acv]
from = "acv"
large = 100000
medium = 30000
estimate = [ { when = "employees >= 1000", value = 60000 },
             { when = "employees >= 200",  value = 25000 } ]
default = 10000

[[tiers]]
name = "Deal"                 # in tiers, `acv` is the signal
when = "acv >= 60000"
"#;
    let crm = "domain,Open Amount,employees
a.com,\"$150,000\",10
b.com,0,1500
c.com,(500),300
d.com,,50
e.com,100000,
f.com,30000,
g.com,29999.5,
h.com,-1,5000
";
    let work = project(&[("tal.toml", spec), ("crm.csv", crm)]);
    let rows = work.score(&["--all"]);
    assert_eq!(
        view(&rows, "domain fit acv acv_band tier"),
        [
            // > 0: the field; 100000 is large (>=), 150000 too
            "a.com|100.0|150000|large|Deal",
            "e.com|100.0|100000|large|Deal",
            // 0 -> the first estimate that holds (1500 >= 1000): 60000, medium
            "b.com|0.0|60000|medium|Deal",
            // negative -> estimate: 5000 >= 1000 -> 60000
            "h.com|0.0|60000|medium|Deal",
            // (500) is -500 -> estimate: 300 >= 200 -> 25000, small
            "c.com|0.0|25000|small|Unassigned",
            // missing, no estimate holds (50) -> default 10000
            "d.com|0.0|10000|small|Unassigned",
            // 30000 is medium (>=); 29999.5 is small and keeps its decimals
            "f.com|100.0|30000|medium|Unassigned",
            "g.com|100.0|29999.5|small|Unassigned",
        ]
    );
    let reasons = view(&rows, "domain reasons");
    assert!(
        reasons[0].contains("; ACV 150000 large (from acv);"),
        "{}",
        reasons[0]
    );
    assert!(
        reasons[2].contains("; ACV 60000 medium (estimate: employees >= 1000);"),
        "{}",
        reasons[2]
    );
    assert!(
        reasons[5].contains("; ACV 10000 small (default);"),
        "{}",
        reasons[5]
    );
}

// ------------------------------------------------------------------ tiers and sizing

/// Tier rules by `plan`, ranking by `quality`; a budget and seller count
/// that make each tier bound by a different limit.
const SIZING_SPEC: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { plan = "plan", quality = { column = "quality", type = "number" }, is_customer = "customer" }

[[exclude]]
name = "Existing customer"
when = "is_customer"

[budget]
total = 10500
sellers = 2
enforce = true

[ranking]
by = ["quality desc"]

[[tiers]]
name = "Tier 1"
label = "Just right"
style = "1:1"
when = 'plan == "t1"'
per_account = 5000
accounts_per_seller = 3
max_accounts = 1

[[tiers]]
name = "Tier 2"
label = "Too big"
style = "1:few"
when = 'plan in ["t1", "t2"]'
per_account = 1000
accounts_per_seller = 1

[[tiers]]
name = "Tier 3"
label = "Too small"
style = "1:many"
when = 'plan == "t3"'
per_account = 1500
"#;

const SIZING_CRM: &str = "domain,plan,quality,customer
a1.com,t1,90,no
a2.com,T1,80,no
a3.com,t1,10,
b1.com,t2,70,no
b2.com,t2,70,no
b3.com,t2,50,
c1.com,t3,60,
c2.com,t3,40,
x.com,t1,99,yes
z.com,none,95,no
m.com,,100,
";

#[test]
fn capacity_bound_by_each_limit_and_a_demotion_chain() {
    let work = project(&[("tal.toml", SIZING_SPEC), ("crm.csv", SIZING_CRM)]);
    // Tier 1: capacity min(max_accounts 1, 3 × 2 sellers = 6, ⌊10500 / 5000⌋ = 2)
    //   = 1 (max_accounts). Candidates by quality: a1 90, a2 80 (`T1` matches
    //   "t1"), a3 10 -> a1 stays; a2, a3 pushed. Budget left 10500 - 5000 = 5500.
    //   (t1 accounts also match Tier 2's rule: the first tier that holds wins.)
    // Tier 2: min(1 × 2 sellers = 2, ⌊5500 / 1000⌋ = 5) = 2 (sellers).
    //   Candidates: a2 80, b1 70, b2 70, b3 50, a3 10 -> a2 and b1 (b1 beats
    //   b2 on the domain) stay. Budget left 5500 - 2000 = 3500.
    // Tier 3: ⌊3500 / 1500⌋ = 2 (budget). Candidates: b2 70, c1 60, b3 50,
    //   c2 40, a3 10 -> b2, c1 stay; b3, c2, a3 are waitlisted, each keeping
    //   the tier its rules chose. Budget left 500.
    // x.com matches Tier 1 but is excluded; z.com and m.com (plan missing)
    // match no tier. Outside the TAL: Excluded, Unassigned, Waitlist, each by
    // domain.
    let rows = work.score(&["--all"]);
    assert_eq!(
        view(&rows, "rank tier tier_label style domain demoted_from"),
        [
            "1|Tier 1|Just right|1:1|a1.com|",
            "2|Tier 2|Too big|1:few|a2.com|Tier 1",
            "3|Tier 2|Too big|1:few|b1.com|",
            "4|Tier 3|Too small|1:many|b2.com|Tier 2",
            "5|Tier 3|Too small|1:many|c1.com|",
            "|Excluded|||x.com|",
            "|Unassigned|||m.com|",
            "|Unassigned|||z.com|",
            "|Waitlist|||a3.com|Tier 1",
            "|Waitlist|||b3.com|Tier 2",
            "|Waitlist|||c2.com|Tier 3",
        ]
    );
    let reasons: std::collections::BTreeMap<String, String> =
        pairs(&rows, "reasons").into_iter().collect();
    let tail = |domain: &str| {
        reasons[domain]
            .rsplit("; ")
            .next()
            .expect("a part")
            .to_string()
    };
    assert_eq!(
        tail("a2.com"),
        "pushed down from Tier 1 to Tier 2 (Tier 1 holds 1, bound by max_accounts)"
    );
    assert_eq!(
        tail("b2.com"),
        "pushed down from Tier 2 to Tier 3 (Tier 2 holds 2, bound by sellers)"
    );
    assert_eq!(
        tail("c2.com"),
        "pushed down from Tier 3 to Waitlist (Tier 3 holds 2, bound by budget)"
    );
    assert_eq!(
        tail("a3.com"),
        "pushed down from Tier 1 to Waitlist (Tier 1 holds 1, bound by max_accounts)"
    );
    assert_eq!(
        reasons["x.com"],
        "excluded: Existing customer; fit 0.0; ACV 0 small (default); no intent; no engagement"
    );
    assert_eq!(
        reasons["z.com"],
        "no tier rule held; fit 0.0; ACV 0 small (default); no intent; no engagement"
    );
    // Without --all: the TAL alone, in rank order.
    assert_eq!(
        view(&work.score(&[]), "rank domain"),
        ["1|a1.com", "2|a2.com", "3|b1.com", "4|b2.com", "5|c1.com"]
    );
}

#[test]
fn summary_on_stderr() {
    let work = project(&[("tal.toml", SIZING_SPEC), ("crm.csv", SIZING_CRM)]);
    let stderr = stderr_of(&mut work.cmd(&["score"]), 0);
    // pushed down: a2, b2, a3, b3, c2.
    assert_eq!(
        stderr,
        "tal: 5 accounts in the TAL (Tier 1 1, Tier 2 2, Tier 3 2); 5 pushed down, 3 waitlisted, 1 excluded, 2 unassigned; 0 input rows rejected\n"
    );
    stdout_of(&mut work.cmd(&["score", "--quiet"]), 0);
    assert_eq!(stderr_of(&mut work.cmd(&["score", "--quiet"]), 0), "");
}

#[test]
fn tier_selection() {
    let work = project(&[("tal.toml", SIZING_SPEC), ("crm.csv", SIZING_CRM)]);
    assert_eq!(
        view(&work.score(&["--tier", "tier 3"]), "rank domain"),
        ["4|b2.com", "5|c1.com"]
    );
    assert_eq!(
        view(&work.score(&["--tier", "Waitlist"]), "rank domain"),
        ["|a3.com", "|b3.com", "|c2.com"]
    );
    assert_eq!(
        view(
            &work.score(&["--tier", "Tier 1", "--tier", "excluded"]),
            "tier domain"
        ),
        ["Tier 1|a1.com", "Excluded|x.com"]
    );
    let stderr = stderr_of(work.cmd(&["score"]).args(["--tier", "Tier 4"]), 1);
    assert_eq!(stderr, "error: --tier 'Tier 4': no such tier (tiers: Tier 1, Tier 2, Tier 3; or Excluded, Unassigned, Waitlist)\n");
}

#[test]
fn ties_break_on_the_domain_in_byte_order() {
    let spec = "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\n[[tiers]]\nname = \"All\"\nwhen = \"fit >= 0\"\nmax_accounts = 2\n";
    // Equal on every ranking signal: '-' (0x2d) < '.' (0x2e) < 'b' (0x62).
    let work = project(&[
        ("tal.toml", spec),
        ("crm.csv", "domain\nab.com\nA.com\na-b.com\n"),
    ]);
    assert_eq!(
        view(&work.score(&["--all"]), "rank tier domain"),
        ["1|All|a-b.com", "2|All|a.com", "|Waitlist|ab.com"]
    );
}

#[test]
fn ranking_uses_the_rounded_engagement_score() {
    // aa.com: 1 point at age 42 with a 14-day half-life = 0.125 -> 0.13;
    // zz.com: 0.13 points at age 0 = 0.13. Equal once rounded, so the
    // domain decides (unrounded, zz.com would win).
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
[inputs.engagement]
path = "engagement.csv"
key = "email"
fields = { type = "type", date = "date" }
[engagement]
half_life_days = 14
points = { visit = 1, click = 0.13 }
[ranking]
by = ["engagement_score desc"]
[[tiers]]
name = "One"
when = "engaged"
max_accounts = 1
"#;
    let csv = "email,type,date\nx@aa.com,visit,2026-10-09\ny@zz.com,click,2026-11-20\n";
    let work = project(&[
        ("tal.toml", spec),
        ("crm.csv", "domain\nzz.com\naa.com\n"),
        ("engagement.csv", csv),
    ]);
    assert_eq!(
        view(&work.score(&["--all"]), "tier domain engagement_score"),
        ["One|aa.com|0.13", "Waitlist|zz.com|0.13"]
    );
}

#[test]
fn ranking_asc_text_case_insensitive_missing_last() {
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { name = "name", employees = "employees" }
[ranking]
by = ["name asc", "employees desc"]
[[tiers]]
name = "All"
when = "fit >= 0"
"#;
    // name asc case-insensitively (apple = Apple, then employees desc), a
    // missing name last even though asc; banana before Cherry.
    let crm = "domain,name,employees\nz.com,apple,5\ny.com,Cherry,1\nx.com,,100\nw.com,Apple,50\nv.com,banana,\n";
    let work = project(&[("tal.toml", spec), ("crm.csv", crm)]);
    assert_eq!(
        view(&work.score(&[]), "rank domain"),
        ["1|w.com", "2|z.com", "3|v.com", "4|y.com", "5|x.com"]
    );
}

// ------------------------------------------------------------------ overrides

const OVERRIDE_SPEC: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { plan = "plan", quality = { column = "quality", type = "number" } }

[ranking]
by = ["quality desc"]

[[tiers]]
name = "Tier 1"
when = 'plan == "t1"'
max_accounts = 2

[[tiers]]
name = "Tier 2"
when = 'plan == "t2"'

[[tiers]]
name = "Tier 3"
when = 'plan == "t3"'

[overrides]
path = "overrides.csv"
"#;

const OVERRIDE_CRM: &str = "domain,plan,quality
q1.com,t2,95
p1.com,t1,90
p2.com,t1,80
p3.com,t1,70
old.com,t3,5
edge.com,t3,50
";

const OVERRIDES: &str = "domain,tier,owner,reason,expires
https://www.Q1.com/,tier 1,Dana,CRO bet,2027-01-31
old.com,Tier 1,Sam,expired pin,2026-11-19
edge.com,Tier 1,Sam,first row,
ghost.com,Tier 1,Lee,not in CRM,
p3.com,EXCLUDED,Kim,legal hold,
p2.com,Tier 9,Kim,bad tier,
edge.com,Tier 2,Sam,expires today,2026-11-20
p1.com,Tier 3,Kim,typo,2027-02-30
";

#[test]
fn overrides_pin_count_against_capacity_and_warn() {
    let work = project(&[
        ("tal.toml", OVERRIDE_SPEC),
        ("crm.csv", OVERRIDE_CRM),
        ("overrides.csv", OVERRIDES),
    ]);
    // Active pins: q1.com (a URL, tier name in any case) to Tier 1; edge.com
    // to Tier 2 (the last of its rows wins; it expires on as-of, so it is
    // still active); p3.com to Excluded. Ignored with a warning: old.com
    // (expired yesterday), ghost.com (no such account), p2.com (no Tier 9),
    // p1.com (an impossible expiry date).
    // Tier 1 holds 2: the pin takes one seat, so of p1 90 and p2 80 only p1
    // stays; p2 goes to Tier 2 with its pin. Ranks follow the ranking
    // inside each tier, pinned or not.
    let rows = work.score(&["--all"]);
    assert_eq!(
        view(&rows, "rank tier domain demoted_from"),
        [
            "1|Tier 1|q1.com|",
            "2|Tier 1|p1.com|",
            "3|Tier 2|p2.com|Tier 1",
            "4|Tier 2|edge.com|",
            "5|Tier 3|old.com|",
            "|Excluded|p3.com|",
        ]
    );
    let reasons: std::collections::BTreeMap<String, String> =
        pairs(&rows, "reasons").into_iter().collect();
    assert_eq!(reasons["q1.com"], "pinned to Tier 1 by Dana (CRO bet); fit 0.0; ACV 0 small (default); no intent; no engagement");
    assert_eq!(reasons["edge.com"], "pinned to Tier 2 by Sam (expires today); fit 0.0; ACV 0 small (default); no intent; no engagement");
    assert_eq!(reasons["p3.com"], "pinned to Excluded by Kim (legal hold); fit 0.0; ACV 0 small (default); no intent; no engagement");
    let stderr = stderr_of(&mut work.cmd(&["score"]), 0);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: overrides.csv line 3: the pin of old.com expired on 2026-11-19; the override is ignored",
            "warning: overrides.csv line 5: 'ghost.com' is not an account in the inputs; the override is ignored",
            "warning: overrides.csv line 7: unknown tier 'Tier 9' (tiers: Tier 1, Tier 2, Tier 3, or Excluded); the override is ignored",
            "warning: overrides.csv line 9: bad expiry date '2027-02-30' (write YYYY-MM-DD); the override is ignored",
        ]
    );
    // Override warnings are data-quality warnings: --strict fails.
    stdout_of(&mut work.cmd(&["score", "-q", "--strict"]), 3);
}

#[test]
fn pins_beyond_capacity_all_stay_and_spend_the_budget() {
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { plan = "plan", quality = { column = "quality", type = "number" } }
[budget]
total = 150
enforce = true
[ranking]
by = ["quality desc"]
[[tiers]]
name = "Tier 1"
when = 'plan == "t1"'
max_accounts = 1
per_account = 100
[[tiers]]
name = "Tier 2"
when = 'plan == "t2"'
per_account = 10
[[tiers]]
name = "Tier 3"
when = 'plan == "t3"'
per_account = 1
[overrides]
path = "overrides.csv"
"#;
    let crm = "domain,plan,quality\nq1.com,t2,95\nedge.com,t3,50\np1.com,t1,90\np2.com,t1,80\nb1.com,t2,60\n";
    let overrides = "domain,tier,owner\nq1.com,Tier 1,Dana\nedge.com,Tier 1,Sam\n";
    let work = project(&[
        ("tal.toml", spec),
        ("crm.csv", crm),
        ("overrides.csv", overrides),
    ]);
    // Tier 1: capacity min(1, ⌊150 / 100⌋ = 1) = 1, but both pins stay and the
    // ranked candidates get no seat. Budget left 150 - 2 × 100 = -50, so Tier 2
    // and Tier 3 can pay for ⌊max(0, -50) / per_account⌋ = 0 accounts.
    assert_eq!(
        view(&work.score(&["--all"]), "rank tier domain demoted_from"),
        [
            "1|Tier 1|q1.com|",
            "2|Tier 1|edge.com|",
            "|Waitlist|b1.com|Tier 2",
            "|Waitlist|p1.com|Tier 1",
            "|Waitlist|p2.com|Tier 1",
        ]
    );
}

// ------------------------------------------------------------------ segments

#[test]
fn segments_when_with_tiers_and_group_by() {
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { plan = "plan", industry = "industry", employees = "employees", technologies = "tech" }

[[tiers]]
name = "Tier 1"
when = 'plan == "t1"'

[[tiers]]
name = "Tier 2"
when = 'plan == "t2"'

[[segments]]
name = "Big"
when = "employees >= 1000"
tiers = ["tier 2"]

[[segments]]
name = "Industry"
group_by = "industry"

[[segments]]
name = "Stack"
group_by = "technologies"
"#;
    let crm = "domain,plan,industry,employees,tech
b.com,t2,Software,2000,marketo
a.com,t1,software,5000,Marketo; Snowflake
c.com,t2,Retail,10,
d.com,t2,,1000,HubSpot|Snowflake
0-out.com,none,SOFTWARE,9000,MARKETO
e.com,t1,retail,1200,hubspot
";
    let work = project(&[("tal.toml", spec), ("crm.csv", crm)]);
    // "Big" only in Tier 2 (a.com is big but in Tier 1). Groups are
    // case-insensitive and spelt like their first TAL account by domain:
    // software/Software -> a.com's "software"; Retail/retail -> c.com's
    // "Retail"; Marketo/marketo -> a.com's; HubSpot/hubspot -> d.com's.
    // 0-out.com is outside the TAL: no segments, and its spelling does not
    // count. A missing industry gives no Industry segment; a list gives one
    // segment per item. Segments join in spec order.
    assert_eq!(
        view(&work.score(&["--all"]), "tier domain segments"),
        [
            "Tier 1|a.com|Industry: software; Stack: Marketo; Stack: Snowflake",
            "Tier 1|e.com|Industry: Retail; Stack: HubSpot",
            "Tier 2|b.com|Big; Industry: software; Stack: Marketo",
            "Tier 2|c.com|Industry: Retail",
            "Tier 2|d.com|Big; Stack: HubSpot; Stack: Snowflake",
            "Unassigned|0-out.com|",
        ]
    );
}

#[test]
fn segments_can_read_tier_columns_and_stage() {
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { plan = "plan" }
[[stages]]
name = "Late"
when = 'plan == "t1"'
[[tiers]]
name = "Tier 1"
when = 'plan == "t1"'
[[tiers]]
name = "Tier 2"
when = 'plan == "t2"'
[[segments]]
name = "First tier"
when = 'tier_code == "tier_1" and in_tal and tier_number == 1 and tier == "TIER 1"'
[[segments]]
name = "Stage"
group_by = "stage"
"#;
    let work = project(&[
        ("tal.toml", spec),
        ("crm.csv", "domain,plan\na.com,t1\nb.com,t2\n"),
    ]);
    assert_eq!(
        view(&work.score(&[]), "domain stage segments"),
        [
            "a.com|Late|First tier; Stage: Late",
            "b.com|Target|Stage: Target"
        ]
    );
}

#[test]
fn computed_labels_compare_in_any_case_and_keep_their_spelling() {
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { plan = "plan", stack = { column = "stack", type = "list" } }
[fit]
grades = { Gold = 50, silver = 10 }
[[fit.criteria]]
name = "Plan"
bands = [ { when = 'plan == "BIG"', points = 10 }, { when = 'plan == "mid"', points = 3 } ]
[acv]
large = 100
default = 500
[[stages]]
name = "Ready Now"
when = 'fit_grade == "GOLD" and acv_band == "LARGE"'
[[tiers]]
name = "Tier 1"
when = 'stage == "ready now" and stack has "SALESforce"'
[[tiers]]
name = "Tier 2"
when = 'fit_grade in ["SILVER", "d"] and stack not in ["hubspot"]'
"#;
    let crm = "domain,plan,stack\na.com,Big,Salesforce; HubSpot\nb.com,big,HubSpot\nc.com,MID,marketo\nd.com,,\n";
    let work = project(&[("tal.toml", spec), ("crm.csv", crm)]);
    assert_eq!(
        view(&work.score(&["--all"]), "domain tier fit_grade stage"),
        [
            "a.com|Tier 1|Gold|Ready Now",
            "c.com|Tier 2|silver|Target",
            "b.com|Unassigned|Gold|Ready Now",
            "d.com|Unassigned|D|Target"
        ]
    );
}

// ------------------------------------------------------------------ the us_salesforce fixture, account by account

#[test]
fn us_salesforce_tal_account_by_account() {
    // Every value below is from fixtures/us_salesforce/README.md, worked out
    // by hand from SPEC.md.
    let work = Workdir::from_fixture("us_salesforce");
    let rows = work.score(&["--all"]);
    assert_eq!(rows[0].join(","), COLUMNS);
    assert_eq!(
        view(&rows, "rank tier domain fit fit_grade acv acv_band intent_score intent_topics intent_topic_count engagement_score last_engaged personas_engaged stage demoted_from"),
        [
            "1|Tier 1|acme.com|100.0|A|150000|large|72|Marketing Analytics; Marketing Attribution|2|54.00|2026-11-20|CMO; Marketing Ops|Decision|",
            "2|Tier 2|hooli.com|100.0|A|1200000|large|81|Customer Data Platform|1|2.50|2026-11-19|Demand Gen|Decision|",
            "3|Tier 2|massivedynamic.com|100.0|A|95000|medium|70|Marketing Analytics|1|0.00|||Decision|",
            "4|Tier 3|globex.com|100.0|A|150000|large|0||0|0.00|||Target|",
            "5|Tier 3|umbrella-health.com|100.0|A|95000|medium|0||0|0.00|||Decision|",
            "6|Tier 3|oscorp.com|100.0|A|60000|medium|0||0|0.00|||Target|",
            "7|Tier 3|initech.com|85.0|A|25000|small|61|Customer Data Platform|1|1.03|2026-11-20||Awareness|",
            "|Excluded|wayne-enterprises.com|100.0|A|250000|large|0||0|0.00|||Decision|",
            "|Unassigned|soylent.co|0.0|D|10000|small|0||0|0.00|||Target|",
            "|Unassigned|starkindustries.com|60.0|B|150000|large|0||0|0.00|||Target|",
            "|Unassigned|tyrell.com|45.0|C|25000|small|0||0|0.00|||Target|",
            "|Waitlist|cyberdyne.io|70.0|B|40000|medium|66|Marketing Attribution|1|17.68|2026-11-13|Demand Gen|Consideration|Tier 2",
        ]
    );
    // The merged duplicate keeps the first row's id and name (with its line break).
    assert_eq!(
        view(&rows, "account_id name")[0],
        "0015g00000US001AAQ|Acme, Inc."
    );
    assert_eq!(view(&rows, "name")[4], "Umbrella Health\nNorth America");
}

#[test]
fn fixtures_fit_and_tiers_match_their_readmes() {
    // (fixture, domain|fit|tier per account in --all order)
    let cases: &[(&str, &[&str])] = &[
        (
            "brazil",
            &[
                "bancocidadenova.com.br|100.0|Alvo",
                "hospitalsaolucas.org.br|100.0|Alvo",
                "novaera.com.br|50.0|Alvo",
                "paoquente.com.br|50.0|Alvo",
                "construtorahorizonte.com.br|50.0|Excluded",
                "seguroconfianca.com.br|50.0|Excluded",
                "unica.com.br|85.0|Excluded",
                "acaiecia.com.br|0.0|Unassigned",
                "acoforte.ind.br|35.0|Unassigned",
                "boaesperanca.agr.br|15.0|Unassigned",
                "cafedoponto.com.br|0.0|Unassigned",
                "criancafeliz.edu.br|0.0|Unassigned",
                "midiadigital.com.br|35.0|Unassigned",
                "vinhedosdosul.com.br|0.0|Unassigned",
            ],
        ),
        (
            "china_gbk",
            &[
                "dongfangjr.com.cn|100.0|Tier 1",
                "xinghe-tech.cn|100.0|Tier 1",
                "qingsong-med.cn|85.0|Tier 1",
                "lanhai-retail.com|80.0|Excluded",
                "yunduan-data.com|50.0|Excluded",
                "changcheng-mfg.com|50.0|Unassigned",
                "globaltrade.com.hk|15.0|Unassigned",
                "jinqiao-logistics.com|50.0|Unassigned",
                "weilai-edu.cn|15.0|Unassigned",
                "xinxing-media.cn|50.0|Unassigned",
            ],
        ),
        (
            "hubspot_utf16",
            &[
                "blueyonderairlines.com|100.0|Tier 1",
                "contoso.com|100.0|Tier 1",
                "humongousinsurance.com|100.0|Tier 1",
                "northwindtraders.com|60.0|Tier 1",
                "alpineskihouse.com|0.0|Unassigned",
                "cohowinery.com|0.0|Unassigned",
                "fourthcoffee.com|0.0|Unassigned",
                "graphicdesigninstitute.com|40.0|Unassigned",
                "lucernepublishing.com|20.0|Unassigned",
            ],
        ),
    ];
    for (fixture, want) in cases {
        let work = Workdir::from_fixture(fixture);
        assert_eq!(
            view(&work.score(&["--all"]), "domain fit tier"),
            *want,
            "{fixture}"
        );
    }
}

#[test]
fn demo_project_tiers() {
    let work = Workdir::from_fixture("../examples/demo");
    let rows = work.score(&["--all"]);
    let count = |tier: &str| column(&rows, "tier").iter().filter(|t| *t == tier).count();
    let counts: Vec<usize> = [
        "Tier 1",
        "Tier 2",
        "Tier 3",
        "Waitlist",
        "Excluded",
        "Unassigned",
    ]
    .iter()
    .map(|t| count(t))
    .collect();
    assert_eq!(counts, [30, 120, 407, 59, 112, 1876]);
    assert_eq!(rows.len() - 1, 2604);
    // Ranks run 1..=557 over the TAL, in output order.
    let ranks: Vec<String> = column(&rows, "rank").into_iter().take(557).collect();
    assert_eq!(ranks, (1..=557).map(|r| r.to_string()).collect::<Vec<_>>());
    let fabrikam = view(&rows, "domain tier stage")
        .into_iter()
        .find(|r| r.starts_with("fabrikam.com|"))
        .expect("fabrikam.com");
    assert_eq!(fabrikam, "fabrikam.com|Tier 1|Decision");
}

// ------------------------------------------------------------------ formats

const FORMAT_SPEC: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { account_id = "id", name = "name", technologies = "tech" }
[[fit.criteria]]
name = "Stack"
points = 10
when = 'technologies has "Marketo"'
[[tiers]]
name = "Tier 1"
label = "Just right"
style = "1:1"
when = "high_fit"
[fit]
high = 50
"#;

const FORMAT_CRM: &str = "id,domain,name,tech
001,formula.com,=HYPERLINK(\"x\"),Marketo
002,minus.com,-5 Corp,Marketo|Segment
003,comma.com,\"Smith, Jones & Co\",marketo
004,plus.com,+1 Inc,
005,at.com,@home,
";

fn format_project() -> Workdir {
    project(&[("tal.toml", FORMAT_SPEC), ("crm.csv", FORMAT_CRM)])
}

#[test]
fn csv_output_exact_bytes() {
    let work = format_project();
    let out = stdout_of(&mut work.cmd(&["score", "-q", "--all"]), 0);
    // Minimal quoting, `\n` line ends, no BOM, text cells that start with
    // = + - @ prefixed with '.
    let rows = csv_rows(&out);
    assert!(
        !out.starts_with('\u{feff}') && !out.contains('\r'),
        "{out:?}"
    );
    assert_eq!(rows[0].join(","), COLUMNS);
    assert_eq!(
        view(&rows, "rank domain name"),
        [
            "1|comma.com|Smith, Jones & Co",
            "2|formula.com|'=HYPERLINK(\"x\")",
            "3|minus.com|'-5 Corp",
            "|at.com|'@home",
            "|plus.com|'+1 Inc",
        ]
    );
    let first_line = out.lines().nth(1).expect("a row");
    assert_eq!(
        first_line,
        "1,Tier 1,Just right,1:1,003,\"Smith, Jones & Co\",comma.com,100.0,A,0,small,0,,0,0.00,,,Target,,,fit 100.0 (Stack +10); ACV 0 small (default); no intent; no engagement"
    );
}

#[test]
fn raw_turns_the_formula_guard_off() {
    let work = format_project();
    let rows = csv_rows(&stdout_of(
        &mut work.cmd(&["score", "-q", "--all", "--raw"]),
        0,
    ));
    assert_eq!(
        column(&rows, "name"),
        [
            "Smith, Jones & Co",
            "=HYPERLINK(\"x\")",
            "-5 Corp",
            "@home",
            "+1 Inc"
        ]
    );
}

#[test]
fn tsv_has_the_csv_cells() {
    let work = format_project();
    let csv = csv_rows(&stdout_of(&mut work.cmd(&["score", "-q", "--all"]), 0));
    let tsv = stdout_of(
        work.cmd(&["score", "-q", "--all"])
            .args(["--format", "tsv"]),
        0,
    );
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(b'\t')
        .from_reader(tsv.as_bytes());
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.expect("tsv").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows, csv);
    assert!(tsv
        .lines()
        .next()
        .expect("header")
        .starts_with("rank\ttier\ttier_label\t"));
}

#[test]
fn json_and_jsonl_typed_values() {
    let work = format_project();
    let out = stdout_of(work.cmd(&["score", "-q"]).args(["--format", "json"]), 0);
    let rows = json(&out);
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), 3);
    let first = rows[0].as_object().expect("an object");
    assert_eq!(
        first
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(","),
        COLUMNS
    );
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[0]["fit"], 100.0);
    assert_eq!(rows[0]["acv"], 0);
    assert_eq!(rows[0]["intent_score"], 0);
    assert_eq!(rows[0]["intent_topic_count"], 0);
    assert_eq!(rows[0]["engagement_score"], 0.0);
    assert_eq!(rows[0]["name"], "Smith, Jones & Co");
    assert_eq!(rows[0]["last_engaged"], serde_json::Value::Null);
    // JSON is data, not a spreadsheet: no formula guard.
    assert_eq!(rows[1]["name"], "=HYPERLINK(\"x\")");
    let lines = stdout_of(work.cmd(&["score", "-q"]).args(["--format", "jsonl"]), 0);
    let from_lines: Vec<serde_json::Value> = lines.lines().map(json).collect();
    assert_eq!(&from_lines, rows);
}

#[test]
fn table_for_a_terminal() {
    let work = format_project();
    let out = stdout_of(
        work.cmd(&["score", "-q", "--all"])
            .args(["--format", "table"]),
        0,
    );
    insta::assert_snapshot!("score_table", out);
}

#[test]
fn output_file() {
    let work = format_project();
    let run = run(work.cmd(&["score", "-q"]).args(["-o", "tal.csv"]), 0);
    assert_eq!(run.stdout, "");
    assert_eq!(csv_rows(&work.read("tal.csv")).len(), 4);
}

#[test]
fn broken_pipe_is_quiet_success() {
    // `tal score | head -1`: the reader goes away after one line.
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tal"))
        .args(["score", "--all", "--as-of", AS_OF, "--spec"])
        .arg(root().join("examples/demo/tal.toml"))
        .env_remove("TAL_SPEC")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tal starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a line");
    assert!(first.starts_with("rank,tier,"), "{first}");
    let output = child.wait_with_output().expect("tal ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "a closed pipe is not an error");
}

/// The same through a shell, as people type it: with `pipefail`, the
/// pipeline's status is tal's own.
#[test]
fn score_piped_into_head_exits_0() {
    let tal = assert_cmd::cargo::cargo_bin("tal");
    let spec = root().join("examples/demo/tal.toml");
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(r#"set -o pipefail; "$0" score --all --as-of 2026-11-20 --spec "$1" | head -1"#)
        .arg(&tal)
        .arg(&spec)
        .env_remove("TAL_SPEC")
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("rank,tier,"));
    assert!(!stderr.contains("error"), "{stderr}");
}

/// On a terminal a progress bar shows the stages and the bytes read; in a
/// pipe or a cron job (stderr not a terminal) nothing is drawn.
#[test]
fn progress_is_drawn_only_on_a_terminal() {
    let work = Workdir::new();
    let binary = assert_cmd::cargo::cargo_bin("tal");
    let spec = root().join("examples/demo/tal.toml");
    let command = format!(
        "{} score --all -q --as-of 2026-11-20 --spec {} -o {}",
        binary.display(),
        spec.display(),
        work.path().join("tal.csv").display()
    );
    // `script` runs the command on a pseudo-terminal.
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("TAL_SPEC")
        .output()
        .expect("script (util-linux) runs");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    for stage in ["reading the exports", "B/", "scoring", "writing the list"] {
        assert!(shown.contains(stage), "no '{stage}' in {shown:?}");
    }
    // Not a terminal: stderr holds nothing at all with -q.
    let stderr = stderr_of(
        tal()
            .args(["score", "--all", "-q", "--as-of", "2026-11-20", "--spec"])
            .arg(&spec)
            .arg("-o")
            .arg(work.path().join("again.csv")),
        0,
    );
    assert_eq!(stderr, "");
}

// ------------------------------------------------------------------ accounts and expressions

#[test]
fn account_inputs_merge_first_input_with_a_value_wins() {
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "Website"
fields = { account_id = "Id", industry = "Industry", employees = "Employees" }

[inputs.firmographics]
path = "firmo.csv"
key = "domain"
fields = { account_id = "company_id", industry = "industry", employees = "employee_count" }

[[segments]]
name = "Industry"
group_by = "industry"

[[tiers]]
name = "All"
when = "employees >= 0"
"#;
    let crm = "Id,Website,Industry,Employees\n001,acme.com,,n/a\n002,www.acme.com,Retail,\n003,beta.com,Software,50\n";
    let firmo = "domain,company_id,industry,employee_count\nacme.com,F-9,Software,1200\ngamma.com,F-7,Healthcare,300\nbeta.com,,Retail,70\n";
    let work = project(&[("tal.toml", spec), ("crm.csv", crm), ("firmo.csv", firmo)]);
    // acme.com: crm line 2 has no industry and an unparseable employees; its
    // duplicate (line 3) gives Retail, which beats the vendor's Software (the
    // crm is the first input); employees only the vendor has: 1200.
    // gamma.com exists only in the vendor file: the universe is the union.
    assert_eq!(
        view(&work.score(&["--all"]), "account_id domain segments"),
        [
            "001|acme.com|Industry: Retail",
            "003|beta.com|Industry: Software",
            "F-7|gamma.com|Industry: Healthcare"
        ]
    );
    let e = json(&stdout_of(
        &mut work.cmd(&["explain", "acme.com", "--format", "json"]),
        0,
    ));
    // The non-winning ids of every account input.
    assert_eq!(e["merged_ids"], serde_json::json!(["002", "F-9"]));
    assert_eq!(e["tier_rules"][0]["values"]["employees"], "1200");
    let report = work.check_json();
    assert_eq!(report["inputs"]["crm"]["rows"]["merged"], 1);
    assert_eq!(report["inputs"]["firmographics"]["rows"]["used"], 3);
    assert_eq!(report["accounts"], 3);
}

#[test]
fn expression_language_on_real_values() {
    let crm = "domain,code,Segment Code,employees,tech,since,vip
a.com,\"1,200\",Alpha,5K,Marketo;HubSpot,2024-01-31,yes
b.com, 12 ,beta,\"1,234\",,2023-05-01,no
c.com,abc,,12%,RivalCRM,,
";
    let fields = r#"fields = { code = "code", "segment code" = { column = "Segment Code", type = "text" }, employees = "employees", technologies = "tech", since = { column = "since", type = "date" }, vip = { column = "vip", type = "bool" } }"#;
    let cases: &[(&str, &str)] = &[
        // text against a number compares numerically when the text parses
        ("code > 10", "b.com"),
        ("code == 12", "b.com"),
        ("code in [12]", "b.com"),
        ("code != \"abc\"", "a.com b.com"),
        // backticks for a field that is not a plain identifier; case-insensitive text
        ("`segment code` == \"ALPHA\"", "a.com"),
        // lenient numbers: 5K, 1,234, 12%
        ("employees > 4999", "a.com"),
        ("employees in [-1, 12]", "c.com"),
        ("employees == \"1234\"", "b.com"),
        ("employees * 2 > 2467 or -employees < -4999", "a.com b.com"),
        // lists: any item, case-insensitive; `not in` needs a value
        ("technologies has_any [\"marketo\"]", "a.com"),
        ("technologies in [\"hubspot\", \"x\"]", "a.com"),
        ("technologies not in [\"hubspot\"]", "c.com"),
        ("technologies has \"rival\"", ""),
        ("technologies has \"RIVALCRM\"", "c.com"),
        ("technologies is null", "b.com"),
        // has on text is a substring test
        ("code has \"AB\"", "c.com"),
        // dates against ISO date strings
        ("since >= \"2024-01-01\"", "a.com"),
        ("since < \"2024-01-01\"", "b.com"),
        ("since == \"2024-01-31\"", "a.com"),
        // keywords in any case; a bare bool is true only when true
        ("NOT (employees > 100) AND code IS NOT NULL", "c.com"),
        ("employees In [5000] oR FALSE", "a.com"),
        ("vip", "a.com"),
        ("not vip", "b.com c.com"),
        ("vip == false", "b.com"),
        ("domain == \"A.COM\"", "a.com"),
    ];
    let work = Workdir::new();
    work.write("crm.csv", crm);
    for (when, want) in cases {
        work.write(
            "tal.toml",
            format!("[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\n{fields}\n[[tiers]]\nname = \"T\"\nwhen = '{when}'\n"),
        );
        let got = column(&work.score(&[]), "domain").join(" ");
        assert_eq!(&got, want, "{when}");
    }
}

#[test]
fn signals_are_visible_from_their_phase_on() {
    // Fit criteria see intent and engagement; the ACV estimate sees fit; stages
    // see acv; tiers see stage.
    let spec = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
[inputs.intent]
path = "intent.csv"
key = "domain"
fields = { topic = "topic", score = "score", date = "date" }
[[fit.criteria]]
name = "Surging"
points = 10
when = "intent and intent_topic_count >= 1"
[acv]
estimate = [ { when = "high_fit", value = 200000 } ]
default = 5000
[[stages]]
name = "Big"
when = 'acv_band == "large"'
[[tiers]]
name = "Tier 1"
when = 'stage == "big"'
[[segments]]
name = "Topic"
group_by = "intent_topics"
"#;
    let intent =
        "domain,topic,score,date\na.com,ABM,90,2026-11-16\na.com,Attribution,70,2026-11-16\n";
    let work = project(&[
        ("tal.toml", spec),
        ("crm.csv", "domain\na.com\nb.com\n"),
        ("intent.csv", intent),
    ]);
    assert_eq!(
        view(
            &work.score(&["--all"]),
            "tier domain fit acv stage segments"
        ),
        [
            "Tier 1|a.com|100.0|200000|Big|Topic: ABM; Topic: Attribution",
            "Unassigned|b.com|0.0|5000|Target|"
        ]
    );
}

#[test]
fn gbk_is_detected_when_not_declared() {
    let work = Workdir::from_fixture("china_gbk");
    let spec = work.read("tal.toml").replace("encoding = \"gbk\"\n", "");
    work.write("tal.toml", spec);
    let report = work.check_json();
    assert_eq!(report["inputs"]["crm"]["encoding"], "gbk");
    assert_eq!(report["inputs"]["crm"]["delimiter"], "\t");
    assert_eq!(
        view(&work.score(&[]), "name domain")[0],
        "东方金融集团|dongfangjr.com.cn"
    );
}
