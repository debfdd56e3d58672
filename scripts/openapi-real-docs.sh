#!/usr/bin/env bash
# Builds a consumer project for each real OpenAPI document (or folder of documents) given on the command line, the
# way docs/openapi-generator.md tells a user to: every file an AdditionalFile, Nullable enabled, warnings as errors
# (the generator's fallback warnings TKO003, TKO004 and TKO007 left as warnings, so they are counted, as a consumer
# that accepts them would suppress them). Prints, per document: files, operations, types, errors, other warnings
# and the fallbacks grouped by construct. Nothing is copied into the repository: the documents are read where they
# are (fetch them to /tmp) and the consumer projects live under $WORK (default /tmp/openapi-real-docs).
#
# Usage: scripts/openapi-real-docs.sh NAME=PATH [NAME=PATH ...]
#   PATH a file: that root document, with every JSON/YAML file under its folder as AdditionalFiles.
#   PATH a folder: every JSON/YAML file under it; each OpenAPI document among them gets its own client.
# Needs Release builds of src/Runtime and the generator (dotnet build tests/Toolkit.Generators.OpenApi.Tests -c Release).
# Exit status: 0 when every consumer built with no error and no warning besides the counted fallbacks.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK:-/tmp/openapi-real-docs}"
mkdir -p "$work"
status=0
summary="$work/summary.tsv"
printf 'document\tfiles\tdocuments\toperations\ttypes\terrors\twarnings\tfallbacks\n' >"$summary"

if [ "$#" -eq 0 ]; then
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
fi

for arg in "$@"; do
    name="${arg%%=*}"
    src="${arg#*=}"
    [ -e "$src" ] || { echo "$name: $src does not exist" >&2; status=1; continue; }
    dir="$work/$name"
    rm -rf "$dir"
    mkdir -p "$dir/openapi"
    if [ -d "$src" ]; then
        cp -r "$src/." "$dir/openapi/"
    else
        cp -r "$(dirname "$src")/." "$dir/openapi/"
        # Only the named root is generated: the other files are read as parts of it.
        root_rel="$(basename "$src")"
    fi

    files=$(find "$dir/openapi" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) | wc -l)
    {
        cat <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="$repo/generators/Toolkit.Generators.OpenApi/build/Toolkit.Generators.OpenApi.props" />
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <RootNamespace>Consumer</RootNamespace>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <WarningsNotAsErrors>TKO003;TKO004;TKO007</WarningsNotAsErrors>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
    <CompilerGeneratedFilesOutputPath>generated</CompilerGeneratedFilesOutputPath>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/src/Runtime/Toolkit.Runtime.csproj" />
    <ProjectReference Include="$repo/generators/Toolkit.Generators.OpenApi/Toolkit.Generators.OpenApi.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <Compile Remove="generated/**" />
    <AdditionalFiles Include="openapi/**/*.json;openapi/**/*.yaml;openapi/**/*.yml" ToolkitOpenApi="false" />
EOF
        if [ -n "${root_rel:-}" ]; then
            echo "    <AdditionalFiles Update=\"openapi/$root_rel\" ToolkitOpenApi=\"true\" />"
        else
            # A folder of documents: each file is a document when its content says so, each in its own namespace
            # (two documents of one name in two folders would otherwise generate the same client: TKO008).
            i=0
            (cd "$dir/openapi" && find . -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) | sed 's|^\./||' | sort) | while read -r rel; do
                i=$((i + 1))
                echo "    <AdditionalFiles Update=\"openapi/$rel\" ToolkitOpenApi=\"\" ToolkitOpenApiNamespace=\"Consumer.Doc$i\" />"
            done
        fi
        cat <<EOF
  </ItemGroup>
</Project>
EOF
    } >"$dir/Consumer.csproj"
    unset root_rel

    log="$dir/build.log"
    start=$(date +%s)
    set +e
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet build "$dir/Consumer.csproj" -c Release -nologo -v q \
        -p:BuildProjectReferences=false -nodeReuse:false -clp:NoSummary >"$log" 2>&1
    code=$?
    set -e
    seconds=$(( $(date +%s) - start ))

    gen="$dir/generated"
    documents=$(find "$gen" -name '*.g.cs' 2>/dev/null | awk -F/ '{ n = split($NF, p, "."); if (n == 4) print }' | wc -l)
    operations=$( (find "$gen" -name '*.g.cs' -print0 2>/dev/null | xargs -0 -r cat) | grep -c 'public async .*WithResponseAsync(' || true)
    types=$(find "$gen" -name '*.g.cs' 2>/dev/null | awk -F/ '{ n = split($NF, p, "."); if (n > 4) print }' | wc -l)
    # Each diagnostic once (the compiler prints some twice), without the project suffix.
    sed -E 's/ \[[^]]*\.csproj\]$//' "$log" | grep -E ': (error|warning) [A-Z]+[0-9]+:' | sort -u >"$dir/diagnostics.txt" || true
    errors=$(grep -c ': error ' "$dir/diagnostics.txt" || true)
    fallbacks=$(grep -cE ': warning TKO00[347]:' "$dir/diagnostics.txt" || true)
    warnings=$(grep ': warning ' "$dir/diagnostics.txt" | grep -cvE ': warning TKO00[347]:' || true)
    if [ "$code" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$warnings" -ne 0 ]; then
        status=1
    fi

    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$files" "$documents" "$operations" "$types" "$errors" "$warnings" "$fallbacks" >>"$summary"
    echo "== $name: $files files, $documents documents, $operations operations, $types types, $errors errors, $warnings other warnings, $fallbacks fallbacks (build exit $code, ${seconds}s; log $log)"
    # Fallbacks by construct: the message with its names taken out ('x' -> '…', numbers -> N).
    grep -E ': warning TKO00[347]:' "$dir/diagnostics.txt" \
        | sed -E "s/^.*: warning (TKO00[347]): /\1 /; s/'[^']*'/'…'/g; s/([^A-Z0-9])[0-9]+/\1N/g" \
        | sort | uniq -c | sort -rn | sed 's/^/   /' || true
    if [ "$errors" -ne 0 ] || [ "$warnings" -ne 0 ]; then
        echo "   first errors and warnings:"
        grep -vE ': warning TKO00[347]:' "$dir/diagnostics.txt" | head -10 | sed 's/^/   /'
    fi
done

echo
column -t -s $'\t' "$summary"
exit "$status"
