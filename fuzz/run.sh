#!/usr/bin/env bash
# Builds the fuzz targets with `cargo afl` and fuzzes each for a bounded
# time from its seed corpus; fails (exit 1) when a run found a crash or a
# hang, printing the reproducing inputs. Also replays fuzz/regressions/.
#
#   bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 25 (CI: four targets, under two minutes
# of fuzzing). Targets: read_csv values spec expr (default: all).
#
# Environment:
#   FUZZ_JOBS=2        fuzz two targets at a time (default 1)
#   FUZZ_OUT=DIR       AFL's output folders (default fuzz/out, not in git;
#                      each run starts afresh unless FUZZ_RESUME=1)
#   FUZZ_TARGET_DIR    the instrumented build (default
#                      ~/.cache/tal-target-fuzz: not CARGO_TARGET_DIR, whose
#                      normal build would be rebuilt with AFL's flags)
#
# Runs as root in a fresh container: installs cargo-afl (which builds
# AFL++) when missing. The tools need a C compiler and make.
set -euo pipefail
cd "$(dirname "$0")"
FUZZ_DIR=$PWD

SECONDS_PER_TARGET=${1:-25}
shift || true
TARGETS=("$@")
if [[ ${#TARGETS[@]} -eq 0 ]]; then
  TARGETS=(read_csv values spec expr)
fi
JOBS=${FUZZ_JOBS:-1}
OUT=${FUZZ_OUT:-$FUZZ_DIR/out}
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$HOME/.cache/tal-target-fuzz}
export CARGO_TERM_COLOR=never
CARGO_AFL_VERSION=0.18.2

# --- tools -----------------------------------------------------------------
# (Output captured first: `grep -q` closing a pipe early fails it under pipefail.)
installed=$(cargo afl --version 2>/dev/null || true)
if [[ $installed != *"cargo-afl $CARGO_AFL_VERSION "* ]]; then
  echo "fuzz: installing cargo-afl $CARGO_AFL_VERSION (builds AFL++)"
  cargo install --locked --force cargo-afl --version "$CARGO_AFL_VERSION"
fi
# cargo-afl builds AFL++ when installed; build it if that did not happen.
afl_help=$(cargo afl fuzz -h 2>&1 || true)
if [[ $afl_help != *afl-fuzz++* ]]; then
  cargo afl config --build --force
fi

# --- build -----------------------------------------------------------------
# rustc-wrapper.sh instruments tal and its parsers but not polars (see there).
# AFL_NO_CFG_FUZZING: the code is built as shipped, without `--cfg fuzzing`.
echo "fuzz: building the targets (cargo afl build --release)"
build_start=$(date +%s)
RUSTC_WRAPPER=$FUZZ_DIR/rustc-wrapper.sh AFL_NO_CFG_FUZZING=1 \
  cargo afl build --release --locked --quiet
echo "fuzz: built in $(($(date +%s) - build_start)) s"
BIN=$CARGO_TARGET_DIR/release

# --- regressions -----------------------------------------------------------
# Every input that once crashed or hung a target, replayed without AFL.
failed=0
replay_log=$(mktemp)
for dir in "$FUZZ_DIR"/regressions/*/; do
  [[ -d $dir ]] || continue
  target=$(basename "$dir")
  for input in "$dir"*; do
    [[ -f $input ]] || continue
    if ! timeout 20 "$BIN/$target" <"$input" >/dev/null 2>"$replay_log"; then
      echo "fuzz: REGRESSION $target fails on $input:"
      tail -5 "$replay_log"
      failed=1
    fi
  done
done
rm -f "$replay_log"
if [[ $failed == 1 ]]; then
  exit 1
fi

# --- fuzz ------------------------------------------------------------------
export AFL_NO_UI=1
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
# The machine is shared (CI runners, a developer's cores): do not pin a core.
export AFL_NO_AFFINITY=1
export AFL_FAST_CAL=1
if [[ ${FUZZ_RESUME:-0} == 1 ]]; then
  export AFL_AUTORESUME=1
fi
mkdir -p "$OUT"

fuzz_one() {
  local target=$1
  local out=$OUT/$target
  if [[ ${FUZZ_RESUME:-0} != 1 ]]; then
    rm -rf "$out"
  fi
  local dict=()
  if [[ -f $FUZZ_DIR/dict/$target.dict ]]; then
    dict=(-x "$FUZZ_DIR/dict/$target.dict")
  fi
  # -t: an input taking over 2 s is a hang (every seed runs in
  # milliseconds); -V: fuzz for this many seconds.
  cargo afl fuzz -i "$FUZZ_DIR/corpus/$target" -o "$out" "${dict[@]}" \
    -t 2000 -V "$SECONDS_PER_TARGET" -- "$BIN/$target" >"$out.log" 2>&1 || {
    echo "fuzz: afl-fuzz failed on $target:"
    tail -30 "$out.log"
    return 1
  }
}

echo "fuzz: ${#TARGETS[@]} targets, $SECONDS_PER_TARGET s each, $JOBS at a time"
pids=()
status=0
for target in "${TARGETS[@]}"; do
  fuzz_one "$target" &
  pids+=($!)
  if [[ ${#pids[@]} -ge $JOBS ]]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done

# --- results ---------------------------------------------------------------
field() { sed -n "s/^$2 *: //p" "$1"; }
summary=$OUT/summary.md
{
  echo "| target | execs | execs/s | run time (s) | corpus | edges found | coverage | crashes | hangs |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$summary"
for target in "${TARGETS[@]}"; do
  stats=$OUT/$target/default/fuzzer_stats
  if [[ ! -f $stats ]]; then
    echo "fuzz: $target left no statistics"
    status=1
    continue
  fi
  execs=$(field "$stats" execs_done)
  run_time=$(field "$stats" run_time)
  echo "| $target | $execs | $(awk -v e="$execs" -v t="$run_time" 'BEGIN { printf "%.0f", (t > 0 ? e / t : 0) }') | $run_time | $(field "$stats" corpus_count) | $(field "$stats" edges_found) | $(field "$stats" bitmap_cvg) | $(field "$stats" saved_crashes) | $(field "$stats" saved_hangs) |" >>"$summary"
  for kind in crashes hangs; do
    for input in "$OUT/$target/default/$kind"/id:*; do
      [[ -f $input ]] || continue
      status=1
      echo
      echo "fuzz: $target: $kind: $input"
      echo "  input (base64): $(base64 -w0 "$input" | head -c 2000)"
      echo "  replay: $BIN/$target < '$input'"
      if [[ $kind == hangs ]]; then
        timeout 5 "$BIN/$target" <"$input" >/dev/null 2>&1 && echo "  | (ran in under 5 s here)" ||
          echo "  | (still running after 5 s, or failed)"
      else
        timeout 20 "$BIN/$target" <"$input" 2>&1 | grep -v '^$' | head -15 | sed 's/^/  | /' || true
      fi
    done
  done
done
echo
cat "$summary"
if [[ $status != 0 ]]; then
  echo "fuzz: FAILED (crashes, hangs or a broken run above)"
  exit 1
fi
echo "fuzz: no crash, no hang"
