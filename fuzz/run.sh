#!/usr/bin/env bash
# Runs coverage-guided fuzz targets with afl-fuzz (Debian package afl++) through SharpFuzz.
#
#   fuzz/run.sh TARGET [SECONDS]     one target, for SECONDS (default 60)
#   fuzz/run.sh all [SECONDS]        every target, SECONDS each, FUZZ_JOBS (default 2) at a time
#
# Builds fuzz/Toolkit.Fuzz (Release), copies it to fuzz/out/build, instruments the Toolkit assemblies there with the
# sharpfuzz tool (.config/dotnet-tools.json), and runs afl-fuzz non-interactively, seeded from fuzz/corpus/TARGET,
# with findings in fuzz/out/TARGET. Exits 1 when afl-fuzz saved a crash, printing each crashing input's path and the
# exception it raises when replayed. RESUME=1 continues the previous run's queue instead of starting from the seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: fuzz/run.sh TARGET|all [SECONDS]}"
seconds="${2:-60}"
targets=(xrdmon capture json openapi-json openapi-yaml openapi pem uftp uftp-control jalien-schema jalien-reply)

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "afl-fuzz not found: install the Debian package afl++ (scripts/test-packages.txt)" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=fuzz/out
build="$out/build"
if [ "${FUZZ_NO_BUILD:-}" != "1" ] || [ ! -f "$build/Toolkit.Fuzz.dll" ]; then
  dotnet build fuzz/Toolkit.Fuzz -c Release -nologo -v q >/dev/null
  dotnet tool restore >/dev/null
  rm -rf "$build"
  mkdir -p "$out"
  cp -r fuzz/Toolkit.Fuzz/bin/Release/net10.0 "$build"
  for dll in Toolkit.Runtime Toolkit.XrdMon Toolkit.Generators.OpenApi Toolkit.Unicore Toolkit.JAliEn Toolkit.Generators.Commands; do
    dotnet tool run sharpfuzz "$build/$dll.dll" >/dev/null
  done
fi

# Non-interactive: no status screen, no CPU-governor or core-pattern checks a CI runner cannot change, a bounded run.
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1
export AFL_SHUFFLE_QUEUE=0 AFL_FAST_CAL=1

run_one() {
  local t="$1" dir="$out/$1" input="fuzz/corpus/$1"
  [ -d "$input" ] || { echo "unknown target '$t' (targets: ${targets[*]})" >&2; return 2; }
  if [ "${RESUME:-}" = "1" ] && [ -d "$dir/default/queue" ]; then
    input="-"
  else
    rm -rf "$dir"
  fi
  mkdir -p "$dir"
  # -t: a generous per-input limit (the machine may be shared); -m none: the .NET runtime reserves much address space.
  afl-fuzz -i "$input" -o "$dir" -t 5000 -m none -V "$seconds" -- dotnet "$build/Toolkit.Fuzz.dll" "$t" >"$dir/afl.log" 2>&1 || {
    echo "afl-fuzz failed on $t (see $dir/afl.log):" >&2
    tail -20 "$dir/afl.log" >&2
    return 1
  }
  local stats="$dir/default/fuzzer_stats" execs crashes hangs paths
  execs=$(sed -n 's/^execs_done *: *//p' "$stats")
  crashes=$(sed -n 's/^saved_crashes *: *//p' "$stats")
  hangs=$(sed -n 's/^saved_hangs *: *//p' "$stats")
  paths=$(sed -n 's/^corpus_count *: *//p' "$stats")
  echo "fuzz $t: ${seconds} s, ${execs} executions, ${paths} inputs in the queue, ${crashes} crashes, ${hangs} hangs"
  local found=0
  for f in "$dir"/default/hangs/id:*; do
    [ -e "$f" ] || continue
    echo "  hang (over 5 s once; a shared machine may cause it, replay to check): $f"
  done
  local shown=0
  for f in "$dir"/default/crashes/id:*; do
    [ -e "$f" ] || continue
    found=1
    echo "  CRASH: $f"
    # Replayed with the uninstrumented build (instrumented code needs afl's shared memory); the first 5 in detail.
    if [ "$shown" -lt 5 ]; then
      dotnet fuzz/Toolkit.Fuzz/bin/Release/net10.0/Toolkit.Fuzz.dll "$t" "$f" 2>&1 | head -8 | sed 's/^/    /' || true
      shown=$((shown + 1))
    fi
  done
  return "$found"
}

rc=0
if [ "$target" = "all" ]; then
  # One afl-fuzz per core: 9 targets at 60 s take 5 rounds (about 5 minutes) on 2 cores.
  jobs_max="${FUZZ_JOBS:-2}"
  mkdir -p "$out"
  for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do sleep 1; done
    ( r=0; run_one "$t" > "$out/$t.summary" 2>&1 || r=$?; echo "$r" > "$out/$t.rc" ) &
  done
  wait
  for t in "${targets[@]}"; do
    cat "$out/$t.summary"
    [ "$(cat "$out/$t.rc" 2>/dev/null || echo 1)" = "0" ] || rc=1
  done
else
  run_one "$target" || rc=$?
fi
exit "$rc"
