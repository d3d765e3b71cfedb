#!/usr/bin/env python3
"""Prove that every engine of tests/sql/engines.py runs what tal's SQL needs.

    python3 tests/sql/selftest.py [ENGINE ...]   # default: all six
    python3 tests/sql/selftest.py --table        # print the spellings table

Writes the small Parquet tables of cases.py with pyarrow (text with
non-ASCII letters and Unicode white space, nulls, doubles, dates, bools, a
column whose name needs quoting), then runs, on each engine through
engines.py's batch mode, one query per construct that tal's queries use and
where the dialects differ: CTEs, windows with NULLS LAST, byte-order text,
ordered string aggregation, first and last non-null value in row order,
half-away-from-zero rounding, safe casts, regexp_replace, date differences,
lower(), trimming, VALUES tables, list splitting, quoting, integer typing
and division by zero.

Each query is built from spellings.SPELLINGS: what the Rust `Dialect` trait
emits, per dialect. tests/sql/README.md shows the same table (`--table`
prints it) and this script fails when the two differ. Expected rows are
computed in cases.py from the same data by tal's rules (byte order, half
away from zero as Rust's f64::round, Unicode lower-casing), except where an
engine is known to differ: cases.ENGINE_DIFFERENCES, asserted too, and
shown in the README.

The batch for each engine also switches table folders (tables are reloaded
and the old ones dropped) and holds one broken query, which must fail with
the engine's message and the SQL file's line while the others succeed.

The last line is `selftest: N passed, N failed`; the exit code is 0 only
when nothing failed.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cases import ACC, ENGINES, Case, cases, differences_table, fmt, write_tables
from spellings import spellings_table

HERE = Path(__file__).resolve().parent
DIALECT = {
    "duckdb": "duckdb",
    "postgres": "postgres",
    "postgres-icu": "postgres",
    "spark": "spark",
    "bigquery": "bigquery",
    "snowflake": "snowflake",
}


def markdown_table() -> str:
    """What tests/sql/README.md must hold: the spellings, then where the
    engines differ."""
    return spellings_table() + "\n" + differences_table()


# ---------------------------------------------------------------- running


def same(expected: str, got: str) -> bool:
    if expected == got:
        return True
    try:
        return math.isnan(float(expected)) and math.isnan(float(got))
    except ValueError:
        return False


def check(case: Case, engine: str, out: Path, sql: str) -> list[str]:
    """Differences between an engine's CSV and the expected rows."""
    if not out.exists():
        return ["no output (the query failed: see above)"]
    with open(out, encoding="utf-8", newline="") as f:
        got = list(csv.reader(f))
    header = case.header(engine) if callable(case.header) else list(case.header)
    want = [[fmt(v) for v in row] for row in case.expect(engine)]
    problems = []
    got_header = got[0] if got else []
    if engine == "snowflake":
        # Snowflake stores unquoted names upper-case; a quoted alias keeps its case.
        header = [h if h in ("Deal size",) else h.upper() for h in header]
    if got_header != header:
        problems.append(f"header {got_header} != {header}")
    body = got[1:]
    if len(body) != len(want):
        problems.append(f"{len(body)} rows != {len(want)} expected")
    for i, (g, w) in enumerate(zip(body, want)):
        if len(g) != len(w) or not all(same(a, b) for a, b in zip(w, g)):
            problems.append(f"row {i + 1}: got {g} want {w}")
    return problems


