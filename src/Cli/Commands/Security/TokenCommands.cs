using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli;

/// <summary><c>toolkit token info</c>: shows the discovered WLCG bearer token's claims (never the token itself).</summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var token = new Command("token", "Inspect bearer tokens (WLCG discovery: BEARER_TOKEN, BEARER_TOKEN_FILE, $XDG_RUNTIME_DIR/bt_u<uid>, /tmp/bt_u<uid>)");
        var file = new Option<string?>("--file", "-f") { Description = "Read the token from this file instead of discovering it" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var info = new Command("info", "Show the token's claims and time left; the token itself is never printed") { file, json };
        info.SetAction(parse => ProxyCommands.Run(() =>
        {
            string? path = parse.GetValue(file);
            BearerToken bt = path is not null
                ? new BearerToken(ReadFile(path), path)
                : BearerTokenDiscovery.Require();
            var claims = bt.TryInspect();
            var now = DateTimeOffset.UtcNow;
            if (parse.GetValue(json))
            {
                Console.WriteLine(Json(bt, claims, now));
                return 0;
            }
            Console.WriteLine($"source   : {bt.Source}");
            if (claims is null)
            {
                Console.WriteLine("format   : opaque (not a JWT)");
                return 0;
            }
            Console.WriteLine($"issuer   : {claims.Issuer}");
            Console.WriteLine($"subject  : {claims.Subject}");
            Console.WriteLine($"audience : {string.Join(" ", claims.Audiences)}");
            Console.WriteLine($"scope    : {string.Join(" ", claims.Scopes)}");
            if (claims.Groups.Count > 0)
            {
                Console.WriteLine($"groups   : {string.Join(" ", claims.Groups)}");
            }
            Console.WriteLine($"expires  : {(claims.ExpiresAt is { } e ? e.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "never")}");
            Console.WriteLine($"timeleft : {(claims.TimeLeft(now) is { } left ? ProxyCommands.FormatLeft(left) : "unlimited")}");
            Console.WriteLine("claims   :");
            using var doc = JsonDocument.Parse(claims.ClaimsJson);
            Console.WriteLine(JsonSerializerIndented(doc.RootElement));
            return 0;
        }));
        token.Subcommands.Add(info);
        return token;
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException($"cannot read the token file: {e.Message}", path, e);
        }
    }

    private static string JsonSerializerIndented(JsonElement element)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            element.WriteTo(w);
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static string Json(BearerToken bt, JwtInfo? claims, DateTimeOffset now)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("source", bt.Source);
            w.WriteBoolean("jwt", claims is not null);
            if (claims is not null)
            {
                if (claims.ExpiresAt is { } e)
                {
                    w.WriteNumber("exp", e.ToUnixTimeSeconds());
                }
                if (claims.TimeLeft(now) is { } left)
                {
                    w.WriteNumber("timeLeftSeconds", (long)left.TotalSeconds);
                }
                w.WritePropertyName("claims");
                using var doc = JsonDocument.Parse(claims.ClaimsJson);
                doc.RootElement.WriteTo(w);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
