#!/usr/bin/env bash
# Runs every test of the solution. Installs the Debian packages the tests need when they are missing
# (listed in scripts/test-packages.txt), builds everything (benchmarks included) and prints one closing line
# "N passed, N failed, N skipped". Before the tests it publishes the Native AOT binary, packs the packages, installs
# the .NET tool from them and runs the samples (what users install; see docs/install.md). After them it runs every
# fuzz target for FUZZ_SECONDS (default 60) each (fuzz/run.sh).
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
# The summary below must be right and must end, whatever awk the machine has (it uses none).
bash tests/scripts/test-summary.sh
dotnet build Toolkit.slnx -c Release -nologo -v q
# The build rewrites src/Generated/ from the schemas (src/Directory.Build.targets). What is committed there must be what
# the generators emit now: in CI a difference fails the run; elsewhere it is only reported, so work in progress can be tested.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  stale="$(git status --porcelain --untracked-files=all -- src/Generated)"
  if [ -n "$stale" ]; then
    echo "src/Generated differs from what the generators emit now (commit the rebuilt files):" >&2
    echo "$stale" | head -20 >&2
    if [ "${CI:-}" = "true" ]; then exit 1; fi
  fi
fi
# What users install, checked before the tests (each step bounded in time, each says what failed):
# the Native AOT binary (its smoke test, tests/Toolkit.Cli.Tests/Aot, runs every command through it), the packages,
# the .NET tool installed from them, and the two samples built and run from them.
step() { echo "== $1"; }
step "publish the Native AOT toolkit (out/aot/toolkit)"
t0=$SECONDS
rm -rf out/aot
if ! timeout 1200 dotnet publish src/Cli -c Release -r linux-x64 -o out/aot -nologo -v q; then
  echo "the Native AOT publish failed (trim and AOT warnings are errors): dotnet publish src/Cli -c Release -r linux-x64" >&2
  exit 1
fi
export TOOLKIT_AOT_BINARY="$PWD/out/aot/toolkit"
echo "   $(du -h out/aot/toolkit | cut -f1) in $((SECONDS - t0)) s; the AOT smoke test runs through it"
step "pack every package into out/packages"
t0=$SECONDS
timeout 600 bash scripts/pack.sh --no-build
echo "   $((SECONDS - t0)) s"
step "install the .NET tool from out/packages and run it"
t0=$SECONDS
rm -rf out/tool out/tool-packages
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)"
NUGET_PACKAGES="$PWD/out/tool-packages" timeout 300 dotnet tool install Toolkit.Cli --version "$version" --tool-path out/tool --add-source out/packages
if ! out/tool/toolkit --help | grep -q "toolkit: grid-computing protocols"; then
  echo "the installed .NET tool does not print its help: out/tool/toolkit --help" >&2
  exit 1
fi
echo "   $((SECONDS - t0)) s"
step "build and run the samples from the packages"
t0=$SECONDS
timeout 900 bash scripts/samples.sh
echo "   $((SECONDS - t0)) s"
log="$(mktemp)"
set +e
dotnet test Toolkit.slnx -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
read -r passed failed skipped < <(bash scripts/test-summary.sh "$log")
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi

# Coverage-guided fuzzing (fuzz/README.md): every target for a short bounded time, two at a time, after the tests;
# a crash fails the run. FUZZ_SECONDS=0 skips it (e.g. for a quick local run).
fuzz_seconds="${FUZZ_SECONDS:-60}"
if [ "$fuzz_seconds" != "0" ]; then
  bash fuzz/run.sh all "$fuzz_seconds"
fi
