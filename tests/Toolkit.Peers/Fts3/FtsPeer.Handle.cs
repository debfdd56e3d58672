using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Toolkit.Runtime.Security;

namespace Toolkit.Peers.Fts3;

/// <summary>An HTTPException of fts-rest: becomes {"status": "&lt;code&gt; &lt;Name&gt;", "message": ...}.</summary>
public sealed class PeerError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

public sealed partial class FtsPeer
{
    public static readonly Guid BaseId = new("01874efb-4735-4595-bc9c-591aef8240c9");

    private static readonly string[] JobTerminal = { "FINISHED", "FAILED", "FINISHEDDIRTY", "CANCELED" };
    private static readonly string[] FileTerminal = { "FINISHED", "FAILED", "CANCELED" };

    private readonly object _lock = new();
    private readonly List<JsonObject> _jobs = new();
    private readonly Dictionary<string, List<JsonObject>> _files = new();
    private readonly Dictionary<(string DlgId, string Dn), (RSA Key, string Pem)> _requests = new();
    private readonly List<JsonObject> _bannedSe = new();
    private readonly List<JsonObject> _bannedDn = new();
    private long _nextFileId = 1000;

    /// <summary>When set, every GET of one job moves it one step SUBMITTED → ACTIVE → FINISHED (for --watch).</summary>
    public bool AdvanceOnPoll { get; set; }

    /// <summary>
    /// Hostile answers (issue 17): when set and it returns a body for a GET's path, that body is sent verbatim as
    /// <c>application/json</c> with 200 instead of the real answer (out-of-range numbers, control codes, huge text).
    /// </summary>
    public Func<string, string?>? RawAnswer { get; set; }

    /// <summary>Number of delegation requests (CSRs) generated.</summary>
    public int CsrCount { get; private set; }

    private sealed record Caller(string UserDn, IReadOnlyList<string> Fqans, IReadOnlyList<string> Vos, string? DlgId, string Method, bool IsRoot, bool Config, GridClientFeature? Tls)
    {
        public bool Anonymous => Method == "unauthenticated";

        public bool Token => Method == "oauth2";
    }

