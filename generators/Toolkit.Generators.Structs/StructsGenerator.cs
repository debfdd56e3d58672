using System;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Toolkit.Generators.Common;
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

    private static readonly string Version = typeof(StructsGenerator).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

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
        {
            try
            {
                foreach (var (hint, source) in Emitter.Emit(model))
                {
                    spc.AddSource(hint, SourceText.From(source, Encoding.UTF8));
                }
            }
#pragma warning disable CA1031 // a generator bug becomes a diagnostic, never a compiler crash
            catch (Exception ex)
#pragma warning restore CA1031
            {
                spc.ReportDiagnostic(Diagnostic.Create(Descriptors.Get(DiagnosticIds.Internal), Location.None, "internal emitter error in namespace " + model.Namespace + ": " + ex.GetType().Name));
            }
        });
    }

    private static void Report(SourceProductionContext spc, EquatableArray<SchemaDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            var start = new LinePosition(Math.Max(0, d.Loc.Line - 1), Math.Max(0, d.Loc.Column - 1));
            var end = new LinePosition(start.Line, start.Character + Math.Max(0, d.Loc.Length));
            var location = Location.Create(d.Path, default, new LinePositionSpan(start, end));
            spc.ReportDiagnostic(Diagnostic.Create(Descriptors.Get(d.Id), location, d.Message));
        }
    }

    private sealed record SchemaInput(string Path, string Text, string? Namespace);
}

/// <summary>Diagnostic descriptors by id.</summary>
internal static class Descriptors
{
    private const string Category = "Toolkit.Structs";

    public static readonly DiagnosticDescriptor Syntax = new(DiagnosticIds.Syntax, "Struct schema syntax error", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Duplicate = new(DiagnosticIds.Duplicate, "Duplicate or colliding name in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Unknown = new(DiagnosticIds.Unknown, "Unknown type or member in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Layout = new(DiagnosticIds.Layout, "Invalid record layout in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Derived = new(DiagnosticIds.Derived, "Invalid derived field in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Union = new(DiagnosticIds.Union, "Invalid union in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Value = new(DiagnosticIds.Value, "Invalid value in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Text = new(DiagnosticIds.Text, "Invalid text structure in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Computed = new(DiagnosticIds.Computed, "Invalid computed expression in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Internal = new(DiagnosticIds.Internal, "Internal struct generator error", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Visitor = new(DiagnosticIds.Visitor, "Invalid visitor in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);

    private static readonly ImmutableDictionary<string, DiagnosticDescriptor> All = new[] { Syntax, Duplicate, Unknown, Layout, Derived, Union, Value, Text, Computed, Internal, Visitor }
        .ToImmutableDictionary(d => d.Id, StringComparer.Ordinal);

    public static DiagnosticDescriptor Get(string id) => All.TryGetValue(id, out var d) ? d : Internal;
}
