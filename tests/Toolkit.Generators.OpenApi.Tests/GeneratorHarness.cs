using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Toolkit.Generators.OpenApi;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class MemoryText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>Per-file and global analyzer options for the driver.</summary>
internal sealed class TestOptionsProvider(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> perFile, IReadOnlyDictionary<string, string> global) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
        => new Options(perFile.TryGetValue(textFile.Path, out var o) ? o : new Dictionary<string, string>());

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

/// <summary>Runs the OpenAPI generator through CSharpGeneratorDriver and compiles what it produced.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var refs = tpa.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Extensions.Logging.Abstractions.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        refs.Add(MetadataReference.CreateFromFile(typeof(Toolkit.Runtime.Json.ApiJson).Assembly.Location));
        return refs.ToImmutableArray();
    });

    /// <summary>
    /// The test project's folder. A CI build (<c>ContinuousIntegrationBuild</c>) maps source paths to <c>/_/</c>, so
    /// when the caller's path does not exist the folder is found above the test binaries instead.
    /// </summary>
    public static string SourceDir([CallerFilePath] string path = "")
    {
        var dir = Path.GetDirectoryName(path)!;
        if (Directory.Exists(dir))
        {
            return dir;
        }

        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Toolkit.Generators.OpenApi.Tests.csproj")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException("Toolkit.Generators.OpenApi.Tests.csproj not found above " + AppContext.BaseDirectory);
    }

    public static string Schema(string name) => File.ReadAllText(Path.Combine(SourceDir(), "Schemas", name));

    public static CSharpCompilation EmptyCompilation(params SyntaxTree[] trees)
        => CSharpCompilation.Create(
            "GeneratedUnderTest",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Error }));

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> files, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? perFile = null, string? rootNamespace = "Consumer")
    {
        var global = new Dictionary<string, string>();
        if (rootNamespace is not null)
        {
            global["build_property.RootNamespace"] = rootNamespace;
        }

        return CSharpGeneratorDriver.Create(
            new[] { new OpenApiGenerator().AsSourceGenerator() },
            files,
            ParseOptions,
            new TestOptionsProvider(perFile ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(), global),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    public sealed record Result(GeneratorDriverRunResult Run, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, ImmutableArray<Diagnostic> CompileDiagnostics);

    public static Result Run(params (string Path, string Text)[] files) => Run(files, null);

    public static Result Run((string Path, string Text)[] files, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? perFile)
    {
        var driver = CreateDriver(files.Select(f => (AdditionalText)new MemoryText(f.Path, f.Text)), perFile);
        var input = EmptyCompilation(CSharpSyntaxTree.ParseText("namespace Consumer; internal static class Anchor { }", ParseOptions));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var compile = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new Result(driver.GetRunResult(), output, diagnostics, compile);
    }
}
