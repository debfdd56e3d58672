using System;
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
/// An in-process Kestrel server on 127.0.0.1 at a free port, as the end-to-end tests use it: a subclass maps its
/// routes and middleware in <see cref="Map"/>; starting, the address and stopping are done here.
/// </summary>
public abstract class LoopbackServer : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>The server's address once it has started.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Maps the routes and middleware of this server.</summary>
    /// <param name="app">The application, built but not started.</param>
    protected abstract void Map(WebApplication app);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Map(app);
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

    /// <summary>Answers with <paramref name="status"/> and a JSON body.</summary>
    protected static Task Json(HttpContext ctx, int status, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body);
    }
}
