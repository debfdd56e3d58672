using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Toolkit.Generators.Structs.Emit;
using Toolkit.Generators.Structs.Model;
using Toolkit.Generators.Structs.Parsing;

namespace Toolkit.Generators.Structs;

/// <summary>
/// Incremental generator: <c>.structs</c> AdditionalFiles → pure parse → bind/validate → emit readers, models,
/// writers and a registry. Diagnostics are re-reported from the equatable models with rebuilt locations.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class StructsGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (used by caching tests).</summary>
    public static class TrackingNames
    {
        public const string Input = "StructsInput";
        public const string Parse = "StructsParse";
        public const string Bind = "StructsBind";
        public const string Model = "StructsModel";
    }

    private static readonly string Version = CSharp.VersionOf(typeof(StructsGenerator));

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var rootNamespace = context.AnalyzerConfigOptionsProvider.Select(static (o, _) =>
            o.GlobalOptions.TryGetValue("build_property.RootNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns) ? ns : "Toolkit.Generated");

        var inputs = context.AdditionalTextsProvider
            .Where(static f => f.Path.EndsWith(".structs", StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) =>
            {
                var text = pair.Left.GetText(ct)?.ToString() ?? string.Empty;
                pair.Right.GetOptions(pair.Left).TryGetValue("build_metadata.AdditionalFiles.StructsNamespace", out var ns);
                return new SchemaInput(pair.Left.Path, text, string.IsNullOrWhiteSpace(ns) ? null : ns);
            })
            .WithTrackingName(TrackingNames.Input);

        var files = inputs
            .Combine(rootNamespace)
            .Select(static (x, _) => Parser.Parse(x.Left.Path, x.Left.Text, x.Left.Namespace ?? x.Right))
            .WithTrackingName(TrackingNames.Parse);

        var bound = files.Collect()
            .Select(static (all, _) => Binder.Bind(all, Version))
            .WithTrackingName(TrackingNames.Bind);

        var models = bound.SelectMany(static (b, _) => b.Models.AsImmutableArray()).WithTrackingName(TrackingNames.Model);

        context.RegisterSourceOutput(files, static (spc, f) => Report(spc, f.Diagnostics));
        context.RegisterSourceOutput(bound, static (spc, b) => Report(spc, b.Diagnostics));
        context.RegisterSourceOutput(models, static (spc, model) =>
            GeneratorOutput.AddSources(spc, Descriptors.Internal, "namespace " + model.Namespace, SchemaPath(model), () => Emitter.Emit(model)));
    }

    /// <summary>The schema file(s) a namespace model comes from, for the internal-error diagnostic.</summary>
    private static string SchemaPath(NamespaceModel model)
        => model.Decls.Count == 0 ? model.Namespace : model.Decls[0].Path;

    private static void Report(SourceProductionContext spc, EquatableArray<SchemaDiagnostic> diagnostics)
        => Descriptors.Table.Report(spc, diagnostics.Select(d => d.ToInfo()));

    private sealed record SchemaInput(string Path, string Text, string? Namespace);
}
