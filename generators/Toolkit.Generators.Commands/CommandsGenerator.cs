using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Generators.Commands.Emit;
using Toolkit.Generators.Commands.Model;
using Toolkit.Generators.Commands.Parsing;

namespace Toolkit.Generators.Commands;

/// <summary>
/// Incremental generator: command schemas (YAML or JSON AdditionalFiles with a top-level <c>commands-schema: 1</c>)
/// → typed async commands over IAlienChannel, row types read with Utf8JsonReader, argv builders, and the shell's verb
/// table. A schema with any error generates nothing; its diagnostics (TKCxxx) carry the file, line and column.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CommandsGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (used by the cache tests).</summary>
    public static class Steps
    {
        public const string Inputs = "Commands.Inputs";
        public const string Parse = "Commands.Parse";
        public const string Models = "Commands.Models";
        public const string Diagnostics = "Commands.Diagnostics";
    }

    private const string Meta = "build_metadata.AdditionalFiles.";

    private static readonly string Version = CSharp.VersionOf(typeof(CommandsGenerator));

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var inputs = context.AdditionalTextsProvider
            .Where(static f => CommandSchemaParser.IsYaml(f.Path) || f.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadInput(pair.Left, pair.Right, ct))
            .Where(static i => i is not null)
            .Select(static (i, _) => i!)
            .WithTrackingName(Steps.Inputs);

        var parsed = inputs
            .Select(static (i, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                var r = CommandSchemaParser.Parse(i.Path, i.Text, i.Options, i.HintKey);
                return new ParseResult(r.Model, new EquatableArray<DiagnosticInfo>(i.OptionDiagnostics.Concat(r.Diagnostics)));
            })
            .WithTrackingName(Steps.Parse);

        var diagnostics = parsed.Select(static (r, _) => r.Diagnostics).WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) => Parsing.Diagnostics.Table.Report(spc, list));

        var models = parsed.Where(static r => r.Model is not null).Select(static (r, _) => r.Model!).WithTrackingName(Steps.Models);
        context.RegisterSourceOutput(models, static (spc, m) =>
            GeneratorOutput.AddSources(spc, Parsing.Diagnostics.Internal, "commands " + m.Namespace + "." + m.Prefix, m.Path, () => CommandEmitter.Emit(m, Version),
                new SourceBudget(m.MaxSourceBytes, Parsing.Diagnostics.OverBudget, "ToolkitCommandsMaxSourceBytes")));

        // Two schemas generating the same classes in the same namespace cannot both compile: say so.
        var duplicates = models.Collect().Select(static (all, _) =>
            new EquatableArray<DiagnosticInfo>(all
                .GroupBy(m => m.Namespace + "." + m.Prefix, StringComparer.Ordinal)
                .Where(g => g.Count() > 1)
                .SelectMany(g => g.OrderBy(m => m.Path, StringComparer.Ordinal).Skip(1))
                .Select(m => DiagnosticInfo.AtFile(Parsing.Diagnostics.Duplicate.Id, "another command schema also generates " + m.Namespace + "." + m.Prefix + "Commands; give one of them another 'name' or ToolkitCommandsNamespace", m.Path))));
        context.RegisterSourceOutput(duplicates, static (spc, list) => Parsing.Diagnostics.Table.Report(spc, list));
    }

    private static Input? ReadInput(AdditionalText file, AnalyzerConfigOptionsProvider provider, CancellationToken ct)
    {
        var options = provider.GetOptions(file);
        string? Get(string name) => options.TryGetValue(Meta + name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var force = Get("ToolkitCommands");
        if (force is not null && string.Equals(force, "false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var text = file.GetText(ct)?.ToString() ?? string.Empty;
        if (force is null && !CommandSchemaParser.LooksLikeCommandSchema(text))
        {
            return null;
        }

        var path = file.Path.Replace('\\', '/');
        var optionDiagnostics = new System.Collections.Generic.List<DiagnosticInfo>();
        long Budget(string name, long fallback)
        {
            var raw = Get(name);
            if (raw is null)
            {
                return fallback;
            }

            if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 && v <= int.MaxValue)
            {
                return v;
            }

            optionDiagnostics.Add(DiagnosticInfo.AtFile(Parsing.Diagnostics.InvalidOption.Id, name + "='" + raw + "' is not a positive number; the default " + fallback.ToString(CultureInfo.InvariantCulture) + " is used", path));
            return fallback;
        }

        provider.GlobalOptions.TryGetValue("build_property.RootNamespace", out var rootNs);
        var schemaOptions = new SchemaOptions(
            Get("ToolkitCommandsNamespace"),
            string.IsNullOrWhiteSpace(rootNs) ? null : rootNs!.Trim(),
            (int)Budget("ToolkitCommandsMaxNodes", SchemaOptions.DefaultMaxNodes),
            Budget("ToolkitCommandsMaxSchemaBytes", SchemaOptions.DefaultMaxSchemaBytes),
            Budget("ToolkitCommandsMaxSourceBytes", SchemaOptions.DefaultMaxSourceBytes));
        return new Input(path, text, schemaOptions, System.IO.Path.GetFileName(path), new EquatableArray<DiagnosticInfo>(optionDiagnostics));
    }

    private sealed record Input(string Path, string Text, SchemaOptions Options, string HintKey, EquatableArray<DiagnosticInfo> OptionDiagnostics);
}
