using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Toolkit.Commands.Tests;

/// <summary>The generator on the real schema: clean output equal to the committed src/Generated/JAliEn, and the pipeline's shape.</summary>
public sealed class GeneratorTests
{
    private static string Repo => RepoPaths.Root;

    [Fact]
    public void JalienSchemaCompilesCleanAndMatchesTheCommittedCode()
    {
        var text = File.ReadAllText(Path.Combine(Repo, "schemas/commands/jalien.yaml"));
        // Compiled in another namespace (the test references Toolkit.JAliEn, which holds these types already) ...
        var clean = Harness.Run("/repo/schemas/commands/jalien.yaml", text, new System.Collections.Generic.Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitCommandsNamespace"] = "Check.JAliEn" });
        Harness.AssertClean(clean);
        // ... and generated in its own for the comparison with src/Generated.
        var r = Harness.Run("/repo/schemas/commands/jalien.yaml", text, new System.Collections.Generic.Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitCommandsNamespace"] = "Toolkit.JAliEn" });
        Assert.Empty(r.Errors);
        Assert.Equal(4, r.Sources.Length);
        var committed = Path.Combine(Repo, "src/Generated/JAliEn/Toolkit.Generators.Commands/Toolkit.Generators.Commands.CommandsGenerator");
        foreach (var s in r.Sources)
        {
            var file = Path.Combine(committed, s.HintName);
            Assert.True(File.Exists(file), "not committed: " + s.HintName);
            Assert.Equal(File.ReadAllText(file), s.SourceText.ToString());
        }
    }

    [Fact]
    public void FilesWithoutTheMarkerAreIgnoredAndTheMetadataForcesOrExcludes()
    {
        Assert.Empty(Harness.Run("a.yaml", "openapi: 3.0.0\ninfo: {}\n").Sources);
        var forced = Harness.Run("a.yaml", "name: X\ncommands: {}\n", new System.Collections.Generic.Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitCommands"] = "true" });
        Assert.Contains(forced.Errors, d => d.Id == "TKC002" && d.GetMessage().Contains("commands-schema", StringComparison.Ordinal));
        var excluded = Harness.Run("a.yaml", "commands-schema: 1\ncommands: {ls: {}}\n", new System.Collections.Generic.Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitCommands"] = "false" });
        Assert.Empty(excluded.Sources);
        Assert.Empty(excluded.GeneratorDiagnostics);
    }

    [Fact]
    public void JsonSchemasWorkToo()
    {
        var r = Harness.Run("c.json", "{\"commands-schema\": 1, \"name\": \"J\", \"commands\": {\"ls\": {\"args\": [{\"name\": \"p\", \"type\": \"lfn\", \"optional\": true}], \"result\": {\"fields\": {\"name\": \"string\"}}}}}");
        Harness.AssertClean(r);
        Assert.Contains(r.Sources, s => s.SourceText.ToString().Contains("public sealed class LsRow", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoSchemasMakingTheSameClassesAreReported()
    {
        var schema = "commands-schema: 1\ncommands: {ls: {}}\n";
        var r = Harness.Run(new[] { ("a.yaml", schema), ("b.yaml", schema) });
        Assert.Contains(r.GeneratorDiagnostics, d => d.Id == "TKC004" && d.Location.GetLineSpan().Path == "b.yaml");
    }

    [Fact]
    public void HostileTextReachesTheVerbTableIntact()
    {
        const string Hostile = "\"); System.Environment.Exit(1); //*/ </summary> \\u0041 \u2028 end";
        var yaml = "commands-schema: 1\nname: H\ncommands:\n  ls:\n    summary: " + Json(Hostile) + "\n    help: " + Json(Hostile + "\n*/") + "\n    options:\n      - {flag: \"-x\", name: \"x\", help: " + Json(Hostile) + "}\n    args:\n      - {name: mode, type: enum, values: [" + Json("a\"b") + ", " + Json("c\\d") + "]}\n    result:\n      fields:\n        " + Json("we\"ird key") + ": {type: string, help: " + Json(Hostile) + "}\n";
        var r = Harness.Run("h.yaml", yaml);
        Harness.AssertClean(r);
        var asm = Harness.Load(r.Output);
        var verbs = asm.GetType("Consumer.HVerbs")!;
        var find = verbs.GetMethod("Find")!;
        var verb = (Toolkit.JAliEn.AlienVerb)find.Invoke(null, new object[] { "ls" })!;
        Assert.Equal(Hostile, verb.Summary);
        Assert.Equal(Hostile + "\n*/", verb.Help);
        Assert.Equal(Hostile, verb.Options[0].Help);
        Assert.Equal(new[] { "a\"b", "c\\d" }, verb.Arguments[0].EnumValues);
        var row = asm.GetType("Consumer.LsRow")!;
        Assert.NotNull(row.GetProperty("WeIrdKey"));
    }

    private static string Json(string s) => System.Text.Json.JsonSerializer.Serialize(s, JsonContext.Default.String);

    [Fact]
    public void TheEmitterCrashingIsADiagnosticAndNothingIsGenerated()
    {
        Toolkit.Generators.Common.GeneratorOutput.FaultInjection["commands Consumer.Boom"] = true;
        try
        {
            var r = Harness.Run("b.yaml", "commands-schema: 1\nname: Boom\ncommands: {ls: {}}\n");
            Assert.Contains(r.GeneratorDiagnostics, d => d.Id == "TKC009");
            Assert.Empty(r.Sources);
        }
        finally
        {
            Toolkit.Generators.Common.GeneratorOutput.FaultInjection.TryRemove("commands Consumer.Boom", out _);
        }
    }

    [Fact]
    public void AnUneditedSchemaIsCachedOnTheNextRun()
    {
        GeneratorDriver driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
            new[] { new Toolkit.Generators.Commands.CommandsGenerator().AsSourceGenerator() },
            new AdditionalText[] { new MemoryText("a.yaml", "commands-schema: 1\ncommands: {ls: {}}\n") },
            Harness.ParseOptions,
            new TestOptionsProvider(new System.Collections.Generic.Dictionary<string, string>(), new System.Collections.Generic.Dictionary<string, string>()),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("c");
        driver = driver.RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class Z { }")));
        var steps = driver.GetRunResult().Results[0].TrackedSteps[Toolkit.Generators.Commands.CommandsGenerator.Steps.Models];
        Assert.All(steps.SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }
}

/// <summary>STJ source-generated context for test strings (no reflection).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class JsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
