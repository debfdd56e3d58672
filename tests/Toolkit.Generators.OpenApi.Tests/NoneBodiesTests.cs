using System.Collections.Generic;
using System.Linq;
using System.Text;
using Toolkit.Generators.OpenApi.Model;
using Toolkit.Generators.OpenApi.Parsing;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary><c>x-toolkit-none</c> as a list of bodies that mean "nothing" (FTS3's delegation: <c>null</c> or <c>[]</c>).</summary>
public class NoneBodiesTests
{
    private const string Doc = """
        {
          "openapi": "3.1.0",
          "info": { "title": "t", "version": "1" },
          "paths": {
            "/d": { "get": { "operationId": "getD", "responses": {
              "200": { "description": "x", "x-toolkit-none": ["null", "[]"],
                       "content": { "application/json": { "schema": { "type": "object", "properties": { "a": { "type": "string" } } } } } } } } },
            "/e": { "get": { "operationId": "getE", "responses": {
              "200": { "description": "x", "x-toolkit-none": ["nothing", 3],
                       "content": { "application/json": { "schema": { "type": "string" } } } } } } }
          }
        }
        """;

    [Fact]
    public void The_list_is_parsed_the_result_is_nullable_and_bad_entries_are_diagnosed()
    {
        var d = OpenApiParser.Parse("/s/none.json", Doc, new DocumentOptions(null, null, "Consumer", false, 4), new Dictionary<string, string>());
        var getD = d.Client!.Operations.Single(o => o.Name == "GetD");
        Assert.Equal(new[] { "null", "[]" }, getD.Responses.Single().NoneBodies);
        Assert.True(getD.ResultNullable);
        Assert.False(getD.Responses.Single().None);
        Assert.Equal(2, d.Diagnostics.Count(x => x.Id == "TKO006"));
    }

    [Theory]
    [InlineData("null", true)]
    [InlineData(" [ ] ", true)]
    [InlineData("[\n]", true)]
    [InlineData("{}", false)]
    [InlineData("[1]", false)]
    [InlineData("\"\"", false)]
    [InlineData("", false)]
    [InlineData("[", false)]
    [InlineData("null null", false)]
    public void IsOneOf_matches_the_empty_forms_whatever_the_white_space(string body, bool expected)
        => Assert.Equal(expected, ApiJson.IsOneOf(Encoding.UTF8.GetBytes(body), "null", "[]"));
}
