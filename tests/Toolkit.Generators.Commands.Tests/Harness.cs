using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Toolkit.Generators.Commands;

namespace Toolkit.Commands.Tests;

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class MemoryText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>Per-file and global analyzer options for the driver.</summary>
internal sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> perFile, IReadOnlyDictionary<string, string> global) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(perFile);

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            if (values.TryGetValue(key, out var v))
            {
                value = v;
                return true;
            }

            value = string.Empty;
            return false;
        }
    }
}

/// <summary>Runs the command generator through CSharpGeneratorDriver and compiles what it produced (Nullable, every warning).</summary>
internal static class Harness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var refs = tpa.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        refs.Add(MetadataReference.CreateFromFile(typeof(Toolkit.JAliEn.IAlienChannel).Assembly.Location));
        return refs.ToImmutableArray();
    });

    public static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path) is { } d && Directory.Exists(d) ? d : AppContext.BaseDirectory;

    public static string Schema(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", name));

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    public sealed record Result(GeneratorDriverRunResult Run, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, ImmutableArray<Diagnostic> CompileDiagnostics)
    {
        public ImmutableArray<GeneratedSourceResult> Sources => Run.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray();

        public IEnumerable<Diagnostic> Errors => GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
    }

    public static Result Run(string path, string text, IReadOnlyDictionary<string, string>? perFile = null)
        => Run(new[] { (path, text) }, perFile);

    public static Result Run((string Path, string Text)[] files, IReadOnlyDictionary<string, string>? perFile = null)
    {
        var driver = CSharpGeneratorDriver.Create(
            new[] { new CommandsGenerator().AsSourceGenerator() },
            files.Select(f => (AdditionalText)new MemoryText(f.Path, f.Text)),
            ParseOptions,
            new TestOptionsProvider(perFile ?? new Dictionary<string, string>(), new Dictionary<string, string> { ["build_property.RootNamespace"] = "Consumer" }),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        var input = CSharpCompilation.Create(
            "GeneratedUnderTest",
            new[] { CSharpSyntaxTree.ParseText("namespace Consumer; internal static class Anchor { }", ParseOptions) },
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Error }));
        var run = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var compile = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new Result(run.GetRunResult(), output, diagnostics, compile);
    }

    /// <summary>Emits the compilation and loads it in a collectible context.</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var ms = new MemoryStream();
        var emit = compilation.Emit(ms);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        ms.Position = 0;
        var alc = new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        alc.Resolving += (_, name) => name.Name == "Toolkit.JAliEn" ? typeof(Toolkit.JAliEn.IAlienChannel).Assembly : null;
        return alc.LoadFromStream(ms);
    }

    /// <summary>Asserts the run reported no error and its output compiles with no warning.</summary>
    public static void AssertClean(Result r)
    {
        Assert.Empty(r.Errors);
        Assert.True(r.CompileDiagnostics.IsEmpty, string.Join("\n", r.CompileDiagnostics.Take(20)));
    }
}
