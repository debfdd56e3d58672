using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolkit.Peers.DataDispatcher;

/// <summary>
/// An in-process Data Dispatcher (data server at <c>/dd/data</c>, auth server at <c>/dd/data/auth</c>) behaving as
/// the spec records for server 2.0.3: text/json answers, plain-text (text/html) errors, the project and handle
/// state machines, owner/admin checks, Digest/LDAP/token/x509 logins issuing HS256 JWTs in the
/// X-Authentication-Token header, and injectable 503 answers.
/// </summary>
public sealed partial class DataDispatcherPeer : IAsyncDisposable
{
    public const string Realm = "metacat";
    public const string Version = "2.0.3";

    private readonly object _db = new();
    private readonly Dictionary<long, PeerProject> _projects = new();
    private readonly Dictionary<string, PeerRse> _rses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PeerReplica>> _replicas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, int>> _proximity = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PeerUser> _users = new(StringComparer.Ordinal);
    private long _nextProjectId = 1;
    private long _order;
    private int _fail503;
    private WebApplication? _app;

    public PeerJwt Jwt { get; } = new("peer-secret", "dd-peer");

    public Uri DataUrl { get; private set; } = new("http://127.0.0.1/");

    public Uri AuthUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The auth server over HTTPS (client certificates allowed), when started with a server certificate.</summary>
    public Uri? HttpsAuthUrl { get; private set; }

    public bool LdapConfigured { get; set; } = true;

    /// <summary>The HTTP port on 127.0.0.1 (0: any free port); the HTTPS auth port is always chosen freely.</summary>
    public int Port { get; init; }

    /// <summary>Replicas given to files of new projects that have none (RSE names).</summary>
    public List<string> DefaultReplicaRses { get; } = new() { "LOCAL_RSE" };

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<PeerRelease> Releases { get; } = new();

    /// <summary>The next <paramref name="count"/> requests (any route) are answered 503.</summary>
    public void Fail503(int count) => Interlocked.Exchange(ref _fail503, count);

    public static double Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    public PeerUser AddUser(string name, string? password = null, bool admin = false, string? ldapPassword = null)
    {
        var u = new PeerUser { Name = name, IsAdmin = admin, LdapPassword = ldapPassword };
        if (password is not null)
        {
            u.DigestHa1[Realm] = PeerDigest.Ha1(name, Realm, password);
        }

        _users[name] = u;
        return u;
    }

    public string IssueToken(string user, TimeSpan? lifetime = null) => Jwt.Issue(user, Now, Now + (lifetime ?? TimeSpan.FromDays(7)).TotalSeconds);

    public void AddRse(string name, bool available = true, bool enabled = true, int preference = 0)
    {
        lock (_db)
        {
            _rses[name] = new PeerRse { Name = name, IsAvailable = available, IsEnabled = enabled, Preference = preference };
        }
    }

    public void AddReplica(string did, PeerReplica replica)
    {
        lock (_db)
        {
            if (!_replicas.TryGetValue(did, out var list))
            {
                _replicas[did] = list = new();
            }

            list.RemoveAll(r => r.Rse == replica.Rse);
            list.Add(replica);
        }
    }

    public void SetProximity(string cpuSite, string rse, int proximity)
    {
        lock (_db)
        {
            if (!_proximity.TryGetValue(cpuSite, out var map))
            {
                _proximity[cpuSite] = map = new(StringComparer.Ordinal);
            }

            map[rse] = proximity;
        }
    }

    /// <summary>What the idle-timeout daemon does: an active project becomes abandoned.</summary>
    public void Abandon(long projectId)
    {
        lock (_db)
        {
            _projects[projectId].State = "abandoned";
        }
    }

