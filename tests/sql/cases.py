"""The selftest's data and cases: small tables with the quirks tal's data
has (non-ASCII text, Unicode white space, nulls, doubles that round badly,
dates, bools, a column name that needs quoting), one query per construct
built from spellings.SPELLINGS, and the rows each engine must return,
computed here in Python by tal's rules (byte order, Rust's f64::round,
Unicode lower-casing), except where an engine is known to differ
(ENGINE_DIFFERENCES, asserted as well).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from spellings import (
    SPELLINGS,
    WHITE_SPACE,
    backreference,
    lit,
    regex_literal,
    replacement_literal,
    round_half_away,
    spell,
    text_key,
    trim_ws,
)

ENGINES = ("duckdb", "postgres", "postgres-icu", "spark", "bigquery", "snowflake")

# ---------------------------------------------------------------- data

D = dt.date
AS_OF = D(2024, 3, 1)

ACC = [
    # _row, domain, grp, name, seen, active, Deal Size, url, tech
    (
        1,
        "acme.com",
        "a",
        "Ärzte Zürich GmbH",
        D(2024, 1, 31),
        True,
        "12.5",
        "HTTPS://WWW.Acme.com/path?q=1",
        "Salesforce; HubSpot|Marketo, Outreach",
    ),
    (
        2,
        "Beta.io",
        "a",
        "İSTANBUL ΣΟΦΊΑΣ",
        D(2024, 1, 31),
        False,
        "abc",
        "http://beta.io",
        " Slack ",
    ),
    (3, "_under.net", "b", "ẞTRASSE", None, None, "-3", "www.Zeta.org", None),
    (4, "zeta.org", "b", None, D(2024, 2, 29), True, "1e3", "ftp://x.y", "a;;b"),
    (5, "éclair.fr", "c", "ÉCOLE Ø", D(2022, 2, 28), False, None, None, "Zoom"),
    (6, "Zulu.com", "c", WHITE_SPACE + "pad ded" + WHITE_SPACE, AS_OF, None, " 7 ", "Zulu.COM", ""),
    (7, None, "c", "Null Domain Co", None, None, None, None, None),
    (8, "delta.de", "d", None, D(2020, 2, 29), None, None, None, None),
]
ACC_COLUMNS = ["_row", "domain", "grp", "name", "seen", "active", "Deal Size", "url", "tech"]

NUM = [
    # _row, v (double), w (double divisor)
    (1, 2.5, 2.0),
    (2, -2.5, 0.0),
    (3, 0.125, None),
    (4, None, 1.0),
    (5, 0.49999999999999994, 3.0),  # the largest double below 0.5: FLOOR(v + 0.5) gives 1
    (6, -0.001, -4.0),  # rounds to 0.0, never -0.0
    (7, 1.005, 0.1),
    (8, 2.675, 0.0),
    (9, -0.5, 7.0),
    (10, 1234.5678, 3.0),
    (11, 0.285, 1.0),
    (12, 1e19, 2.0),  # Spark's FLOOR returns BIGINT and overflows here
    (13, 0.1, 3.0),
]

# Text in a number field, through the dialect's safe cast. The portable
# inputs read the same everywhere; the others are in ENGINE_DIFFERENCES.
CAST_PORTABLE = ["12.5", "abc", "-3", "1e3", ".5", "5.", "+5", "", None, "0.1e-2", "1,000", "١٢"]
CAST_DIVERGENT = ["NaN", "inf", "0x1A", "1_000", "1d", " 7 "]


def write_tables(folder: Path) -> tuple[Path, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    main = folder / "main"
    other = folder / "other"
    main.mkdir(parents=True)
    other.mkdir(parents=True)
    cols = list(zip(*ACC))
    types = [
        pa.int64(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.date32(),
        pa.bool_(),
        pa.string(),
        pa.string(),
        pa.string(),
    ]
    acc = pa.table({n: pa.array(c, t) for n, c, t in zip(ACC_COLUMNS, cols, types)})
    pq.write_table(acc, main / "acc.parquet")
    r, v, w = zip(*NUM)
    pq.write_table(
        pa.table(
            {
                "_row": pa.array(r, pa.int64()),
                "v": pa.array(v, pa.float64()),
                "w": pa.array(w, pa.float64()),
            }
        ),
        main / "num.parquet",
    )
    texts = CAST_PORTABLE + CAST_DIVERGENT
    pq.write_table(
        pa.table(
            {
                "_row": pa.array(range(1, len(texts) + 1), pa.int64()),
                "txt": pa.array(texts, pa.string()),
            }
        ),
        main / "casts.parquet",
    )
    # A second folder with a different acc: a batch must reload it.
    pq.write_table(
        pa.table({"_row": pa.array([1], pa.int64()), "domain": pa.array(["solo.example"])}),
        other / "acc.parquet",
    )
    return main, other


# ---------------------------------------------------------------- expectations


def key_bytes(s):
    """tal's order for text: nulls last, then UTF-8 bytes."""
    return (s is None, s.encode("utf-8") if s is not None else b"")


