using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// An in-process Kestrel server on 127.0.0.1 for bodies.json: a listing written item by item as the client reads it
/// (with an invalid item on request, and a signal when the client goes away), and a multipart endpoint that parses
/// the body with ASP.NET's own <see cref="MultipartReader"/> (not the client's code) and answers what it received.
/// </summary>
public sealed class BodiesServer : LoopbackServer
{
    /// <summary>Completed with the number of items written when a listing ends, normally or because the client left.</summary>
    public TaskCompletionSource<(int Written, bool Aborted)> ListingEnded { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResetListing() => ListingEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static string ItemJson(int i) => "{\"id\":" + i.ToString(CultureInfo.InvariantCulture) + ",\"name\":\"item " + i.ToString(CultureInfo.InvariantCulture) + "\",\"size\":" + (i % 3 == 0 ? "null" : (i * 10).ToString(CultureInfo.InvariantCulture)) + ",\"tags\":[\"t\"]}";

    protected override void Map(WebApplication app)
    {
        app.MapGet("/bodies/items", (RequestDelegate)Items);
        app.MapGet("/bodies/numbers", (RequestDelegate)(ctx => Json(ctx, 200, "[1,null,3]")));
        app.MapPost("/bodies/documents", (RequestDelegate)Documents);
        app.MapPut("/bodies/avatar", (RequestDelegate)(async ctx =>
        {
            var parts = await ReadParts(ctx);
            ctx.Response.StatusCode = parts is null ? 415 : 204;
        }));
    }

    private async Task Items(HttpContext ctx)
    {
        var count = int.Parse(ctx.Request.Query["count"].FirstOrDefault() ?? "3", CultureInfo.InvariantCulture);
        if (count == -1)
        {
            ctx.Response.StatusCode = 204;
            return;
        }

        if (count == -2)
        {
            await Json(ctx, 500, "{\"message\":\"listing failed\"}");
            return;
        }

        var bad = -1;
        if (count == -3)
        {
            (count, bad) = (20, 5);
        }
        ctx.Response.ContentType = "application/json";
        var written = 0;
        try
        {
            await ctx.Response.WriteAsync("[", ctx.RequestAborted);
            for (var i = 0; i < count; i++)
            {
                var item = i == bad ? "{\"id\":\"not a number\",\"name\":\"x\"}" : ItemJson(i);
                await ctx.Response.WriteAsync((i > 0 ? "," : string.Empty) + item, ctx.RequestAborted);
                written++;
                if (i % 64 == 0)
                {
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                }
            }

            await ctx.Response.WriteAsync("]", ctx.RequestAborted);
            ListingEnded.TrySetResult((written, false));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            ListingEnded.TrySetResult((written, true));
        }
    }

    private sealed record Part(string Name, string? FileName, string? ContentType, string? Checksum, byte[] Body);

    private static async Task<List<Part>?> ReadParts(HttpContext ctx)
    {
        if (!MediaTypeHeaderValue.TryParse(ctx.Request.ContentType, out var mt) || mt.MediaType != "multipart/form-data")
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(mt.Boundary).Value!;
        var reader = new MultipartReader(boundary, ctx.Request.Body);
        var parts = new List<Part>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var cd = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            using var ms = new MemoryStream();
            await section.Body.CopyToAsync(ms);
            parts.Add(new Part(HeaderUtilities.RemoveQuotes(cd.Name).Value!, cd.FileName.HasValue ? HeaderUtilities.RemoveQuotes(cd.FileName).Value : null, section.ContentType, section.Headers!.TryGetValue("X-Checksum", out var c) ? c.ToString() : null, ms.ToArray()));
        }

        return parts;
    }

    private static async Task Documents(HttpContext ctx)
    {
        var parts = await ReadParts(ctx);
        if (parts is null)
        {
            await Json(ctx, 415, "{\"message\":\"not multipart\"}");
            return;
        }

        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartArray("parts");
            foreach (var p in parts)
            {
                w.WriteStartObject();
                w.WriteString("name", p.Name);
                w.WriteString("file_name", p.FileName);
                w.WriteString("content_type", p.ContentType);
                w.WriteString("checksum", p.Checksum);
                w.WriteNumber("length", p.Body.Length);
                w.WriteString("text", p.FileName is null ? Encoding.UTF8.GetString(p.Body) : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await Json(ctx, 200, Encoding.UTF8.GetString(ms.ToArray()));
    }
}
