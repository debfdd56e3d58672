using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Toolkit.Runtime.Security;

/// <summary>
/// The decoded header and claims of a JSON Web Token (not verified: inspection only, for display, expiry checks
/// and refresh decisions). Numeric dates may be fractional seconds, as Data Dispatcher issues them.
/// </summary>
public sealed class JwtInfo
{
    private JwtInfo()
    {
    }

    /// <summary>Header <c>alg</c>.</summary>
    public string? Algorithm { get; private init; }

    /// <summary>Header <c>kid</c>.</summary>
    public string? KeyId { get; private init; }

    /// <summary>Header <c>typ</c>.</summary>
    public string? Type { get; private init; }

    /// <summary>Claim <c>iss</c>.</summary>
    public string? Issuer { get; private init; }

    /// <summary>Claim <c>sub</c>.</summary>
    public string? Subject { get; private init; }

    /// <summary>Claim <c>jti</c>.</summary>
    public string? JwtId { get; private init; }

    /// <summary>Claim <c>aud</c> (a string or an array), empty when absent.</summary>
    public IReadOnlyList<string> Audiences { get; private init; } = [];

    /// <summary>Claim <c>scope</c> split on spaces (or the <c>scp</c> array), empty when absent.</summary>
    public IReadOnlyList<string> Scopes { get; private init; } = [];

    /// <summary>Claim <c>wlcg.groups</c>, empty when absent.</summary>
    public IReadOnlyList<string> Groups { get; private init; } = [];

    /// <summary>Claim <c>exp</c>.</summary>
    public DateTimeOffset? ExpiresAt { get; private init; }

    /// <summary>Claim <c>nbf</c>.</summary>
    public DateTimeOffset? NotBefore { get; private init; }

    /// <summary>Claim <c>iat</c>.</summary>
    public DateTimeOffset? IssuedAt { get; private init; }

    /// <summary>The decoded claims object as JSON text (safe to show: it does not contain the signature).</summary>
    public string ClaimsJson { get; private init; } = "{}";

    /// <summary>Time left until <see cref="ExpiresAt"/> (zero when expired), or null when the token has no <c>exp</c>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The remaining lifetime.</returns>
    public TimeSpan? TimeLeft(DateTimeOffset now) => ExpiresAt is DateTimeOffset e ? (e > now ? e - now : TimeSpan.Zero) : null;

    /// <summary>Decodes a compact JWT (<c>header.payload.signature</c>).</summary>
    /// <param name="token">The token.</param>
    /// <returns>The decoded information.</returns>
    /// <exception cref="CredentialException">The text is not a JWT; the message never contains the token.</exception>
    /// <exception cref="JwtClaimException">A JWT whose <c>exp</c>, <c>nbf</c> or <c>iat</c> is not a NumericDate.</exception>
    public static JwtInfo Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Trim().Split('.');
        if (parts.Length != 3)
        {
            throw new CredentialException(string.Create(CultureInfo.InvariantCulture, $"not a JWT: expected 3 dot-separated parts, found {parts.Length}"), "token");
        }
        try
        {
            using var header = JsonDocument.Parse(Base64Url(parts[0]));
            byte[] payloadBytes = Base64Url(parts[1]);
            using var payload = JsonDocument.Parse(payloadBytes);
            var h = header.RootElement;
            var p = payload.RootElement;
            if (h.ValueKind != JsonValueKind.Object || p.ValueKind != JsonValueKind.Object)
            {
                throw new CredentialException("not a JWT: header or payload is not a JSON object", "token");
            }
            var scopes = new List<string>();
            if (Str(p, "scope") is string scope)
            {
                scopes.AddRange(scope.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else
            {
                scopes.AddRange(Strings(p, "scp"));
            }
            return new JwtInfo
            {
                Algorithm = Str(h, "alg"),
                KeyId = Str(h, "kid"),
                Type = Str(h, "typ"),
                Issuer = Str(p, "iss"),
                Subject = Str(p, "sub"),
                JwtId = Str(p, "jti"),
                Audiences = Strings(p, "aud"),
                Scopes = scopes,
                Groups = Strings(p, "wlcg.groups"),
                ExpiresAt = Time(p, "exp"),
                NotBefore = Time(p, "nbf"),
                IssuedAt = Time(p, "iat"),
                ClaimsJson = Encoding.UTF8.GetString(payloadBytes),
            };
        }
        catch (JsonException e)
        {
            throw new CredentialException("not a JWT: header or payload is not valid JSON", "token", e);
        }
        catch (FormatException e)
        {
            throw new CredentialException("not a JWT: a part is not valid base64url", "token", e);
        }
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing (opaque tokens are legal bearer tokens).
    /// A JWT with an invalid time claim also gives false: callers deciding on refresh or expiry then treat it as opaque,
    /// as they would any token they cannot read; <see cref="Parse"/> tells why.</summary>
    /// <param name="token">The token.</param>
    /// <param name="info">The decoded information when successful.</param>
    /// <returns>Whether the token is a decodable JWT.</returns>
    public static bool TryParse(string token, out JwtInfo? info)
    {
        try
        {
            info = Parse(token);
            return true;
        }
        catch (CredentialException)
        {
            info = null;
            return false;
        }
    }

    internal static byte[] Base64Url(string s)
    {
        string b = s.Replace('-', '+').Replace('_', '/');
        b += (b.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("bad base64url length") };
        return Convert.FromBase64String(b);
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> Strings(JsonElement o, string name)
    {
        var list = new List<string>();
        if (!o.TryGetProperty(name, out var v))
        {
            return list;
        }
        if (v.ValueKind == JsonValueKind.String)
        {
            list.Add(v.GetString()!);
        }
        else if (v.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in v.EnumerateArray())
            {
                if (e.ValueKind == JsonValueKind.String)
                {
                    list.Add(e.GetString()!);
                }
            }
        }
        return list;
    }

    /// <summary>
    /// Reads a NumericDate claim (<c>exp</c>, <c>nbf</c>, <c>iat</c>): a JSON number of seconds since 1970, or a string
    /// holding one (some issuers quote it). Absent is null; anything else (a word, a boolean, an object, a value outside
    /// the years 1..9999) is a <see cref="JwtClaimException"/>, never read as absent: a token whose <c>exp</c> is
    /// <c>"soon"</c> must not be shown as one that never expires.
    /// </summary>
    private static DateTimeOffset? Time(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v))
        {
            return null;
        }
        double seconds;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double number))
        {
            seconds = number;
        }
        else if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
        {
            seconds = parsed;
        }
        else
        {
            string kind = v.ValueKind switch
            {
                JsonValueKind.String => "a string that is not a number",
                JsonValueKind.True or JsonValueKind.False => "a boolean",
                JsonValueKind.Null => "null",
                JsonValueKind.Object => "an object",
                JsonValueKind.Array => "an array",
                _ => "a number out of range",
            };
            throw new JwtClaimException(name, $"invalid JWT claim '{name}': expected a NumericDate (seconds since 1970), got {kind}");
        }
        if (!double.IsFinite(seconds) || seconds < -62135596800 || seconds > 253402300799)
        {
            throw new JwtClaimException(name, $"invalid JWT claim '{name}': the NumericDate is outside the years 1 to 9999");
        }
        return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }
}
