using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Toolkit.OpenApi.Tests.Nested;

/// <summary>Form bodies: what no encoding defines is a clear TKO003, hostile names compile, and nothing else is reported.</summary>
public class FormDiagnosticTests
{
    private static GeneratorHarness.Result Run(string properties, string encoding)
        => GeneratorHarness.Run(("/p/t.json",
            "{ \"openapi\": \"3.0.3\", \"info\": { \"title\": \"T\", \"version\": \"1\" },\n" +
            "  \"paths\": { \"/a\": { \"post\": { \"operationId\": \"a\",\n" +
            "  \"requestBody\": { \"content\": { \"application/x-www-form-urlencoded\": { \"schema\": { \"type\": \"object\", \"properties\": {" + properties + "} },\n" +
            "    \"encoding\": {" + encoding + "} } } },\n" +
            "  \"responses\": { \"204\": { \"description\": \"x\" } } } } } }"));

    [Theory]
    [InlineData("\"f\": { \"type\": \"string\", \"format\": \"binary\" }", "", "without binary data")]
    [InlineData("\"f\": { \"type\": \"object\", \"properties\": { \"x\": { \"type\": \"string\" } } }", "\"f\": { \"style\": \"matrix\" }", "not defined for form fields")]
    [InlineData("\"f\": { \"type\": \"string\" }", "\"f\": { \"style\": \"deepObject\" }", "not defined for primitive values")]
    public void Undefined_form_encodings_are_TKO003_and_compile(string properties, string encoding, string message)
    {
        var r = Run(properties, encoding);
        var d = Assert.Single(r.GeneratorDiagnostics);
        Assert.Equal("TKO003", d.Id);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains(message, d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(r.CompileDiagnostics.Select(x => x.ToString()));
    }

    [Fact]
    public void Hostile_names_reach_the_code_only_as_literals()
    {
        // Property and member names that are C# syntax, delimiters of the styles, and a comment terminator.
        var r = Run(
            "\"a\\\"b\\\\c[0]\": { \"type\": \"object\", \"properties\": { \"*/ x\\\"\": { \"type\": \"object\", \"properties\": { \"}{\": { \"type\": \"integer\" } } }, \"class\": { \"type\": \"array\", \"items\": { \"type\": \"string\" } } } },"
            + " \"@if\": { \"type\": \"array\", \"items\": { \"type\": \"object\", \"properties\": { \"=&\": { \"type\": \"string\" } } } }",
            "\"a\\\"b\\\\c[0]\": { \"style\": \"deepObject\" }, \"@if\": { \"style\": \"deepObject\", \"allowReserved\": true }");
        Assert.Empty(r.GeneratorDiagnostics.Select(x => x.ToString()));
        Assert.Empty(r.CompileDiagnostics.Select(x => x.ToString()));
        var client = string.Join("\n", r.Run.GeneratedTrees.Select(t => t.ToString()));
        Assert.Contains("__form.Begin(\"a\\\"b\\\\c[0]\", global::Toolkit.Runtime.Http.ApiParameterStyle.DeepObject, global::Toolkit.Runtime.Http.ApiParameterShape.Properties, true", client, StringComparison.Ordinal);
        Assert.Contains("__form.MemberJson(\"*/ x\\\"\", ", client, StringComparison.Ordinal);
        Assert.Contains("ApiParameterEncoding.Reserved);", client, StringComparison.Ordinal);
    }
}
