#!/usr/bin/env bash
# Packs every packable project of the solution into out/packages (emptied first): one package per protocol assembly
# (Toolkit.XrdMon, Toolkit.Fts3, Toolkit.DataDispatcher, Toolkit.Unicore, ...), Toolkit.Runtime with both source
# generators as analyzers, and Toolkit.Cli as a framework-dependent .NET tool, each with its symbol package (.snupkg).
#   bash scripts/pack.sh              builds what is needed, then packs
#   bash scripts/pack.sh --no-build   packs what `dotnet build Toolkit.slnx -c Release` built (scripts/test.sh)
# REPOSITORY_URL=https://... sets the packages' repository URL (SourceLink) when the clone's git remote is not it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rm -rf out/packages
args=(-c Release -nologo -v q -p:PublishAot=false)
if [ -n "${REPOSITORY_URL:-}" ]; then args+=("-p:RepositoryUrl=$REPOSITORY_URL"); fi
# PackageOutputPath (src/Directory.Build.props) sends every package to out/packages.
dotnet pack Toolkit.slnx "${args[@]}" "$@"
count="$(find out/packages -name '*.nupkg' | wc -l)"
symbols="$(find out/packages -name '*.snupkg' | wc -l)"
if [ "$count" -eq 0 ] || [ "$count" -ne "$symbols" ]; then
  echo "pack: expected one .snupkg per .nupkg in out/packages, found $count packages and $symbols symbol packages" >&2
  exit 1
fi
# Every package says what it is: license, README, repository (with its commit), and a symbol package beside it.
python3 - out/packages/*.nupkg <<'PY'
import re, sys, zipfile
bad = []
for path in sys.argv[1:]:
    with zipfile.ZipFile(path) as z:
        spec = next(n for n in z.namelist() if n.endswith(".nuspec"))
        text = z.read(spec).decode("utf-8")
        missing = [what for what, pattern in (("license", r'<license type="expression">MIT</license>'),
                                              ("readme", r"<readme>README\.md</readme>"),
                                              ("repository", r'<repository [^>]*commit="[0-9a-f]{40}"'),
                                              ("description", r"<description>.+</description>"))
                   if not re.search(pattern, text)]
        if "README.md" not in z.namelist():
            missing.append("README.md file")
        if missing:
            bad.append("%s: no %s" % (path, ", ".join(missing)))
        else:
            url = re.search(r'<repository [^>]*url="([^"]*)"', text)
            print("  %s (repository %s)" % (path.split("/")[-1], url.group(1) if url else "without url: the git remote is not a web address"))
if bad:
    print("pack: incomplete package metadata:\n  " + "\n  ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
echo "packed $count packages (with symbols) into out/packages"
