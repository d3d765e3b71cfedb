"""How each dialect spells what tal's SQL needs: the table of SPELLINGS
that the Rust `Dialect` trait emits, and small helpers that build the
selftest's SQL from it.

Each entry is construct -> dialect -> template, where {x}, {k}, {a}, {b},
{v} stand for SQL expressions. selftest.py runs every construct on a real
engine of every dialect, and tests/sql/README.md shows this table (its
copy is checked against `python3 tests/sql/selftest.py --table`).
"""

from __future__ import annotations

DIALECTS = ("duckdb", "postgres", "spark", "bigquery", "snowflake")


# The 25 characters of Unicode's White_Space property, which tal trims.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
assert len(WHITE_SPACE) == 25


# The set as \uXXXX escapes (the space as itself), which Postgres E'' strings,
# Spark, BigQuery and Snowflake literals all read; Spark has no \f or \v.
WS_ESCAPED = "".join(c if c == " " else f"\\u{ord(c):04x}" for c in WHITE_SPACE)
WS_DUCKDB = " || ".join(f"chr({ord(c)})" for c in WHITE_SPACE)

# ---------------------------------------------------------------- spellings
# construct -> dialect -> template; {x}, {k}, {a}, {b}... are SQL expressions.
# Order matters: this is the README table's order.

