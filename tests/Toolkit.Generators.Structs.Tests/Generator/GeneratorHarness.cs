using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Toolkit.Generators.Structs;

namespace Toolkit.Structs.Tests.Generator;

/// <summary>Drives the struct generator with CSharpGeneratorDriver over in-memory schema files.</summary>
internal static class GeneratorHarness
{
    public sealed class InMemoryText : AdditionalText
    {
        private readonly string _text;

        public InMemoryText(string path, string text)
        {
            Path = path;
            _text = text;
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(_text);
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var refs = tpa.Where(p => System.IO.Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || System.IO.Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        refs.Add(MetadataReference.CreateFromFile(typeof(Toolkit.Runtime.Binary.DecodeError).Assembly.Location));
        return refs.ToImmutableArray();
    });

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));

    public static GeneratorDriver Driver(params (string Path, string Text)[] schemas) =>
        CSharpGeneratorDriver.Create(
            new[] { new StructsGenerator().AsSourceGenerator() },
            schemas.Select(s => (AdditionalText)new InMemoryText(s.Path, s.Text)),
            new CSharpParseOptions(LanguageVersion.Latest),
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(params (string Path, string Text)[] schemas)
    {
        var driver = Driver(schemas);
        driver = driver.RunGeneratorsAndUpdateCompilation(Compilation("namespace Consumer; internal static class Anchor { }"), out var output, out var diagnostics);
        return (driver.GetRunResult(), output, diagnostics);
    }

    public static string SchemaText(string name) => File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "schemas", name));

    public static IEnumerable<Diagnostic> Problems(Compilation c) =>
        c.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning || d.IsWarningAsError);
}
