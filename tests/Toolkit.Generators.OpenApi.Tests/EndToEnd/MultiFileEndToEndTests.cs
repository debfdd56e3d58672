using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Toolkit.OpenApi.Tests.Kennel;
using Toolkit.Runtime.Http;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// The client generated at build time from the split document Schemas/MultiFile/api/kennel.yaml (every file an
/// AdditionalFile), called against an in-process Kestrel server on 127.0.0.1: the parameters that live in shared
/// files two folders up reach the wire, and the whole-file schemas decode.
/// </summary>
public sealed class MultiFileEndToEndTests : LoopbackServer
{
    private readonly ConcurrentQueue<string> _seen = new();

    protected override void Map(WebApplication app)
    {
        app.Use(async (ctx, next) =>
        {
            _seen.Enqueue(ctx.Request.Method + " " + ctx.Request.Path + ctx.Request.QueryString + " " + ctx.Request.Headers.Authorization);
            await next(ctx);
        });
        app.MapGet("/v1/pets", (HttpContext ctx) => Json(ctx, 200, """[{"id":1,"name":"Rex","breed":"collie","tag":{"label":"good"}},{"id":2,"name":"Tom"}]"""));
        app.MapGet("/v1/owners/{ownerId}/pets", (HttpContext ctx, string ownerId) => Json(ctx, 200, "[{\"id\":3,\"name\":\"" + ownerId + "'s\"}]"));
        app.MapGet("/v1/pets/{petId}", (HttpContext ctx, long petId) => petId == 404
            ? Json(ctx, 404, """{"message":"no such pet","detail":{"kennel":"north"}}""")
            : Json(ctx, 200, "{\"id\":" + petId + ",\"name\":\"Rex\",\"breed\":\"poodle\"}"));
        app.MapPost("/v1/pets", async (HttpContext ctx) =>
        {
            using var doc = await System.Text.Json.JsonDocument.ParseAsync(ctx.Request.Body);
            var name = doc.RootElement.GetProperty("name").GetString();
            var breed = doc.RootElement.TryGetProperty("breed", out var b) ? b.GetString() : null;
            await Json(ctx, 201, "{\"id\":9,\"name\":\"" + name + "\",\"breed\":\"" + breed + "\"}");
        });
        app.MapDelete("/v1/pets/{petId}", (HttpContext ctx) =>
        {
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
    }

    private KennelClient Client() => new(new HttpClient(), new KennelClientOptions { BaseAddress = new Uri(BaseAddress, "/v1") });

    [Fact]
    public async Task Every_operation_of_the_split_document_works_on_the_wire()
    {
        var client = Client();

        var pets = await client.ListPetsAsync(limit: 5);
        Assert.Equal("GET /v1/pets?limit=5 ", _seen.Last());
        Assert.Equal(2, pets.Count);
        Assert.Equal(Breed.Collie, pets[0].Breed);
        Assert.Equal("good", pets[0].Tag!.Label);
        Assert.Null(pets[1].Breed);

        var owned = await client.ListOwnerPetsAsync("ann");
        Assert.Equal("GET /v1/owners/ann/pets ", _seen.Last());
        Assert.Equal("ann's", Assert.Single(owned).Name);

        var pet = await client.GetPetAsync(7);
        Assert.Equal("GET /v1/pets/7 ", _seen.Last());
        Assert.Equal((7L, "Rex", (Breed?)Breed.Poodle), (pet.Id, pet.Name, pet.Breed));

        var created = await client.CreatePetAsync(new NewPet { Name = "Kit", Breed = Breed.Mixed });
        Assert.Equal((9L, "Kit", (Breed?)Breed.Mixed), (created.Id, created.Name, created.Breed));

        await client.DeletePetAsync(9);
        Assert.Equal("DELETE /v1/pets/9 ", _seen.Last());
    }

    [Fact]
    public async Task An_error_response_from_a_shared_file_is_an_api_exception_with_its_body()
    {
        var ex = await Assert.ThrowsAsync<ApiException>(() => Client().GetPetAsync(404));
        Assert.Equal(404, ex.StatusCode);
        Assert.Contains("no such pet", ex.RawBody, StringComparison.Ordinal);
    }
}
