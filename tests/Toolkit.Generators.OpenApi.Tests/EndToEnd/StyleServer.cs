using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// A minimal Kestrel server on 127.0.0.1 that answers every request with what it received, unparsed: the raw request
/// target for path and query parameters, the raw <c>color</c> header, or the raw <c>Cookie</c> header.
/// </summary>
public sealed class StyleServer : LoopbackServer
{
    protected override void Map(WebApplication app)
    {
        app.Run(ctx =>
        {
            var raw = ctx.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var seen = raw.StartsWith("/styles/header/", StringComparison.Ordinal) ? ctx.Request.Headers["color"].ToString()
                : raw.StartsWith("/styles/cookie/", StringComparison.Ordinal) ? string.Join("\n", ctx.Request.Headers.Cookie.ToArray())
                : raw;
            ctx.Response.ContentType = "text/plain";
            return ctx.Response.WriteAsync(seen);
        });
    }
}
