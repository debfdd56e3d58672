using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// Documents split over many files, as large real APIs are written (issue 12): whole-file <c>$ref</c>s for path
/// items, operations, parameters, responses, request bodies, headers, schemas and security schemes, each resolved
/// against the file that holds it. The fixture is Schemas/MultiFile (kennel.yaml and the files it reaches).
/// </summary>
public class MultiFileTests
{
    private const string Root = "/p/MultiFile/api/kennel.yaml";

    /// <summary>Every file of the fixture, as AdditionalFiles under /p/MultiFile.</summary>
    internal static (string Path, string Text)[] Fixture()
    {
        var dir = Path.Combine(GeneratorHarness.SourceDir(), "Schemas", "MultiFile");
        return Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => ("/p/MultiFile/" + Path.GetRelativePath(dir, f).Replace('\\', '/'), File.ReadAllText(f)))
            .ToArray();
    }

    [Fact]
    public void A_split_document_generates_a_client_that_compiles_without_any_diagnostic()
    {
        var r = GeneratorHarness.Run(Fixture());
        Assert.Empty(r.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));

        var client = r.Output.GetTypeByMetadataName("Consumer.Kennel.KennelClient")!;
        var methods = client.GetMembers().OfType<IMethodSymbol>().Where(m => m.DeclaredAccessibility == Accessibility.Public && m.Name.EndsWith("Async", StringComparison.Ordinal) && !m.Name.EndsWith("WithResponseAsync", StringComparison.Ordinal)).ToDictionary(m => m.Name);
        // The two list operations answer top-level arrays, so each also has its streaming form.
        Assert.Equal(new[] { "CreatePetAsync", "DeletePetAsync", "GetPetAsync", "ListOwnerPetsAsync", "ListOwnerPetsStreamAsync", "ListPetsAsync", "ListPetsStreamAsync" }, methods.Keys.Order(StringComparer.Ordinal));

        // Parameters from files two folders up, reached through a path-item file: declared, typed, in order.
        Assert.Equal("long petId", Signature(methods["GetPetAsync"], 0));
        Assert.Equal("long petId", Signature(methods["DeletePetAsync"], 0));
        Assert.Equal("string ownerId", Signature(methods["ListOwnerPetsAsync"], 0));
        Assert.Equal("int? limit", Signature(methods["ListPetsAsync"], 0));
        Assert.Equal("Consumer.Kennel.NewPet body", Signature(methods["CreatePetAsync"], 0));

        // Whole-file schemas are named after their file; two pet.yaml and two error.yaml are told apart.
        foreach (var name in new[] { "Pet", "Pet2", "NewPet", "Breed", "Error", "Error2" })
        {
            Assert.NotNull(r.Output.GetTypeByMetadataName("Consumer.Kennel." + name));
        }

        var pet = r.Output.GetTypeByMetadataName("Consumer.Kennel.Pet")!;
        Assert.Equal("Consumer.Kennel.Pet2?", pet.GetMembers("Tag").OfType<IPropertySymbol>().Single().Type.ToDisplayString());
        Assert.Equal("Consumer.Kennel.Breed?", pet.GetMembers("Breed").OfType<IPropertySymbol>().Single().Type.ToDisplayString());
        var error = r.Output.GetTypeByMetadataName("Consumer.Kennel.Error")!;
        Assert.Equal("Consumer.Kennel.Error2?", error.GetMembers("Detail").OfType<IPropertySymbol>().Single().Type.ToDisplayString());

        // Nothing fell back to JsonElement: every $ref was followed to its file.
        var models = r.Run.GeneratedTrees.Where(t => Path.GetFileName(t.FilePath).Count(c => c == '.') == 4).ToList();
        Assert.Equal(6, models.Count);
        Assert.All(models, t => Assert.DoesNotContain("JsonElement", t.ToString(), StringComparison.Ordinal));
    }

    private static string Signature(IMethodSymbol m, int i) => m.Parameters[i].Type.ToDisplayString() + " " + m.Parameters[i].Name;

    [Fact]
    public void Snapshot_of_the_split_document_matches()
    {
        // Set TOOLKIT_UPDATE_SNAPSHOTS=1 to rewrite the baselines after an intended change.
        var update = Environment.GetEnvironmentVariable("TOOLKIT_UPDATE_SNAPSHOTS") == "1";
        var produced = GeneratorHarness.Run(Fixture()).Run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var dir = Path.Combine(GeneratorHarness.SourceDir(), "Snapshots", "MultiFile");
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
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), produced.Keys.Order(StringComparer.Ordinal));
        foreach (var (hint, text) in produced)
        {
            Assert.True(expected[hint] == text, "snapshot differs: " + hint + " (run with TOOLKIT_UPDATE_SNAPSHOTS=1 to rebuild)");
        }
    }

    /// <summary>The consumer recipe with every file of the split document as an AdditionalFile (one glob), built by
    /// <c>dotnet build</c> with nullable and warnings as errors: no error, no warning.</summary>
    [Fact]
    public void Dotnet_build_of_a_consumer_of_the_split_document_has_no_warning()
    {
        var repo = Path.GetFullPath(Path.Combine(GeneratorHarness.SourceDir(), "..", ".."));
        var dir = Directory.CreateTempSubdirectory("toolkit-multifile-");
        try
        {
            foreach (var (path, text) in Fixture())
            {
                var target = Path.Combine(dir.FullName, "openapi", path["/p/MultiFile/".Length..]);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, text);
            }

            File.WriteAllText(Path.Combine(dir.FullName, "Consumer.csproj"), ConsumerBuildTests.ConsumerProject(repo, """<AdditionalFiles Include="openapi/**/*.yaml" />"""));
            File.WriteAllText(Path.Combine(dir.FullName, "Use.cs"), """
                namespace Consumer;

                public static class Use
                {
                    public static async System.Threading.Tasks.Task<string?> FirstTagAsync(Consumer.Kennel.KennelClient client)
                    {
                        var pets = await client.ListPetsAsync(limit: 1).ConfigureAwait(false);
                        return pets.Count == 0 ? null : pets[0].Tag?.Label;
                    }
                }
                """);
            var (code, output) = ConsumerBuildTests.Dotnet(TimeSpan.FromMinutes(10), dir.FullName, "build", "-c", ConsumerBuildTests.BuildConfiguration, "-nologo", "-p:BuildProjectReferences=false", "-nodeReuse:false");
            Assert.True(code == 0, "dotnet build failed:\n" + output);
            Assert.Contains("0 Warning(s)", output, StringComparison.Ordinal);
            Assert.Contains("0 Error(s)", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_ref_in_place_of_the_properties_map_reads_the_map_from_its_file()
    {
        var r = GeneratorHarness.Run(
            ("/p/root.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Lb:\n      type: object\n      required: [ids]\n      properties:\n        $ref: models/attributes.yaml#/lb_ids\n"),
            ("/p/models/attributes.yaml", "lb_ids:\n  ids:\n    type: array\n    items:\n      $ref: id.yaml\n"),
            ("/p/models/id.yaml", "type: integer\nformat: int32\n"));
        Assert.Empty(r.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        var ids = r.Output.GetTypeByMetadataName("Consumer.Root.Lb")!.GetMembers("Ids").OfType<IPropertySymbol>().Single();
        Assert.Equal("System.Collections.Generic.IReadOnlyList<int>", ids.Type.ToDisplayString());
    }

    [Fact]
    public void Two_documents_of_one_name_in_two_folders_generate_one_client_and_a_warning_not_broken_code()
    {
        // readmeio's examples have server-variables.json twice (in two folders): same client, same namespace.
        var pet = GeneratorHarness.Schema("petstore.json");
        var r = GeneratorHarness.Run(("/p/a/petstore.json", pet), ("/p/b/petstore.json", pet));
        var d = Assert.Single(r.GeneratorDiagnostics);
        Assert.Equal("TKO008", d.Id);
        Assert.Equal("/p/b/petstore.json", d.Location.GetLineSpan().Path);
        Assert.Empty(r.CompileDiagnostics.Select(x => x.ToString()));
        Assert.Single(r.Run.GeneratedTrees, t => Path.GetFileName(t.FilePath).StartsWith("PetstoreClient.Pet.", StringComparison.Ordinal));
        Assert.Single(r.Run.GeneratedTrees, t => Path.GetFileName(t.FilePath).Count(c => c == '.') == 3);
    }

    [Fact]
    public void A_cycle_of_whole_file_refs_is_an_error_at_the_ref_that_closes_it_and_nothing_is_emitted()
    {
        var r = GeneratorHarness.Run(
            ("/p/api/root.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    $ref: paths/a.yaml\n"),
            ("/p/api/paths/a.yaml", "# the path item is elsewhere\n$ref: ../b.yaml\n"),
            ("/p/api/b.yaml", "\n\n$ref: paths/a.yaml\n"));
        var d = Assert.Single(r.GeneratorDiagnostics, x => x.Severity == DiagnosticSeverity.Error);
        Assert.Equal("TKO002", d.Id);
        Assert.Equal("/p/api/b.yaml", d.Location.GetLineSpan().Path);
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("$ref cycle: /p/api/paths/a.yaml -> /p/api/b.yaml -> /p/api/paths/a.yaml", d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(r.Run.GeneratedTrees);
    }

    [Fact]
    public void An_operation_that_refs_itself_is_a_cycle()
    {
        var r = GeneratorHarness.Run(
            ("/p/root.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      $ref: op.yaml\n"),
            ("/p/op.yaml", "$ref: op.yaml\n"));
        var d = Assert.Single(r.GeneratorDiagnostics);
        Assert.Equal("TKO002", d.Id);
        Assert.Equal("/p/op.yaml", d.Location.GetLineSpan().Path);
        Assert.Empty(r.Run.GeneratedTrees);
    }

    [Fact]
    public void A_ref_to_a_missing_file_is_an_error_naming_it_where_the_ref_is_and_nothing_is_emitted()
    {
        var r = GeneratorHarness.Run(
            ("/p/api/root.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a/{id}:\n    $ref: paths/a.yaml\n"),
            ("/p/api/paths/a.yaml", "get:\n  parameters:\n    - $ref: ../../shared/id.yaml\n  responses:\n    '204': {description: ok}\n"));
        var d = Assert.Single(r.GeneratorDiagnostics, x => x.Id == "TKO002");
        Assert.Equal("TKO002", d.Id);
        Assert.Equal("/p/api/paths/a.yaml", d.Location.GetLineSpan().Path);
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("file '../../shared/id.yaml' (relative to '/p/api/paths') is not among the AdditionalFiles", d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(r.Run.GeneratedTrees);
    }

    [Fact]
    public void A_ref_into_invalid_yaml_is_an_error_at_its_line_and_nothing_is_emitted()
    {
        var r = GeneratorHarness.Run(
            ("/p/root.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: resp/ok.yaml\n"),
            ("/p/resp/ok.yaml", "description: ok\ncontent:\n  application/json:\n    schema: {type: [unclosed\n"));
        var bad = Assert.Single(r.GeneratorDiagnostics, x => x.Id == "TKO001");
        Assert.Equal("/p/resp/ok.yaml", bad.Location.GetLineSpan().Path);
        Assert.InRange(bad.Location.GetLineSpan().StartLinePosition.Line, 3, 4);
        var at = Assert.Single(r.GeneratorDiagnostics, x => x.Id == "TKO002");
        Assert.Equal("/p/root.yaml", at.Location.GetLineSpan().Path);
        Assert.Contains("is not valid JSON or YAML", at.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(r.Run.GeneratedTrees);
    }

    [Fact]
    public void A_schema_file_found_first_by_a_quiet_lookup_still_reports_its_syntax_error()
    {
        // A oneOf branch's kind is looked up quietly before the branch is resolved: the file's error is still told.
        var r = GeneratorHarness.Run(
            ("/p/root.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    U:\n      oneOf:\n        - type: string\n        - $ref: b.yaml\n"),
            ("/p/b.yaml", "type: [boolean\n"));
        Assert.Contains(r.GeneratorDiagnostics, x => x.Id == "TKO001" && x.Location.GetLineSpan().Path == "/p/b.yaml");
        Assert.Empty(r.Run.GeneratedTrees);
    }
}
