using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// A Kestrel server on 127.0.0.1 for the unions of objects (Schemas/shapes.json): a POST is answered with its own body
/// (application/json), <c>GET .../verifications</c> with <see cref="Verifications"/>, and any request under
/// <c>/bad</c> with <see cref="Unmatched"/>, an object no branch of a payment accepts.
/// </summary>
public sealed class ShapesServer : IAsyncLifetime
{
    public const string Verifications = """{"results":[{"id":"v1","deliverable":true},{"error":{"message":"no such address","status_code":422}},{},{"id":"v2","error":{"message":"both"}}]}""";

    public const string Unmatched = """{"holder":"n","expiry":"12/30"}""";

    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            ctx.Response.ContentType = "application/json";
            var path = ctx.Request.Path.Value ?? string.Empty;
            await ctx.Response.WriteAsync(path.StartsWith("/bad/", StringComparison.Ordinal) ? Unmatched : path.EndsWith("/verifications", StringComparison.Ordinal) ? Verifications : body);
        });
        await app.StartAsync();
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _app = app;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