def run_engine(engine: str, main: Path, other: Path, work: Path) -> tuple[int, int, list[str]]:
    d = DIALECT[engine]
    folder = work / engine
    folder.mkdir()
    jobs, planned = [], []
    all_cases = cases()
    for case in all_cases:
        sql = case.sql(d)
        f = folder / f"{case.name}.sql"
        f.write_text(sql + "\n", encoding="utf-8")
        out = folder / f"{case.name}.csv"
        jobs.append({"tables": str(main), "sql": str(f), "out": str(out)})
        planned.append((case, out, sql))
    # Switching folders: other's acc has one row and no num table.
    count = folder / "count.sql"
    count.write_text("SELECT COUNT(*) AS n FROM acc\n", encoding="utf-8")
    jobs.append({"tables": str(other), "sql": str(count), "out": str(folder / "count-other.csv")})
    # A broken query: its error must name the file and line 2 (col 3).
    broken = folder / "broken.sql"
    broken.write_text("SELECT domain,\n  no_such_column\nFROM acc\n", encoding="utf-8")
    jobs.append({"tables": str(main), "sql": str(broken), "out": str(folder / "broken.csv")})
    jobs.append({"tables": str(main), "sql": str(count), "out": str(folder / "count-main.csv")})
    batch = folder / "jobs.json"
    batch.write_text(json.dumps(jobs, indent=1), encoding="utf-8")

    t0 = time.monotonic()
    env = dict(os.environ, TAL_SQL_TIMING="1")
    res = subprocess.run(
        [sys.executable, str(HERE / "engines.py"), engine, "--batch", str(batch)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    took = time.monotonic() - t0
    stderr = res.stderr
    passed, failed, notes = 0, 0, []

    def record(name: str, problems: list[str]):
        nonlocal passed, failed
        if problems:
            failed += 1
            notes.append(f"FAIL {engine} {name}:\n    " + "\n    ".join(problems))
        else:
            passed += 1

    for case, out, sql in planned:
        record(case.name, check(case, engine, out, sql))

    def count_of(p: Path):
        if not p.exists():
            return None
        with open(p, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        return rows[1][0] if len(rows) == 2 else rows

    counts = (count_of(folder / "count-other.csv"), count_of(folder / "count-main.csv"))
    want_counts = ("1", str(len(ACC)))
    record("reload", [] if counts == want_counts else [f"row counts {counts} != {want_counts}"])
    problems = []
    if res.returncode != 1:
        problems.append(f"exit code {res.returncode}, expected 1 (one broken query)")
    if (folder / "broken.csv").exists():
        problems.append("broken.csv was written")
    if f"{broken} failed" not in stderr:
        problems.append("stderr does not name broken.sql")
    if "no_such_column" not in stderr.lower():
        problems.append("stderr does not carry the engine's message")
    if engine != "snowflake" and f"{broken}:2" not in stderr:
        # fakesnow reports positions in its DuckDB translation, not in the file.
        problems.append("stderr does not point at line 2")
    record("error", problems)
    timing = re.search(r"start ([\d.]+)s", stderr)
    unexpected = [
        line
        for line in stderr.splitlines()
        if "broken.sql" not in line and line.startswith("engines.py:") and "jobs, total" not in line
    ]
    if unexpected or failed:
        notes.append(f"--- {engine} stderr:\n{stderr}")
    notes.append(
        f"{engine}: {passed} passed, {failed} failed in {took:.1f}s "
        f"(engine start {timing.group(1) if timing else '?'}s)"
    )
    return passed, failed, notes


def check_readme() -> list[str]:
    path = HERE / "README.md"
    readme = path.read_text(encoding="utf-8") if path.exists() else ""
    if markdown_table() not in readme:
        return [
            "tests/sql/README.md's spellings table differs from SPELLINGS "
            "(python3 tests/sql/selftest.py --table prints it)"
        ]
    return []


def main(argv: list[str]) -> int:
    if argv == ["--table"]:
        sys.stdout.write(markdown_table())
        return 0
    engines = argv or list(ENGINES)
    for e in engines:
        if e not in ENGINES:
            print(f"selftest: unknown engine {e!r}; one of {', '.join(ENGINES)}", file=sys.stderr)
            return 2
    passed = failed = 0
    readme = check_readme()
    if readme:
        failed += 1
        print("FAIL " + readme[0])
    else:
        passed += 1
    with tempfile.TemporaryDirectory(prefix="tal-sql-selftest-") as tmp:
        work = Path(tmp)
        main_dir, other_dir = write_tables(work / "tables")
        for engine in engines:
            p, f, notes = run_engine(engine, main_dir, other_dir, work)
            passed += p
            failed += f
            for n in notes:
                print(n, flush=True)
    print(f"selftest: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