    /// <summary>
    /// What the daemon's ProjectMonitor does every 2 minutes: handles reserved longer than the project's
    /// worker_timeout go back to initial when the project attribute retry_on_timeout is absent or the string
    /// "True", else to failed (a JSON true therefore means failed); the worker id is cleared and
    /// attributes.timeouts counted.
    /// </summary>
    public int ExpireWorkers(double now)
    {
        var count = 0;
        lock (_db)
        {
            foreach (var p in _projects.Values.Where(p => p.State == "active" && p.WorkerTimeout is not null))
            {
                using var attrs = JsonDocument.Parse(p.AttributesJson);
                var retry = !attrs.RootElement.TryGetProperty("retry_on_timeout", out var r) || (r.ValueKind == JsonValueKind.String && r.GetString() == "True");
                foreach (var h in p.Handles.Where(h => h.State == "reserved" && h.ReservedSince < now - p.WorkerTimeout!.Value))
                {
                    h.State = retry ? "initial" : "failed";
                    h.WorkerId = null;
                    h.ReservedSince = null;
                    using var ha = JsonDocument.Parse(h.AttributesJson);
                    var timeouts = ha.RootElement.TryGetProperty("timeouts", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : 0;
                    var members = ha.RootElement.EnumerateObject().Where(m => m.Name != "timeouts").Select(m => JsonSerializer.Serialize(m.Name) + ":" + m.Value.GetRawText()).ToList();
                    members.Add("\"timeouts\":" + (timeouts + 1).ToString(CultureInfo.InvariantCulture));
                    h.AttributesJson = "{" + string.Join(",", members) + "}";
                    count++;
                }
            }
        }

        return count;
    }

    public PeerProject Project(long id)
    {
        lock (_db)
        {
            return _projects[id];
        }
    }

    public (string State, string? WorkerId, int Attempts) HandleState(long projectId, string did)
    {
        lock (_db)
        {
            var h = _projects[projectId].Handles.Single(x => x.Did == did);
            return (h.State, h.WorkerId, h.Attempts);
        }
    }

    public async Task StartAsync(X509Certificate2? serverCertificate = null, X509Certificate2? clientCa = null)
    {
        AddRse("LOCAL_RSE");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, Port);
            if (serverCertificate is not null)
            {
                k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(https =>
                {
                    https.ServerCertificate = serverCertificate;
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    // Apache's SSLVerifyClient: the chain must lead to the configured CA.
                    https.ClientCertificateValidation = (cert, _, _) => clientCa is not null && VerifiesWith(cert, clientCa);
                }));
            }
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        var http = new Uri(addresses.First(a => a.StartsWith("http:", StringComparison.Ordinal)));
        DataUrl = new Uri($"http://127.0.0.1:{http.Port}/dd/data");
        AuthUrl = new Uri($"http://127.0.0.1:{http.Port}/dd/data/auth");
        if (addresses.FirstOrDefault(a => a.StartsWith("https:", StringComparison.Ordinal)) is { } https)
        {
            HttpsAuthUrl = new Uri($"https://localhost:{new Uri(https).Port}/dd/data/auth");
        }

        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static bool VerifiesWith(X509Certificate2 cert, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }

    private sealed class HttpError(int status, string message) : Exception(message)
    {
        public int Status => status;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        Requests.Enqueue(ctx.Request.Method + " " + path + ctx.Request.QueryString + " token=" + (ctx.Request.Headers["X-Authentication-Token"].Count > 0 ? "yes" : "no"));
        if (Interlocked.Decrement(ref _fail503) >= 0)
        {
            await Text(ctx, 503, "Service Unavailable");
            return;
        }

        Interlocked.Exchange(ref _fail503, 0);
        try
        {
            if (path.StartsWith("/dd/data/auth/", StringComparison.Ordinal))
            {
                await AuthRouteAsync(ctx, path["/dd/data/auth/".Length..]);
            }
            else if (path.StartsWith("/dd/data/", StringComparison.Ordinal))
            {
                await DataRouteAsync(ctx, path["/dd/data/".Length..]);
            }
            else
            {
                await Text(ctx, 404, "Not found");
            }
        }
        catch (HttpError e)
        {
            await Text(ctx, e.Status, e.Message);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            await Text(ctx, 500, "<html><body><h1>Internal Server Error</h1><pre>" + WebUtility.HtmlEncode(e.ToString()) + "</pre></body></html>");
        }
    }

    /// <summary>Errors: status + plain text, content type text/html (webpie's default).</summary>
    private static Task Text(HttpContext ctx, int status, string text)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html; charset=utf-8";
        return ctx.Response.WriteAsync(text);
    }

    private static Task Json(HttpContext ctx, Action<Utf8JsonWriter> write)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/json";
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            write(w);
        }

        return ctx.Response.Body.WriteAsync(ms.ToArray()).AsTask();
    }

    private static string? Q(HttpContext ctx, string name) => ctx.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    private static string Required(HttpContext ctx, string name) => Q(ctx, name) ?? throw new HttpError(400, "Missing parameter: " + name);

    private static long ProjectIdParam(HttpContext ctx)
        => long.TryParse(Required(ctx, "project_id"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : throw new HttpError(400, "Invalid project_id");

    private static bool Yes(string? v, bool dflt) => v is null ? dflt : v == "yes";

    private static async Task<JsonElement> BodyJson(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>The token from X-Authentication-Token, cookie auth_token or Authorization: Bearer.</summary>
    private static string? PresentedToken(HttpContext ctx)
    {
        if (ctx.Request.Headers["X-Authentication-Token"].ToString() is { Length: > 0 } h)
        {
            return h;
        }

        if (ctx.Request.Cookies["auth_token"] is { Length: > 0 } c)
        {
            return c;
        }

        var auth = ctx.Request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : null;
    }

    private (PeerUser? User, string? Error) Authenticated(HttpContext ctx)
    {
        var token = PresentedToken(ctx);
        if (token is null)
        {
            return (null, "Token not found");
        }

        var (sub, _, error) = Jwt.Verify(token, Now);
        if (error is not null)
        {
            return (null, error);
        }

        return _users.TryGetValue(sub!, out var u) ? (u, null) : (null, "User not found");
    }

    private PeerUser RequireUser(HttpContext ctx)
    {
        var (u, e) = Authenticated(ctx);
        return u ?? throw new HttpError(401, e!);
    }

    private static void RequireOwner(PeerUser u, PeerProject p)
    {
        if (!u.IsAdmin && u.Name != p.Owner)
        {
            throw new HttpError(403, "Not authorized");
        }
    }

    private PeerProject FindProject(long id) => _projects.TryGetValue(id, out var p) ? p : throw new HttpError(404, "Project not found");
}
