#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target (fuzz/corpus/<target>/) from
the repository's fixtures/ and examples/: small files, CSVs cut to their
first lines. Run from anywhere; it replaces the corpus folders. The corpus
is committed, so this only needs running when the fixtures change.

    python3 fuzz/make_corpus.py
"""

import csv
import hashlib
import io
import pathlib
import re
import shutil
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
LINES = 30

# read_csv: (file, encoding index, delimiter index, comma decimal, date
# format, second account input, intent input, engagement input), matching
# `Choice::of` in src/read_csv.rs: byte a = encoding | delimiter << 3 |
# comma << 6 | date << 7; byte b = second | intent << 1 | engagement << 2
# | digests << 3 | part size << 4. Encoding indexes: 0 none, 2
# windows-1252, 3 gbk, 4 utf-16le; delimiters: 0 sniffed, 3 ";".
CSVS = [
    ("fixtures/us_salesforce/crm.csv", 0, 0, 0, 0, 0, 0, 0),
    ("fixtures/us_salesforce/intent.csv", 0, 0, 0, 0, 0, 1, 0),
    ("fixtures/us_salesforce/engagement.csv", 0, 0, 0, 0, 0, 0, 1),
    ("fixtures/spec_example/crm.csv", 0, 0, 0, 0, 1, 0, 0),
    ("fixtures/spec_example/firmographics.csv", 0, 0, 0, 0, 0, 0, 0),
    ("fixtures/spec_example/intent.csv", 0, 0, 0, 0, 0, 1, 1),
    ("fixtures/spec_example/engagement.csv", 0, 0, 0, 1, 0, 0, 1),
    ("fixtures/brazil/crm.csv", 2, 3, 1, 1, 0, 0, 0),
    ("fixtures/brazil/firmografia.csv", 0, 0, 1, 1, 1, 0, 0),
    ("fixtures/china_gbk/crm.csv", 3, 0, 0, 0, 0, 0, 0),
    ("fixtures/hubspot_utf16/companies.csv", 4, 0, 0, 0, 0, 0, 0),
    ("fixtures/sql_edges/crm.csv", 0, 0, 0, 0, 0, 0, 0),
    ("fixtures/sql_edges/intent.csv", 0, 0, 0, 0, 0, 1, 0),
    ("fixtures/sql_edges/engagement.csv", 0, 0, 0, 0, 0, 0, 1),
    ("fixtures/broken/ragged.csv", 0, 0, 0, 0, 0, 0, 0),
    ("fixtures/broken/quoted_newline.csv", 0, 0, 0, 0, 0, 1, 1),
    ("fixtures/broken/header_only.csv", 0, 0, 0, 0, 0, 0, 0),
    ("fixtures/broken/empty.csv", 0, 0, 0, 0, 0, 0, 0),
    ("fixtures/init/bombora/surge.csv", 0, 0, 0, 0, 0, 1, 0),
    ("fixtures/init/eloqua/activity.csv", 0, 0, 0, 0, 0, 0, 1),
    ("fixtures/init/hubspot_pt_1252/empresas.csv", 0, 0, 1, 1, 0, 0, 0),
    ("fixtures/init/marketo_bulk/activities.csv", 0, 0, 0, 0, 0, 0, 1),
    ("fixtures/init/spanish_crm/cuentas.csv", 0, 0, 1, 1, 0, 0, 0),
    ("fixtures/init/revenue_millions/companies.csv", 0, 0, 0, 0, 1, 0, 0),
    ("fixtures/init/salesforce_api/Account.csv", 0, 0, 0, 0, 0, 0, 0),
    ("examples/demo/crm.csv", 0, 0, 0, 0, 1, 1, 1),
    ("examples/demo/intent.csv", 0, 0, 0, 0, 0, 1, 0),
    ("examples/demo/engagement.csv", 0, 0, 0, 0, 0, 0, 1),
]

SPECS = sorted(
    p for p in list(ROOT.glob("fixtures/*/tal.toml")) + list(ROOT.glob("examples/*/tal.toml"))
)


def head(path, lines=LINES):
    """The first `lines` lines of a file, as bytes (any encoding)."""
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: cut in code units
        unit = "\n".encode("utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be")
        parts = data.split(unit)
        return unit.join(parts[:lines]) + (unit if len(parts) > lines else b"")
    parts = data.split(b"\n")
    return b"\n".join(parts[:lines]) + (b"\n" if len(parts) > lines else b"")


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def read_csv():
    for n, (path, enc, delim, comma, date, second, intent, engagement) in enumerate(CSVS):
        a = enc | delim << 3 | comma << 6 | date << 7
        b = second | intent << 1 | engagement << 2 | (n & 1) << 3 | (n % 16) << 4
        write("read_csv", f"{n:02}_{pathlib.Path(path).stem}", bytes([a, b]) + head(ROOT / path))


def cells():
    """Distinct cells of the fixtures' CSVs (UTF-8 ones), short ones."""
    seen = set()
    for path, *_ in CSVS:
        try:
            text = (ROOT / path).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            continue
        rows = list(csv.reader(io.StringIO(text)))[1:LINES]
        for row in rows:
            for cell in row:
                if cell and len(cell) < 40 and cell not in seen:
                    seen.add(cell)
                    yield cell


