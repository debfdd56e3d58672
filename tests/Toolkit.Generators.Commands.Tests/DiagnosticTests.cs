using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Toolkit.Commands.Tests;

/// <summary>Bad schemas: each gives its TKC diagnostic at the right line and column, and nothing is generated for the file.</summary>
public sealed class DiagnosticTests
{
    private const string Head = "commands-schema: 1\ncommands:\n";

    public static IEnumerable<object[]> Cases() => new[]
    {
        new object[] { "commands-schema: 1\ncommands: [\n", "TKC001", 1 },
        new object[] { "commands-schema: 1\ncommands:\n  ls: {}\n\tbad: 1\n", "TKC001", 3 },
        new object[] { "commands-schema: 2\ncommands: {}\n", "TKC002", 0 },
        new object[] { Head + "  ls:\n    sumary: typo\n", "TKC002", 3 },
        new object[] { Head + "  ls:\n    args: {name: x}\n", "TKC002", 3 },
        new object[] { Head + "  ls:\n    args:\n      - {name: x, type: path}\n", "TKC003", 4 },
        new object[] { Head + "  ls:\n    options:\n      - {flag: -l, kind: sometimes}\n", "TKC003", 4 },
        new object[] { Head + "  ls:\n    result:\n      fields:\n        size: {type: int128}\n", "TKC003", 5 },
        new object[] { Head + "  ls:\n    options:\n      - {flag: -l}\n      - {flag: -l, name: limit, type: int}\n", "TKC004", 5 },
        new object[] { Head + "  ls:\n    options:\n      - {flag: -a, name: all}\n      - {flag: -b, name: All}\n", "TKC004", 5 },
        new object[] { Head + "  ls: {}\n  Ls: {}\n", "TKC004", 3 },
        new object[] { Head + "  ls:\n    result:\n      fields:\n        a_b: string\n        aB: string\n", "TKC004", 6 },
        new object[] { Head + "  ls:\n    result: {row: X}\n  cd:\n    result: {row: X}\n", "TKC004", 5 },
        new object[] { Head + "  ls:\n    result: {row: AlienCommands}\n", "TKC004", 3 },
        new object[] { Head + "  ls:\n    args:\n      - {name: m, type: enum, values: [a, A]}\n", "TKC004", 4 },
        new object[] { Head + "  ls:\n    args:\n      - {name: context}\n", "TKC004", 4 },
        new object[] { Head + "  \"a b\": {}\n", "TKC005", 2 },
        new object[] { Head + "  \"!!\": {}\n", "TKC005", 2 },
        new object[] { Head + "  ls:\n    options:\n      - {flag: l}\n", "TKC005", 4 },
        new object[] { Head + "  ls:\n    options:\n      - {flag: \"-a b\"}\n", "TKC005", 4 },
        new object[] { Head + "  ls:\n    result: {row: \"class\"}\n", "TKC005", 3 },
        new object[] { Head + "  ls:\n    result:\n      fields:\n        message: string\n", "TKC005", 5 },
        new object[] { Head + "  ls:\n    result:\n      fields:\n        toString: string\n", "TKC005", 5 },
        new object[] { Head + "  ls:\n    result:\n      fields:\n        \"a\\ud800\": string\n", "TKC001", 5 },
        new object[] { "commands-schema: 1\nname: \"1x\"\ncommands: {}\n", "TKC005", 1 },
        new object[] { Head + "  ls:\n    result:\n      fields:\n        s: {type: string, when: nope}\n", "TKC006", 5 },
        new object[] { Head + "  ls:\n    args:\n      - {name: a, optional: true}\n      - {name: b}\n", "TKC006", 5 },
        new object[] { Head + "  ls:\n    args:\n      - {name: a, variadic: true}\n      - {name: b}\n", "TKC006", 4 },
        new object[] { Head + "  ls:\n    args:\n      - {name: n, type: int, default: many}\n", "TKC006", 4 },
        new object[] { Head + "  ls:\n    options:\n      - {flag: -n, type: int, default: 3}\n", "TKC006", 4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadSchemasArePositionedErrorsAndEmitNothing(string yaml, string id, int line)
    {
        var r = Harness.Run("bad.yaml", yaml);
        var d = r.GeneratorDiagnostics.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, "expected " + id + ", got: " + string.Join("; ", r.GeneratorDiagnostics));
        Assert.Equal(DiagnosticSeverity.Error, d!.Severity);
        Assert.Equal("bad.yaml", d.Location.GetLineSpan().Path);
        Assert.Equal(line, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Empty(r.Sources);
    }

    [Fact]
    public void TheColumnIsThatOfTheOffendingToken()
    {
        var r = Harness.Run("bad.yaml", Head + "  ls:\n    options:\n      - {flag: -l, kind: sometimes}\n");
        var d = r.GeneratorDiagnostics.Single(x => x.Id == "TKC003");
        Assert.Equal("      - {flag: -l, kind: ".Length, d.Location.GetLineSpan().StartLinePosition.Character);
    }

    [Fact]
    public void AnAliasBombHitsTheNodeBudget()
    {
        var r = Harness.Run("bomb.yaml", "commands-schema: 1\ncommands:\n  ls:\n    help: &h " + new string('x', 10) + "\n");
        Harness.AssertClean(r);
        var bomb = Harness.Run("bomb.yaml", BuildBomb());
        Assert.Contains(bomb.GeneratorDiagnostics, d => d.Id == "TKC007");
        Assert.Empty(bomb.Sources);
    }

    private static string BuildBomb()
    {
        // One command with 200 options, aliased by 1,000 commands: 7 KB of text, 200,000 options to walk.
        var yaml = "commands-schema: 1\ncommands:\n  c0: &big\n    options:\n";
        for (var i = 0; i < 200; i++)
        {
            yaml += "      - {flag: -o" + i + "}\n";
        }

        for (var i = 1; i <= 1000; i++)
        {
            yaml += "  c" + i + ": *big\n";
        }

        return yaml;
    }

    [Fact]
    public void SizeBudgetAndBadOptionValues()
    {
        var big = Harness.Run("big.yaml", Head + "  ls: {}\n", new Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitCommandsMaxSchemaBytes"] = "10" });
        Assert.Contains(big.GeneratorDiagnostics, d => d.Id == "TKC007");
        Assert.Empty(big.Sources);
        var bad = Harness.Run("opt.yaml", Head + "  ls: {}\n", new Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitCommandsMaxNodes"] = "lots" });
        Assert.Contains(bad.GeneratorDiagnostics, d => d.Id == "TKC008" && d.Severity == DiagnosticSeverity.Warning);
        Assert.NotEmpty(bad.Sources);
        var tiny = Harness.Run("src.yaml", Head + "  ls: {}\n", new Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitCommandsMaxSourceBytes"] = "100" });
        Assert.Contains(tiny.GeneratorDiagnostics, d => d.Id == "TKC007");
        Assert.Empty(tiny.Sources);
    }
}
