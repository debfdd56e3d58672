using System;
using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.OpenApi.Model;
using Toolkit.Generators.OpenApi.Parsing;

namespace Toolkit.OpenApi.Tests;

public class ParserTests
{
    private static DocumentModel Parse(string file, string? ns = null, bool keep = false)
    {
        var files = new Dictionary<string, string> { ["/s/common.json"] = GeneratorHarness.Schema("common.json") };
        return OpenApiParser.Parse("/s/" + file, GeneratorHarness.Schema(file), new DocumentOptions(ns, null, "Consumer", keep, 4), files);
    }

    private static TypeDecl Decl(DocumentModel d, string name) => d.Types.Single(t => t.Decl.Name == name).Decl;

    [Theory]
    [InlineData("{\"openapi\": \"3.0.0\"}", true)]
    [InlineData("{ \"info\": {}, \"openapi\" :\n \"3.1.0\" }", true)]
    [InlineData("{\"swagger\": \"2.0\"}", false)]
    [InlineData("{\"openapi\": 3}", false)]
    [InlineData("{\"components\": {}}", false)]
    public void Recognises_documents_by_content(string text, bool expected)
        => Assert.Equal(expected, OpenApiParser.LooksLikeOpenApi(text));

    [Fact]
    public void Petstore_model()
    {
        var d = Parse("petstore.json", ns: "Pets");
        Assert.Empty(d.Diagnostics);
        var c = d.Client!;
        Assert.Equal("PetstoreClient", c.ClientName);
        Assert.Equal("Pets", c.Namespace);
        Assert.Equal("http://petstore.swagger.io/v1", c.DefaultServer);
        Assert.Equal(new[] { "ListPets", "CreatePets", "ShowPetById" }, c.Operations.Select(o => o.Name));
        var pet = Decl(d, "Pet");
        Assert.Equal(new[] { ("id", true), ("name", true), ("tag", false) }, pet.Properties.Select(p => (p.JsonName, p.Required)));
        Assert.Equal(TypeKind.Int64, pet.Properties[0].Type.Kind);
        var list = c.Operations[0];
        Assert.Equal(BodyKind.Json, list.ResultKind);
        Assert.Equal(TypeKind.Array, list.ResultType!.Kind);
        Assert.Equal("Pet", list.ResultType.Element!.Name);
        Assert.Equal(ParameterLocation.Query, list.Parameters.Single().In);
        Assert.Equal(TypeKind.Int32, list.Parameters.Single().Type.Kind);
        var create = c.Operations[1];
        Assert.Equal(BodyKind.None, create.ResultKind);
        Assert.True(create.Body!.Required);
        Assert.Equal("application/json", create.Body.MediaType);
    }

    [Fact]
    public void Default_names_come_from_root_namespace_and_file()
    {
        var d = Parse("dispatch.json");
        Assert.Equal("Consumer.Dispatch", d.Client!.Namespace);
        Assert.Equal("DispatchClient", d.Client.ClientName);
        var lab = Parse("lab.json");
        Assert.Equal("LabClient", lab.Client!.ClientName);
    }

