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
        var info = new Command("info", "Show the token's algorithm, claims and time left (the token itself is never printed); an exp, nbf or iat that is not a NumericDate is an error (exit 1), an unsigned token (alg none) a warning") { file };
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
        // A JWT whose exp, nbf or iat is not a NumericDate is an error (exit 1, one line naming the claim), never shown
        // as "expires: never": the stricter of the two choices issue 17 allowed.
        var claims = bt.Inspect();
        var now = DateTimeOffset.UtcNow;
        if (claims is not null && IsUnsigned(claims.Algorithm))
        {
            console.Error.WriteLine($"warning: the token is unsigned (alg: {TerminalText.Clean(claims.Algorithm ?? "missing")}); anyone can forge its claims");
        }

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

        text.WriteLine($"alg      : {TerminalText.Clean(IsUnsigned(claims.Algorithm) ? $"{claims.Algorithm ?? "missing"} (unsigned)" : claims.Algorithm)}");
        text.WriteLine($"issuer   : {TerminalText.Clean(claims.Issuer)}");
        text.WriteLine($"subject  : {TerminalText.Clean(claims.Subject)}");
        text.WriteLine($"audience : {TerminalText.Clean(string.Join(" ", claims.Audiences))}");
        text.WriteLine($"scope    : {TerminalText.Clean(string.Join(" ", claims.Scopes))}");
        if (claims.Groups.Count > 0)
        {
            text.WriteLine($"groups   : {TerminalText.Clean(string.Join(" ", claims.Groups))}");
        }

        text.WriteLine($"expires  : {(claims.ExpiresAt is { } e ? TimeFormats.Utc(e) : "never")}");
        text.WriteLine($"timeleft : {(claims.TimeLeft(now) is { } left ? TimeFormats.Left(left) : "unlimited")}");
        text.WriteLine("claims   :");
        using var doc = JsonDocument.Parse(claims.ClaimsJson);
        JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) => doc.RootElement.WriteTo(w));
        return ExitCodes.Ok;
    });

    /// <summary>True for <c>alg: none</c> in any letter case (some verifiers compare it loosely) or no alg at all.</summary>
    private static bool IsUnsigned(string? alg) => alg is null || alg.Equals("none", StringComparison.OrdinalIgnoreCase);

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
            if (claims.Algorithm is { } alg)
            {
                w.WriteString("alg", alg);
            }

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
