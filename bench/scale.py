#!/usr/bin/env python3
"""The warehouse path at scale: `tal export --parquet`, then `tal sql` in
DuckDB and in Spark local[2], beside `tal score`, on one generated project.

    python3 bench/scale.py --data DIR [--tal BINARY] [--work DIR] [--runs 3]

DIR is a project of ../shared/bench/gen.py (bench/run.py leaves them in
bench/work/dN). Needs the duckdb and pyspark Python packages
(tests/sql/requirements.txt) and a Java runtime for Spark.

Steps, each timed with wall clock (median of RUNS where it is cheap):
  1. `tal score` (the TAL) and `tal score --all`;
  2. `tal export --parquet`: time and the size of the files;
  3. DuckDB: the files loaded into a database file as tables named after
     them (timed apart), then the `tal sql --dialect duckdb` query, TAL and
     --all, run to the last row; the TAL is checked against `tal score`'s,
     row by row (rank, domain, tier);
  4. Spark local[2] (driver memory --spark-memory): the files as views,
     the `tal sql --dialect spark` query planned (timed apart) and run to
     the last row (the TAL collected, --all written to Spark's `noop`
     sink), the TAL checked the same way.
Results: a markdown table on stdout and in WORK/scale.md.
"""
import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AS_OF = "2026-11-20"

SPARK = r"""
import sys, time, glob, os, json
from pyspark.sql import SparkSession
wh, tal_sql, all_sql, memory = sys.argv[1:5]
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
         .config("spark.driver.memory", memory).config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
for f in sorted(glob.glob(os.path.join(wh, "*.parquet"))):
    spark.read.parquet(f).createOrReplaceTempView(os.path.basename(f)[:-len(".parquet")])
out = {}
t = time.time(); df = spark.sql(open(tal_sql).read()); df._jdf.queryExecution().executedPlan()
out["tal_plan"] = time.time() - t
t = time.time(); rows = df.select("rank", "domain", "tier").collect(); out["tal_run"] = time.time() - t
out["tal_rows"] = [[r[0], r[1], r[2]] for r in rows]
t = time.time(); df = spark.sql(open(all_sql).read()); df._jdf.queryExecution().executedPlan()
out["all_plan"] = time.time() - t
t = time.time(); df.write.format("noop").mode("overwrite").save(); out["all_run"] = time.time() - t
print("RESULT " + json.dumps(out))
"""


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def clock(fn):
    t = time.time()
    value = fn()
    return time.time() - t, value


def build_tal():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    sh(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    return os.path.join(target, "release", "tal")


def tal_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [(int(r["rank"]), r["domain"], r["tier"]) for r in csv.DictReader(f)]


def same(name, got, want):
    got = [(int(r), d, t) for r, d, t in got]
    if got != want:
        sys.exit(f"{name}: the query's TAL differs from tal score's ({len(got)} rows against {len(want)})")
    print(f"{name}: the same {len(want):,} TAL rows as tal score", file=sys.stderr)


def du(path):
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--tal")
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "work", "scale"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--spark-memory", default="8g")
    a = ap.parse_args()
    import duckdb

    tal = a.tal or build_tal()
    os.makedirs(a.work, exist_ok=True)
    spec = os.path.join(a.data, "tal.toml")
    common = ["--quiet", "--spec", spec, "--as-of", AS_OF]
    inputs = sum(os.path.getsize(os.path.join(a.data, f)) for f in os.listdir(a.data) if f.endswith(".csv"))
    tal_csv = os.path.join(a.work, "tal.csv")
    lines = ["| step | wall (s) | notes |", "| --- | ---: | --- |"]

    def row(step, seconds, notes=""):
        lines.append(f"| {step} | {seconds:.2f} | {notes} |")
        print(lines[-1], file=sys.stderr, flush=True)

    runs = [clock(lambda: sh([tal, "score"] + common + ["-o", tal_csv]))[0] for _ in range(a.runs)]
    row("`tal score` (the TAL)", statistics.median(runs), f"{inputs / 1e6:,.0f} MB of csv in")
    runs = [clock(lambda: sh([tal, "score", "--all"] + common + ["-o", os.devnull]))[0] for _ in range(a.runs)]
    row("`tal score --all`", statistics.median(runs))
    want = tal_rows(tal_csv)

    wh = os.path.join(a.work, "wh")
    shutil.rmtree(wh, ignore_errors=True)
    seconds, _ = clock(lambda: sh([tal, "export"] + common + ["--parquet", wh]))
    row("`tal export --parquet`", seconds, f"{du(wh) / 1e6:,.0f} MB of Parquet ({len(os.listdir(wh))} files)")

    queries = {}
    for dialect in ["duckdb", "spark"]:
        for scope, extra in [("tal", []), ("all", ["--all"])]:
            path = os.path.join(a.work, f"{dialect}-{scope}.sql")
            sh([tal, "sql", "--dialect", dialect] + extra + common[1:] + ["-o", path])
            queries[(dialect, scope)] = path

    db = os.path.join(a.work, "tal.duckdb")
    if os.path.exists(db):
        os.remove(db)
    con = duckdb.connect(db)
    files = sorted(f for f in os.listdir(wh) if f.endswith(".parquet"))
    seconds, _ = clock(lambda: [con.execute(
        f"CREATE TABLE \"{f[:-8]}\" AS SELECT * FROM read_parquet('{os.path.join(wh, f)}')") for f in files])
    row("DuckDB: load the Parquet files as tables", seconds, f"{duckdb.__version__}, {os.cpu_count()} threads")
    tal_query = open(queries[("duckdb", "tal")]).read()
    all_query = open(queries[("duckdb", "all")]).read()
    runs = []
    for _ in range(a.runs):
        seconds, got = clock(lambda: con.execute(tal_query).fetchall())
        runs.append(seconds)
    same("DuckDB", [(r[0], r[6], r[1]) for r in got], want)
    row("DuckDB: `tal sql` query, the TAL", statistics.median(runs), f"{len(got):,} rows")
    runs = []
    for _ in range(a.runs):
        seconds, count = clock(lambda: con.execute(f"SELECT count(*) FROM ({all_query.rstrip().rstrip(';')})").fetchone())
        runs.append(seconds)
    row("DuckDB: `tal sql --all` query", statistics.median(runs), f"{count[0]:,} rows, counted")
    con.close()

    script = os.path.join(a.work, "spark_run.py")
    with open(script, "w") as f:
        f.write(SPARK)
    seconds, result = clock(lambda: subprocess.run(
        [sys.executable, script, wh, queries[("spark", "tal")], queries[("spark", "all")], a.spark_memory],
        check=True, capture_output=True, text=True))
    import json
    out = json.loads(next(l for l in result.stdout.splitlines() if l.startswith("RESULT "))[7:])
    same("Spark", out["tal_rows"], want)
    row("Spark local[2]: `tal sql` query, the TAL: plan / run", out["tal_plan"] + out["tal_run"],
        f"{out['tal_plan']:.1f} s planning, {out['tal_run']:.1f} s running; driver memory {a.spark_memory}")
    row("Spark local[2]: `tal sql --all` query: plan / run", out["all_plan"] + out["all_run"],
        f"{out['all_plan']:.1f} s planning, {out['all_run']:.1f} s running (noop sink)")
    row("Spark: the whole script", seconds, "JVM start, views, both queries")

    report = "\n".join(lines)
    print(report)
    with open(os.path.join(a.work, "scale.md"), "w") as f:
        f.write(report + "\n")


if __name__ == "__main__":
    main()
