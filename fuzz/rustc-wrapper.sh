#!/usr/bin/env bash
# RUSTC_WRAPPER for `cargo afl build` (set by run.sh): keeps AFL's coverage
# instrumentation, debug assertions and overflow checks on the code the
# targets fuzz — tal itself, these targets, and the parsing crates tal reads
# input with — and compiles every other dependency (polars above all, which
# the targets link but do not run) plainly: no instrumentation, several
# codegen units, opt-level 1. cargo afl forces `-C codegen-units=1
# -C opt-level=3` with coverage on every crate, which makes a cold build of
# the polars stack take far longer than the fuzzing itself.
#
# cargo calls: rustc-wrapper.sh /path/to/rustc ARGS...
set -euo pipefail
rustc=$1
shift

crate=""
local_source=0
prev=""
for arg in "$@"; do
  if [[ $prev == --crate-name ]]; then
    crate=$arg
  fi
  if [[ $arg == *.rs && $arg != */.cargo/registry/* && $arg != */.cargo/git/* && $arg != */rustlib/* ]]; then
    local_source=1
  fi
  prev=$arg
done

# Registry crates whose code the targets drive with fuzzed bytes.
case "$crate" in
  csv | csv_core | encoding_rs | chardetng | toml | toml_parser | toml_datetime | \
    serde_spanned | serde_path_to_error | chrono)
    instrument=1 ;;
  build_script_*) instrument=0 ;;
  *) instrument=$local_source ;;
esac

if [[ $instrument == 1 || -z $crate ]]; then
  exec "$rustc" "$@"
fi

# Drop the coverage pass and its options: `-C VALUE` pairs or `-CVALUE`.
args=()
for arg in "$@"; do
  case "$arg" in
    passes=sancov* | llvm-args=-sanitizer-coverage*)
      # The `-C` before this value was kept: take it back.
      unset 'args[${#args[@]}-1]'
      args=("${args[@]}") ;;
    -Cpasses=sancov* | -Cllvm-args=-sanitizer-coverage*) ;;
    *) args+=("$arg") ;;
  esac
done
exec "$rustc" "${args[@]}" -C codegen-units=16 -C opt-level=1 \
  -C debug-assertions=off -C overflow-checks=off
