#!/usr/bin/env bash
# Runs every test of the solution. Installs the Debian packages the tests need when they are missing
# (listed in scripts/test-packages.txt), builds everything (benchmarks included) and prints one closing line
# "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r pkg; do
  pkg="${pkg%%#*}"; pkg="$(echo "$pkg" | tr -d '[:space:]')"
  [ -n "$pkg" ] || continue
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done < scripts/test-packages.txt
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Toolkit.sln -c Release -nologo -v q
log="$(mktemp)"
set +e
dotnet test Toolkit.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
read -r passed failed skipped < <(bash scripts/test-summary.sh "$log")
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
