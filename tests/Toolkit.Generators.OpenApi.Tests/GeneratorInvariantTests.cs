using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Toolkit.Generators.OpenApi.Model;
using Toolkit.Generators.OpenApi.Parsing;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// The generator's contract, whatever the document: the output compiles with no warning, or the generator reports
/// an error and emits nothing for that document; and no string of a document can declare anything: the types and
/// members the compilation declares are exactly those of the parsed model. TOOLKIT_FUZZ_SEEDS=N runs N documents
/// per property (default 40).
/// </summary>
public class GeneratorInvariantTests
{
    private static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("TOOLKIT_FUZZ_SEEDS"), out var n) ? n : 40;

    [Fact]
    public void Any_document_compiles_clean_or_is_an_error_with_nothing_emitted()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), CompilesOrErrsWithNothing).Check(Config.QuickThrowOnFailure.WithMaxTest(Runs));

    /// <summary>Seeds that once broke the invariant (each found by the property above).</summary>
    [Theory]
    [InlineData(57)]
    public void Regression_seeds_compile_or_err_with_nothing(int seed) => CompilesOrErrsWithNothing(seed);

    private static void CompilesOrErrsWithNothing(int seed)
    {
        var text = RandomDocuments.Document(new Random(seed));
        var r = GeneratorHarness.Run(("/p/r.json", text));
        if (r.CompileDiagnostics.Length == 0)
        {
            return;
        }

        var errors = r.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var first = r.CompileDiagnostics[0];
        var line = first.Location.SourceTree?.GetText().Lines[first.Location.GetLineSpan().StartLinePosition.Line].ToString();
        Assert.True(
            errors.Count > 0 && r.Run.GeneratedTrees.Length == 0,
            "seed " + seed + ": " + string.Join("; ", r.CompileDiagnostics.Take(3)) + "\nat: " + line + "\ngenerator: " + string.Join("; ", r.GeneratorDiagnostics.Take(5)) + "\n" + text);
    }

    [Fact]
    public void Hostile_strings_in_every_position_declare_exactly_the_model()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var text = Template(rnd);
            var r = GeneratorHarness.Run(("/p/h.json", text));
            Assert.True(r.CompileDiagnostics.Length == 0, "seed " + seed + ": " + string.Join("; ", r.CompileDiagnostics.Take(3)) + "\n" + text);
            Assert.DoesNotContain(r.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
            Assert.NotEmpty(r.Run.GeneratedTrees);
            var model = OpenApiParser.Parse("/p/h.json", text, new DocumentOptions(null, null, "Consumer", false, 4));
            CheckDeclaredAgainstModel(r, model, seed);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Math.Max(5, Runs / 2)));
    }

    [Fact]
    public void The_injection_of_issue_12_declares_nothing()
    {
        var text = """
            {"openapi":"3.0.3","info":{"title":"Inj","version":"1"},
             "components":{"securitySchemes":{"BearerAuth":{"type":"http","scheme":"bearer","description":"Bearer token.\n}\npublic static class Injected { public const int Pwned = 42; }\npublic sealed partial class ApiClient {\n//"}}},
             "security":[{"BearerAuth":[]}],
             "paths":{"/ping":{"get":{"operationId":"ping","responses":{"200":{"description":"ok"}}}}}}
            """;
        var r = GeneratorHarness.Run(("/p/inj.json", text));
        Assert.Empty(r.CompileDiagnostics);
        Assert.DoesNotContain(r.Output.GetSymbolsWithName(s => s.Contains("Injected", StringComparison.Ordinal) || s.Contains("Pwned", StringComparison.Ordinal)), _ => true);
        CheckDeclaredAgainstModel(r, OpenApiParser.Parse("/p/inj.json", text, new DocumentOptions(null, null, "Consumer", false, 4)), 0);
    }

    private static void CheckDeclaredAgainstModel(GeneratorHarness.Result r, DocumentModel model, int seed)
    {
        var expected = new HashSet<string>(model.Types.Select(t => t.Decl.Name), StringComparer.Ordinal);
        if (model.Client is { } c)
        {
            expected.Add(c.ClientName);
            expected.Add(c.ClientName + "Options");
            if (c.Errors is { } e)
            {
                expected.Add(e.RootName);
                expected.UnionWith(e.Exceptions.Select(x => x.Name));
            }

            expected.UnionWith(c.Operations.Select(o => o.RequestRecordName).OfType<string>());
        }

        var roots = r.Run.GeneratedTrees.Select(t => t.GetRoot()).ToList();
        var types = roots.SelectMany(x => x.DescendantNodes().OfType<BaseTypeDeclarationSyntax>()).ToList();
        Assert.True(types.All(t => t.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax), "seed " + seed + ": a nested type was declared");
        Assert.Equal(expected.OrderBy(x => x, StringComparer.Ordinal), types.Select(t => t.Identifier.ValueText).Distinct().OrderBy(x => x, StringComparer.Ordinal));
        Assert.Empty(roots.SelectMany(x => x.DescendantNodes().OfType<DelegateDeclarationSyntax>()));

        // Records: exactly the model's properties; the client: exactly two public methods per operation.
        foreach (var d in model.Types.Select(t => t.Decl).Where(d => d.Kind == DeclKind.Record))
        {
            var props = types.OfType<RecordDeclarationSyntax>().Where(t => t.Identifier.ValueText == d.Name)
                .SelectMany(t => t.Members.OfType<PropertyDeclarationSyntax>()).Where(p => p.Modifiers.Any(m => m.ValueText == "public")).Select(p => p.Identifier.ValueText);
            var want = d.Properties.Select(p => p.CsName).Concat(d.AdditionalProperties is null ? Array.Empty<string>() : new[] { "AdditionalProperties" });
            Assert.Equal(want.OrderBy(x => x, StringComparer.Ordinal), props.OrderBy(x => x, StringComparer.Ordinal));
        }

        if (model.Client is { } client)
        {
            var methods = types.OfType<ClassDeclarationSyntax>().Where(t => t.Identifier.ValueText == client.ClientName)
                .SelectMany(t => t.Members.OfType<MethodDeclarationSyntax>()).Where(m => m.Modifiers.Any(x => x.ValueText == "public")).Select(m => m.Identifier.ValueText);
            var want = client.Operations.SelectMany(o => new[] { o.Name + "Async", o.Name + "WithResponseAsync" });
            Assert.Equal(want.OrderBy(x => x, StringComparer.Ordinal), methods.OrderBy(x => x, StringComparer.Ordinal));
        }
    }

    /// <summary>A document with a hostile string in every string position the generator reads.</summary>
    private static string Template(Random rnd)
    {
        string H() => RandomDocuments.HostileString(rnd);
        string P() => RandomDocuments.HostileString(rnd, noBraces: true);
        string J(string s) => System.Text.Json.JsonSerializer.Serialize(s, StringContext.Default.String);
        var pathParam = "q" + P();
        var schemaA = "A" + H();
        var refA = "#/components/schemas/" + Uri.EscapeDataString(schemaA.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
        var template = """
            {"openapi":"3.0.3",
             "info":{"title":«H»,"version":«H»,"description":«H»,"x-toolkit-name":«H»},
             "servers":[{"url":«SRV»,"description":«H»,"variables":{"host":{"default":«HP»,"description":«H»}}}],
             "x-toolkit-errors":{"root":«H»,"messageProperty":«H»,"types":{"Nf":{"description":«H»},«H:T»:{"description":«H»}},"statuses":{"404":"Nf"}},
             "tags":[{"name":«H»,"description":«H»}],
             "paths":{
              «PATH»:{
               "summary":«H»,"description":«H»,
               "parameters":[{"name":«PP»,"in":"path","required":true,"description":«H»,"schema":{"type":"string","default":«H»}}],
               "get":{"operationId":«H»,"summary":«H»,"description":«H»,"tags":[«H»],
                "parameters":[
                 {"name":«H:p1»,"in":"query","description":«H»,"schema":{"type":"string","default":«H»,"example":«H»}},
                 {"name":«H:p2»,"in":"query","schema":{"type":"string","enum":[«H:e1»,«H:e2»],"default":«H»}},
                 {"name":«H:p3»,"in":"header","description":«H»,"schema":{"type":"integer"}}],
                "responses":{"200":{"description":«H»,"headers":{«H»:{"description":«H»,"schema":{"type":"string"}}},
                  "content":{"application/json":{"schema":{"$ref":«REF»},"example":«H»}}},
                 "404":{"description":«H»,"x-toolkit-error":«H»}}},
               "post":{"operationId":«H»,"requestBody":{"description":«H»,"content":{"application/x-www-form-urlencoded":{"schema":{"type":"object","properties":{«H»:{"type":"string","description":«H»}}}}}},
                "responses":{"204":{"description":«H»}}}}},
             "components":{
              "securitySchemes":{«H:k1»:{"type":"http","scheme":"bearer","description":«H»},«H:k2»:{"type":"apiKey","in":"header","name":«H»,"description":«H»}},
              "schemas":{
               «A»:{"type":"object","title":«H»,"description":«H»,"required":[«H:r»],
                "properties":{
                 «H:r»:{"type":"string","description":«H»,"default":«H»,"example":«H»,"format":«H»},
                 «H:s»:{"type":"string","enum":[«H:e1»,«H:e2»,«H:e3»],"x-enum-varnames":[«H»,«H»,«H»],"x-enum-descriptions":[«H»,«H»,«H»],"default":«H»},
                 «H:t»:{"oneOf":[{"type":"boolean","description":«H»},{"type":"string","description":«H»}],"description":«H»},
                 «H:u»:{"type":"object","description":«H»,"properties":{«H»:{"type":"integer","title":«H»}},"additionalProperties":{"type":"string"}},
                 «H:v»:{"type":"array","items":{"type":"string","description":«H»},"description":«H»},
                 «H:w»:{"$ref":"#/components/schemas/Sh"}},
                "additionalProperties":{"type":"string","description":«H»}},
               "Sh":{"oneOf":[{"$ref":"#/components/schemas/Ci"}],"discriminator":{"propertyName":«H»,"mapping":{«H»:"#/components/schemas/Ci"}},"description":«H»},
               "Ci":{"type":"object","properties":{"radius":{"type":"number","description":«H»}}},
               «H:E»:{"type":"integer","enum":[1,2],"x-enum-varnames":[«H»,«H»],"x-enum-descriptions":[«H»,«H»],"description":«H»,"deprecated":true}}}}
            """;
        var sb = new System.Text.StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('«', i);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('»', open);
            sb.Append(template, i, open - i);
            var marker = template[(open + 1)..close];
            sb.Append(marker switch
            {
                "H" => J(H()),
                "PP" => J(pathParam),
                "REF" => J(refA),
                "A" => J(schemaA),
                "SRV" => J("https://{host}/" + P()),
                "HP" => J("h" + P()),
                "PATH" => J("/a" + P() + "/{" + pathParam + "}"),
                _ => J(marker[2..] + H()),
            });
            i = close + 1;
        }

        return sb.ToString();
    }
}

/// <summary>Source-generated JSON for the one string the tests serialize.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class StringContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
