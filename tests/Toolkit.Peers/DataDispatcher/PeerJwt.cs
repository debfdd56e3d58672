using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Toolkit.Peers.DataDispatcher;

/// <summary>The server's own tokens: JWT HS256, key = SHA-256(secret), float iat/nbf/exp, sub, 8-hex jti, iss.</summary>
public sealed class PeerJwt(string secret, string issuer)
{
    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public string Issuer => issuer;

    public string Issue(string subject, double now, double exp)
    {
        var header = B64("{\"typ\":\"JWT\",\"alg\":\"HS256\"}"u8.ToArray());
        var jti = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var claims = string.Create(CultureInfo.InvariantCulture, $"{{\"iat\":{now:R},\"nbf\":{now:R},\"exp\":{exp:R},\"sub\":{JsonSerializer.Serialize(subject)},\"jti\":\"{jti}\",\"iss\":{JsonSerializer.Serialize(issuer)}}}");
        var payload = B64(Encoding.UTF8.GetBytes(claims));
        var sig = B64(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + sig;
    }

    /// <summary>Checks signature, issuer, expiry; returns (subject, exp) or the reason.</summary>
    public (string? Subject, double Exp, string? Error) Verify(string token, double now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (null, 0, "Invalid token");
        }

        var expected = B64(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[2])))
        {
            return (null, 0, "Invalid token signature");
        }

        using var doc = JsonDocument.Parse(Unb64(parts[1]));
        var root = doc.RootElement;
        if (!root.TryGetProperty("iss", out var iss) || iss.GetString() != issuer)
        {
            return (null, 0, "Invalid token issuer");
        }

        var exp = root.GetProperty("exp").GetDouble();
        if (exp <= now)
        {
            return (null, 0, "Token expired");
        }

        return (root.GetProperty("sub").GetString(), exp, null);
    }

    private static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Unb64(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
