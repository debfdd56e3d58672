#!/usr/bin/env bash
# Builds and runs the consumer samples (samples/*/) from the packages scripts/pack.sh put in out/packages, through
# the folder feed samples/NuGet.config names, restored into their own packages folder (out/sample-packages, emptied
# here). Each sample exits non-zero when its check fails, and so does this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! ls out/packages/Toolkit.Runtime.*.nupkg >/dev/null 2>&1; then
  echo "samples: no Toolkit.Runtime package in out/packages; run scripts/pack.sh first" >&2
  exit 1
fi
rm -rf out/sample-packages
for proj in samples/*/*.csproj; do
  name="$(basename "$(dirname "$proj")")"
  echo "sample $name: build from the packages"
  dotnet build "$proj" -c Release -nologo -v q
  echo "sample $name: run"
  if ! timeout 120 dotnet run --project "$proj" -c Release --no-build; then
    echo "sample $name FAILED" >&2
    exit 1
  fi
done
echo "samples: all passed"
