using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Toolkit.Peers.DataDispatcher;

public sealed partial class DataDispatcherPeer
{
    private async Task AuthRouteAsync(HttpContext ctx, string route)
    {
        switch (route)
        {
            case "auth":
                await LoginAsync(ctx);
                return;
            case "verify":
            {
                var (u, e) = Authenticated(ctx);
                await Text(ctx, u is null ? 401 : 200, u is null ? e! : "OK");
                return;
            }

            case "whoami":
                await Text(ctx, 200, Authenticated(ctx).User?.Name ?? "");
                return;
            case "probe":
                await Text(ctx, 200, "OK");
                return;
            case "mydn":
            {
                var cert = ctx.Connection.ClientCertificate;
                if (!ctx.Request.IsHttps || cert is null)
                {
                    await Text(ctx, 400, "Use HTTPS connection");
                    return;
                }

                await Json(ctx, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("subject", cert.Subject);
                    w.WriteString("issuer", cert.Issuer);
                    w.WriteEndObject();
                });
                return;
            }

            default:
                await Text(ctx, 404, "Not found");
                return;
        }
    }

    private async Task LoginAsync(HttpContext ctx)
    {
        var method = Q(ctx, "method");
        var username = Q(ctx, "username");
        PeerUser? user;
        double? exp = null;
        switch (method)
        {
            case "digest":
                user = DigestUser(ctx);
                if (user is null)
                {
                    if (ctx.Request.Headers.Authorization.Count == 0)
                    {
                        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                        ctx.Response.Headers.WWWAuthenticate = $"Digest realm=\"{Realm}\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\"";
                    }

                    await Text(ctx, 401, "Authentication failed");
                    return;
                }

                break;
            case "ldap":
            {
                if (!LdapConfigured)
                {
                    await Text(ctx, 401, "LDAP is not configured");
                    return;
                }

                using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                string name, password;
                if (username is not null)
                {
                    (name, password) = (username, body);
                }
                else
                {
                    var i = body.IndexOf(':', StringComparison.Ordinal);
                    (name, password) = i < 0 ? ("", "") : (body[..i], body[(i + 1)..]);
                }

                user = _users.TryGetValue(name, out var u) && u.LdapPassword is not null && u.LdapPassword == password ? u : null;
                break;
            }

            case "token":
            {
                var presented = ctx.Request.Headers.Authorization.ToString() is { Length: > 0 } a && a.Contains(' ', StringComparison.Ordinal)
                    ? a[(a.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim()
                    : PresentedToken(ctx);
                user = null;
                if (presented is not null && username is not null)
                {
                    var (sub, e, error) = Jwt.Verify(presented, Now);
                    if (error is null && sub == username && _users.TryGetValue(sub, out var u))
                    {
                        user = u;
                        exp = e;
                    }
                }

                break;
            }

            case "x509":
            {
                if (!ctx.Request.IsHttps)
                {
                    await Text(ctx, 401, "HTTPS scheme required");
                    return;
                }

                var cert = ctx.Connection.ClientCertificate;
                user = null;
                if (cert is not null && username is not null && _users.TryGetValue(username, out var u))
                {
                    var subject = DnFields(cert.Subject);
                    var issuer = DnFields(cert.Issuer);
                    var ok = u.Dns.Select(DnFields).Any(dn => dn.SetEquals(subject) || (dn.SetEquals(issuer) && issuer.IsSubsetOf(subject)));
                    user = ok ? u : null;
                }

                break;
            }

            default:
                await Text(ctx, 401, "Unknown authentication method");
                return;
        }

        if (user is null)
        {
            await Text(ctx, 401, "Authentication failed");
            return;
        }

        var now = Now;
        var token = Jwt.Issue(user.Name, now, exp ?? now + (7 * 24 * 3600));
        ctx.Response.Headers["X-Authentication-Token"] = token;
        if (Q(ctx, "redirect") is { Length: > 0 } redirect)
        {
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = redirect;
            return;
        }

        ctx.Response.StatusCode = 200;
    }

    private PeerUser? DigestUser(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var f = PeerDigest.ParseHeader(header[7..]);
        if (!f.TryGetValue("username", out var name) || !f.TryGetValue("response", out var response)
            || !_users.TryGetValue(name, out var user) || !user.DigestHa1.TryGetValue(f.TryGetValue("realm", out var r) ? r : Realm, out var ha1))
        {
            return null;
        }

        var expected = PeerDigest.Expected(f, ha1, ctx.Request.Method);
        return expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response)) ? user : null;
    }

    /// <summary>DN comparison as MetaCat does it: a set of fields, legacy "/A=b/C=d" or RFC "C=d, A=b", numeric CNs dropped.</summary>
    public static System.Collections.Generic.HashSet<string> DnFields(string dn)
    {
        var parts = dn.StartsWith('/') ? dn.Split('/', StringSplitOptions.RemoveEmptyEntries) : dn.Split(',', StringSplitOptions.RemoveEmptyEntries);
        return parts.Select(p => p.Trim())
            .Where(p => p.Contains('=', StringComparison.Ordinal))
            .Where(p => !(p.StartsWith("CN=", StringComparison.OrdinalIgnoreCase) && p[3..].All(char.IsDigit)))
            .ToHashSet(StringComparer.Ordinal);
    }
}
