using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Toolkit.OpenApi.Tests.Styles;

/// <summary>What the table marks n/a, and what no style defines, stays a clear TKO003 with code that compiles.</summary>
public class StyleDiagnosticTests
{
    private static GeneratorHarness.Result Run(string parameters)
        => GeneratorHarness.Run(("/p/t.json",
            "{ \"openapi\": \"3.0.3\", \"info\": { \"title\": \"T\", \"version\": \"1\" },\n" +
            "  \"paths\": { \"/a/{p}\": { \"get\": { \"operationId\": \"a\", \"parameters\": [\n" + parameters + "\n],\n" +
            "  \"responses\": { \"204\": { \"description\": \"x\" } } } } },\n" +
            "  \"components\": { \"schemas\": { \"Color\": { \"type\": \"object\", \"properties\": { \"R\": { \"type\": \"integer\" } } } } } }"));

    private const string PathP = "{ \"name\": \"p\", \"in\": \"path\", \"required\": true, \"schema\": { \"type\": \"string\" } }";

    [Theory]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"style\": \"deepObject\", \"schema\": { \"type\": \"string\" } }", "not defined for primitive values")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"style\": \"spaceDelimited\", \"explode\": true, \"schema\": { \"type\": \"array\", \"items\": { \"type\": \"string\" } } }", "explode: true is not defined")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"style\": \"deepObject\", \"explode\": false, \"schema\": { \"$ref\": \"#/components/schemas/Color\" } }", "explode: false is not defined")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"style\": \"matrix\", \"schema\": { \"type\": \"string\" } }", "not defined for query parameters")]
    [InlineData("{ \"name\": \"c\", \"in\": \"cookie\", \"style\": \"simple\", \"schema\": { \"type\": \"string\" } }", "not defined for cookie parameters")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"content\": { \"application/xml\": { \"schema\": { \"type\": \"object\", \"properties\": { \"x\": { \"type\": \"string\" } } } } } }", "neither JSON nor a primitive")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"schema\": { \"type\": \"string\", \"format\": \"binary\" } }", "holds binary data")]
    public void Undefined_combinations_are_TKO003_and_compile(string parameter, string message)
    {
        var r = Run(PathP + ",\n" + parameter);
        var d = Assert.Single(r.GeneratorDiagnostics);
        Assert.Equal("TKO003", d.Id);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains(message, d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(r.CompileDiagnostics.Select(x => x.ToString()));
    }

    [Theory]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"style\": \"deepObject\", \"schema\": { \"$ref\": \"#/components/schemas/Color\" } }", "ApiParameterStyle.DeepObject, global::Toolkit.Runtime.Http.ApiParameterShape.Properties, true")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"style\": \"form\", \"explode\": false, \"schema\": { \"type\": \"object\", \"additionalProperties\": { \"type\": \"integer\" } } }", "foreach (var kv_Q in q_Q)")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"allowReserved\": true, \"allowEmptyValue\": true, \"schema\": { \"type\": \"array\", \"items\": { \"type\": \"string\", \"nullable\": true } } }", "__uri.Query.End(allowEmptyValue: true);")]
    [InlineData("{ \"name\": \"c\", \"in\": \"cookie\", \"schema\": { \"type\": \"integer\" } }", "ApiCookies.Apply(__request, _http, __cookies);")]
    [InlineData("{ \"name\": \"h\", \"in\": \"header\", \"schema\": { \"$ref\": \"#/components/schemas/Color\" } }", "__headers.Member(\"R\", m_H_R);")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"style\": \"deepObject\", \"schema\": { \"type\": \"object\", \"properties\": { \"inner\": { \"type\": \"object\", \"properties\": { \"x\": { \"type\": \"string\" } } } } } }", "__uri.Query.MemberJson(\"inner\", global::Toolkit.Runtime.Json.ApiJson.Serialize(m_Q_Inner, ")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"content\": { \"application/json\": { \"schema\": { \"type\": \"object\" } } } }", "ApiParameterShape.Primitive, true, global::Toolkit.Runtime.Http.ApiParameterEncoding.Unreserved).ItemJson(global::Toolkit.Runtime.Json.ApiJson.Serialize(q_Q, ")]
    [InlineData("{ \"name\": \"h\", \"in\": \"header\", \"style\": \"simple\", \"explode\": true, \"content\": { \"application/json\": { \"schema\": { \"type\": \"integer\" } } } }", "ApiParameterStyle.Simple, global::Toolkit.Runtime.Http.ApiParameterShape.Primitive, false, global::Toolkit.Runtime.Http.ApiParameterEncoding.Header).ItemJson(")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"style\": \"deepObject\", \"schema\": { \"type\": \"array\", \"items\": { \"type\": \"string\" } } }", "ApiParameterStyle.DeepObject, global::Toolkit.Runtime.Http.ApiParameterShape.Array, true")]
    [InlineData("{ \"name\": \"q\", \"in\": \"query\", \"schema\": { \"type\": \"array\", \"items\": { \"type\": \"array\", \"items\": { \"type\": \"string\" } } } }", "__uri.Query.ItemJson(global::Toolkit.Runtime.Json.ApiJson.Serialize(i_Q, ")]
    public void Defined_combinations_have_no_diagnostic(string parameter, string emitted)
    {
        var r = Run(PathP.Replace("\"string\"", "\"array\", \"items\": { \"type\": \"integer\" }", StringComparison.Ordinal).Replace("\"required\": true", "\"required\": true, \"style\": \"label\", \"explode\": true", StringComparison.Ordinal) + ",\n" + parameter);
        Assert.Empty(r.GeneratorDiagnostics.Select(x => x.ToString()));
        Assert.Empty(r.CompileDiagnostics.Select(x => x.ToString()));
        var client = string.Join("\n", r.Run.GeneratedTrees.Select(t => t.ToString()));
        Assert.Contains(emitted, client, StringComparison.Ordinal);
        Assert.Contains("__uri.Path.Begin(\"p\", global::Toolkit.Runtime.Http.ApiParameterStyle.Label, global::Toolkit.Runtime.Http.ApiParameterShape.Array, true", client, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Linq", client, StringComparison.Ordinal);
    }
}
