using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Toolkit.Peers.Uftp;

/// <summary>
/// A minimal UFTP Auth server endpoint (the Java Auth server's <c>/rest/auth</c>), for any Kestrel app: checks Basic
/// <c>user:password</c> (or a token it issued), registers a session at uftpd's command port, and answers with the
/// JSON the real server returns (<c>{success, serverHost, serverPort, secret}</c> or <c>{success: false, reason}</c>).
/// Usage: <c>UftpAuthEndpoint.Map(app, new UftpAuthEndpoint { Uftpd = peer.CommandEndpoint, ListenHost = ..., Users = ... })</c>.
/// </summary>
public sealed class UftpAuthEndpoint
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <summary>uftpd's command endpoint.</summary>
    public required IPEndPoint Uftpd { get; init; }

    /// <summary>The host clients connect to for uftpd (<c>serverHost</c>).</summary>
    public required string ListenHost { get; init; }

    /// <summary>The server name in the URL (<c>/rest/auth/NAME</c>).</summary>
    public string ServerName { get; init; } = "TEST";

    /// <summary>Users and passwords.</summary>
    public required IReadOnlyDictionary<string, string> Users { get; init; }

    /// <summary>
    /// Maps a request's <c>serverPath</c> to the path uftpd gets (user, path → path), e.g. a UNICORE site's absolute
    /// storage mount point to uftpd's root; null: unchanged.
    /// </summary>
    public Func<string, string, string>? MapPath { get; init; }

    /// <summary>Maps <c>GET /rest/auth</c>, <c>GET /rest/auth/token</c> and <c>POST /rest/auth/{server}</c>.</summary>
    /// <param name="routes">The app.</param>
    /// <param name="endpoint">The settings.</param>
    /// <returns>The endpoint (to issue tokens in tests).</returns>
    public static UftpAuthEndpoint Map(IEndpointRouteBuilder routes, UftpAuthEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(endpoint);
        routes.MapGet("/rest/auth", endpoint.InfoAsync);
        routes.MapGet("/rest/auth/token", endpoint.TokenAsync);
        routes.MapPost("/rest/auth/{server}", endpoint.AuthenticateAsync);
        return endpoint;
    }

    /// <summary>Issues a bearer token for a user (what <c>GET /rest/auth/token</c> returns).</summary>
    /// <param name="user">The user.</param>
    /// <returns>The token.</returns>
    public string IssueToken(string user)
    {
        string token = "uftp-peer." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = user;
        return token;
    }

    private string? User(HttpContext ctx)
    {
        string auth = ctx.Request.Headers.Authorization.ToString();
        if (auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string text;
            try
            {
                text = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
            }
            catch (FormatException)
            {
                return null;
            }

            int colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && Users.TryGetValue(text[..colon], out var pw) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(pw), Encoding.UTF8.GetBytes(text[(colon + 1)..])) ? text[..colon] : null;
        }

        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && _tokens.TryGetValue(auth[7..].Trim(), out var user))
        {
            return user;
        }

        return null;
    }

    private static async Task Json(HttpContext ctx, int status, Action<Utf8JsonWriter> write)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        using var ms = new MemoryStream();
        await using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        await ctx.Response.Body.WriteAsync(ms.ToArray());
    }

    private static Task Unauthorized(HttpContext ctx)
    {
        ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"UFTP\"";
        return Json(ctx, 401, w => w.WriteString("errorMessage", "Authentication failed"));
    }

    private async Task InfoAsync(HttpContext ctx)
    {
        if (User(ctx) is not { } user)
        {
            await Unauthorized(ctx);
            return;
        }

        string self = $"{ctx.Request.Scheme}://{ctx.Request.Host}/rest/auth";
        await Json(ctx, 200, w =>
        {
            w.WriteStartObject(ServerName);
            w.WriteString("href", self + "/" + ServerName);
            w.WriteString("status", "OK");
            w.WriteString("description", "Toolkit uftpd peer");
            w.WriteString("uid", user);
            w.WriteString("gid", user);
            w.WriteStartArray("availableGroups");
            w.WriteStringValue(user);
            w.WriteEndArray();
            w.WriteString("rateLimit", "0");
            w.WriteEndObject();
            w.WriteStartObject("client");
            w.WriteString("dn", user);
            w.WriteEndObject();
        });
    }

    private async Task TokenAsync(HttpContext ctx)
    {
        if (User(ctx) is not { } user)
        {
            await Unauthorized(ctx);
            return;
        }

        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync(IssueToken(user));
    }

    private async Task AuthenticateAsync(HttpContext ctx)
    {
        string server = (string)ctx.Request.RouteValues["server"]!;
        if (server == "token")
        {
            ctx.Response.StatusCode = 405;
            return;
        }

        if (User(ctx) is not { } user)
        {
            await Unauthorized(ctx);
            return;
        }

        if (server != ServerName)
        {
            await Json(ctx, 404, w => w.WriteString("errorMessage", $"No server '{server}' configured"));
            return;
        }

        JsonElement body;
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
            body = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            await Json(ctx, 400, w => w.WriteString("errorMessage", "Invalid request: " + e.Message));
            return;
        }

        string Get(string name, string fallback) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString() ?? fallback,
                JsonValueKind.Number => v.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => fallback,
            }
            : fallback;

        var secret = new StringBuilder(20);
        for (int i = 0; i < 20; i++)
        {
            secret.Append((char)('a' + RandomNumberGenerator.GetInt32(26)));
        }

        var remote = ctx.Connection.RemoteIpAddress ?? IPAddress.Loopback;
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        var request = new List<KeyValuePair<string, string>>
        {
            new("request-type", "uftp-transfer-request"),
            new("user", user),
            new("group", Get("group", user)),
            new("secret", secret.ToString()),
            new("client-ip", Get("client", remote.ToString())),
            new("file", MapPath is null ? Get("serverPath", "") : MapPath(user, Get("serverPath", ""))),
            new("streams", Get("streamCount", "1")),
            new("persistent", Get("persistent", "false")),
            new("compress", Get("compress", "false")),
            new("access-permissions", "FULL"),
        };
        if (Get("encryptionKey", "") is { Length: > 0 } key)
        {
            request.Add(new("key", key));
            request.Add(new("algo", Get("encryptionAlgorithm", "BLOWFISH").ToUpperInvariant()));
        }

        string reply;
        try
        {
            reply = await UftpdCommandClient.SendAsync(Uftpd, request, ctx.RequestAborted);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            reply = "ERROR::uftpd is not reachable: " + e.Message;
        }

        if (reply.StartsWith("OK::", StringComparison.Ordinal) && int.TryParse(reply.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            await Json(ctx, 200, w =>
            {
                w.WriteBoolean("success", true);
                w.WriteString("serverHost", ListenHost);
                w.WriteNumber("serverPort", port);
                w.WriteString("secret", secret.ToString());
            });
        }
        else
        {
            string reason = reply.StartsWith("ERROR::", StringComparison.Ordinal) ? reply[7..] : reply;
            await Json(ctx, 200, w =>
            {
                w.WriteBoolean("success", false);
                w.WriteString("reason", "UFTPD server reported an error: " + reason);
            });
        }
    }
}
