#!/usr/bin/env bash
# Checks scripts/test-summary.sh on a recorded `dotnet test` log: the sums must be right and the script must end
# (its awk predecessor never ended under gawk). Run by scripts/test.sh before the suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
got="$(timeout 10 bash scripts/test-summary.sh tests/scripts/dotnet-test-summary.log)"
want="229 2 4"
if [ "$got" != "$want" ]; then
  echo "scripts/test-summary.sh: got '$got', want '$want'" >&2
  exit 1
fi
echo "scripts/test-summary.sh: ok ($got)"