    [Fact]
    public void Lab_constructs()
    {
        var d = Parse("lab.json");
        Assert.Empty(d.Diagnostics);
        var job = Decl(d, "Job");
        PropertyDecl P(string n) => job.Properties.Single(p => p.JsonName == n);
        Assert.Equal(TypeKind.Guid, P("job_id").Type.Kind);
        Assert.Equal(TypeKind.Enum, P("job_state").Type.Kind);
        Assert.True(P("reason").Required && P("reason").Type.Nullable);
        Assert.True(!P("job_finished").Required && P("job_finished").Type.Nullable);
        Assert.True(P("submit_host").ReadOnly);
        Assert.True(P("credential").WriteOnly);
        Assert.Equal(TypeKind.Json, P("metadata").Type.Kind);
        Assert.Equal(TypeKind.Map, P("labels").Type.Kind);
        Assert.Equal(TypeKind.Single, P("ratio").Type.Kind);
        Assert.Equal("false", P("verify_checksum").DefaultLiteral);
        Assert.Equal("\"default\"", P("activity").DefaultLiteral);
        Assert.Equal(TypeKind.Bytes, P("checksum_bytes").Type.Kind);
        Assert.Equal(TypeKind.Date, P("day").Type.Kind);
        Assert.True(P("scores").Type.Element!.Nullable);
        Assert.Equal(TypeKind.Array, P("matrix").Type.Element!.Kind);
        Assert.Equal("JobLimits", P("limits").Type.Name);
        Assert.Equal("Audit", P("audit").Type.Name);
        Assert.True(P("legacy_flag").Deprecated);
        Assert.Equal("Class", P("class").CsName);

        var priority = Decl(d, "Priority");
        Assert.True(priority.EnumIsInteger);
        Assert.Equal(new[] { "Lowest", "Low", "Normal", "High", "Highest" }, priority.Members.Select(m => m.CsName));

        var submission = Decl(d, "Submission");
        Assert.Equal(new[] { "priority", "overwrite", "max_time_in_queue", "files", "job_metadata" }, submission.Properties.Select(p => p.JsonName));
        Assert.True(submission.Properties.Single(p => p.JsonName == "files").Required);

        var shape = Decl(d, "Shape");
        Assert.Equal(DeclKind.Union, shape.Kind);
        Assert.Equal(new[] { ("circle", "Circle"), ("square", "Square") }, shape.Cases.Select(c => (c.DiscriminatorValue, c.TypeName)));
        var circle = Decl(d, "Circle");
        Assert.Equal("Shape", circle.BaseType);
        Assert.DoesNotContain(circle.Properties, p => p.JsonName == "kind");

        Assert.Equal(TypeKind.Int32, Decl(d, "Extensible").AdditionalProperties!.Kind);

        var ops = d.Client!.Operations.ToDictionary(o => o.Name);
        Assert.Equal("GetWhoami", ops["GetWhoami"].Name);
        Assert.Equal("SearchRequest", ops["Search"].RequestRecordName);
        Assert.Null(ops["ListJobs"].RequestRecordName);
        Assert.False(ops["ListJobs"].Parameters.Single(p => p.WireName == "state_in").Explode);
        Assert.True(ops["ListJobs"].Parameters.Single(p => p.WireName == "fields").Explode);
        Assert.Equal(ParameterLocation.Header, ops["ListJobs"].Parameters.Single(p => p.WireName == "X-Request-Id").In);
        Assert.Equal(new[] { "200", "207", "404", "default" }, ops["GetJobs"].Responses.Select(r => r.Status));
        Assert.Equal("LabNotFoundException", ops["GetJobs"].Responses[2].ExceptionType);
        Assert.True(ops["GetProject"].ResultNullable);
        Assert.Equal(BodyKind.Text, ops["PutCredential"].Body!.Kind);
        Assert.Equal(BodyKind.Text, ops["GetDelegationRequest"].ResultKind);
        Assert.Equal(BodyKind.Binary, ops["DownloadFile"].ResultKind);
        Assert.Equal(BodyKind.Binary, ops["UploadFile"].Body!.Kind);
        Assert.Equal(BodyKind.Form, ops["SetOptimizer"].Body!.Kind);
        Assert.Equal(TypeKind.Json, ops["GetConfig"].ResultType!.Kind);

        var errors = d.Client.Errors!;
        Assert.Equal("LabException", errors.RootName);
        Assert.Equal("LabClientErrorException", errors.Exceptions.Single(e => e.Name == "LabNotFoundException").BaseName);
        Assert.Contains(new StatusMapping("4XX", "LabClientErrorException"), errors.Statuses);
        Assert.Equal("message", errors.MessageProperty);
    }

    [Fact]
    public void Openapi_31_constructs()
    {
        var d = Parse("dispatch.json");
        Assert.Empty(d.Diagnostics);
        var project = Decl(d, "Project");
        PropertyDecl P(string n) => project.Properties.Single(p => p.JsonName == n);
        Assert.True(P("ended_timestamp").Required && P("ended_timestamp").Type.Nullable);
        Assert.Equal(TypeKind.Double, P("ended_timestamp").Type.Kind);
        Assert.True(P("updated").Type.WithoutOffset);
        var handle = Decl(d, "NextFile").Properties.Single(p => p.JsonName == "handle");
        Assert.Equal("Handle", handle.Type.Name);
        Assert.True(handle.Type.Nullable);
        Assert.True(Decl(d, "Replica").Properties.Single(p => p.JsonName == "preference").Type.Nullable);
        var c = d.Client!;
        Assert.Equal(new AuthHeader("Token", "X-Authentication-Token", "a JWT from the auth server"), c.AuthHeaders.Single());
        var create = c.Operations.Single(o => o.Name == "CreateProject");
        Assert.Equal("text/json", create.Body!.MediaType);
        Assert.Equal(BodyKind.Json, create.ResultKind);
        Assert.Equal("InactiveProjectException", c.Operations.Single(o => o.Name == "NextFile").Responses.Single(r => r.Status == "400").ExceptionType);
    }