def values():
    picked = []
    kinds = {
        "number": re.compile(r"^[-+$R€£¥]*\s*[\d.,\s]+\s*[kKmMbB%+]*$|\d\s*-\s*\d|[\d,.]+\s*(mil|mm|bn|million|万|亿)"),
        "date": re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"),
        "bool": re.compile(r"^(true|false|yes|no|sim|não|y|n|是|否)$", re.I),
        "key": re.compile(r"@|https?://|www\.|\.com"),
        "list": re.compile(r"[;|]"),
    }
    taken = {k: 0 for k in kinds}
    for cell in cells():
        for kind, pattern in kinds.items():
            if taken[kind] < 6 and pattern.search(cell):
                taken[kind] += 1
                picked.append(cell)
                break
    picked += [
        "%d/%m/%Y\n31/01/2025",
        "%m/%d/%Y %H:%M\n01/31/2025 10:00",
        "%Y%m%d\n20250131",
        "2025-01-31T10:00:00.123-08:00",
        "R$ 1.234,56",
        "1.5E+06",
        "10-50M",
        "−12,5％",
        "5万元",
        "US$ 2.5 billion",
        "https://www.Acme.com.br/contato?x=1",
        "jane.doe@mail.acme.co.uk",
        "Salesforce; HubSpot | Marketo,",
        "NA\u0303O",
    ]
    for n, cell in enumerate(picked):
        write("values", f"{n:02}", cell.encode())


def specs():
    for path in SPECS:
        write("spec", path.parent.name, path.read_bytes())
    # A small one with every section, for quick mutation.
    write(
        "spec",
        "every_section",
        b"""[inputs.crm]
path = "crm.csv"
key = "Website"
fields = { employees = "Employees", industry = "Industry", technologies = { column = "Tech", type = "list" } }
[inputs.intent]
path = "intent.csv"
key = "Domain"
fields = { topic = "Topic", score = "Score", date = "Week" }
[fit]
high = 50
grades = { A = 80, B = 50 }
[[fit.criteria]]
name = "Size"
bands = [ { when = "employees >= 1000", points = 60 }, { when = "employees >= 100", points = 30 } ]
[[fit.criteria]]
name = "Stack"
points = 40
when = 'technologies has_any ["Salesforce", "HubSpot"]'
[[exclude]]
name = "Competitors"
when = 'domain in ["rival.com"]'
[intent]
topics = ["Analytics"]
threshold = 60
window_days = 28
[acv]
large = 100000
medium = 30000
estimate = [ { when = "employees >= 1000", value = 120000 } ]
default = 10000
[budget]
currency = "EUR"
total = 50000
[ranking]
by = ["fit desc", "intent_score desc"]
[[tiers]]
name = "Tier 1"
when = 'high_fit and intent and acv_band == "large"'
per_account = 10000
programs = ["events"]
[programs.events]
cost = 2000
[[stages]]
name = "Aware"
when = "intent"
[[segments]]
name = "By industry"
group_by = "industry"
tiers = ["Tier 1"]
channels = { ads = 1000 }
""",
    )


def whens():
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "when" and isinstance(item, str):
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in SPECS:
        walk(tomllib.loads(path.read_text()))
    found += [
        "not (a or b) and -(x) * 2 >= 3 / -4.5e-3",
        "`Annual Revenue` > 1e6 or customer_since < \"2024-01-01\"",
        'industry not in ["a\\"b", "c\\\\d",] and technologies has "x"',
        "last_engaged is not null and country is null",
        "employees - -3 + .5 != 7",
    ]
    seen = set()
    for when in found:
        if when not in seen:
            seen.add(when)
            name = hashlib.sha1(when.encode()).hexdigest()[:10]
            write("expr", name, when.encode())


def main():
    for target in ["read_csv", "values", "spec", "expr"]:
        shutil.rmtree(CORPUS / target, ignore_errors=True)
    read_csv()
    values()
    specs()
    whens()
    for target in sorted(p.name for p in CORPUS.iterdir()):
        files = list((CORPUS / target).iterdir())
        print(f"{target}: {len(files)} files, {sum(f.stat().st_size for f in files)} bytes")


if __name__ == "__main__":
    main()
