using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Toolkit.Generators.Common;

namespace Toolkit.Structs.Tests.Generator;

/// <summary>The shared generator infrastructure as the struct generator uses it: escaping and emitter crashes.</summary>
public sealed class InfrastructureTests
{
    private const string Payload = "[System.Runtime.CompilerServices.ModuleInitializer] internal static void I() { System.IO.File.WriteAllText(\"/tmp/Injected\",\"x\"); }";

    [Theory]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    [InlineData("\u0085")]
    [InlineData("\r")]
    public void Doc_comments_and_string_literals_cannot_inject_code(string terminator)
    {
        var schema = "namespace Inj;\n"
            + "/// ok" + terminator + Payload + terminator + "///\n"
            + "struct A {\n"
            + "  /// field" + terminator + Payload + terminator + "///\n"
            + "  val: u8;\n"
            + "}\n"
            + "/// keys" + terminator + Payload + "\n"
            + "text K cgi { alpha = \"a" + terminator + "\\\"); } class X { //\"; beta: int = \"b\"; }\n"
            + "text W pattern \"<{name}>" + terminator + "\\\"x{id:int}\";\n";
        var (result, output, diagnostics) = GeneratorHarness.Run(("/s/inj.structs", schema));
        Assert.Empty(diagnostics.Select(d => d.ToString()));
        Assert.NotEmpty(result.GeneratedTrees);
        Assert.Empty(GeneratorHarness.Problems(output).Select(d => d.ToString()));
        foreach (var tree in result.GeneratedTrees)
        {
            var root = tree.GetRoot();
            Assert.DoesNotContain(root.DescendantNodes().OfType<AttributeSyntax>(), a => a.ToString().Contains("ModuleInitializer", StringComparison.Ordinal));
            Assert.DoesNotContain(root.DescendantNodes().OfType<MethodDeclarationSyntax>(), m => m.Identifier.Text == "I");
            Assert.DoesNotContain(root.DescendantNodes().OfType<ClassDeclarationSyntax>(), c => c.Identifier.Text == "X");
            foreach (var line in SourceText.From(tree.ToString()).Lines)
            {
                var text = line.ToString();
                var at = text.IndexOf("[System.Runtime.CompilerServices.ModuleInitializer]", StringComparison.Ordinal);
                if (at >= 0)
                {
                    Assert.StartsWith("///", text.Substring(0, at).TrimStart(), StringComparison.Ordinal);
                }
            }
        }

        Assert.Empty(output.GetSymbolsWithName("I", SymbolFilter.Member));
    }

    [Fact]
    public void An_emitter_crash_is_TKS010_and_the_namespace_is_not_emitted()
    {
        const string Unit = "namespace Crash.Structs";
        GeneratorOutput.FaultInjection[Unit] = true;
        try
        {
            var (result, output, diagnostics) = GeneratorHarness.Run(("/s/crash.structs", "namespace Crash.Structs;\nstruct A { val: u8; }\n"));
            Assert.True(diagnostics.Length == 1, string.Join("; ", diagnostics));
            var d = diagnostics[0];
            Assert.Equal("TKS010", d.Id);
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            Assert.Equal("/s/crash.structs", d.Location.GetLineSpan().Path);
            var message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("crash.structs", message, StringComparison.Ordinal);
            Assert.Contains("Crash.Structs", message, StringComparison.Ordinal);
            Assert.Contains("InvalidOperationException", message, StringComparison.Ordinal);
            Assert.Empty(result.GeneratedTrees);
            Assert.DoesNotContain(output.GetDiagnostics(), x => x.Severity == DiagnosticSeverity.Error);
        }
        finally
        {
            GeneratorOutput.FaultInjection.TryRemove(Unit, out _);
        }
    }

    [Fact]
    public void Every_descriptor_is_released_and_documented_once()
    {
        var table = Toolkit.Generators.Structs.Descriptors.Table.All.Select(d => d.Id).ToList();
        var released = System.IO.File.ReadAllLines(Toolkit.TestSupport.RepoPaths.Combine("generators", "Toolkit.Generators.Structs", "AnalyzerReleases.Unshipped.md"))
            .Where(l => l.StartsWith("TKS", StringComparison.Ordinal)).Select(l => l.Split('|')[0].Trim()).ToList();
        var documented = System.IO.File.ReadAllLines(Toolkit.TestSupport.RepoPaths.Combine("docs", "struct-dsl.md"))
            .Where(l => l.StartsWith("| TKS", StringComparison.Ordinal)).Select(l => l.Split('|')[1].Trim()).ToList();
        Assert.Equal(table.Count, table.Distinct().Count());
        Assert.Equal(table, released.OrderBy(x => x, StringComparer.Ordinal));
        Assert.Equal(table, documented.OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void Generated_code_carries_the_generator_version()
    {
        var (result, _, _) = GeneratorHarness.Run(("/s/v.structs", "namespace V;\nstruct A { val: u8; }\n"));
        var version = typeof(Toolkit.Generators.Structs.StructsGenerator).Assembly.GetName().Version!.ToString(3);
        Assert.All(result.GeneratedTrees, t => Assert.Contains("GeneratedCode(\"Toolkit\", \"" + version + "\")", t.ToString(), StringComparison.Ordinal));
    }
}
