using System;
using System.Linq;
using FsCheck;
using Microsoft.CodeAnalysis;

namespace Toolkit.OpenApi.Tests;

public class DiagnosticTests
{
    private const string Head = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": { \"title\": \"T\", \"version\": \"1\" },\n";

    private static GeneratorHarness.Result Run(string body, params (string, string)[] more)
        => GeneratorHarness.Run(new[] { ("/p/t.json", Head + body) }.Concat(more).ToArray());

    private static Diagnostic Single(GeneratorHarness.Result r, string id)
    {
        var d = Assert.Single(r.GeneratorDiagnostics, x => x.Id == id);
        Assert.Equal("/p/t.json", d.Location.GetLineSpan().Path);
        return d;
    }

    private static void CompilesClean(GeneratorHarness.Result r)
        => Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));

    [Fact]
    public void Bad_json_is_TKO001_at_its_line_and_column()
    {
        var r = Run("  \"paths\": {\n    \"/a\": { \"get\": ,\n  }\n}");
        var d = Single(r, "TKO001");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        var pos = d.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((4, 19), (pos.Line, pos.Character));
        Assert.Empty(r.Run.GeneratedTrees);
    }

    [Fact]
    public void Dangling_ref_is_TKO002_at_the_ref_and_falls_back()
    {
        var r = Run("  \"paths\": {},\n  \"components\": { \"schemas\": { \"A\": { \"type\": \"object\", \"properties\": {\n    \"b\": { \"$ref\": \"#/components/schemas/Missing\" } } } } }\n}");
        var d = Single(r, "TKO002");
        Assert.Equal(5, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("Missing", d.GetMessage(), StringComparison.Ordinal);
        CompilesClean(r);
        Assert.Contains("global::Toolkit.Runtime.Json.ApiJsonValue? B", r.Run.GeneratedTrees.Single(t => t.FilePath.Contains(".A.", StringComparison.Ordinal)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_external_file_is_TKO002()
    {
        var r = Run("  \"paths\": {},\n  \"components\": { \"schemas\": { \"A\": { \"$ref\": \"other.json#/X\" } } }\n}");
        Assert.Contains("other.json", Single(r, "TKO002").GetMessage(), StringComparison.Ordinal);
        CompilesClean(r);
    }

    [Fact]
    public void External_ref_resolves_relative_to_the_document()
    {
        var r = GeneratorHarness.Run(
            ("/p/api/t.json", Head + "  \"paths\": {},\n  \"components\": { \"schemas\": { \"A\": { \"type\": \"object\", \"properties\": { \"x\": { \"$ref\": \"../shared/common.json#/components/schemas/Audit\" } } } } }\n}"),
            ("/p/shared/common.json", GeneratorHarness.Schema("common.json")));
        Assert.Empty(r.GeneratorDiagnostics);
        Assert.Empty(r.CompileDiagnostics);
        Assert.NotNull(r.Output.GetTypeByMetadataName("Consumer.T.Audit"));
    }

    [Fact]
    public void Union_without_discriminator_is_TKO004_and_JsonElement()
    {
        var r = Run("  \"paths\": {},\n  \"components\": { \"schemas\": {\n    \"A\": { \"type\": \"object\", \"properties\": { \"v\": { \"oneOf\": [ { \"type\": \"object\", \"properties\": { \"s\": { \"type\": \"string\" } } }, { \"type\": \"object\", \"properties\": { \"n\": { \"type\": \"integer\" } } } ] } } } } }\n}");
        Assert.Equal(DiagnosticSeverity.Warning, Single(r, "TKO004").Severity);
        CompilesClean(r);
    }

    [Fact]
    public void Unsupported_constructs_are_TKO003_with_compilable_fallbacks()
    {
        var r = Run(
            "  \"paths\": { \"/a\": { \"post\": {\n" +
            "    \"parameters\": [ { \"name\": \"c\", \"in\": \"cookie\", \"content\": { \"application/xml\": { \"schema\": { \"type\": \"object\", \"properties\": { \"x\": { \"type\": \"string\" } } } } } },\n" +
            "                    { \"name\": \"o\", \"in\": \"query\", \"schema\": { \"type\": \"string\", \"format\": \"binary\" } },\n" +
            "                    { \"name\": \"d\", \"in\": \"query\", \"style\": \"deepObject\", \"schema\": { \"type\": \"string\" } } ],\n" +
            "    \"requestBody\": { \"content\": { \"multipart/form-data\": { \"schema\": { \"type\": \"object\" } } } },\n" +
            "    \"responses\": { \"200\": { \"description\": \"x\", \"content\": { \"application/json\": { \"schema\": { \"not\": { \"type\": \"string\" } } } } } } } } },\n" +
            "  \"components\": { \"schemas\": { \"M\": { \"type\": [\"string\", \"object\"] }, \"E\": { \"enum\": [ 1, \"a\" ] } } }\n}");
        var ids = r.GeneratorDiagnostics.Where(d => d.Id == "TKO003").Select(d => d.Location.GetLineSpan().StartLinePosition.Line).ToList();
        Assert.True(ids.Count >= 6, string.Join("; ", r.GeneratorDiagnostics));
        Assert.Contains(4, ids);
        CompilesClean(r);
    }

    [Fact]
    public void Invalid_extensions_are_TKO006()
    {
        var r = Run("  \"x-toolkit-errors\": { \"types\": { \"A\": { \"base\": \"Nope\" } }, \"statuses\": { \"404\": \"Unknown\", \"abc\": \"A\" } },\n  \"paths\": { \"/a\": { \"get\": { \"responses\": { \"404\": { \"description\": \"x\", \"x-toolkit-error\": 5 } } } } }\n}");
        Assert.True(r.GeneratorDiagnostics.Count(d => d.Id == "TKO006") >= 4, string.Join("; ", r.GeneratorDiagnostics));
        CompilesClean(r);
    }

    [Theory]
    [InlineData("TError")]
    [InlineData("GoneException")]
    public void A_rootBase_naming_an_exception_of_the_document_is_TKO006_not_a_circular_base(string rootBase)
    {
        var r = Run("  \"x-toolkit-errors\": { \"root\": \"TError\", \"rootBase\": \"" + rootBase + "\", \"types\": { \"GoneException\": {} } },\n  \"paths\": {}\n}");
        Assert.Contains("rootBase", Single(r, "TKO006").GetMessage(), StringComparison.Ordinal);
        CompilesClean(r);
    }

    [Fact]
    public void Default_response_error_type_applies_without_other_mappings()
    {
        var r = Run("  \"x-toolkit-errors\": { \"types\": { \"GoneException\": {} } },\n  \"paths\": { \"/a\": { \"get\": { \"operationId\": \"a\", \"responses\": { \"204\": { \"description\": \"x\" }, \"default\": { \"description\": \"x\", \"x-toolkit-error\": \"GoneException\" } } } } }\n}");
        Assert.Empty(r.GeneratorDiagnostics);
        CompilesClean(r);
        var client = r.Run.GeneratedTrees.Single(t => t.FilePath.Contains("TClient.", StringComparison.Ordinal) && !t.FilePath.Contains("TClient.T", StringComparison.Ordinal)).ToString();
        Assert.Contains("ApiTransport.Failed(_options.Logger, new global::Consumer.T.GoneException(__message, __details));", client, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_success_types_are_TKO007()
    {
        var r = Run("  \"paths\": { \"/a\": { \"get\": { \"responses\": {\n    \"200\": { \"description\": \"x\", \"content\": { \"application/json\": { \"schema\": { \"type\": \"string\" } } } },\n    \"201\": { \"description\": \"x\", \"content\": { \"application/json\": { \"schema\": { \"type\": \"integer\" } } } } } } } }\n}");
        Single(r, "TKO007");
        CompilesClean(r);
    }

    [Fact]
    public void Structural_errors_are_TKO005()
    {
        var r = GeneratorHarness.Run(("/p/t.json", "{ \"openapi\": \"3.0.0\", \"info\": { \"title\": \"T\", \"version\": \"1\" }, \"paths\": { \"/a/{id}\": { \"get\": { \"responses\": { \"200\": { \"description\": \"x\" } } } }, \"/b\": 5 } }"));
        Assert.Equal(2, r.GeneratorDiagnostics.Count(d => d.Id == "TKO005"));
        CompilesClean(r);
    }

    [Fact]
    public void Duplicate_clients_are_TKO008_not_a_crash()
    {
        var pet = GeneratorHarness.Schema("petstore.json");
        var r = GeneratorHarness.Run(("/p/a/petstore.json", pet), ("/p/b/petstore.json", pet));
        Assert.Single(r.GeneratorDiagnostics, d => d.Id == "TKO008");
    }

    [Fact]
    public void Mutated_schemas_never_crash_the_generator()
    {
        var lab = GeneratorHarness.Schema("lab.json");
        FsCheck.Fluent.Prop.ForAll(
            FsCheck.Fluent.ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var rnd = new Random(seed);
                var text = lab.Remove(rnd.Next(lab.Length), Math.Min(rnd.Next(1, 40), 1));
                var doc = Generators.OpenApi.Parsing.OpenApiParser.Parse("/p/lab.json", text, new Generators.OpenApi.Model.DocumentOptions(null, null, null, false, 4));
                Assert.NotNull(doc);
                if (doc.Client is not null)
                {
                    foreach (var unit in doc.Types)
                    {
                        Assert.False(string.IsNullOrEmpty(Generators.OpenApi.Emit.ModelEmitter.Emit(unit)));
                    }

                    Assert.False(string.IsNullOrEmpty(Generators.OpenApi.Emit.ClientEmitter.Emit(doc.Client)));
                }
            }).QuickCheckThrowOnFailure();
    }
}
