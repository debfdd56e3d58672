#!/usr/bin/env bash
# Sums the per-assembly summaries of a `dotnet test` log ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...")
# and prints "PASSED FAILED SKIPPED". Pure bash: no awk, so it behaves the same wherever awk is gawk, mawk or busybox.
# Usage: test-summary.sh LOG
set -euo pipefail
passed=0 failed=0 skipped=0
re='(Passed|Failed)! +- +Failed: +([0-9]+), +Passed: +([0-9]+), +Skipped: +([0-9]+)'
while IFS= read -r line || [ -n "$line" ]; do
  if [[ $line =~ $re ]]; then
    failed=$((failed + BASH_REMATCH[2]))
    passed=$((passed + BASH_REMATCH[3]))
    skipped=$((skipped + BASH_REMATCH[4]))
  fi
done < "$1"
echo "$passed $failed $skipped"
