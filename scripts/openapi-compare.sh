#!/usr/bin/env bash
# Generates the NSwag and Kiota clients for the toolkit's OpenAPI documents with the tools themselves (never by hand)
# and compile-checks each in a throw-away project with <Nullable>enable</Nullable> and IsAotCompatible, printing the
# warnings by id: the facts behind the correctness table of docs/openapi-generator.md ("Against the field").
# Usage: scripts/openapi-compare.sh [out-dir]   (default: /tmp/toolkit-openapi-compare; nothing is written in the tree)
# Tools: the same pins as bench/Toolkit.Bench.OpenApiCompare, which generates both at build for the benchmarks: NSwag
# from the NSwag.MSBuild package (Directory.Packages.props; its net10.0 command line) and Kiota from the repository's
# tool manifest (.config/dotnet-tools.json); the Kiota check project references Microsoft.Kiota.* 2.1.6.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-/tmp/toolkit-openapi-compare}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
nswag_version="$(sed -n 's/.*PackageVersion Include="NSwag.MSBuild" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")"
nswag_dll="${NUGET_PACKAGES:-$HOME/.nuget/packages}/nswag.msbuild/$nswag_version/tools/Net100/dotnet-nswag.dll"
if [ ! -f "$nswag_dll" ]; then # the package arrives with a restore of the bench project
  dotnet restore "$root/bench/Toolkit.Bench.OpenApiCompare" -v q >/dev/null
fi
(cd "$root" && dotnet tool restore >/dev/null)
nswag() { dotnet "$nswag_dll" "$@"; }
kiota() { (cd "$root" && KIOTA_OFFLINE_ENABLED=true KIOTA_TUTORIAL_ENABLED=false KIOTA_CLI_TELEMETRY_OPTOUT=true dotnet tool run kiota "$@"); }

check() { # $1 project dir: build and count warnings by id
  (cd "$1" && dotnet build -c Release -nologo -v q --no-incremental 2>&1 | grep -E ' (warning|error) [A-Z]+[0-9]+' | sort -u \
    | sed -E 's/.* (warning|error) ([A-Z]+[0-9]+).*/\1 \2/' | sort | uniq -c | sort -rn) || true
}

props='<PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><IsAotCompatible>true</IsAotCompatible><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><ImportDirectoryBuildProps>false</ImportDirectoryBuildProps></PropertyGroup>'
for doc in fts3 datadispatcher; do
  src="$root/schemas/openapi/$doc.json"
  # NSwag 14.7.1 refuses OpenAPI 3.1's securitySchemes type 'mutualTLS' (JsonSerializationException: "Requested
  # value 'mutualTLS' was not found"), so it reads a copy without those schemes; nothing else is changed.
  python3 - "$src" "$out/$doc-nswag.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ss = d.get("components", {}).get("securitySchemes", {})
for k in [k for k, v in ss.items() if v.get("type") == "mutualTLS"]:
    del ss[k]
json.dump(d, open(sys.argv[2], "w"))
EOF
  mkdir -p "$out/$doc/nswag" "$out/$doc/kiota"
  nswag openapi2csclient "/input:$out/$doc-nswag.json" "/output:$out/$doc/nswag/Client.cs" /namespace:Cmp.NSwag \
    /jsonLibrary:SystemTextJson /generateNullableReferenceTypes:true /className:NSwagClient >/dev/null
  echo "<Project Sdk=\"Microsoft.NET.Sdk\">$props</Project>" > "$out/$doc/nswag/check.csproj"
  rm -rf "$out/$doc/kiota/src"
  kiota generate -l CSharp -d "$src" -o "$out/$doc/kiota/src" -n Cmp.Kiota -c KiotaClient --clean-output >/dev/null
  cat > "$out/$doc/kiota/check.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">$props
  <ItemGroup>
    <PackageReference Include="Microsoft.Kiota.Abstractions" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Http.HttpClientLibrary" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Serialization.Json" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Serialization.Text" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Serialization.Form" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Serialization.Multipart" Version="2.1.6" />
  </ItemGroup>
</Project>
EOF
  echo "== $doc: NSwag ($(wc -l < "$out/$doc/nswag/Client.cs") lines)"; check "$out/$doc/nswag"
  echo "== $doc: Kiota ($(find "$out/$doc/kiota/src" -name '*.cs' | wc -l) files)"; check "$out/$doc/kiota"
done