def rust_round(v: float, decimals: int) -> float:
    """tal's rounding: Rust's (v * 10^d).round() / 10^d, no negative zero."""
    s = 10.0**decimals
    a = v * s
    f = math.floor(abs(a))
    r = f + (1 if abs(a) - f >= 0.5 else 0)
    return math.copysign(r, a) / s + 0.0


def simple_lower(s: str) -> str:
    """Lower-casing one code point at a time, by its simple mapping
    (İ -> i, final Σ -> σ): what glibc and DuckDB do."""
    return "".join(c.lower()[0] for c in s)


def fmt(v) -> str:
    """engines.py's canonical CSV text of a value."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


# Where an engine's result is known to differ from tal's rule, by case and
# engine: {case: {engine: {row key: expected value}}}. Each is asserted, so
# a new engine version that changes one shows up here.
LOWER_SIMPLE = ("duckdb", "postgres", "snowflake")
ENGINE_DIFFERENCES = {
    "lower": {
        e: {r[0]: simple_lower(r[3]) if r[3] is not None else None for r in ACC}
        for e in LOWER_SIMPLE
    },
    "safe_cast": {
        "duckdb": {
            "NaN": math.nan,
            "inf": math.inf,
            "0x1A": None,
            "1_000": 1000.0,
            "1d": None,
            " 7 ": 7.0,
        },
        "postgres": {
            "NaN": None,
            "inf": None,
            "0x1A": None,
            "1_000": None,
            "1d": None,
            " 7 ": None,
        },
        "postgres-icu": {
            "NaN": None,
            "inf": None,
            "0x1A": None,
            "1_000": None,
            "1d": None,
            " 7 ": None,
        },
        "spark": {
            "NaN": math.nan,
            "inf": math.inf,
            "0x1A": None,
            "1_000": None,
            "1d": 1.0,
            " 7 ": 7.0,
        },
        "bigquery": {
            "NaN": math.nan,
            "inf": math.inf,
            "0x1A": 26.0,
            "1_000": None,
            "1d": None,
            " 7 ": 7.0,
        },
        "snowflake": {
            "NaN": math.nan,
            "inf": math.inf,
            "0x1A": None,
            "1_000": 1000.0,
            "1d": None,
            " 7 ": 7.0,
        },
    },
}

# PostgreSQL's ICU database (en-US) orders text by its collation rules, not
# by bytes: the canary case shows that the default collation is not byte
# order there, so a query without COLLATE "C" fails on postgres-icu.
ICU_ORDER = [
    "_under.net",
    "acme.com",
    "Beta.io",
    "delta.de",
    "éclair.fr",
    "zeta.org",
    "Zulu.com",
    None,
]


class Case:
    """One query per dialect and the rows it must return."""

    def __init__(self, name: str, sql, expect, header):
        self.name = name
        self.sql = sql  # dialect -> SQL text
        self.expect = expect  # engine -> list of rows (tuples of values)
        self.header = header  # the column names, or engine -> column names


def cases() -> list[Case]:
    out = []
    acc = ACC

    # CTE + ROW_NUMBER with NULLS LAST and a byte-order tie-break.
    def sql_window(d):
        k = text_key(d, "domain")
        rn = spell(d, "row number, nulls last", x="seen", k=k)
        return (
            f"WITH ranked AS (\n  SELECT _row, domain, seen, {rn} AS pos\n  FROM acc\n)\n"
            "SELECT pos, domain, seen FROM ranked ORDER BY pos"
        )

    ranked = sorted(
        acc, key=lambda r: (r[4] is None, -(r[4].toordinal()) if r[4] else 0, key_bytes(r[1]))
    )
    window_rows = [(i + 1, r[1], r[4]) for i, r in enumerate(ranked)]
    out.append(Case("window", sql_window, lambda e: window_rows, ["pos", "domain", "seen"]))

    # Byte order: ORDER BY, comparison, MIN; and the collation canary.
    def sql_bytes(d):
        k = text_key(d, "domain")
        lt = spell(d, "condition, null counts as false", cond=f"{k} < 'a'")
        return (
            f"SELECT domain, {lt} AS lt, MIN({k}) OVER () AS lo\n"
            f"FROM acc\nORDER BY {k} NULLS LAST, _row"
        )

    by_bytes = sorted(acc, key=lambda r: (key_bytes(r[1]), r[0]))
    lo = min((r[1] for r in acc if r[1] is not None), key=lambda s: s.encode())
    bytes_rows = [(r[1], r[1] is not None and r[1].encode() < b"a", lo) for r in by_bytes]
    out.append(Case("bytes", sql_bytes, lambda e: bytes_rows, ["domain", "lt", "lo"]))

    def sql_canary(d):
        return "SELECT domain FROM acc ORDER BY domain NULLS LAST, _row"

    out.append(
        Case(
            "canary",
            sql_canary,
            lambda e: (
                [(x,) for x in ICU_ORDER] if e == "postgres-icu" else [(r[1],) for r in by_bytes]
            ),
            ["domain"],
        )
    )

    # Ordered string aggregation and first/last non-null, per group.
    def sql_agg(d):
        k = text_key(d, "domain")
        agg = spell(d, "ordered string aggregation", x="name", k=k)
        first = spell(d, "first non-null value in row order", x="name", k="_row")
        last = spell(d, "last non-null value in row order", x="name", k="_row")
        n = spell(d, "integer type")
        return (
            f"SELECT grp,\n  {agg} AS names,\n  {first} AS first_name,\n  {last} AS last_name,\n"
            f"  CAST(COUNT(*) AS {n}) AS n\nFROM acc\nGROUP BY grp\nORDER BY grp"
        )

    agg_rows = []
    for g in sorted({r[2] for r in acc}):
        rows = [r for r in acc if r[2] == g]
        named = [r for r in rows if r[3] is not None]
        names = "; ".join(r[3] for r in sorted(named, key=lambda r: key_bytes(r[1]))) or None
        first = min(named, key=lambda r: r[0])[3] if named else None
        last = max(named, key=lambda r: r[0])[3] if named else None
        agg_rows.append((g, names, first, last, len(rows)))
    out.append(
        Case("agg", sql_agg, lambda e: agg_rows, ["grp", "names", "first_name", "last_name", "n"])
    )

    # Rounding half away from zero, exact literals, division by zero.
    def sql_round(d):
        div = spell(d, "division, null when the divisor is 0", a="v", b="w")
        return (
            f"SELECT _row, v,\n  {round_half_away(d, 'v', 2)} AS r2,\n"
            f"  {round_half_away(d, 'v', 0)} AS r0,\n"
            f"  {div} AS q,\n"
            f"  {lit(d, 0.1)} + {lit(d, 0.2)} AS tenths\n"
            "FROM num ORDER BY _row"
        )

    round_rows = [
        (
            r,
            v,
            None if v is None else rust_round(v, 2),
            None if v is None else rust_round(v, 0),
            None if v is None or not w else v / w,
            0.1 + 0.2,
        )
        for r, v, w in NUM
    ]
    out.append(
        Case("round", sql_round, lambda e: round_rows, ["_row", "v", "r2", "r0", "q", "tenths"])
    )

    # Safe cast of text to double.
    def sql_cast(d):
        return (
            f"SELECT _row, txt, {spell(d, 'safe cast text to double', x='txt')} AS d\n"
            "FROM casts ORDER BY _row"
        )

    def portable_float(t):
        if t is None or not re.fullmatch(r"[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?", t):
            return None
        return float(t)

    def cast_rows(engine):
        diff = ENGINE_DIFFERENCES["safe_cast"][engine]
        texts = CAST_PORTABLE + CAST_DIVERGENT
        return [
            (i + 1, t, diff[t] if t in diff else portable_float(t)) for i, t in enumerate(texts)
        ]

    out.append(Case("safe_cast", sql_cast, cast_rows, ["_row", "txt", "d"]))

    # regexp_replace: escapes, every match, backreferences, the i flag.
    def sql_regex(d):
        every = SPELLINGS["regexp_replace, every match"][d]
        host = every.format(x="lower(url)", re=regex_literal(d, r"^(https?://)?(www\.)?"), rep="''")
        vowels = every.format(x="name", re=regex_literal(d, "[aeiou]"), rep="'*'")
        swapped = every.format(
            x="domain",
            re=regex_literal(d, r"^([a-z]+)\.([a-z]+)$"),
            rep=replacement_literal(d, backreference(d, 2) + "." + backreference(d, 1)),
        )
        cols = [f"  {host} AS host", f"  {vowels} AS vowels", f"  {swapped} AS swapped"]
        if d != "snowflake":
            ci = SPELLINGS["regexp_replace, every match, ASCII case-insensitive"][d]
            cols.append(
                "  " + ci.format(x="name", re=regex_literal(d, "[aeiou]"), rep="'*'") + " AS ci"
            )
        return "SELECT _row,\n" + ",\n".join(cols) + "\nFROM acc ORDER BY _row"

    def regex_rows(engine):
        rows = []
        for r in acc:
            url, name, domain = r[7], r[3], r[1]
            host = None if url is None else re.sub(r"^(https?://)?(www\.)?", "", url.lower())
            vowels = None if name is None else re.sub("[aeiou]", "*", name)
            swapped = None if domain is None else re.sub(r"^([a-z]+)\.([a-z]+)$", r"\2.\1", domain)
            row = (r[0], host, vowels, swapped)
            if engine != "snowflake":
                row += (
                    None
                    if name is None
                    else re.sub("[aeiou]", "*", name, flags=re.IGNORECASE | re.ASCII),
                )
            rows.append(row)
        return rows

    out.append(
        Case(
            "regex",
            sql_regex,
            regex_rows,
            lambda e: ["_row", "host", "vowels", "swapped"] + ([] if e == "snowflake" else ["ci"]),
        )
    )

    # Days between dates, against a date literal.
    def sql_dates(d):
        as_of = spell(d, "date literal", v=AS_OF.isoformat())
        days = spell(d, "days from date {a} to date {b}", a="seen", b=as_of)
        return f"SELECT _row, seen, {days} AS age\nFROM acc ORDER BY _row"

    date_rows = [(r[0], r[4], None if r[4] is None else (AS_OF - r[4]).days) for r in acc]
    out.append(Case("dates", sql_dates, lambda e: date_rows, ["_row", "seen", "age"]))

    # lower() of non-ASCII text, and trimming Unicode white space.
    def sql_lower(d):
        return f"SELECT _row, {spell(d, 'lower-case', x='name')} AS l\nFROM acc ORDER BY _row"

    def lower_rows(engine):
        diff = ENGINE_DIFFERENCES["lower"].get(engine)
        return [
            (r[0], diff[r[0]] if diff else (None if r[3] is None else r[3].lower())) for r in acc
        ]

    out.append(Case("lower", sql_lower, lower_rows, ["_row", "l"]))

    def sql_trim(d):
        return f"SELECT _row, {trim_ws(d, 'name')} AS t\nFROM acc ORDER BY _row"

    trim_rows = [(r[0], None if r[3] is None else r[3].strip(WHITE_SPACE)) for r in acc]
    out.append(Case("trim", sql_trim, lambda e: trim_rows, ["_row", "t"]))

    # A VALUES table of exact doubles (engagement decay factors), joined.
    decay = [(0, 1.0), (1, 0.5**0.5), (2, 0.5)]

    def sql_values(d):
        rows = ", ".join(f"({a}, {lit(d, f)})" for a, f in decay)
        table = spell(
            d, "VALUES table in FROM ({rows} = (0, {f0}), (1, {f1}))", rows=rows, t="decay"
        )
        return (
            f"SELECT decay.age, decay.f, decay.f * {lit(d, 3.0)} AS f3\n"
            f"FROM {table}\nORDER BY decay.age"
        )

    values_rows = [(a, f, f * 3.0) for a, f in decay]
    out.append(Case("values", sql_values, lambda e: values_rows, ["age", "f", "f3"]))

    # A list field's text to rows, with positions.
    def sql_split(d):
        x = "a.tech"
        if d == "duckdb":
            src = (
                f"acc AS a, unnest(string_split(regexp_replace({x}, '[,|]', ';', 'g'), ';')) "
                "WITH ORDINALITY AS s(item, pos)"
            )
            item, pos = "s.item", "s.pos"
        elif d == "postgres":
            src = f"acc AS a, regexp_split_to_table({x}, '[;,|]') WITH ORDINALITY AS s(item, pos)"
            item, pos = "s.item", "s.pos"
        elif d == "spark":
            src = f"acc AS a LATERAL VIEW posexplode(split({x}, '[;,|]')) s AS pos0, item"
            item, pos = "s.item", "s.pos0 + 1"
        elif d == "bigquery":
            src = (
                f"acc AS a, UNNEST(SPLIT(REGEXP_REPLACE({x}, r'[,|]', ';'), ';')) AS item "
                "WITH OFFSET AS pos0"
            )
            item, pos = "item", "pos0 + 1"
        else:
            src = (
                "acc AS a, LATERAL FLATTEN(input => "
                f"SPLIT(REGEXP_REPLACE({x}, '[,|]', ';'), ';')) AS s"
            )
            item, pos = "s.value::VARCHAR", "s.index + 1"
        n = spell(d, "integer type")
        return (
            f"SELECT a._row, CAST({pos} AS {n}) AS pos, TRIM({item}) AS item\n"
            f"FROM {src}\nWHERE TRIM({item}) <> ''\nORDER BY a._row, pos"
        )

    split_rows = []
    for r in acc:
        if r[8] is None:
            continue
        for i, item in enumerate(re.split("[;,|]", r[8])):
            if item.strip(" "):
                split_rows.append((r[0], i + 1, item.strip(" ")))
    out.append(Case("split", sql_split, lambda e: split_rows, ["_row", "pos", "item"]))

    # Quoted identifiers (a column and an alias), integer typing.
    def sql_quote(d):
        def q(v):
            return spell(d, "quoted identifier", v=v)

        n = spell(d, "integer type")
        total = spell(d, "sum of integers as an integer", x="_row")
        return (
            f"SELECT _row, {q('Deal Size')} AS {q('Deal size')}, CAST(_row * 2 AS {n}) AS n2,\n"
            f"  CAST(COUNT(*) OVER () AS {n}) AS cnt, (SELECT {total} FROM acc) AS total,\n"
            f"  active\nFROM acc ORDER BY _row"
        )

    total = sum(r[0] for r in acc)
    quote_rows = [(r[0], r[6], r[0] * 2, len(acc), total, r[5]) for r in acc]
    out.append(
        Case(
            "quote",
            sql_quote,
            lambda e: quote_rows,
            header=["_row", "Deal size", "n2", "cnt", "total", "active"],
        )
    )
    return out


def differences_table() -> str:
    """ENGINE_DIFFERENCES as markdown: what each engine returns where they
    disagree. The reference column is Rust's str::to_lowercase (what tal
    uses) for lower(), and the strict number syntax of the Postgres cast
    for the safe casts."""
    lines = [
        "Where the engines disagree (asserted by the selftest; *reference* is Rust's",
        "`to_lowercase`, which tal uses, and the strict number syntax of the PostgreSQL",
        "cast):",
        "",
        "| input | reference | " + " | ".join(ENGINES) + " |",
        "|---|---|" + "---|" * len(ENGINES),
    ]
    name = ACC[1][3]
    lowered = {
        e: ENGINE_DIFFERENCES["lower"].get(e, {}).get(ACC[1][0], name.lower()) for e in ENGINES
    }
    lines.append(
        f"| `lower('{name}')` | `{name.lower()}` | "
        + " | ".join(f"`{lowered[e]}`" for e in ENGINES)
        + " |"
    )
    for text in CAST_DIVERGENT:
        got = [fmt(ENGINE_DIFFERENCES["safe_cast"][e][text]) or "null" for e in ENGINES]
        lines.append(f"| safe cast `'{text}'` | null | " + " | ".join(got) + " |")
    return "\n".join(lines) + "\n"