SPELLINGS: dict[str, dict[str, str]] = {
    "double type": {
        "duckdb": "DOUBLE",
        "postgres": "DOUBLE PRECISION",
        "spark": "DOUBLE",
        "bigquery": "FLOAT64",
        "snowflake": "DOUBLE",
    },
    "integer type": {
        "duckdb": "BIGINT",
        "postgres": "BIGINT",
        "spark": "BIGINT",
        "bigquery": "INT64",
        "snowflake": "BIGINT",
    },
    "exact double literal": {
        "duckdb": "CAST('{v}' AS DOUBLE)",
        "postgres": "CAST('{v}' AS DOUBLE PRECISION)",
        "spark": "CAST('{v}' AS DOUBLE)",
        "bigquery": "CAST('{v}' AS FLOAT64)",
        "snowflake": "CAST('{v}' AS DOUBLE)",
    },
    "date literal": {d: "DATE '{v}'" for d in DIALECTS},
    "quoted identifier": {
        "duckdb": '"{v}"',
        "postgres": '"{v}"',
        "spark": "`{v}`",
        "bigquery": "`{v}`",
        "snowflake": '"{v}"',
    },
    "CTE": {d: "WITH {name} AS ({query}) SELECT ..." for d in DIALECTS},
    "byte-order text (sort key, comparison, min)": {
        "duckdb": "{x}",
        "postgres": '{x} COLLATE "C"',
        "spark": "{x}",
        "bigquery": "{x}",
        "snowflake": "{x}",
    },
    "row number, nulls last": {
        d: "ROW_NUMBER() OVER (ORDER BY {x} DESC NULLS LAST, {k} NULLS LAST)" for d in DIALECTS
    },
    "ordered string aggregation": {
        "duckdb": "string_agg({x}, '; ' ORDER BY {k} NULLS LAST)",
        "postgres": "string_agg({x}, '; ' ORDER BY {k} NULLS LAST)",
        "spark": (
            "NULLIF(array_join(transform(array_sort(collect_list(CASE WHEN {x} IS NOT NULL "
            "THEN struct({k} IS NULL AS n, {k} AS k, {x} AS x) END)), s -> s.x), '; '), '')"
        ),
        "bigquery": "STRING_AGG({x}, '; ' ORDER BY {k} NULLS LAST)",
        "snowflake": "LISTAGG({x}, '; ') WITHIN GROUP (ORDER BY {k} NULLS LAST)",
    },
    "first non-null value in row order": {
        "duckdb": "arg_min({x}, {k}) FILTER (WHERE {x} IS NOT NULL)",
        "postgres": "(array_agg({x} ORDER BY {k}) FILTER (WHERE {x} IS NOT NULL))[1]",
        "spark": "min_by({x}, {k}) FILTER (WHERE {x} IS NOT NULL)",
        "bigquery": "ARRAY_AGG({x} IGNORE NULLS ORDER BY {k} LIMIT 1)[SAFE_OFFSET(0)]",
        "snowflake": "MIN_BY({x}, CASE WHEN {x} IS NOT NULL THEN {k} END)",
    },
    "last non-null value in row order": {
        "duckdb": "arg_max({x}, {k}) FILTER (WHERE {x} IS NOT NULL)",
        "postgres": "(array_agg({x} ORDER BY {k} DESC) FILTER (WHERE {x} IS NOT NULL))[1]",
        "spark": "max_by({x}, {k}) FILTER (WHERE {x} IS NOT NULL)",
        "bigquery": "ARRAY_AGG({x} IGNORE NULLS ORDER BY {k} DESC LIMIT 1)[SAFE_OFFSET(0)]",
        "snowflake": "MAX_BY({x}, CASE WHEN {x} IS NOT NULL THEN {k} END)",
    },
    "floor of a double >= 0": {
        "duckdb": "FLOOR({a})",
        "postgres": "FLOOR({a})",
        "spark": "({a} - {a} % 1)",
        "bigquery": "FLOOR({a})",
        "snowflake": "FLOOR({a})",
    },
    "round half away from zero ({s} = 10^d as a double literal)": {
        d: (
            "(CASE WHEN {v} < 0 THEN 0 - ({r}) ELSE {r} END) / {s}, "
            "{r} = {floor(a)} + CASE WHEN {a} - {floor(a)} >= 0.5 THEN 1 ELSE 0 END, "
            "{a} = ABS({v}) * {s}"
        )
        for d in DIALECTS
    },
    "safe cast text to double": {
        "duckdb": "TRY_CAST({x} AS DOUBLE)",
        "postgres": (
            "CASE WHEN {x} ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' "
            "THEN CAST({x} AS DOUBLE PRECISION) END"
        ),
        "spark": "TRY_CAST({x} AS DOUBLE)",
        "bigquery": "SAFE_CAST({x} AS FLOAT64)",
        "snowflake": "TRY_CAST({x} AS DOUBLE)",
    },
    "regex literal (a dot, a backreference)": {
        "duckdb": "'\\.'  '\\1'",
        "postgres": "'\\.'  '\\1'",
        "spark": "r'\\.'  '$1'",
        "bigquery": "r'\\.'  r'\\1'",
        "snowflake": "'\\\\.'  '\\\\1'",
    },
    "regexp_replace, every match": {
        "duckdb": "regexp_replace({x}, {re}, {rep}, 'g')",
        "postgres": "regexp_replace({x}, {re}, {rep}, 'g')",
        "spark": "regexp_replace({x}, {re}, {rep})",
        "bigquery": "REGEXP_REPLACE({x}, {re}, {rep})",
        "snowflake": "REGEXP_REPLACE({x}, {re}, {rep})",
    },
    "regexp_replace, every match, ASCII case-insensitive": {
        "duckdb": "regexp_replace({x}, {re}, {rep}, 'gi')",
        "postgres": "regexp_replace({x}, {re}, {rep}, 'gi')",
        "spark": "regexp_replace({x}, '(?i)' || {re}, {rep})",
        "bigquery": "REGEXP_REPLACE({x}, '(?i)' || {re}, {rep})",
        "snowflake": "REGEXP_REPLACE(lower({x}), {re}, {rep})  (see notes)",
    },
    "days from date {a} to date {b}": {
        "duckdb": "date_diff('day', {a}, {b})",
        "postgres": "({b} - {a})",
        "spark": "datediff({b}, {a})",
        "bigquery": "DATE_DIFF({b}, {a}, DAY)",
        "snowflake": "DATEDIFF(day, {a}, {b})",
    },
    "lower-case": {d: "lower({x})" for d in DIALECTS},
    "trim Unicode white space": {
        "duckdb": "trim({x}, chr(9) || chr(10) || ... || chr(12288))",
        "postgres": "btrim({x}, E'\\u0009\\u000a ... \\u3000')",
        "spark": "trim(BOTH '\\u0009\\u000a ... \\u3000' FROM {x})",
        "bigquery": "TRIM({x}, '\\u0009\\u000a ... \\u3000')",
        "snowflake": "TRIM(CAST({x} AS VARCHAR), '\\u0009\\u000a ... \\u3000')",
    },
    "VALUES table in FROM ({rows} = (0, {f0}), (1, {f1}))": {
        "duckdb": "(VALUES {rows}) AS {t}(age, f)",
        "postgres": "(VALUES {rows}) AS {t}(age, f)",
        "spark": "VALUES {rows} AS {t}(age, f)",
        "bigquery": "UNNEST(ARRAY<STRUCT<age INT64, f FLOAT64>>[{rows}]) AS {t}",
        "snowflake": "(VALUES {rows}) AS {t}(age, f)",
    },
    "list text to rows (item, 1-based position)": {
        "duckdb": (
            "{from}, unnest(string_split(regexp_replace({x}, '[,|]', ';', 'g'), ';')) "
            "WITH ORDINALITY AS s(item, pos)"
        ),
        "postgres": "{from}, regexp_split_to_table({x}, '[;,|]') WITH ORDINALITY AS s(item, pos)",
        "spark": (
            "{from} LATERAL VIEW posexplode(split({x}, '[;,|]')) s AS pos0, item  (pos = pos0 + 1)"
        ),
        "bigquery": (
            "{from}, UNNEST(SPLIT(REGEXP_REPLACE({x}, r'[,|]', ';'), ';')) AS item "
            "WITH OFFSET AS pos0  (pos = pos0 + 1)"
        ),
        "snowflake": (
            "{from}, LATERAL FLATTEN(input => SPLIT(REGEXP_REPLACE({x}, '[,|]', ';'), ';')) AS s  "
            "(item = s.value::VARCHAR, pos = s.index + 1)"
        ),
    },
    "division, null when the divisor is 0": {d: "{a} / NULLIF({b}, 0)" for d in DIALECTS},
    "sum of integers as an integer": {
        "duckdb": "CAST(SUM({x}) AS BIGINT)",
        "postgres": "CAST(SUM({x}) AS BIGINT)",
        "spark": "CAST(SUM({x}) AS BIGINT)",
        "bigquery": "SUM({x})",
        "snowflake": "CAST(SUM({x}) AS BIGINT)",
    },
    "condition, null counts as false": {d: "COALESCE({cond}, FALSE)" for d in DIALECTS},
}


