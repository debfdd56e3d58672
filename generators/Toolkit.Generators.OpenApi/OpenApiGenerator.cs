using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Generators.OpenApi.Emit;
using Toolkit.Generators.OpenApi.Model;
using Toolkit.Generators.OpenApi.Parsing;

namespace Toolkit.Generators.OpenApi;

/// <summary>
/// Incremental generator: OpenAPI 3.0/3.1 JSON AdditionalFiles (recognised by content) → typed clients and
/// models with hand-rolled Utf8JsonReader/Utf8JsonWriter code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class OpenApiGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (used by the cache tests).</summary>
    public static class Steps
    {
        public const string Inputs = "OpenApi.Inputs";
        public const string References = "OpenApi.References";
        public const string JsonFiles = "OpenApi.JsonFiles";
        public const string Dependencies = "OpenApi.Dependencies";
        public const string Parse = "OpenApi.Parse";
        public const string Types = "OpenApi.Types";
        public const string Clients = "OpenApi.Clients";
        public const string Diagnostics = "OpenApi.Diagnostics";
    }

    private const string Meta = "build_metadata.AdditionalFiles.";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var inputs = context.AdditionalTextsProvider
            .Where(static f => f.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || OpenApiParser.IsYaml(f.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadInput(pair.Left, pair.Right, ct))
            .WithTrackingName(Steps.Inputs);

        // Each file is read once for the files its $refs name; an unedited file is not read again.
        var references = inputs
            .Select(static (f, _) => new JsonText(f.Path, f.Text, OpenApiParser.ExternalReferences(f.Path, f.Text)))
            .WithTrackingName(Steps.References);

        var jsonFiles = references
            .Collect()
            .Select(static (files, _) => new EquatableArray<JsonText>(files.OrderBy(f => f.Path, StringComparer.Ordinal)))
            .WithTrackingName(Steps.JsonFiles);

        // A document's parse input holds only the files it reaches through $refs (directly or transitively). The
        // input is equal after an edit elsewhere, so the Parse step is cached: editing one document re-parses it and
        // the documents that $ref it, nothing else.
        var parseInputs = inputs
            .Where(static f => f.IsOpenApi)
            .Combine(jsonFiles)
            .Select(static (pair, _) => new ParseInput(pair.Left, Reachable(pair.Left.Path, pair.Right)))
            .WithTrackingName(Steps.Dependencies);

        var documents = parseInputs
            .Select(static (x, ct) => Parse(x, ct))
            .WithTrackingName(Steps.Parse);

        var diagnostics = documents
            .Select(static (d, _) => d.Diagnostics)
            .WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) => Parsing.Diagnostics.Table.Report(spc, list));

        var clients = documents
            .Select(static (d, _) => (d.Path, d.HintKey, d.Client, d.MaxSourceBytes))
            .Where(static x => x.Client is not null)
            .Select(static (x, _) => new ClientUnit(x.Path, x.HintKey, x.Client!, x.MaxSourceBytes))
            .WithTrackingName(Steps.Clients);

        // Two documents generating the same client in the same namespace cannot both compile: the first (by path)
        // is generated, the others are reported and generate nothing (neither their client nor their models).
        var losers = clients.Collect().Select(static (all, _) =>
            new EquatableArray<ClientUnit>(all
                .GroupBy(c => c.Client.Namespace + "." + c.Client.ClientName, StringComparer.Ordinal)
                .Where(g => g.Count() > 1)
                .SelectMany(g => g.OrderBy(c => c.Path, StringComparer.Ordinal).Skip(1))
                .OrderBy(c => c.Path, StringComparer.Ordinal)));
        var skipped = losers.Select(static (all, _) => new EquatableArray<string>(all.Select(c => c.HintKey).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal)));

        var types = documents
            .SelectMany(static (d, _) => d.Types)
            .WithTrackingName(Steps.Types)
            .Combine(skipped)
            .Where(static x => !x.Right.Contains(x.Left.SourcePath))
            .Select(static (x, _) => x.Left);
        context.RegisterSourceOutput(types, static (spc, unit) =>
            GeneratorOutput.AddSources(spc, Parsing.Diagnostics.Internal, "model " + unit.Namespace + "." + unit.Decl.Name, unit.SourcePath, () => new[]
            {
                (unit.ClientName + "." + unit.Decl.Name + "." + Cs.Hash(unit.SourcePath) + ".g.cs", ModelEmitter.Emit(unit)),
            }, new SourceBudget(unit.MaxSourceBytes, Parsing.Diagnostics.OverBudget, "ToolkitOpenApiMaxSourceBytes")));

        var emitted = clients
            .Combine(skipped)
            .Where(static x => !x.Right.Contains(x.Left.HintKey))
            .Select(static (x, _) => x.Left);
        context.RegisterSourceOutput(emitted, static (spc, c) =>
            GeneratorOutput.AddSources(spc, Parsing.Diagnostics.Internal, "client " + c.Client.Namespace + "." + c.Client.ClientName, c.Path, () => new[]
            {
                (c.Client.ClientName + "." + Cs.Hash(c.HintKey) + ".g.cs", ClientEmitter.Emit(c.Client)),
            }, new SourceBudget(c.MaxSourceBytes, Parsing.Diagnostics.OverBudget, "ToolkitOpenApiMaxSourceBytes")));

        var duplicates = losers.Select(static (all, _) =>
            new EquatableArray<DiagnosticInfo>(all
                .Select(c => DiagnosticInfo.AtFile(Parsing.Diagnostics.InvalidOption.Id, "another OpenAPI document also generates " + c.Client.Namespace + "." + c.Client.ClientName + "; nothing is generated for this one; set ToolkitOpenApiClientName or ToolkitOpenApiNamespace on one of them", c.Path))));
        context.RegisterSourceOutput(duplicates, static (spc, list) => Parsing.Diagnostics.Table.Report(spc, list));
    }

    private static InputFile ReadInput(AdditionalText file, AnalyzerConfigOptionsProvider provider, CancellationToken ct)
    {
        var text = file.GetText(ct)?.ToString() ?? string.Empty;
        var options = provider.GetOptions(file);
        string? Get(string name) => options.TryGetValue(Meta + name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        provider.GlobalOptions.TryGetValue("build_property.RootNamespace", out var rootNs);
        provider.GlobalOptions.TryGetValue("build_property.ProjectDir", out var projectDir);
        var force = Get("ToolkitOpenApi");
        var isOpenApi = force is not null ? string.Equals(force, "true", StringComparison.OrdinalIgnoreCase) : OpenApiParser.LooksLikeOpenApi(text);
        var maxArgs = int.TryParse(Get("ToolkitOpenApiMaxArguments"), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 4;
        var maxNodes = int.TryParse(Get("ToolkitOpenApiMaxNodes"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DocumentOptions.DefaultMaxNodes;
        var maxDepth = int.TryParse(Get("ToolkitOpenApiMaxDepth"), NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : DocumentOptions.DefaultMaxDepth;
        var maxSource = long.TryParse(Get("ToolkitOpenApiMaxSourceBytes"), NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0 ? b : DocumentOptions.DefaultMaxSourceBytes;
        var keep = string.Equals(Get("ToolkitOpenApiUnknownProperties"), "keep", StringComparison.OrdinalIgnoreCase);
        var docOptions = new DocumentOptions(Get("ToolkitOpenApiNamespace"), Get("ToolkitOpenApiClientName"), string.IsNullOrWhiteSpace(rootNs) ? null : rootNs, keep, maxArgs, HintKey(file.Path, projectDir), maxNodes, maxDepth, maxSource);
        return new InputFile(OpenApiParser.NormalizePath(file.Path), text, isOpenApi, docOptions);
    }

    /// <summary>The document's path relative to the project directory ("../../schemas/openapi/fts3.json"), or null when the
    /// build does not say where the project is (the full path then names the document, as in unit tests).</summary>
    private static string? HintKey(string path, string? projectDir)
    {
        if (string.IsNullOrWhiteSpace(projectDir))
        {
            return null;
        }

        return Uri.TryCreate(OpenApiParser.NormalizePath(projectDir!.Trim()).TrimEnd('/') + "/", UriKind.Absolute, out var from)
            && Uri.TryCreate(OpenApiParser.NormalizePath(path), UriKind.Absolute, out var to)
            ? Uri.UnescapeDataString(from.MakeRelativeUri(to).ToString())
            : null;
    }

    /// <summary>The files <paramref name="path"/> reaches through external <c>$ref</c>s, in path order (itself excluded).</summary>
    private static EquatableArray<JsonText> Reachable(string path, EquatableArray<JsonText> all)
    {
        var byPath = new Dictionary<string, JsonText>(StringComparer.Ordinal);
        foreach (var f in all)
        {
            byPath[f.Path] = f;
        }

        var seen = new SortedDictionary<string, JsonText>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        if (byPath.TryGetValue(path, out var self))
        {
            foreach (var r in self.References)
            {
                pending.Push(r);
            }
        }

        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (next == path || seen.ContainsKey(next) || !byPath.TryGetValue(next, out var file))
            {
                continue;
            }

            seen[next] = file;
            foreach (var r in file.References)
            {
                pending.Push(r);
            }
        }

        return new EquatableArray<JsonText>(seen.Values);
    }

    private static DocumentModel Parse(ParseInput input, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var others = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in input.Dependencies)
        {
            others[f.Path] = f.Text;
        }

        return OpenApiParser.Parse(input.File.Path, input.File.Text, input.File.Options, others);
    }

    /// <summary>One JSON AdditionalFile with its options.</summary>
    private sealed record InputFile(string Path, string Text, bool IsOpenApi, DocumentOptions Options);

    /// <summary>Path and text of one JSON or YAML file (for external $refs), with the files its own $refs name.</summary>
    private sealed record JsonText(string Path, string Text, EquatableArray<string> References);

    /// <summary>A document and the files it reaches through $refs: all the Parse step reads.</summary>
    private sealed record ParseInput(InputFile File, EquatableArray<JsonText> Dependencies);

    /// <summary>A client with the path of its document.</summary>
    private sealed record ClientUnit(string Path, string HintKey, ClientModel Client, long MaxSourceBytes);
}
