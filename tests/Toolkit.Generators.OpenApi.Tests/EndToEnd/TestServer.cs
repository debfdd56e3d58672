using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// An in-process Kestrel server on 127.0.0.1 (port chosen by the OS) that behaves like the services the
/// generated clients are for: FTS3-like quirks (exact Content-Type, offset-less UTC timestamps, 207, JSON errors)
/// and Data Dispatcher-like ones (text/json, token header, plain-text errors, 404 meaning none).
/// </summary>
public sealed class TestServer : LoopbackServer
{
    /// <summary>Requests seen, newest last: method, path+query, selected headers and body.</summary>
    public ConcurrentQueue<Seen> Requests { get; } = new();

    public byte[] StoredFile { get; private set; } = Array.Empty<byte>();

    private int _flaky;

    public sealed record Seen(string Method, string PathAndQuery, string? ContentType, string? UserAgent, string? Token, string? RequestId, string Body);

    protected override void Map(WebApplication app)
    {
        app.Use(async (ctx, next) =>
        {
            ctx.Request.EnableBuffering();
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8, leaveOpen: true);
            var body = await reader.ReadToEndAsync();
            ctx.Request.Body.Position = 0;
            Requests.Enqueue(new Seen(ctx.Request.Method, ctx.Request.Path + ctx.Request.QueryString, ctx.Request.Headers.ContentType.ToString(), ctx.Request.Headers.UserAgent.ToString(), ctx.Request.Headers["X-Authentication-Token"].ToString(), ctx.Request.Headers["X-Request-Id"].ToString(), body));
            await next(ctx);
        });
        MapLab(app);
        MapDispatch(app);
        MapPetstore(app);
    }

    private static Task Status(HttpContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static Task Reply(HttpContext ctx, int status, string body, string contentType = "application/json")
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        return ctx.Response.WriteAsync(body);
    }

    private static string Error(int status, string message)
        => JsonSerializer.Serialize(new { status = status + " Error", message });

    private const string JobJson = """
        {"job_id":"6f1c1f0e-2a3b-4c5d-8e9f-0a1b2c3d4e5f","job_state":"SUBMITTED","submit_time":"2026-11-22T11:08:22",
         "job_finished":null,"priority":3,"reason":null,"files_count":2,"filesize":10737418240,"submit_host":"fts-01",
         "metadata":{"any":[1,2]},"labels":{"a":"b"},"throughput":12.5,"ratio":0.5,"verify_checksum":true,"checksum_bytes":"AQID",
         "day":"2026-11-22","tags":["x","y"],"scores":[1,null,3],"matrix":[[1.5],[]],"limits":{"max_files":10,"max_bytes":null},
         "audit":{"user":"/DC=ch/CN=Test","at":"2026-11-22T11:08:22+01:00"},"class":"gold","future_field":{"ignored":true}}
        """;

    private void MapLab(WebApplication app)
    {
        app.MapGet("/api/jobs", (RequestDelegate)(ctx => Reply(ctx, 200, "[" + JobJson + "]")));
        app.MapPost("/api/jobs", (RequestDelegate)(async ctx =>
        {
            // Like FTS3's /ban/se: anything but exactly "application/json" is not parsed as JSON.
            if (ctx.Request.ContentType != "application/json")
            {
                await Reply(ctx, 400, Error(400, "Missing storage parameter"));
                return;
            }

            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
            var files = doc.RootElement.GetProperty("files");
            if (files.GetArrayLength() == 0)
            {
                await Reply(ctx, 400, Error(400, "No transfers or namespace operations specified"));
                return;
            }

            await Reply(ctx, 200, "{\"job_id\":\"11111111-2222-3333-4444-555555555555\"}");
        }));
        app.MapGet("/api/jobs/{ids}", (RequestDelegate)(ctx =>
        {
            var ids = ((string)ctx.Request.RouteValues["ids"]!).Split(',');
            if (ids.Length == 1 && ids[0] == "missing")
            {
                return Reply(ctx, 404, Error(404, "No job with the id \"missing\" has been found"));
            }

            var items = ids.Select(id => id == "missing"
                ? "{\"job_id\":\"missing\",\"http_status\":\"404 Not Found\",\"http_message\":\"No job with the id missing\"}"
                : "{\"job_id\":\"" + id + "\",\"http_status\":\"200 Ok\"}");
            return Reply(ctx, ids.Contains("missing") ? 207 : 200, "[" + string.Join(",", items) + "]");
        }));
        app.MapGet("/api/jobs/{id}/state", (RequestDelegate)(ctx => Reply(ctx, 200, "\"QOS_TRANSITION\"")));
        app.MapDelete("/api/jobs/{id}", (RequestDelegate)(ctx =>
        {
            var id = (string)ctx.Request.RouteValues["id"]!;
            return id switch
            {
                "00000000-0000-0000-0000-000000000419" => Reply(ctx, 419, Error(419, "No delegation found for /DC=ch/CN=Test")),
                "00000000-0000-0000-0000-000000000503" => Reply(ctx, 503, Error(503, "The server is busy")),
                "00000000-0000-0000-0000-000000000409" => Reply(ctx, 409, Error(409, "Already there")),
                "00000000-0000-0000-0000-000000000500" => Reply(ctx, 500, "<html>Internal Server Error</html>", "text/html"),
                _ => Status(ctx, 204),
            };
        }));
        app.MapPut("/api/jobs/{id}", (RequestDelegate)(async ctx =>
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
            await Reply(ctx, 200, JobJson.Replace("\"priority\":3", "\"priority\":" + doc.RootElement.GetInt32(), StringComparison.Ordinal));
        }));
        app.MapGet("/api/projects/{id}", (RequestDelegate)(ctx => (string)ctx.Request.RouteValues["id"]! == "0"
            ? Reply(ctx, 404, "Project not found", "text/html")
            : Reply(ctx, 200, JobJson)));
        app.MapPut("/api/delegation/{dlg}/credential", (RequestDelegate)(ctx => Status(ctx, 201)));
        app.MapGet("/api/delegation/{dlg}/request", (RequestDelegate)(ctx => Reply(ctx, 200, "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n", "text/plain")));
        app.MapGet("/api/files/{name}", (RequestDelegate)(async ctx =>
        {
            ctx.Response.ContentType = "application/octet-stream";
            await ctx.Response.Body.WriteAsync(StoredFile);
        }));
        app.MapPut("/api/files/{name}", (RequestDelegate)(async ctx =>
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms);
            StoredFile = ms.ToArray();
            ctx.Response.StatusCode = 204;
        }));
        app.MapPost("/api/optimizer/current", (RequestDelegate)(async ctx =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var ok = form["source_se"] == "srm://a" && form["dest_se"] == "srm://b" && form["tags"].Count == 2;
            await Reply(ctx, 200, ok ? "true" : "false");
        }));
        app.MapPost("/api/drawings", (RequestDelegate)(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            await Reply(ctx, 200, await reader.ReadToEndAsync());
        }));
        app.MapPost("/api/search", (RequestDelegate)(ctx =>
        {
            var q = ctx.Request.Query;
            return Reply(ctx, 200, JsonSerializer.Serialize(new { name = q["q"].ToString() + "|" + q["state"] + "|" + ctx.Request.Headers["X-Trace"], page = int.Parse(q["page"]!, System.Globalization.CultureInfo.InvariantCulture) }));
        }));
        app.MapGet("/api/whoami", (RequestDelegate)(ctx => Reply(ctx, 200, "{\"user_dn\":\"/DC=ch/CN=Test\",\"roles\":[\"admin\"],\"level\":{\"transfer\":\"all\"}}")));
        app.MapGet("/api/config", (RequestDelegate)(ctx =>
        {
            // Fails twice with 503 for each new round, then answers (retry test).
            var n = Interlocked.Increment(ref _flaky);
            return n % 3 != 0 ? Reply(ctx, 503, Error(503, "try later")) : Reply(ctx, 200, "{\"*\":{\"retry\":3}}");
        }));
    }

    private static void MapDispatch(WebApplication app)
    {
        const string project = """
            {"project_id":7,"owner":"alice","state":"active","created_timestamp":1764000000.25,"ended_timestamp":null,
             "attributes":{"virtual":true},"worker_timeout":null,"users":[],"file_handles":[{"namespace":"ns","name":"f1","state":"initial",
             "worker_id":null,"attempts":0,"replicas":{"RSE1":{"name":"f1","rse":"RSE1","url":"root://x//f1","preference":null,"available":true}}}],
             "updated":"2026-11-22T11:08:22","query":"files from x","retry_count":0}
            """;
        app.MapGet("/dd/data/project", (RequestDelegate)(ctx =>
        {
            var id = ctx.Request.Query["project_id"].ToString();
            return id switch
            {
                "404" => Reply(ctx, 404, "Project not found", "text/html"),
                "401" => Reply(ctx, 401, "Token not found", "text/html"),
                _ => Reply(ctx, 200, project, "text/json"),
            };
        }));
        app.MapPost("/dd/data/create_project", (RequestDelegate)(async ctx =>
        {
            if (ctx.Request.ContentType != "text/json" || string.IsNullOrEmpty(ctx.Request.Headers["X-Authentication-Token"]))
            {
                await Reply(ctx, 401, "Token not found", "text/html");
                return;
            }

            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
            if (doc.RootElement.GetProperty("files").GetArrayLength() == 0)
            {
                await Reply(ctx, 400, "Bad file specification", "text/html");
                return;
            }

            await Reply(ctx, 200, project, "text/json");
        }));
        app.MapGet("/dd/data/next_file", (RequestDelegate)(ctx => ctx.Request.Query["project_id"] == "2"
            ? Reply(ctx, 400, "Inactive project. State=cancelled", "text/html")
            : Reply(ctx, 200, "{\"handle\":null,\"reason\":\"retry\",\"retry\":true}", "text/json")));
        app.MapGet("/dd/data/version", (RequestDelegate)(ctx => Reply(ctx, 200, "2.0.3", "text/html")));
    }

    private static void MapPetstore(WebApplication app)
    {
        app.MapGet("/v1/pets", (RequestDelegate)(ctx =>
        {
            ctx.Response.Headers["x-next"] = "/v1/pets?page=2";
            return Reply(ctx, 200, "[{\"id\":1,\"name\":\"Rex\",\"tag\":\"dog\"},{\"id\":2,\"name\":\"Tom\"}]");
        }));
        app.MapPost("/v1/pets", (RequestDelegate)(ctx => Status(ctx, 201)));
        app.MapGet("/v1/pets/{id}", (RequestDelegate)(ctx => (string)ctx.Request.RouteValues["id"]! == "1"
            ? Reply(ctx, 200, "{\"id\":1,\"name\":\"Rex\"}")
            : Reply(ctx, 500, "{\"code\":42,\"message\":\"no such pet\"}")));
    }
}
