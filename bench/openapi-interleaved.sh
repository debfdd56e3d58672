#!/usr/bin/env bash
# Interleaved `loop` runs of the OpenAPI comparison bench, for A/B figures on a VM whose speed drifts by minutes:
# each round runs every subject once, in turn, so a slow phase touches them all; prints min and median CPU per call.
# Then, for every other subject, the median over rounds of its time divided by the first subject's time in the same round.
# Usage: bench/openapi-interleaved.sh decode|encode DOC ROUNDS SECONDS LABEL=DLL:WHO [LABEL=DLL:WHO ...]
#   e.g. bench/openapi-interleaved.sh decode jobs-compact 4 2 old=/tmp/old/Toolkit.Bench.OpenApiCompare.dll:ours \
#          new=bench/Toolkit.Bench.OpenApiCompare/bin/Release/net10.0/Toolkit.Bench.OpenApiCompare.dll:ours \
#          nswag=bench/Toolkit.Bench.OpenApiCompare/bin/Release/net10.0/Toolkit.Bench.OpenApiCompare.dll:nswag
set -euo pipefail
kind=$1 doc=$2 rounds=$3 seconds=$4
shift 4
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$rounds"); do
  for subject in "$@"; do
    label=${subject%%=*} spec=${subject#*=}
    dll=${spec%:*} who=${spec##*:}
    line=$(dotnet "$dll" loop "$kind" "$who" "$doc" "$seconds")
    echo "$label $(sed -E 's/.* ([0-9.]+) ms CPU, ([0-9]+) B.*/\1 \2/' <<<"$line")" >>"$out"
  done
done
for subject in "$@"; do
  label=${subject%%=*}
  grep "^$label " "$out" | sort -k2 -n | awk -v l="$label" '{t[NR]=$2; b=$3} END {printf "%-10s min %8.3f ms  median %8.3f ms  %d B/call  (", l, t[1], t[int((NR+1)/2)], b; for (i=1;i<=NR;i++) printf "%s%s", t[i], (i<NR?" ":""); print ")"}'
done
first=${1%%=*}
for subject in "${@:2}"; do
  label=${subject%%=*}
  paste <(grep "^$first " "$out" | awk '{print $2}') <(grep "^$label " "$out" | awk '{print $2}') \
    | awk '{print $2 / $1}' | sort -n | awk -v l="$label" -v f="$first" '{r[NR]=$1} END {printf "%s / %s: median paired ratio %.2f (", l, f, r[int((NR+1)/2)]; for (i=1;i<=NR;i++) printf "%.2f%s", r[i], (i<NR?" ":""); print ")"}'
done
