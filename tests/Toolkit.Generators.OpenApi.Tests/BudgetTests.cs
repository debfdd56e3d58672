using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// Hostile documents (issue 17): a YAML alias bomb and other documents that would hold a consumer's build hostage
/// end in a positioned diagnostic within a bounded time, never in unbounded memory.
/// </summary>
public class BudgetTests
{
    /// <summary><c>L0: &amp;l0 {type: string}</c>, then each level an object with nine properties aliasing the level below.</summary>
    internal static string AliasBomb(int levels)
    {
        var sb = new StringBuilder("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    L0: &l0 {type: string}\n");
        for (var i = 1; i <= levels; i++)
        {
            var props = string.Join(", ", "abcdefghi".Select(c => c + ": *l" + (i - 1)));
            sb.Append("    L").Append(i).Append(": &l").Append(i).Append(" {type: object, properties: {").Append(props).Append("}}\n");
        }

        return sb.ToString();
    }

    private static GeneratorHarness.Result RunGuarded(string path, string text, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? perFile = null)
    {
        // Guard: the unfixed generator walks 9^levels nodes; give up after a bounded time rather than eat all memory.
        var run = Task.Run(() => GeneratorHarness.Run(new[] { (path, text) }, perFile));
        Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "the generator did not finish within 60 s");
        return run.Result;
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    public void Yaml_alias_bomb_is_a_positioned_budget_error(int levels)
    {
        // 9^8 = 43,046,721 nodes once the aliases are expanded.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var result = RunGuarded("/p/bomb.yaml", AliasBomb(levels));
        watch.Stop();
        var d = Assert.Single(result.GeneratorDiagnostics, x => x.Id == "TKO010");
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("/p/bomb.yaml", d.Location.GetLineSpan().Path);
        Assert.True(d.Location.GetLineSpan().StartLinePosition.Line >= 5, d.ToString());
        Assert.Contains("ToolkitOpenApiMaxNodes", d.GetMessage(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "took " + watch.Elapsed);
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 512L * 1024 * 1024);
    }

    [Fact]
    public void Alias_bomb_through_inline_allOf_parts_is_a_budget_error()
    {
        // allOf parts are merged into one declaration without resolving them as schemas: they must count too.
        var sb = new StringBuilder("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    L0: &l0 {type: object}\n");
        for (var i = 1; i <= 9; i++)
        {
            sb.Append("    L").Append(i).Append(": &l").Append(i).Append(" {allOf: [").Append(string.Join(", ", Enumerable.Repeat("*l" + (i - 1), 9))).Append("]}\n");
        }

        var result = RunGuarded("/p/allof.yaml", sb.ToString());
        var d = Assert.Single(result.GeneratorDiagnostics, x => x.Id == "TKO010");
        Assert.Equal("/p/allof.yaml", d.Location.GetLineSpan().Path);
    }

    [Fact]
    public void A_small_alias_tree_within_the_budget_still_generates()
    {
        var result = RunGuarded("/p/small.yaml", AliasBomb(2));
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics.Select(x => x.ToString()));
    }

    [Fact]
    public void Max_nodes_is_overridable_per_file()
    {
        var perFile = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["/p/small.yaml"] = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitOpenApiMaxNodes"] = "20" },
        };
        var result = RunGuarded("/p/small.yaml", AliasBomb(2), perFile);
        var d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TKO010", d.Id);
        Assert.Contains("20", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Max_depth_is_a_positioned_budget_error()
    {
        var sb = new StringBuilder("{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{},\"components\":{\"schemas\":{\"Root\":");
        const int depth = 40;
        for (var i = 0; i < depth; i++)
        {
            sb.Append("{\"type\":\"object\",\"properties\":{\"x\":");
        }

        sb.Append("{\"type\":\"string\"}");
        sb.Append('}', 2 * depth).Append("}}}");
        var perFile = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["/p/deep.json"] = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitOpenApiMaxDepth"] = "16" },
        };
        var result = RunGuarded("/p/deep.json", sb.ToString(), perFile);
        var d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TKO010", d.Id);
        Assert.Contains("ToolkitOpenApiMaxDepth", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_source_over_its_budget_is_a_budget_error_with_nothing_emitted()
    {
        const string doc = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{\"/x\":{\"get\":{\"operationId\":\"getX\",\"responses\":{\"200\":{\"description\":\"ok\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Root\"}}}}}}}},"
            + "\"components\":{\"schemas\":{\"Root\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\"}}}}}}";
        var within = RunGuarded("/p/src.json", doc);
        Assert.Empty(within.GeneratorDiagnostics);
        Assert.NotEmpty(within.Run.GeneratedTrees);

        var perFile = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["/p/src.json"] = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitOpenApiMaxSourceBytes"] = "2000" },
        };
        var over = RunGuarded("/p/src.json", doc, perFile);
        Assert.NotEmpty(over.GeneratorDiagnostics);
        Assert.All(over.GeneratorDiagnostics, d =>
        {
            Assert.Equal("TKO010", d.Id);
            Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.Severity);
            Assert.Equal("/p/src.json", d.Location.GetLineSpan().Path);
            Assert.Contains("ToolkitOpenApiMaxSourceBytes", d.GetMessage(), StringComparison.Ordinal);
        });
        Assert.DoesNotContain(over.Run.GeneratedTrees, t => t.ToString().Length > 2000);
    }
}