    [Fact]
    public void Keep_unknown_properties_adds_a_json_bag()
    {
        var keep = Parse("petstore.json", keep: true);
        Assert.Equal(TypeKind.Json, Decl(keep, "Pet").AdditionalProperties!.Kind);
        Assert.Null(Decl(Parse("petstore.json"), "Pet").AdditionalProperties);
    }

    private static DocumentModel ParseText(string json)
        => OpenApiParser.Parse("/s/t.json", json, new DocumentOptions(null, null, "Consumer", false, 4));

    [Fact]
    public void Operation_names_are_derived_from_method_and_path_without_operation_id()
    {
        var d = ParseText("""
            { "openapi": "3.1.0", "info": { "title": "t", "version": "1" }, "paths": {
              "/jobs/{job_id}/files": { "get": { "parameters": [ { "name": "job_id", "in": "path", "required": true, "schema": { "type": "string" } } ], "responses": { "204": { "description": "x" } } } },
              "/": { "delete": { "responses": { "204": { "description": "x" } } } },
              "/a-b/c_d": { "post": { "operationId": "submit-it", "responses": { "204": { "description": "x" } } } } } }
            """);
        Assert.Empty(d.Diagnostics);
        Assert.Equal(new[] { "GetJobsByJobIdFiles", "Delete", "SubmitIt" }, d.Client!.Operations.Select(o => o.Name));
        Assert.Equal("submit-it", d.Client.Operations[2].OperationId);
    }

    [Fact]
    public void Json_and_content_type_extensions_choose_the_body_handling()
    {
        var d = ParseText("""
            { "openapi": "3.0.3", "info": { "title": "t", "version": "1" }, "paths": {
              "/a": { "post": {
                "requestBody": { "required": true, "content": { "application/vnd.fts+plain": { "x-toolkit-json": true, "x-toolkit-content-type": "application/json", "schema": { "type": "object", "properties": { "x": { "type": "string" } } } } } },
                "responses": { "200": { "description": "x", "content": { "application/x-ndjson": { "x-toolkit-json": true, "schema": { "type": "integer" } } } } } } },
              "/b": { "post": {
                "requestBody": { "required": true, "content": { "application/json": { "x-toolkit-json": false, "schema": { "type": "string" } } } },
                "responses": { "200": { "description": "x", "content": { "application/json": { "x-toolkit-json": false, "schema": { "type": "object" } } } } } } } } }
            """);
        Assert.Empty(d.Diagnostics);
        var a = d.Client!.Operations[0];
        Assert.Equal(BodyKind.Json, a.Body!.Kind);
        Assert.Equal("application/json", a.Body.MediaType);
        Assert.Equal(BodyKind.Json, a.ResultKind);
        Assert.Equal(TypeKind.Int64, a.ResultType!.Kind);
        var b = d.Client.Operations[1];
        Assert.Equal(BodyKind.Binary, b.Body!.Kind);
        Assert.Equal(BodyKind.Binary, b.ResultKind);
    }

    [Fact]
    public void A_cycle_of_ref_aliases_is_TKO003_and_json_not_a_missing_type()
    {
        var d = ParseText("""
            { "openapi": "3.0.3", "info": { "title": "t", "version": "1" }, "paths": {},
              "components": { "schemas": {
                "Holder": { "type": "object", "properties": { "a": { "$ref": "#/components/schemas/A" }, "self": { "$ref": "#/components/schemas/Holder" } } },
                "A": { "$ref": "#/components/schemas/B" },
                "B": { "$ref": "#/components/schemas/A" } } } }
            """);
        Assert.Contains(d.Diagnostics, x => x.Id == "TKO003" && x.Message.Contains("cycle", StringComparison.Ordinal));
        var holder = d.Types.Single(t => t.Decl.Name == "Holder").Decl;
        Assert.Equal(TypeKind.Json, holder.Properties.Single(p => p.JsonName == "a").Type.Kind);
        Assert.Equal("Holder", holder.Properties.Single(p => p.JsonName == "self").Type.Name);
        Assert.Single(d.Types);
    }

    [Fact]
    public void Model_is_equal_for_equal_input()
    {
        Assert.Equal(Parse("lab.json"), Parse("lab.json"));
        Assert.NotEqual(Parse("lab.json"), Parse("lab.json", ns: "Other"));
    }
}
