using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenApiClient;

/// <summary>
/// A local Kestrel stand-in for the Pet Shelter service of shelter.json, written by hand from the document (it does
/// not use the generated code, so a bug cannot hide on both sides). It refuses what the document forbids: a body
/// without name or species, an unknown status, a limit outside 1..100.
/// </summary>
internal sealed class Stub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<JsonObject> _pets = [];
    private long _nextId = 100;

    private Stub(WebApplication app) => _app = app;

    /// <summary>The service's base address (ends with /v1/).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<Stub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var stub = new Stub(builder.Build());
        stub.Map();
        await stub._app.StartAsync();
        var address = stub._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.BaseAddress = new Uri(address.TrimEnd('/') + "/v1/");
        return stub;
    }

    private void Map()
    {
        var v1 = _app.MapGroup("/v1");
        v1.MapGet("/pets", (HttpContext ctx) =>
        {
            var query = ctx.Request.Query;
            int limit = 100;
            if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
            {
                return Error(400, "limit must be 1..100");
            }

            var status = query.TryGetValue("state", out var s) ? s.ToString() : null;
            if (status is not null and not ("available" or "reserved" or "adopted"))
            {
                return Error(400, "unknown state " + status);
            }

            var list = new JsonArray(_pets.Where(p => status is null || (string)p["status"]! == status)
                .OrderByDescending(p => (long)p["id"]!).Take(limit).Select(p => (JsonNode)p.DeepClone()).ToArray());
            return Results.Text(list.ToJsonString(), "application/json");
        });
        v1.MapPost("/pets", async (HttpContext ctx) =>
        {
            if (await JsonNode.ParseAsync(ctx.Request.Body) is not JsonObject body
                || body["name"]?.GetValueKind() != System.Text.Json.JsonValueKind.String
                || body["species"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                return Error(400, "a pet needs a name and a species");
            }

            var pet = new JsonObject
            {
                ["id"] = ++_nextId,
                ["name"] = (string)body["name"]!,
                ["species"] = (string)body["species"]!,
                ["status"] = "available",
                ["tags"] = body["tags"]?.DeepClone() ?? new JsonArray(),
                ["arrived"] = "2026-01-01T12:00:00Z",
            };
            _pets.Add(pet);
            return Results.Text(pet.ToJsonString(), "application/json", statusCode: 201);
        });
        v1.MapGet("/pets/{petId:long}", (long petId) =>
            Find(petId) is { } pet ? Results.Text(pet.ToJsonString(), "application/json") : Error(404, $"no pet {petId}"));
        v1.MapDelete("/pets/{petId:long}", (long petId) =>
            Find(petId) is { } pet && _pets.Remove(pet) ? Results.NoContent() : Error(404, $"no pet {petId}"));
    }

    private JsonObject? Find(long id) => _pets.FirstOrDefault(p => (long)p["id"]! == id);

    private static IResult Error(int status, string message)
        => Results.Text(new JsonObject { ["code"] = status, ["message"] = message }.ToJsonString(), "application/json", statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
