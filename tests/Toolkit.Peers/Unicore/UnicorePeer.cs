using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolkit.Peers.Unicore;

/// <summary>Options of <see cref="UnicorePeer"/>.</summary>
public sealed class UnicorePeerOptions
{
    /// <summary>Address to listen on.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port (0: any free one).</summary>
    public int Port { get; init; }

    /// <summary>Serve HTTPS with this certificate instead of plain HTTP.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Basic users: name → password (the demo server's demouser/test123 by default).</summary>
    public Dictionary<string, string> Users { get; } = new(StringComparer.Ordinal) { ["demouser"] = "test123" };

    /// <summary>Opaque bearer tokens: token → user.</summary>
    public Dictionary<string, string> BearerTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Public keys trusted for user-signed JWTs (RS256/ES256): user (the <c>sub</c>) → key.</summary>
    public Dictionary<string, AsymmetricAlgorithm> JwtKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>How long a security session lives.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Where jobs, home directories and workflows live; null: a fresh temporary directory, deleted on dispose.</summary>
    public string? Root { get; init; }

    /// <summary>
    /// The UFTP Auth endpoint hook: when set, <c>/rest/auth</c> and <c>/rest/auth/SERVER</c> requests of an
    /// authenticated user are handed to it (the uftpd peer's Auth handler lives in tests/Toolkit.Peers/Uftp);
    /// unset, those routes answer 404.
    /// </summary>
    public Func<HttpContext, string, Task>? AuthEndpoint { get; init; }

    /// <summary>
    /// Called with the app before it starts, to map more endpoints (e.g. <c>UftpAuthEndpoint.Map(app, ...)</c> of
    /// tests/Toolkit.Peers/Uftp, which authenticates by itself): a mapped route wins over the peer's own handling.
    /// </summary>
    public Action<WebApplication>? ConfigureApp { get; init; }

    /// <summary>
    /// Serve UFTP as the demo server does: start a uftpd peer whose file root is <see cref="UnicorePeer.Root"/> (so
    /// files are the same over REST and UFTP), hand out its sessions at <c>/rest/auth/TEST</c> to the same Basic users,
    /// and advertise <c>UFTP</c> in the storages' <c>protocols</c>.
    /// </summary>
    public bool Uftp { get; init; }

    /// <summary>The uftpd listen and command ports when <see cref="Uftp"/> is on (0: any free one).</summary>
    public (int Listen, int Command) UftpPorts { get; init; }
}

/// <summary>
/// A faithful in-process UNICORE/X (the demo server's layout): the site <c>DEMO-SITE</c> at
/// <c>/DEMO-SITE/rest/core</c> with jobs run as local <c>/bin/sh</c> processes in per-job working directories (the
/// local TSI), the storages HOME and one per job, server-to-server transfers between its own storages, a workflow
/// service at <c>/WORKFLOW/rest/workflows</c>, a registry at <c>/REGISTRY/rest/registries/default_registry</c>,
/// Basic/Bearer/user-signed JWT authentication (none: anonymous), security sessions (432 for unknown or expired
/// ones), user preferences, errors as <c>{"errorMessage": ...}</c>, and 201 + Location for new resources.
/// Written from the UNICORE REST documentation, independently of Toolkit.Unicore.
/// </summary>
public sealed partial class UnicorePeer : IAsyncDisposable
{
    public const string Site = "DEMO-SITE";
    public const string AnonymousDn = "CN=ANONYMOUS,O=UNKNOWN,OU=UNKNOWN";
    private const string SitePrefix = "/" + Site + "/rest/core";
    private const string RegistryPath = "/REGISTRY/rest/registries/default_registry";
    private const string WorkflowPrefix = "/WORKFLOW/rest/workflows";
    private readonly UnicorePeerOptions _options;
    private readonly bool _ownRoot;
    private readonly ConcurrentDictionary<string, PeerSession> _sessions = new(StringComparer.Ordinal);
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private WebApplication? _app;

