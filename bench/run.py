#!/usr/bin/env python3
"""Benchmark `tal` against the same job done by hand in DuckDB SQL.

    python3 bench/run.py [--sizes 100000,1000000] [--runs 5] [--big 5000000]
                         [--huge 10000000] [--baseline OLD_TAL] [--work DIR]

Steps:
  1. a Python venv with numpy, polars and duckdb-cli (in WORK/venv);
  2. `cargo build --release` (or --tal BINARY);
  3. a deterministic project per size with ../shared/bench/gen.py;
  4. correctness first: at the smallest size, tal's TAL must equal the
     DuckDB reference (../shared/bench/reference.sql) row by row, or nothing
     is timed;
  5. per size, RUNS rounds, each running every job once in the same order
     (A B C A B C: a noisy moment on the shared machine slows one round of
     every job, not every run of one job): the DuckDB reference, `tal score`
     (the TAL, which is what the reference writes), `tal score --all`,
     `tal build`, the same build with transparent huge pages allowed, the floor (DuckDB
     counting the input rows, `cat` reading their bytes), and with
     --baseline the same tal jobs by an older binary. Wall, user and system
     time and peak memory come from GNU time;
  6. the stage profile: `TAL_TIMINGS=1 tal build` (and `tal score --all`)
     at the largest size, median of three, stage by stage;
  7. --big N: `tal build` at N accounts against the largest size,
     alternating, three rounds (is the build linear?); --huge N: one
     `tal score` at N accounts (does it fit?).
Results: markdown tables on stdout and in WORK/results.md, with each target
of bench/README.md and whether this run met it.
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
GIB = 1024 * 1024  # KiB per GiB
# The environment variable mimalloc reads for transparent huge pages: tal
# turns them off for its process unless it is set (src/memory.rs), and one
# job sets it to 1, mimalloc's default, to measure what that choice changes.
HUGE_PAGES = "MIMALLOC_ALLOW_THP"


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


class Run:
    """One timed run: wall, user and system seconds, peak KiB."""

    def __init__(self, wall, user, system, rss):
        self.wall, self.user, self.system, self.rss = wall, user, system, rss

    @property
    def sys_share(self):
        cpu = self.user + self.system
        return self.system / cpu if cpu else 0.0


def timed(cmd, env=None, stderr=subprocess.DEVNULL):
    """One run of `cmd` under GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        sh(["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name] + cmd,
           stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        wall, user, system, rss = t.read().split()[-4:]
        return Run(float(wall), float(user), float(system), int(rss))


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


def tal_jobs(label, tal, work, data):
    """The tal jobs, named with `label` (empty for the binary under test)."""
    spec = os.path.join(data, "tal.toml")
    common = ["--quiet", "--spec", spec, "--as-of", AS_OF]
    build_dir = os.path.join(work, f"build-out{label.replace(' ', '-')}")
    huge = dict(os.environ, **{HUGE_PAGES: "1"})
    prefix = f"{label} " if label else ""
    jobs = [
        (f"{prefix}tal score", [tal, "score"] + common + ["-o", os.devnull], None),
        (f"{prefix}tal score --all", [tal, "score", "--all"] + common + ["-o", os.devnull], None),
        (f"{prefix}tal build", [tal, "build"] + common + ["--out-dir", build_dir], None),
    ]
    if not label:
        jobs.append(("tal build, huge pages on", [tal, "build"] + common + ["--out-dir", build_dir + "-huge"], huge))
    return jobs


def jobs(tal, baseline, work, data):
    duckdb = os.path.join(work, "venv", "bin", "duckdb")
    duck_env = dict(os.environ, DUCKDB=duckdb)
    csvs = sorted(os.path.join(data, f) for f in os.listdir(data) if f.endswith(".csv"))
    counts = " + ".join(f"(SELECT count(*) FROM read_csv('{f}', header = true, all_varchar = true))" for f in csvs)
    out = [("duckdb reference.sql", [os.path.join(SHARED, "reference.sh"), data, AS_OF, os.path.join(work, "ref-timed.csv")], duck_env)]
    out += tal_jobs("", tal, work, data)
    if baseline:
        out += tal_jobs("baseline", baseline, work, data)
    out += [
        ("floor: duckdb count(*) of the inputs", [duckdb, "-c", f"SELECT {counts}"], None),
        ("floor: cat the inputs", ["sh", "-c", 'cat "$@" > /dev/null', "cat"] + csvs, None),
    ]
    return out


def gib(kib):
    return f"{kib / GIB:.2f}"


def rounds_of(todo, runs):
    """RUNS rounds of every job, in order; per job, its runs."""
    rounds = []
    for r in range(runs):
        rounds.append([timed(cmd, env) for _, cmd, env in todo])
        print(f"  round {r + 1}/{runs} done", file=sys.stderr, flush=True)
    return {name: [rnd[k] for rnd in rounds] for k, (name, _, _) in enumerate(todo)}


def median(runs, attr):
    return statistics.median(getattr(r, attr) for r in runs)


def job_table(results):
    lines = [
        "| accounts | job | median wall (s) | user (s) | sys (s) | sys / CPU | peak RSS (GiB) | runs, wall (s) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for (n, name), runs in results.items():
        user, system = median(runs, "user"), median(runs, "system")
        share = system / (user + system) if user + system else 0
        lines.append(
            f"| {n:,} | {name} | {median(runs, 'wall'):.2f} | {user:.2f} | {system:.2f} | {share:.0%} "
            f"| {gib(max(r.rss for r in runs))} | {' '.join(f'{r.wall:.2f}' for r in runs)} |")
    return lines


def paired(results, n, a, b):
    """Median of a/b over the rounds, and the range: each round's pair ran
    minutes apart at most."""
    ratios = [x.wall / y.wall for x, y in zip(results[(n, a)], results[(n, b)])]
    return statistics.median(ratios), min(ratios), max(ratios)


def profile(tal, data, work, command, runs=3):
    """Median wall, user and system seconds per stage of TAL_TIMINGS=1."""
    spec = os.path.join(data, "tal.toml")
    common = ["--quiet", "--spec", spec, "--as-of", AS_OF]
    cmd = {
        "build": [tal, "build"] + common + ["--out-dir", os.path.join(work, "build-profile")],
        "score --all": [tal, "score", "--all"] + common + ["-o", os.devnull],
    }[command]
    stages = {}
    for _ in range(runs):
        result = subprocess.run(cmd, env=dict(os.environ, TAL_TIMINGS="1"), capture_output=True, text=True, check=True)
        rows = [line.split("\t") for line in result.stderr.splitlines()]
        for row in rows[1:]:
            # stage, wall, user, sys (and, from this round on, page faults)
            if len(row) >= 4 and row[0]:
                stages.setdefault(row[0], []).append([float(x) for x in row[1:4]])
    return {name: [statistics.median(t[k] for t in times) for k in range(3)] for name, times in stages.items()}


def profile_table(title, stages, before=None):
    head = f"| {title} stage | wall (s) | user (s) | sys (s) |"
    rule = "| --- | ---: | ---: | ---: |"
    if before:
        head += " wall before (s) |"
        rule += " ---: |"
    lines = [head, rule]
    for name, (wall, user, system) in stages.items():
        line = f"| {name} | {wall:.2f} | {user:.2f} | {system:.2f} |"
        if before:
            line += f" {before[name][0]:.2f} |" if name in before else " |"
        lines.append(line)
    return lines


def target(lines, what, measured, met):
    lines.append(f"| {what} | {measured} | {'yes' if met else 'no'} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--big", type=int, default=5_000_000, help="tal build at this size against the largest of --sizes (0: skip)")
    ap.add_argument("--huge", type=int, default=10_000_000, help="one tal score at this size (0: skip)")
    ap.add_argument("--baseline", help="an older tal binary, timed in the same rounds")
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "work"))
    ap.add_argument("--tal", help="a tal binary (default: cargo build --release)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    python = venv(a.work)
    tal = a.tal or build_tal()
    sizes = [int(s) for s in a.sizes.split(",")]
    data = {n: generate(python, a.work, n) for n in sizes}
    check_correct(tal, python, a.work, data[min(sizes)])
    large = max(sizes)

    results = {}
    for n in sizes:
        print(f"{n:,} accounts", file=sys.stderr, flush=True)
        for name, runs in rounds_of(jobs(tal, a.baseline, a.work, data[n]), a.runs).items():
            results[(n, name)] = runs
    lines = job_table(results)
    lines.append("")

    ratios = {}
    for n in sizes:
        for a_job, b_job in [("tal score", "duckdb reference.sql"), ("tal build", "tal score --all"),
                             ("tal build, huge pages on", "tal build")] + \
                            ([("tal score --all", "baseline tal score --all"), ("tal build", "baseline tal build"),
                              ("tal score", "baseline tal score")] if a.baseline else []):
            ratios[(n, a_job, b_job)] = paired(results, n, a_job, b_job)
            m, lo, hi = ratios[(n, a_job, b_job)]
            lines.append(f"- {n:,} accounts: {a_job} / {b_job} = {m:.2f} (rounds: {lo:.2f}–{hi:.2f})")
    lines.append("")

    print("stage profile", file=sys.stderr, flush=True)
    before = {c: profile(a.baseline, data[large], a.work, c) for c in ["build", "score --all"]} if a.baseline else {}
    for command in ["build", "score --all"]:
        stages = profile(tal, data[large], a.work, command)
        lines += profile_table(f"{large:,} `tal {command}`", stages, before.get(command))
        lines.append("")

    big = None
    if a.big:
        print(f"{a.big:,} accounts", file=sys.stderr, flush=True)
        big_data = generate(python, a.work, a.big)
        todo = [(f"tal build {large:,}", tal_jobs("", tal, a.work, data[large])[2][1], None),
                (f"tal build {a.big:,}", tal_jobs("", tal, a.work, big_data)[2][1], None)]
        big = rounds_of(todo, 3)
        for name, runs in big.items():
            lines.append(f"- {name}: median {median(runs, 'wall'):.2f} s (user {median(runs, 'user'):.2f}, sys "
                         f"{median(runs, 'system'):.2f}), peak {gib(max(r.rss for r in runs))} GiB")
    huge = None
    if a.huge:
        print(f"{a.huge:,} accounts", file=sys.stderr, flush=True)
        huge_data = generate(python, a.work, a.huge)
        huge = timed(tal_jobs("", tal, a.work, huge_data)[0][1])
        size = sum(os.path.getsize(os.path.join(huge_data, f)) for f in os.listdir(huge_data) if f.endswith(".csv"))
        lines.append(f"- tal score {a.huge:,} ({size / 1e9:.1f} GB of csv): {huge.wall:.1f} s (user {huge.user:.1f}, "
                     f"sys {huge.system:.1f}), peak {gib(huge.rss)} GiB")
    lines.append("")

    lines += ["| target | measured | met |", "| --- | --- | --- |"]
    score_duck = ratios[(large, "tal score", "duckdb reference.sql")][0]
    target(lines, f"{large:,} `tal score` ≤ 0.5 × DuckDB reference.sql", f"{score_duck:.2f} ×", score_duck <= 0.5)
    build_all = ratios[(large, "tal build", "tal score --all")][0]
    target(lines, f"{large:,} `tal build` ≤ 1.5 × `tal score --all`", f"{build_all:.2f} ×", build_all <= 1.5)
    build_rss = max(r.rss for r in results[(large, "tal build")])
    target(lines, f"{large:,} `tal build` peak RSS ≤ 1.5 GiB", f"{gib(build_rss)} GiB", build_rss <= 1.5 * GIB)
    for job in ["tal score", "tal score --all", "tal build"]:
        share = max(r.sys_share for r in results[(large, job)])
        target(lines, f"{large:,} `{job}`: sys ≤ 20% of CPU", f"{share:.0%} (worst run)", share <= 0.2)
    if big:
        small_b, big_b = (median(runs, "wall") for runs in big.values())
        big_rss = max(r.rss for r in list(big.values())[1])
        target(lines, f"{a.big:,} `tal build` ≤ 5.5 × the {large:,} build", f"{big_b / small_b:.2f} ×", big_b / small_b <= 5.5)
        target(lines, f"{a.big:,} `tal build` within 8 GiB", f"{gib(big_rss)} GiB", big_rss <= 8 * GIB)
    if huge:
        target(lines, f"{a.huge:,} `tal score` within 14 GiB", f"{gib(huge.rss)} GiB", huge.rss <= 14 * GIB)

    report = "\n".join(lines)
    print("\n" + report)
    with open(os.path.join(a.work, "results.md"), "w") as f:
        f.write(report + "\n")
    for entry in os.listdir(a.work):
        if entry.startswith("build-"):
            shutil.rmtree(os.path.join(a.work, entry), ignore_errors=True)


if __name__ == "__main__":
    main()
