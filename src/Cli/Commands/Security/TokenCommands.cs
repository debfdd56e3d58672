using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli;

/// <summary>The options of <c>toolkit token info</c>.</summary>
/// <param name="File">Read the token from this file instead of discovering it.</param>
/// <param name="Json">Print JSON.</param>
internal sealed record TokenInfoOptions(string? File = null, bool Json = false);

/// <summary><c>toolkit token info</c>: shows the discovered WLCG bearer token's claims (never the token itself).</summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var token = new Command("token", "Inspect bearer tokens (WLCG discovery: BEARER_TOKEN, BEARER_TOKEN_FILE, $XDG_RUNTIME_DIR/bt_u<uid>, /tmp/bt_u<uid>)");
        var file = new Option<string?>("--file", "-f") { Description = "Read the token from this file instead of discovering it" };
        var json = CliOptions.Json();
        var info = new Command("info", "Show the token's claims and time left; the token itself is never printed") { file };
        json.AddTo(info);
        info.SetAction(parse => Info(new TokenInfoOptions(parse.GetValue(file), json.GetValue(parse)), CliConsole.System()));
        token.Subcommands.Add(info);
        return token;
    }

    /// <summary><c>token info</c>.</summary>
    public static int Info(TokenInfoOptions o, CliConsole console) => CliErrors.Run(console.Error, () =>
    {
        BearerToken bt = o.File is { } path
            ? new BearerToken(ReadFile(path), path)
            : BearerTokenDiscovery.Require();
        var claims = bt.TryInspect();
        var now = DateTimeOffset.UtcNow;
        if (o.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) => Json(w, bt, claims, now));
            return ExitCodes.Ok;
        }

        var text = console.Out;
        text.WriteLine($"source   : {bt.Source}");
        if (claims is null)
        {
            text.WriteLine("format   : opaque (not a JWT)");
            return ExitCodes.Ok;
        }

        text.WriteLine($"issuer   : {claims.Issuer}");
        text.WriteLine($"subject  : {claims.Subject}");
        text.WriteLine($"audience : {string.Join(" ", claims.Audiences)}");
        text.WriteLine($"scope    : {string.Join(" ", claims.Scopes)}");
        if (claims.Groups.Count > 0)
        {
            text.WriteLine($"groups   : {string.Join(" ", claims.Groups)}");
        }

        text.WriteLine($"expires  : {(claims.ExpiresAt is { } e ? TimeFormats.Utc(e) : "never")}");
        text.WriteLine($"timeleft : {(claims.TimeLeft(now) is { } left ? TimeFormats.Left(left) : "unlimited")}");
        text.WriteLine("claims   :");
        using var doc = JsonDocument.Parse(claims.ClaimsJson);
        JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) => doc.RootElement.WriteTo(w));
        return ExitCodes.Ok;
    });

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

    private static void Json(Utf8JsonWriter w, BearerToken bt, JwtInfo? claims, DateTimeOffset now)
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
}