    private async Task Handle(HttpContext ctx)
    {
        var status = 500;
        try
        {
            var caller = Identify(ctx);
            if (!caller.Anonymous && IsDnBanned(caller.UserDn))
            {
                throw new PeerError(403, "The user has been banned");
            }

            status = await Route(ctx, caller);
        }
        catch (PeerError e)
        {
            status = e.Status;
            await Error(ctx, e.Status, e.Message);
        }
        finally
        {
            Requests.Enqueue(new PeerRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "/", ctx.Request.ContentType, ctx.Request.Headers.Accept.ToString(), ctx.Request.Headers.UserAgent.ToString(), ctx.Request.Headers.Authorization.ToString(), status));
        }
    }

    public static string Reason(int status) => status switch
    {
        200 => "Ok",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        419 => "UNKNOWN",
        424 => "Failed Dependency",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };

    private static async Task Error(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        if (status == 419)
        {
            ctx.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = "UNKNOWN";
        }

        ctx.Response.ContentType = "application/json";
        var body = new JsonObject { ["status"] = status.ToString(CultureInfo.InvariantCulture) + " " + Reason(status), ["message"] = message };
        await ctx.Response.WriteAsync(body.ToJsonString());
    }

    private static async Task<int> Json(HttpContext ctx, JsonNode? node, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(node?.ToJsonString() ?? "null");
        return status;
    }

    private static string Sha1Hex(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));

    public static string DelegationIdOf(string dn, IEnumerable<string> fqans) => Sha1Hex(dn + string.Concat(fqans))[..16];

    public static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private Caller Identify(HttpContext ctx)
    {
        var auth = ctx.Request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return TokenCaller(auth["Bearer ".Length..].Trim());
        }

        var tls = ctx.Features.Get<GridClientFeature>();
        if (tls?.Identity is not { } dn)
        {
            return new Caller("anon", Array.Empty<string>(), Array.Empty<string>(), null, "unauthenticated", false, false, null);
        }

        var fqans = tls.Fqans;
        var dlg = DelegationIdOf(dn, fqans);
        var vos = fqans.Select(f => f.Split('/', StringSplitOptions.RemoveEmptyEntries)[0]).Distinct().ToList();
        if (vos.Count == 0)
        {
            vos.Add(dlg);
        }

        var root = dn == HostDn;
        return new Caller(dn, fqans, vos, dlg, "certificate", root, root || Options.Admins.Contains(dn), tls);
    }

    private Caller TokenCaller(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || !JwtInfo.TryParse(token, out var info) || info is null)
        {
            throw new PeerError(403, "Invalid token");
        }

        var issuer = (info.Issuer ?? string.Empty).EndsWith('/') ? info.Issuer! : info.Issuer + "/";
        if (!Options.Providers.TryGetValue(issuer, out var key))
        {
            throw new PeerError(403, "Issuer not trusted: " + info.Issuer);
        }

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = Base64UrlDecode(parts[2]);
        var ok = key switch
        {
            RSA rsa => rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.VerifyData(signed, signature, HashAlgorithmName.SHA256),
            _ => false,
        };
        var now = DateTimeOffset.UtcNow;
        if (!ok || info.ExpiresAt is not { } exp || exp < now || (info.NotBefore is { } nbf && nbf > now.AddSeconds(60)))
        {
            throw new PeerError(403, "Invalid token");
        }

        if (!info.Audiences.Any(a => Options.Audiences.Contains(a)))
        {
            throw new PeerError(403, "Invalid token audience");
        }

        var sub = info.Subject ?? string.Empty;
        var dlg = Sha1Hex(info.Issuer + sub)[..16];
        var vo = info.Groups.FirstOrDefault()?.Trim('/') ?? new Uri(issuer).Host;
        return new Caller(sub, Array.Empty<string>(), new[] { vo }, dlg, "oauth2", false, true, null);
    }

    private static byte[] Base64UrlDecode(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(t.PadRight(t.Length + ((4 - (t.Length % 4)) % 4), '='));
    }

    private static void NeedTransfer(Caller c)
    {
        if (c.Anonymous)
        {
            throw new PeerError(403, "Not enough permissions");
        }
    }

    private static void NeedConfig(Caller c)
    {
        if (!c.Config)
        {
            throw new PeerError(403, "Not enough permissions");
        }
    }

    private static void NeedCertificate(Caller c)
    {
        if (c.Method != "certificate")
        {
            throw new PeerError(403, "Certificate required");
        }
    }

    private async Task<int> Route(HttpContext ctx, Caller c)
    {
        var segments = (ctx.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = ctx.Request.Method;
        var first = segments.Length > 0 ? segments[0] : string.Empty;
        if (method == "GET" && RawAnswer?.Invoke(ctx.Request.Path.Value ?? "/") is { } raw)
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(raw);
            return 200;
        }

        switch (first)
        {
            case "" when method == "GET":
                return await Json(ctx, Versions());
            case "whoami" when segments.Length == 1 && method == "GET":
                return await Json(ctx, WhoAmI(c));
            case "whoami" when segments.Length == 2 && segments[1] == "certificate" && method == "GET":
                NeedCertificate(c);
                ctx.Response.ContentType = "application/x-pem-file";
                await ctx.Response.WriteAsync(string.Concat(c.Tls!.Chain.Select(x => x.ExportCertificatePem() + "\n")));
                return 200;
            case "api-docs" when segments.Length == 3 && segments[1] == "schema" && segments[2] == "submit":
                return await Json(ctx, JsonNode.Parse("""{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","properties":{"files":{"type":"array"},"params":{"type":"object"}},"required":["files"]}"""));
            case "delegation" when segments.Length >= 2:
                return await Delegation(ctx, c, segments, method);
            case "jobs":
                return await Jobs(ctx, c, segments, method);
            case "ban" when segments.Length == 2:
                return await Ban(ctx, c, segments[1], method);
            case "config" when method == "GET":
                NeedConfig(c);
                if (!ctx.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal))
                {
                    ctx.Response.ContentType = "text/html";
                    await ctx.Response.WriteAsync("<html><body>config</body></html>");
                    return 200;
                }

                return await Json(ctx, JsonNode.Parse("""{"*": {"vo_name": "*", "retry": 0, "global_timeout": 0, "max_time_queue": 0, "sec_per_mb": 0, "no_streaming": false, "show_user_dn": true}}"""));
            default:
                throw new PeerError(404, "Not Found");
        }
    }

    private static JsonObject Versions() => new()
    {
        ["delegation"] = new JsonObject { ["major"] = 1, ["minor"] = 0, ["patch"] = 0 },
        ["api"] = new JsonObject { ["major"] = 3, ["minor"] = 13, ["patch"] = 4 },
        ["core"] = new JsonObject { ["major"] = 3, ["minor"] = 14, ["patch"] = 4 },
        ["schema"] = new JsonObject { ["major"] = 9, ["minor"] = 1, ["patch"] = 0 },
        ["_links"] = new JsonObject
        {
            ["curies"] = new JsonArray(new JsonObject { ["name"] = "fts", ["href"] = "https://gitlab.cern.ch/fts/fts3" }),
            ["fts:whoami"] = new JsonObject { ["href"] = "/whoami", ["title"] = "Check user certificate" },
            ["fts:joblist"] = new JsonObject { ["href"] = "/jobs{?vo_name,user_dn,dlg_id,state_in}", ["title"] = "List of active jobs", ["templated"] = true },
            ["fts:delegation"] = new JsonObject { ["href"] = "/delegation", ["title"] = "Delegation" },
        },
    };

    private JsonObject WhoAmI(Caller c)
    {
        var o = new JsonObject
        {
            ["user_dn"] = c.UserDn,
            ["dn"] = new JsonArray(c.Anonymous ? Array.Empty<JsonNode?>() : new JsonNode?[] { c.UserDn }),
            ["base_id"] = BaseId.ToString(),
            ["voms_cred"] = new JsonArray(c.Fqans.Select(f => (JsonNode?)f).ToArray()),
            ["vos"] = new JsonArray(c.Vos.Select(v => (JsonNode?)v).ToArray()),
            ["vos_id"] = new JsonArray(c.Vos.Select(v => (JsonNode?)Uuid5(BaseId, v).ToString()).ToArray()),
            ["roles"] = new JsonArray(),
            ["level"] = c.Anonymous ? new JsonArray() : Level(c),
            ["delegation_id"] = c.DlgId,
            ["method"] = c.Method,
            ["is_root"] = c.IsRoot,
        };
        if (c.Token)
        {
            o["oauth2_scope"] = "openid offline_access";
            o["wlcg_profile"] = "1.0";
        }

        return o;
    }

    private static JsonObject Level(Caller c)
    {
        if (c.IsRoot || c.Token)
        {
            return new JsonObject { ["transfer"] = "all", ["deleg"] = "all", ["config"] = "all", ["datamanagement"] = "all" };
        }

        var level = new JsonObject { ["transfer"] = "vo", ["datamanagement"] = "all" };
        if (c.Config)
        {
            level["config"] = "all";
        }

        return level;
    }

    public static Guid Uuid5(Guid ns, string name)
    {
        var data = ns.ToByteArray(bigEndian: true).Concat(Encoding.UTF8.GetBytes(name)).ToArray();
        var b = SHA1.HashData(data)[..16];
        b[6] = (byte)((b[6] & 0x0F) | 0x50);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b, bigEndian: true);
    }

    // ---------------------------------------------------------------- delegation (fts3.md §5)
    private async Task<int> Delegation(HttpContext ctx, Caller c, string[] seg, string method)
    {
        var id = seg[1];
        if (c.Anonymous || c.Token)
        {
            throw new PeerError(403, "Certificate required");
        }

        if (id != c.DlgId)
        {
            throw new PeerError(403, "The requested ID and the credentials ID do not match");
        }

        if (seg.Length == 2 && method == "GET")
        {
            if (!Credentials.TryGetValue(id, out var cred))
            {
                // Old or missing User-Agent: null; fts-*/3.12+: [] (fts3.md §2).
                var ua = ctx.Request.Headers.UserAgent.ToString();
                var m = Regex.Match(ua, @"fts-.+/(\d+)\.(\d+)");
                var modern = m.Success && (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 100) + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) >= 312;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(modern ? "[]" : "null");
                return 200;
            }

            return await Json(ctx, new JsonObject { ["termination_time"] = Timestamp(cred.TerminationTime), ["voms_attrs"] = new JsonArray(cred.Voms.Select(v => (JsonNode?)v).ToArray()) });
        }

        if (seg.Length == 2 && method == "DELETE")
        {
            if (!Credentials.TryRemove(id, out _))
            {
                throw new PeerError(404, "Delegated credentials not found");
            }

            ctx.Response.StatusCode = 204;
            return 204;
        }

        if (seg.Length == 3 && seg[2] == "request" && method == "GET")
        {
            var bits = c.Tls!.KeySize;
            string pem;
            lock (_lock)
            {
                if (!_requests.TryGetValue((id, c.UserDn), out var cached) || cached.Key.KeySize != bits)
                {
                    var key = RSA.Create(bits);
                    var req = new CertificateRequest(new X500DistinguishedName("O=Dummy"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    cached = (key, req.CreateSigningRequestPem());
                    _requests[(id, c.UserDn)] = cached;
                    CsrCount++;
                }

                pem = cached.Pem;
            }

            ctx.Response.ContentType = "text/plain";
            ctx.Response.Headers["X-Delegation-ID"] = id;
            await ctx.Response.WriteAsync(pem);
            return 200;
        }

        if (seg.Length == 3 && seg[2] == "credential" && method is "PUT" or "POST")
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            StoreCredential(c, id, body);
            ctx.Response.StatusCode = 201;
            return 201;
        }

        if (seg.Length == 3 && seg[2] == "voms" && method == "POST")
        {
            if (!Credentials.TryGetValue(id, out var cred))
            {
                throw new PeerError(404, "No delegated proxy");
            }

            if (cred.TerminationTime < DateTime.UtcNow)
            {
                throw new PeerError(403, "Your delegated credentials have expired");
            }

            // This host has no voms-proxy-init: the real server then fails with 500 (fts3.md §5).
            throw new PeerError(500, "Failed to run voms-proxy-init: No such file or directory");
        }

        throw new PeerError(405, "Method Not Allowed");
    }

    private void StoreCredential(Caller c, string id, string body)
    {
        (RSA Key, string Pem) cached;
        lock (_lock)
        {
            if (!_requests.TryGetValue((id, c.UserDn), out cached))
            {
                throw new PeerError(400, "No credential cache found");
            }
        }

        List<X509Certificate2> certs;
        try
        {
            certs = PeerPem.EnumerateCertificates(body).ToList();
        }
        catch (CryptographicException e)
        {
            throw new PeerError(400, "Could not process the proxy: " + e.Message);
        }

        if (certs.Count < 2)
        {
            throw new PeerError(400, "Could not process the proxy: the chain must hold the proxy and its issuer");
        }

        var leaf = certs[0];
        using (var leafKey = leaf.GetRSAPublicKey())
        {
            if (leafKey is null || !leafKey.ExportParameters(false).Modulus!.AsSpan().SequenceEqual(cached.Key.ExportParameters(false).Modulus))
            {
                throw new PeerError(400, "Could not process the proxy: the public key does not match the delegation request");
            }
        }

        var bcLeaf = new Org.BouncyCastle.X509.X509Certificate(leaf.RawData);
        var bcIssuer = new Org.BouncyCastle.X509.X509Certificate(certs[1].RawData);
        try
        {
            bcLeaf.Verify(bcIssuer.GetPublicKey());
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.Security.SignatureException)
        {
            throw new PeerError(400, "Could not process the proxy: the proxy is not signed by its issuer");
        }

        // M2Crypto's as_text() order: "DC=org, DC=toolkit, CN=Test User, CN=123".
        var subject = leaf.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false).Select(r => r.GetSingleElementType().FriendlyName is { } n ? Short(n) + "=" + r.GetSingleElementValue() : r.GetSingleElementValue()).ToList();
        var issuer = leaf.IssuerName.EnumerateRelativeDistinguishedNames(reversed: false).Select(r => r.GetSingleElementType().FriendlyName is { } n ? Short(n) + "=" + r.GetSingleElementValue() : r.GetSingleElementValue()).ToList();
        if (subject.Count < 1 || !subject[^1]!.StartsWith("CN=", StringComparison.Ordinal) || !subject.Take(subject.Count - 1).SequenceEqual(issuer))
        {
            throw new PeerError(400, "Could not process the proxy: the proxy subject is not the issuer's plus one CN (" + string.Join(", ", subject) + " / " + string.Join(", ", issuer) + ")");
        }

        var termination = certs.Min(x => x.NotAfter.ToUniversalTime());
        var keyPem = PeerPem.WriteString("PRIVATE KEY", cached.Key.ExportPkcs8PrivateKey());
        var stored = leaf.ExportCertificatePem() + "\n" + keyPem + "\n" + string.Concat(certs.Skip(1).Select(x => x.ExportCertificatePem() + "\n"));
        var voms = VomsAttributes.Read(leaf).Concat(certs.Skip(1).SelectMany(VomsAttributes.Read)).SelectMany(v => v.Fqans).ToList();
        Credentials[id] = (stored, termination, c.UserDn, voms);
    }

    private static string Short(string friendly) => friendly switch
    {
        "CN" or "commonName" => "CN",
        "DC" or "domainComponent" => "DC",
        "O" or "organizationName" => "O",
        "OU" or "organizationalUnitName" => "OU",
        "C" or "countryName" => "C",
        "L" or "localityName" => "L",
        _ => friendly,
    };
}

/// <summary>PEM certificate blocks of a text, in order.</summary>
internal static class PeerPem
{
    public static IEnumerable<X509Certificate2> EnumerateCertificates(string text)
    {
        const string begin = "-----BEGIN CERTIFICATE-----";
        const string end = "-----END CERTIFICATE-----";
        var pos = 0;
        while ((pos = text.IndexOf(begin, pos, StringComparison.Ordinal)) >= 0)
        {
            var stop = text.IndexOf(end, pos, StringComparison.Ordinal);
            if (stop < 0)
            {
                throw new CryptographicException("unterminated certificate block");
            }

            yield return X509Certificate2.CreateFromPem(text.AsSpan(pos, stop + end.Length - pos));
            pos = stop + end.Length;
        }
    }

    public static string WriteString(string label, byte[] der) => new string(System.Security.Cryptography.PemEncoding.Write(label, der));
}