def spell(dialect: str, construct: str, **kw) -> str:
    return SPELLINGS[construct][dialect].format(**kw)


def spellings_table() -> str:
    """SPELLINGS as markdown: a table of the constructs whose spelling
    differs between dialects, then a list of those spelled alike."""

    def code(text: str) -> str:
        text = text.replace("|", "\\|")
        return f"`` {text} ``" if "`" in text else f"`{text}`"

    lines = [
        "| construct | " + " | ".join(DIALECTS) + " |",
        "|---|" + "---|" * len(DIALECTS),
    ]
    alike = []
    for construct, by_dialect in SPELLINGS.items():
        if len(set(by_dialect.values())) == 1:
            alike.append(f"- {construct}: {code(by_dialect[DIALECTS[0]])}")
        else:
            lines.append(
                f"| {construct} | " + " | ".join(code(by_dialect[d]) for d in DIALECTS) + " |"
            )
    return (
        "\n".join(lines)
        + "\n\nSpelled alike in all five dialects:\n\n"
        + "\n".join(alike)
        + "\n"
    )


# ---------------------------------------------------------------- SQL pieces
# Small helpers that turn SPELLINGS into the SQL each case runs.


def dbl(d: str) -> str:
    return spell(d, "double type")


def lit(d: str, v: float) -> str:
    return spell(d, "exact double literal", v=repr(v))


def text_key(d: str, x: str) -> str:
    return spell(d, "byte-order text (sort key, comparison, min)", x=x)


def floor_pos(d: str, a: str) -> str:
    return spell(d, "floor of a double >= 0", a=a)


def round_half_away(d: str, v: str, decimals: int) -> str:
    s = lit(d, 10.0**decimals)
    a = f"(ABS({v}) * {s})"
    f = floor_pos(d, a)
    r = f"{f} + CASE WHEN {a} - {f} >= 0.5 THEN 1 ELSE 0 END"
    return f"CAST((CASE WHEN {v} < 0 THEN 0 - ({r}) ELSE {r} END) / {s} AS {dbl(d)})"


def regex_literal(d: str, pattern: str) -> str:
    """A regex as a string literal, backslashes as the dialect reads them."""
    if d in ("duckdb", "postgres"):
        return "'" + pattern.replace("'", "''") + "'"
    if d in ("spark", "bigquery"):
        assert "'" not in pattern
        return "r'" + pattern + "'"
    return "'" + pattern.replace("\\", "\\\\").replace("'", "\\'") + "'"


def backreference(d: str, n: int) -> str:
    if d == "spark":
        return f"${n}"
    return f"\\{n}"


def replacement_literal(d: str, text: str) -> str:
    if d == "bigquery":
        return "r'" + text + "'"
    if d == "snowflake":
        return "'" + text.replace("\\", "\\\\") + "'"
    return "'" + text + "'"


def ws_set(d: str) -> str:
    if d == "duckdb":
        return WS_DUCKDB
    if d == "postgres":
        return "E'" + WS_ESCAPED + "'"
    return "'" + WS_ESCAPED + "'"


def trim_ws(d: str, x: str) -> str:
    if d == "duckdb":
        return f"trim({x}, {ws_set(d)})"
    if d == "postgres":
        return f"btrim({x}, {ws_set(d)})"
    if d == "spark":
        return f"trim(BOTH {ws_set(d)} FROM {x})"
    if d == "snowflake":
        return f"TRIM(CAST({x} AS VARCHAR), {ws_set(d)})"
    return f"TRIM({x}, {ws_set(d)})"
