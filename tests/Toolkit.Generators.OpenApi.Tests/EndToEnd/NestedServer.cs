using System.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// A Kestrel server on 127.0.0.1 that answers every request with what it received, unparsed, one item per line: the
/// raw request target, the raw <c>x-range</c> header, the raw <c>Cookie</c> header, the <c>Content-Type</c> and the body.
/// </summary>
public sealed class NestedServer : LoopbackServer
{
    protected override void Map(WebApplication app)
    {
        app.Run(async ctx =>
        {
            var raw = ctx.Features.Get<IHttpRequestFeature>()!.RawTarget;
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            var seen = raw + "\n" + ctx.Request.Headers["x-range"].ToString() + "\n" + string.Join("; ", ctx.Request.Headers.Cookie.ToArray())
                + "\n" + ctx.Request.ContentType + "\n" + body;
            if (ctx.Request.ContentType == "application/x-www-form-urlencoded")
            {
                // ASP.NET Core's own form reader, an implementation that shares nothing with the client's writer.
                foreach (var (key, values) in new FormReader(body).ReadForm())
                {
                    foreach (var v in values)
                    {
                        seen += "\n" + key + "\t" + v;
                    }
                }
            }

            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync(seen);
        });
    }
}
