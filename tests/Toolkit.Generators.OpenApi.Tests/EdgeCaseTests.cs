using System;
using System.Linq;

namespace Toolkit.OpenApi.Tests;

public class EdgeCaseTests
{
    private const string Nasty = """
{
  "openapi": "3.1.0",
  "info": { "title": "Nasty <b> & \"quotes\" */ ]]>", "version": "1" },
  "paths": {
    "/items/{id}.json": {
      "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
      "get": {
        "parameters": [
          { "name": "class", "in": "query", "schema": { "type": "string" } },
          { "name": "cancellationToken", "in": "query", "schema": { "type": "integer" } },
          { "name": "when", "in": "query", "schema": { "type": "string", "format": "date-time" } },
          { "name": "grid", "in": "query", "schema": { "type": "array", "items": { "type": "array", "items": { "type": "string" } } } }
        ],
        "responses": {
          "2XX": { "description": "ok", "content": { "application/json; charset=utf-8": { "schema": { "$ref": "#/components/schemas/Node" } } } }
        }
      },
      "post": {
        "operationId": "dup",
        "requestBody": { "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/String" } } } } },
        "responses": { "200": { "description": "ok" } }
      },
      "put": {
        "operationId": "dup",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Kind" } } } },
        "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": { "type": "string", "format": "date-time" } } } } }
      }
    }
  },
  "components": {
    "schemas": {
      "Node": {
        "type": "object",
        "description": "A <node> with */ and & in the text",
        "required": [ "name" ],
        "properties": {
          "name": { "type": "string" },
          "children": { "type": "array", "items": { "$ref": "#/components/schemas/Node" } },
          "parent": { "$ref": "#/components/schemas/Node" },
          "class": { "type": "string" },
          "1st": { "type": "integer" },
          "a-b": { "type": "string" },
          "a_b": { "type": "string" },
          "": { "type": "string" },
          "ReadJson": { "type": "boolean" },
          "Node": { "type": "string" },
          "AdditionalProperties": { "type": "string" },
          "when": { "type": "string", "format": "date-time", "default": "2020-01-01T00:00:00Z" },
          "any": {},
          "items": { "type": "array", "items": {} },
          "kinds": { "type": "array", "items": { "$ref": "#/components/schemas/Kind" }, "default": [] },
          "maybe": { "type": [ "string", "null" ], "enum": [ "x", "y", null ] }
        },
        "additionalProperties": { "type": "string" }
      },
      "Kind": { "type": "string", "enum": [ "", "a-b", "a_b", "A", "a", "Value", "ToString", "KnownValues" ] },
      "Num": { "type": "integer", "enum": [ -1, 0, 9223372036854775807 ] },
      "String": { "type": "object", "properties": { "value": { "type": "string" }, "string": { "type": "string" } } },
      "Task": { "type": "object", "properties": { "system": { "type": "string" } } },
      "System": { "type": "object", "properties": { "task": { "$ref": "#/components/schemas/Task" } } },
      "NastyClient": { "type": "object", "properties": { "x": { "type": "string" } } },
      "Empty": { "type": "object", "properties": {}, "additionalProperties": false },
      "Closed": { "type": "object", "properties": { "x": { "type": "string" } }, "additionalProperties": false },
      "Pet": {
        "oneOf": [ { "$ref": "#/components/schemas/Cat" }, { "$ref": "#/components/schemas/Dog" } ],
        "discriminator": { "propertyName": "pet_type", "mapping": { "cat": "Cat", "dog": "#/components/schemas/Dog", "ghost": "#/components/schemas/Missing" } }
      },
      "Cat": { "type": "object", "required": [ "pet_type" ], "properties": { "pet_type": { "type": "string" }, "lives": { "type": "integer" } } },
      "Dog": { "allOf": [ { "$ref": "#/components/schemas/Cat" }, { "type": "object", "properties": { "bark": { "type": "boolean" } } } ] },
      "Mixed": { "allOf": [ { "$ref": "#/components/schemas/Pet" } ] },
      "Alias": { "$ref": "#/components/schemas/Alias2" },
      "Alias2": { "$ref": "#/components/schemas/Alias" }
    }
  }
}
""";

    [Fact]
    public void Deprecated_required_members_and_types_compile_without_warnings()
    {
        var r = GeneratorHarness.Run(("/p/deprecated.yaml", """
            openapi: 3.0.3
            info: {title: D, version: '1'}
            paths: {}
            components:
              schemas:
                Pet:
                  type: object
                  required: [name, tag]
                  properties:
                    name: {type: string, deprecated: true}
                    tag: {type: string}
                    old: {type: integer, deprecated: true}
                OldPet:
                  type: object
                  deprecated: true
                  required: [name]
                  properties:
                    name: {type: string, deprecated: true}
            """));
        Assert.Empty(r.GeneratorDiagnostics);
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        var pet = r.Run.Results.Single().GeneratedSources.Single(g => g.HintName.Contains(".Pet.", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("Deprecated by the schema.</remarks>", pet, StringComparison.Ordinal);
        Assert.Contains("[global::System.Obsolete(\"Deprecated by the schema.\")]\n    public long? Old", pet.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Nasty_names_and_shapes_compile_without_warnings()
    {
        var r = GeneratorHarness.Run(("/p/nasty.json", Nasty));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));

        // The only error is the dangling mapping target; everything else is a warning with a fallback.
        var error = Assert.Single(r.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal("TKO002", error.Id);
        Assert.Contains("Missing", error.GetMessage(), StringComparison.Ordinal);

        // Colliding and reserved names get numbered, keywords and leading digits are escaped; JSON names stay exact.
        var node = r.Output.GetTypeByMetadataName("Consumer.Nasty.Node")!;
        var props = node.GetMembers().OfType<Microsoft.CodeAnalysis.IPropertySymbol>().Select(p => p.Name).ToHashSet();
        Assert.Superset(new[] { "Class", "N1st", "AB", "AB2", "Value2", "ReadJson2", "Node2", "AdditionalProperties", "AdditionalProperties2" }.ToHashSet(), props);
        Assert.NotNull(r.Output.GetTypeByMetadataName("Consumer.Nasty.NastyClient2"));
        Assert.NotNull(r.Output.GetTypeByMetadataName("Consumer.Nasty.String"));
        var kind = r.Output.GetTypeByMetadataName("Consumer.Nasty.Kind")!;
        Assert.Superset(new[] { "Value2", "AB", "AB2", "A", "A2", "Value3", "ToString2", "KnownValues2" }.ToHashSet(), kind.GetMembers().Select(m => m.Name).ToHashSet());
        var client = r.Output.GetTypeByMetadataName("Consumer.Nasty.NastyClient")!;
        Assert.Superset(new[] { "GetItemsByIdJsonAsync", "DupAsync", "Dup2Async" }.ToHashSet(), client.GetMembers().Select(m => m.Name).ToHashSet());
    }
}
