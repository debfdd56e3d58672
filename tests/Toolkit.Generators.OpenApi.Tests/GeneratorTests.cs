using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Toolkit.Generators.OpenApi;

namespace Toolkit.OpenApi.Tests;

public class GeneratorTests
{
    private static readonly string[] SchemaNames = { "petstore.json", "lab.json", "dispatch.json", "styles.json", "bodies.json", "nested.json", "shapes.json", "unions.json" };

    private static (string, string)[] AllSchemas()
        => SchemaNames.Concat(new[] { "common.json" }).Select(n => ("/p/Schemas/" + n, GeneratorHarness.Schema(n))).ToArray();

    [Fact]
    public void Generated_code_compiles_without_any_warning()
    {
        var r = GeneratorHarness.Run(AllSchemas());
        Assert.Empty(r.GeneratorDiagnostics);
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        Assert.Contains(r.Run.GeneratedTrees, t => t.FilePath.EndsWith("PetstoreClient.Pet." + Toolkit.Generators.OpenApi.Emit.Cs.Hash("/p/Schemas/petstore.json") + ".g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Snapshots_match()
    {
        // Set TOOLKIT_UPDATE_SNAPSHOTS=1 to rewrite the baselines after an intended change.
        var update = Environment.GetEnvironmentVariable("TOOLKIT_UPDATE_SNAPSHOTS") == "1";
        var r = GeneratorHarness.Run(AllSchemas());
        var dir = Path.Combine(GeneratorHarness.SourceDir(), "Snapshots");
        var produced = r.Run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        if (update)
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Directory.CreateDirectory(dir);
            foreach (var (hint, text) in produced)
            {
                File.WriteAllText(Path.Combine(dir, hint), text, new UTF8Encoding(false));
            }
        }

        var expected = Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), produced.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (hint, text) in produced)
        {
            Assert.True(expected[hint] == text, "snapshot differs: " + hint + " (run with TOOLKIT_UPDATE_SNAPSHOTS=1 to rebuild)");
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var a = GeneratorHarness.Run(AllSchemas()).Run.GeneratedTrees.Select(t => t.ToString());
        var b = GeneratorHarness.Run(AllSchemas().Reverse().ToArray()).Run.GeneratedTrees.Select(t => t.ToString()).OrderBy(x => x, StringComparer.Ordinal);
        Assert.Equal(a.OrderBy(x => x, StringComparer.Ordinal), b);
    }

    [Fact]
    public void Item_metadata_sets_namespace_and_client_name()
    {
        var meta = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["/p/pets.json"] = new Dictionary<string, string>
            {
                ["build_metadata.AdditionalFiles.ToolkitOpenApiNamespace"] = "My.Pets",
                ["build_metadata.AdditionalFiles.ToolkitOpenApiClientName"] = "Zoo",
            },
        };
        var r = GeneratorHarness.Run(new[] { ("/p/pets.json", GeneratorHarness.Schema("petstore.json")) }, meta);
        Assert.Empty(r.CompileDiagnostics);
        Assert.NotNull(r.Output.GetTypeByMetadataName("My.Pets.ZooClient"));
        Assert.NotNull(r.Output.GetTypeByMetadataName("My.Pets.Pet"));
    }

    [Fact]
    public void Json_files_that_are_not_openapi_generate_nothing()
    {
        var r = GeneratorHarness.Run(("/p/package.json", "{\"name\": \"x\", \"openapi\": false}"), ("/p/common.json", GeneratorHarness.Schema("common.json")));
        Assert.Empty(r.Run.GeneratedTrees);
        Assert.Empty(r.GeneratorDiagnostics);
    }

    [Fact]
    public void Unrelated_edit_is_fully_cached()
    {
        var files = AllSchemas().Select(f => (AdditionalText)new MemoryText(f.Item1, f.Item2)).ToArray();
        var driver = GeneratorHarness.CreateDriver(files);
        var compilation = GeneratorHarness.EmptyCompilation(CSharpSyntaxTree.ParseText("class A { }", GeneratorHarness.ParseOptions));
        driver = driver.RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }", GeneratorHarness.ParseOptions)));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        foreach (var name in new[] { OpenApiGenerator.Steps.Parse, OpenApiGenerator.Steps.Types, OpenApiGenerator.Steps.Clients })
        {
            Assert.All(steps[name].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }
    }

    [Fact]
    public void Schema_edit_regenerates_only_what_changed()
    {
        var files = AllSchemas().Select(f => (AdditionalText)new MemoryText(f.Item1, f.Item2)).ToArray();
        var driver = GeneratorHarness.CreateDriver(files);
        var compilation = GeneratorHarness.EmptyCompilation();
        driver = driver.RunGenerators(compilation);

        var lab = files.Single(f => f.Path.EndsWith("lab.json", StringComparison.Ordinal));
        var edited = new MemoryText(lab.Path, GeneratorHarness.Schema("lab.json").Replace("\"http_message\": { \"type\": \"string\" }", "\"http_message\": { \"type\": \"string\" }, \"extra\": { \"type\": \"boolean\" }", StringComparison.Ordinal));
        driver = driver.ReplaceAdditionalText(lab, edited).RunGenerators(compilation);
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        var typeOutputs = steps[OpenApiGenerator.Steps.Types].SelectMany(s => s.Outputs).ToList();
        var changed = typeOutputs.Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New)
            .Select(o => ((Generators.OpenApi.Model.TypeUnit)o.Value).Decl.Name).ToList();
        Assert.Equal(new[] { "BulkItem" }, changed);
        Assert.True(typeOutputs.Count(o => o.Reason == IncrementalStepRunReason.Unchanged || o.Reason == IncrementalStepRunReason.Cached) > 20);
        // The Petstore document was re-read (all JSON files feed external $refs) but its model is equal: nothing re-emitted.
        var clients = steps[OpenApiGenerator.Steps.Clients].SelectMany(s => s.Outputs).ToList();
        Assert.All(clients, o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
    }
}
