#!/usr/bin/env bash
# Start time and peak memory of `toolkit` as whole processes: the Native AOT binary (out/aot/toolkit) against the
# framework-dependent ReadyToRun build (out/toolkit/toolkit), for `toolkit --help` and `toolkit xrdmon decode`
# (the embedded capture, output discarded). Wall time: hyperfine (3 warm-up runs, then RUNS runs, no shell).
# Peak memory: the maximum resident set size from /usr/bin/time over RUNS runs (median and max printed).
# Publishes what is missing first. Usage: RUNS=30 bash bench/cli-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-30}"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[ -x out/aot/toolkit ] || dotnet publish src/Cli -c Release -r linux-x64 -o out/aot -nologo -v q
[ -x out/toolkit/toolkit ] || dotnet publish src/Cli -c Release -r linux-x64 -p:PublishAot=false -o out/toolkit -nologo -v q
aot="$PWD/out/aot/toolkit"; jit="$PWD/out/toolkit/toolkit"
cd "$(mktemp -d)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
for args in "--help" "xrdmon decode"; do
  # shellcheck disable=SC2086
  hyperfine -N --warmup 3 --runs "$runs" --style basic --export-json times.json -n "AOT toolkit $args" "$aot $args" -n "R2R toolkit $args" "$jit $args" 2>&1 | grep -Ev '^\s*$|Warning|--warmup|--prepare'
  # The median and the CPU time (user + system) say more than the mean on a shared, loaded machine.
  python3 -c 'import json,statistics as s
for r in json.load(open("times.json"))["results"]:
    print("%s: median %.1f ms, min %.1f ms, CPU (user+sys) mean %.1f ms" % (r["command"], 1000*s.median(r["times"]), 1000*min(r["times"]), 1000*(r["user"]+r["system"])))'
  for build in AOT R2R; do
    bin="$aot"; [ "$build" = R2R ] && bin="$jit"
    rss=()
    for _ in $(seq "$runs"); do
      # shellcheck disable=SC2086
      /usr/bin/time -f '%M' -o rss.txt "$bin" $args >/dev/null 2>/dev/null
      rss+=("$(tail -1 rss.txt)")
    done
    sorted="$(printf '%s\n' "${rss[@]}" | sort -n)"
    median="$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")"
    max="$(echo "$sorted" | tail -1)"
    echo "peak RSS $build toolkit $args: median $((median / 1024)).$(( (median % 1024) * 10 / 1024 )) MiB, max $((max / 1024)).$(( (max % 1024) * 10 / 1024 )) MiB over $runs runs"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