    public UnicorePeer(UnicorePeerOptions? options = null)
    {
        _options = options ?? new UnicorePeerOptions();
        _ownRoot = _options.Root is null;
        Root = _options.Root ?? Path.Combine(Path.GetTempPath(), "unicore-peer-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
    }

    public UnicorePeerOptions Options => _options;

    public string Root { get; }

    /// <summary>The base URL (<c>http://127.0.0.1:PORT</c>).</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public Uri SiteUrl => new(BaseUrl, SitePrefix);

    public Uri RegistryUrl => new(BaseUrl, RegistryPath);

    public Uri WorkflowUrl => new(BaseUrl, WorkflowPrefix);

    /// <summary>Every request: <c>METHOD path auth=basic|bearer|jwt|none session=yes|no prefs=...</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Replies that replace the next answers of matching paths (malformed JSON, 5xx...): path suffix → (status, content type, body).</summary>
    public ConcurrentDictionary<string, (int Status, string ContentType, string Body)> Overrides { get; } = new(StringComparer.Ordinal);

    /// <summary>Delay before each answer (timeouts).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Expires every security session (the next request that presents one gets 432).</summary>
    public void ExpireSessions()
    {
        foreach (var s in _sessions.Values)
        {
            s.Expires = DateTimeOffset.MinValue;
        }
    }

    public int SessionCount => _sessions.Count;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(_options.Address, _options.Port, l =>
            {
                if (_options.Certificate is { } cert)
                {
                    l.UseHttps(cert);
                }
            });
        });
        var app = builder.Build();
        if (_options.Uftp)
        {
            MapUftp(app);
        }

        _options.ConfigureApp?.Invoke(app);
        app.Use(async (HttpContext ctx, RequestDelegate next) =>
        {
            if (ctx.GetEndpoint() is not null)
            {
                await next(ctx); // a route mapped through ConfigureApp
                return;
            }

            await HandleAsync(ctx);
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        string host = _options.Address.Equals(IPAddress.Any) ? "127.0.0.1" : _options.Address.ToString();
        BaseUrl = new Uri((_options.Certificate is null ? "http" : "https") + "://" + (_options.Certificate is null ? host : "localhost") + ":" + address.Port + "/");
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Uftpd is not null)
        {
            await Uftpd.DisposeAsync();
        }

        foreach (var job in _jobs.Values)
        {
            job.Kill();
        }

        if (_ownRoot)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed class PeerSession
    {
        public required string User { get; init; }

        public DateTimeOffset Expires { get; set; }
    }

    internal sealed class HttpError(int status, string message) : Exception(message)
    {
        public int Status => status;
    }

    internal sealed record Caller(string? User, string Dn, string Role, string? Uid, string? Group)
    {
        public bool IsAnonymous => User is null;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, ctx.RequestAborted);
        }

        try
        {
            var caller = Authenticate(ctx, path);
            foreach (var (suffix, reply) in Overrides)
            {
                if (path.EndsWith(suffix, StringComparison.Ordinal) && Overrides.TryRemove(suffix, out _))
                {
                    ctx.Response.StatusCode = reply.Status;
                    ctx.Response.ContentType = reply.ContentType;
                    await ctx.Response.WriteAsync(reply.Body);
                    return;
                }
            }

            if (path == RegistryPath)
            {
                await RegistryAsync(ctx);
            }
            else if (path.StartsWith(WorkflowPrefix, StringComparison.Ordinal))
            {
                await WorkflowRouteAsync(ctx, caller, path[WorkflowPrefix.Length..].Trim('/'));
            }
            else if (path == "/rest/auth" || path.StartsWith("/rest/auth/", StringComparison.Ordinal))
            {
                if (_options.AuthEndpoint is null)
                {
                    throw new HttpError(404, "No UFTP Auth server is configured on this peer");
                }

                await _options.AuthEndpoint(ctx, RequireUser(caller));
            }
            else if (path == SitePrefix || path.StartsWith(SitePrefix + "/", StringComparison.Ordinal))
            {
                await SiteRouteAsync(ctx, caller, path[SitePrefix.Length..].Trim('/'));
            }
            else
            {
                throw new HttpError(404, "No such resource: " + path);
            }
        }
        catch (HttpError e)
        {
            await ErrorAsync(ctx, e.Status, e.Message);
        }
        catch (JsonException e)
        {
            await ErrorAsync(ctx, 400, "Could not parse the request body as JSON: " + e.Message);
        }
    }

    private static async Task ErrorAsync(HttpContext ctx, int status, string message)
    {
        if (ctx.Response.HasStarted)
        {
            return;
        }

        ctx.Response.StatusCode = status;
        await WriteJsonAsync(ctx, new JsonObject { ["errorMessage"] = message, ["status"] = status }, status);
    }

    internal static async Task WriteJsonAsync(HttpContext ctx, JsonNode node, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(node.ToJsonString(Relaxed));
    }

    internal static async Task<JsonNode> ReadJsonAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        return JsonNode.Parse(text.Length == 0 ? "{}" : text) ?? throw new HttpError(400, "The request body is null");
    }

    private static string RequireUser(Caller caller) =>
        caller.User ?? throw new HttpError(403, "Access denied: anonymous access is not allowed for this resource (please authenticate)");

    private Caller Authenticate(HttpContext ctx, string path)
    {
        string? user = null;
        string kind = "none";
        var session = ctx.Request.Headers["X-UNICORE-SecuritySession"].FirstOrDefault();
        if (session is not null)
        {
            if (!_sessions.TryGetValue(session, out var s) || s.Expires < DateTimeOffset.UtcNow)
            {
                _sessions.TryRemove(session, out _);
                Requests.Enqueue(ctx.Request.Method + " " + path + " auth=session session=expired");
                throw new HttpError(432, "Security session '" + session + "' is unknown or expired, please re-send the request with full credentials");
            }

            user = s.User;
            kind = "session";
        }
        else if (ctx.Request.Headers.Authorization.FirstOrDefault() is { } auth)
        {
            (user, kind) = CheckAuthorization(auth);
        }

        var prefs = ctx.Request.Headers["X-UNICORE-User-Preferences"].FirstOrDefault();
        Requests.Enqueue(ctx.Request.Method + " " + path + ctx.Request.QueryString + " auth=" + kind + " session=" + (session is null ? "no" : "yes") + (prefs is null ? string.Empty : " prefs=" + prefs));
        if (user is null)
        {
            return new Caller(null, AnonymousDn, "anonymous", null, null);
        }

        string? uid = user, group = "users", role = "user";
        foreach (var part in (prefs ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split(':', 2);
            var value = kv.Length == 2 ? kv[1] : string.Empty;
            switch (kv[0])
            {
                case "uid" when value == user || value == "nobody":
                    uid = value;
                    break;
                case "group" when value is "users" or "hpc":
                    group = value;
                    break;
                case "role" when value == "user":
                    role = value;
                    break;
                default:
                    throw new HttpError(403, "Preference '" + part + "' is not allowed for " + user);
            }
        }

        if (kind != "session")
        {
            var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            _sessions[id] = new PeerSession { User = user, Expires = DateTimeOffset.UtcNow + _options.SessionLifetime };
            ctx.Response.Headers["X-UNICORE-SecuritySession"] = id;
            ctx.Response.Headers["X-UNICORE-SecuritySession-Lifetime"] = ((long)_options.SessionLifetime.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            ctx.Response.Headers["X-UNICORE-SecuritySession"] = session;
        }

        return new Caller(user, "UID=" + user, role, uid, group);
    }

    private (string User, string Kind) CheckAuthorization(string header)
    {
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                throw new HttpError(401, "Authentication failed: malformed Basic credentials");
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && _options.Users.TryGetValue(decoded[..colon], out var pw) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(pw), Encoding.UTF8.GetBytes(decoded[(colon + 1)..])))
            {
                return (decoded[..colon], "basic");
            }

            throw new HttpError(401, "Authentication failed: invalid username or password");
        }

        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            var token = header[7..].Trim();
            if (_options.BearerTokens.TryGetValue(token, out var u))
            {
                return (u, "bearer");
            }

            if (token.Count(c => c == '.') == 2)
            {
                return (PeerJwtVerifier.Verify(token, _options.JwtKeys), "jwt");
            }

            throw new HttpError(401, "Authentication failed: unknown bearer token");
        }

        throw new HttpError(401, "Authentication failed: unsupported Authorization scheme");
    }

    private async Task RegistryAsync(HttpContext ctx)
    {
        var entries = new JsonArray
        {
            new JsonObject { ["href"] = SiteUrl.ToString(), ["type"] = "CoreServices", ["InterfaceName"] = "CoreServices" },
            new JsonObject { ["href"] = WorkflowUrl.ToString(), ["type"] = "WorkflowServices", ["InterfaceName"] = "WorkflowServices" },
        };
        if (_options.AuthEndpoint is not null || Uftpd is not null)
        {
            entries.Add(new JsonObject { ["href"] = new Uri(BaseUrl, "/rest/auth/TEST").ToString(), ["type"] = "UFTPAuth" });
        }

        await WriteJsonAsync(ctx, new JsonObject { ["entries"] = entries, ["_links"] = Links(("self", RegistryUrl.ToString())) });
    }

    internal static JsonObject Links(params (string Rel, string Href)[] links)
    {
        var o = new JsonObject();
        foreach (var (rel, href) in links)
        {
            o[rel] = new JsonObject { ["href"] = href };
        }

        return o;
    }
}
