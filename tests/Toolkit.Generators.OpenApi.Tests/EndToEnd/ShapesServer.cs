using System;
using System.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// A Kestrel server on 127.0.0.1 for the unions of objects (Schemas/shapes.json): a POST is answered with its own body
/// (application/json), <c>GET .../verifications</c> with <see cref="Verifications"/>, and any request under
/// <c>/bad</c> with <see cref="Unmatched"/>, an object no branch of a payment accepts.
/// </summary>
public sealed class ShapesServer : LoopbackServer
{
    public const string Verifications = """{"results":[{"id":"v1","deliverable":true},{"error":{"message":"no such address","status_code":422}},{},{"id":"v2","error":{"message":"both"}}]}""";

    public const string Unmatched = """{"holder":"n","expiry":"12/30"}""";

    protected override void Map(WebApplication app)
    {
        app.Run(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            ctx.Response.ContentType = "application/json";
            var path = ctx.Request.Path.Value ?? string.Empty;
            await ctx.Response.WriteAsync(path.StartsWith("/bad/", StringComparison.Ordinal) ? Unmatched : path.EndsWith("/verifications", StringComparison.Ordinal) ? Verifications : body);
        });
    }
}
