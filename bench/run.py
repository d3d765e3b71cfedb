#!/usr/bin/env python3
"""Benchmark `tal` against the same job done by hand in DuckDB SQL.

    python3 bench/run.py [--sizes 100000,1000000] [--runs 5] [--work DIR]

Steps:
  1. a Python venv with numpy, polars and duckdb-cli (in WORK/venv);
  2. `cargo build --release`;
  3. a deterministic project per size with ../shared/bench/gen.py;
  4. correctness first: at the smallest size, tal's TAL must equal the
     DuckDB reference (../shared/bench/reference.sql) row by row, or nothing
     is timed;
  5. per size, RUNS rounds (each job once per round) of `tal score --all`, `tal score` (the TAL
     only, which is what the reference writes), `tal build` and the DuckDB
     reference, with wall time and peak memory from /usr/bin/time, plus the
     floor: reading the input bytes (cat) and counting rows (wc -l).
Results: a markdown table on stdout and in WORK/results.md.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("TAL_BENCH_SHARED", os.path.join(os.path.dirname(ROOT), "shared", "bench"))
AS_OF = "2026-11-20"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def venv(work):
    python = os.path.join(work, "venv", "bin", "python")
    if not os.path.exists(os.path.join(work, "venv", "bin", "duckdb")):
        sh([sys.executable, "-m", "venv", os.path.join(work, "venv")])
        sh([python, "-m", "pip", "install", "--quiet", "numpy", "polars", "duckdb-cli"])
    return python


def build_tal():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    sh(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    return os.path.join(target, "release", "tal")


def generate(python, work, n):
    out = os.path.join(work, f"d{n}")
    if not os.path.exists(os.path.join(out, "tal.toml")):
        sh([python, os.path.join(SHARED, "gen.py"), "--accounts", str(n), "--out", out])
    return out


def timed(cmd, env=None):
    """(wall seconds, peak KiB) of one run, via GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        sh(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd, stdout=subprocess.DEVNULL,
           stderr=subprocess.DEVNULL, env=env)
        wall, rss = t.read().split()[-2:]
        return float(wall), int(rss)


def check_correct(tal, python, work, data):
    ref = os.path.join(work, "ref.csv")
    mine = os.path.join(work, "tal.csv")
    env = dict(os.environ, DUCKDB=os.path.join(work, "venv", "bin", "duckdb"))
    sh([os.path.join(SHARED, "reference.sh"), data, AS_OF, ref], env=env)
    sh([tal, "score", "--quiet", "--spec", os.path.join(data, "tal.toml"), "--as-of", AS_OF, "-o", mine])
    result = subprocess.run([python, os.path.join(SHARED, "compare.py"), mine, ref], capture_output=True, text=True)
    print(result.stdout.strip().splitlines()[-1])
    if result.returncode != 0:
        print(result.stdout)
        sys.exit("tal and the DuckDB reference disagree: nothing timed")


def has_build(tal):
    return subprocess.run([tal, "build", "--help"], capture_output=True).returncode == 0


def jobs(tal, work, data):
    spec = os.path.join(data, "tal.toml")
    duck_env = dict(os.environ, DUCKDB=os.path.join(work, "venv", "bin", "duckdb"))
    csvs = sorted(os.path.join(data, f) for f in os.listdir(data) if f.endswith(".csv"))
    out = [
        ("tal score --all", [tal, "score", "--all", "--quiet", "--spec", spec, "--as-of", AS_OF, "-o", os.devnull], None),
        # The TAL alone is what reference.sql writes.
        ("tal score", [tal, "score", "--quiet", "--spec", spec, "--as-of", AS_OF, "-o", os.devnull], None),
        ("duckdb reference.sql", [os.path.join(SHARED, "reference.sh"), data, AS_OF, os.path.join(work, "ref-timed.csv")], duck_env),
        ("floor: cat inputs", ["sh", "-c", 'cat "$@" > /dev/null', "cat"] + csvs, None),
        ("floor: wc -l inputs", ["wc", "-l"] + csvs, None),
    ]
    if has_build(tal):
        build_dir = os.path.join(work, "build-out")
        out.insert(1, ("tal build", [tal, "build", "--quiet", "--spec", spec, "--as-of", AS_OF, "--out-dir", build_dir], None))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "work"))
    ap.add_argument("--tal", help="a tal binary (default: cargo build --release)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    python = venv(a.work)
    tal = a.tal or build_tal()
    sizes = [int(s) for s in a.sizes.split(",")]
    data = {n: generate(python, a.work, n) for n in sizes}
    check_correct(tal, python, a.work, data[min(sizes)])

    lines = ["| accounts | job | median wall (s) | runs | peak memory (MiB) |", "| ---: | --- | ---: | --- | ---: |"]
    medians = {}
    for n in sizes:
        todo = jobs(tal, a.work, data[n])
        # Round-robin: every job runs once per round, so a noisy moment on
        # the machine slows all of them alike rather than one job's runs.
        rounds = [[timed(cmd, env) for _, cmd, env in todo] for _ in range(a.runs)]
        for k, (name, _, _) in enumerate(todo):
            runs = [r[k] for r in rounds]
            walls = [w for w, _ in runs]
            median = statistics.median(walls)
            medians[(n, name)] = median
            peak = max(r for _, r in runs) / 1024
            lines.append(f"| {n:,} | {name} | {median:.2f} | {' '.join(f'{w:.2f}' for w in walls)} | {peak:,.0f} |")
            print(lines[-1], flush=True)
    lines.append("")
    for n in sizes:
        duck_t = medians[(n, "duckdb reference.sql")]
        all_t, tal_t = medians[(n, "tal score --all")], medians[(n, "tal score")]
        lines.append(f"- {n:,} accounts: tal score --all / DuckDB = {all_t / duck_t:.2f}; tal score / DuckDB = {tal_t / duck_t:.2f}")
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        growth = medians[(large, "tal score --all")] / medians[(small, "tal score --all")]
        lines.append(f"- growth {small:,} -> {large:,} accounts: {growth:.1f}x the time")
    report = "\n".join(lines)
    print("\n" + report)
    with open(os.path.join(a.work, "results.md"), "w") as f:
        f.write(report + "\n")
    if os.path.exists(os.path.join(a.work, "build-out")):
        shutil.rmtree(os.path.join(a.work, "build-out"), ignore_errors=True)


if __name__ == "__main__":
    main()
