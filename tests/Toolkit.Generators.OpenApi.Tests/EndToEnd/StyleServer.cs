using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// A minimal Kestrel server on 127.0.0.1 that answers every request with what it received, unparsed: the raw request
/// target for path and query parameters, the raw <c>color</c> header, or the raw <c>Cookie</c> header.
/// </summary>
public sealed class StyleServer : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(ctx =>
        {
            var raw = ctx.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var seen = raw.StartsWith("/styles/header/", StringComparison.Ordinal) ? ctx.Request.Headers["color"].ToString()
                : raw.StartsWith("/styles/cookie/", StringComparison.Ordinal) ? string.Join("\n", ctx.Request.Headers.Cookie.ToArray())
                : raw;
            ctx.Response.ContentType = "text/plain";
            return ctx.Response.WriteAsync(seen);
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
