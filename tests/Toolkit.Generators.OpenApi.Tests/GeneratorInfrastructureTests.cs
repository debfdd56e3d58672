using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Toolkit.Generators.Common;
using Toolkit.Generators.OpenApi;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// The shared generator infrastructure as the OpenAPI generator uses it: one escaping path for schema text,
/// emitter crashes as diagnostics, real diagnostic spans, and per-document caching.
/// </summary>
public class GeneratorInfrastructureTests
{
    private const string Payload = "[System.Runtime.CompilerServices.ModuleInitializer] internal static void I() { System.IO.File.WriteAllText(\\\"/tmp/Injected\\\",\\\"x\\\"); }";

    public static TheoryData<string, string> InjectionDocuments()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, terminator) in new[] { ("U+2028", "\\u2028"), ("U+2029", "\\u2029"), ("U+0085", "\\u0085"), ("CR", "\\r"), ("LF", "\\n") })
        {
            data.Add(name + " in a property description",
                "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{},\"components\":{\"schemas\":{\"Root\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\",\"description\":\"ok" + terminator + Payload + terminator + "///\"}}}}}}");
        }

        data.Add("LF in a multi-line security scheme description",
            "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{},\"components\":{\"securitySchemes\":{\"X\":{\"type\":\"apiKey\",\"in\":\"header\",\"name\":\"X-Key\",\"description\":\"first line\\nok\\n" + Payload + "\\n///\"}},\"schemas\":{}}}");
        data.Add("U+2028 in the title, version, enum value and default",
            "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\\u2028" + Payload + "\",\"version\":\"1\\u2029" + Payload + "\",\"description\":\"a\\u0085" + Payload + "\"},\"paths\":{},\"components\":{\"schemas\":{\"E\":{\"type\":\"string\",\"enum\":[\"a\\u2028" + Payload + "\"]},\"R\":{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"default\":\"d\\u2028\\\"" + Payload + "\"}}}}}}");
        return data;
    }

    [Theory]
    [MemberData(nameof(InjectionDocuments))]
    public void Schema_text_never_leaves_a_comment_or_a_literal(string name, string document)
    {
        var r = GeneratorHarness.Run(("/p/t.json", document));
        Assert.True(r.Run.GeneratedTrees.Length > 0, name);
        Assert.Empty(r.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        foreach (var tree in r.Run.GeneratedTrees)
        {
            var root = tree.GetRoot();
            Assert.DoesNotContain(root.DescendantNodes().OfType<AttributeSyntax>(), a => a.ToString().Contains("ModuleInitializer", StringComparison.Ordinal));
            Assert.DoesNotContain(root.DescendantNodes().OfType<MethodDeclarationSyntax>(), m => m.Identifier.Text == "I");

            // Every line (by C#'s own line terminators) that carries the payload has it inside a comment or a literal.
            foreach (var line in SourceText.From(tree.ToString()).Lines)
            {
                var text = line.ToString();
                var at = text.IndexOf("[System.Runtime.CompilerServices.ModuleInitializer]", StringComparison.Ordinal);
                if (at >= 0)
                {
                    var before = text.Substring(0, at);
                    Assert.True(before.TrimStart().StartsWith("///", StringComparison.Ordinal) || before.Contains('"', StringComparison.Ordinal), name + ": " + text);
                }
            }
        }

        Assert.Empty(r.Output.GetSymbolsWithName("I", SymbolFilter.Member));
    }

    [Fact]
    public void Escaping_helpers_cover_every_line_terminator()
    {
        foreach (var c in new[] { '\r', '\n', '\u0085', '\u2028', '\u2029' })
        {
            Assert.True(CSharp.IsLineTerminator(c));
            Assert.DoesNotContain(c, CSharp.XmlDoc("a" + c + "b"));
            Assert.DoesNotContain(c, CSharp.Literal("a" + c + "b"));
            Assert.DoesNotContain(c, CSharp.CharLiteral(c));
            Assert.Equal(new[] { "a", "b" }, CSharp.Lines("a" + c + "b"));
        }

        Assert.Equal(new[] { "a", "b" }, CSharp.Lines("a\r\nb"));
        Assert.Equal("&lt;x&gt; &amp;", CSharp.XmlDoc("<x>\u0001&"));
        Assert.Equal("\"q\\\"\\\\\"", CSharp.Literal("q\"\\"));
        Assert.Equal("'\\''", CSharp.CharLiteral('\''));
        Assert.Equal("@class", CSharp.Identifier("class"));
        Assert.False(CSharp.IsIdentifier("class"));
    }

    [Fact]
    public void An_emitter_crash_is_TKO009_and_the_unit_is_not_emitted()
    {
        const string Unit = "model Consumer.Crash.Root";
        GeneratorOutput.FaultInjection[Unit] = true;
        try
        {
            var doc = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{},\"components\":{\"schemas\":{\"Root\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}},\"Other\":{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\"}}}}}}";
            var r = GeneratorHarness.Run(("/p/crash.json", doc));
            var d = Assert.Single(r.GeneratorDiagnostics, x => x.Id == "TKO009");
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            Assert.Equal("/p/crash.json", d.Location.GetLineSpan().Path);
            Assert.Contains("Root", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("crash.json", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("InvalidOperationException", d.GetMessage(), StringComparison.Ordinal);
            Assert.DoesNotContain(r.Run.GeneratedTrees, t => t.FilePath.Contains("CrashClient.Root.", StringComparison.Ordinal));
            Assert.Contains(r.Run.GeneratedTrees, t => t.FilePath.Contains("CrashClient.Other.", StringComparison.Ordinal));
        }
        finally
        {
            GeneratorOutput.FaultInjection.TryRemove(Unit, out _);
        }
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Diagnostic_spans_agree_with_the_source_text(string newline)
    {
        var text = string.Join(newline, "{", "  \"openapi\": \"3.0.3\",", "  \"info\": { \"title\": \"T\u2029x\", \"version\": \"1\" },", "  \"paths\": {},", "  \"components\": { \"schemas\": { \"A\": { \"$ref\": \"#/components/schemas/Missing\" } } }", "}");
        var r = GeneratorHarness.Run(("/p/t.json", text));
        var d = Assert.Single(r.GeneratorDiagnostics, x => x.Id == "TKO002");
        var span = d.Location.SourceSpan;
        Assert.True(span.Length > 0);
        Assert.StartsWith("\"#/components/schemas/Missing\"", text.Substring(span.Start), StringComparison.Ordinal);
        Assert.Equal(SourceText.From(text).Lines.GetLinePositionSpan(span), d.Location.GetLineSpan().Span);
        Assert.Equal(5, d.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void Editing_a_document_reparses_only_it_and_the_documents_that_ref_it()
    {
        static string Doc(string title, string schemas) => "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"" + title + "\",\"version\":\"1\"},\"paths\":{},\"components\":{\"schemas\":" + schemas + "}}";
        var a = new MemoryText("/p/a.json", Doc("A", "{\"UsesShared\":{\"$ref\":\"shared/shared.json#/S\"}}"));
        var b = new MemoryText("/p/b.json", Doc("B", "{\"Alone\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\"}}}}"));
        var c = new MemoryText("/p/c.json", Doc("C", "{\"UsesDeep\":{\"$ref\":\"shared/deep.json#/D\"}}"));
        var shared = new MemoryText("/p/shared/shared.json", "{\"S\":{\"type\":\"object\",\"properties\":{\"d\":{\"$ref\":\"deep.json#/D\"}}}}");
        var deep = new MemoryText("/p/shared/deep.json", "{\"D\":{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"string\"}}}}");
        var unrelated = new MemoryText("/p/package.json", "{\"name\":\"x\"}");
        var driver = GeneratorHarness.CreateDriver(new AdditionalText[] { a, b, c, shared, deep, unrelated });
        var compilation = GeneratorHarness.EmptyCompilation();
        driver = driver.RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);

        // Edit the standalone document: only it is parsed again.
        var b2 = new MemoryText(b.Path, b.GetText()!.ToString().Replace("\"x\"", "\"y\"", StringComparison.Ordinal));
        driver = driver.ReplaceAdditionalText(b, b2).RunGenerators(compilation);
        Assert.Equal(new[] { "/p/b.json" }, Reparsed(driver));

        // Edit a file that is not a document and that nothing refers to: nothing is parsed again.
        driver = driver.ReplaceAdditionalText(unrelated, new MemoryText(unrelated.Path, "{\"name\":\"y\"}")).RunGenerators(compilation);
        Assert.Empty(Reparsed(driver));

        // Edit the file a refers to: a is parsed again, b and c are not.
        var shared2 = new MemoryText(shared.Path, shared.GetText()!.ToString().Replace("\"d\"", "\"e\"", StringComparison.Ordinal));
        driver = driver.ReplaceAdditionalText(shared, shared2).RunGenerators(compilation);
        Assert.Equal(new[] { "/p/a.json" }, Reparsed(driver));

        // Edit the file both reach (a through shared.json, c directly): both are parsed again, b is not.
        var deep2 = new MemoryText(deep.Path, deep.GetText()!.ToString().Replace("\"v\"", "\"w\"", StringComparison.Ordinal));
        driver = driver.ReplaceAdditionalText(deep, deep2).RunGenerators(compilation);
        Assert.Equal(new[] { "/p/a.json", "/p/c.json" }, Reparsed(driver));
        var types = driver.GetRunResult().Results.Single().TrackedSteps[OpenApiGenerator.Steps.Types].SelectMany(s => s.Outputs)
            .Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New)
            .Select(o => ((TypeUnit)o.Value).Decl.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Contains("D", types);
    }

    [Fact]
    public void Every_descriptor_is_released_and_documented_once()
    {
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(GeneratorHarness.SourceDir(), "..", ".."));
        var table = Toolkit.Generators.OpenApi.Parsing.Diagnostics.Table.All.Select(d => d.Id).ToList();
        var released = System.IO.File.ReadAllLines(System.IO.Path.Combine(root, "generators", "Toolkit.Generators.OpenApi", "AnalyzerReleases.Unshipped.md"))
            .Where(l => l.StartsWith("TKO", StringComparison.Ordinal)).Select(l => l.Split('|')[0].Trim()).ToList();
        var documented = System.IO.File.ReadAllLines(System.IO.Path.Combine(root, "docs", "openapi-generator.md"))
            .Where(l => l.StartsWith("| TKO", StringComparison.Ordinal)).Select(l => l.Split('|')[1].Trim()).ToList();
        Assert.Equal(table.Count, table.Distinct().Count());
        Assert.Equal(table, released.OrderBy(x => x, StringComparer.Ordinal));
        Assert.Equal(table, documented.OrderBy(x => x, StringComparer.Ordinal));
    }

    /// <summary>The documents whose Parse step ran (anything but Cached) in the last run, in path order.</summary>
    private static List<string> Reparsed(GeneratorDriver driver)
        => driver.GetRunResult().Results.Single().TrackedSteps[OpenApiGenerator.Steps.Parse]
            .SelectMany(s => s.Outputs)
            .Where(o => o.Reason != IncrementalStepRunReason.Cached)
            .Select(o => ((DocumentModel)o.Value).Path)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
}
