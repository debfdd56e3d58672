using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Toolkit.Peers.Unicore;

/// <summary>
/// Checks a user-signed JWT the way UNICORE's JWT authenticator does for tokens a user signs with their own key:
/// RS256 or ES256 signature with the user's public key, <c>sub</c> names the user, <c>iss</c> equals <c>sub</c>,
/// <c>exp</c> not passed, <c>iat</c> not in the future (60 s skew), <c>etd</c> a string.
/// </summary>
internal static class PeerJwtVerifier
{
    public static string Verify(string token, IReadOnlyDictionary<string, AsymmetricAlgorithm> keys)
    {
        var parts = token.Split('.');
        JsonElement header, claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(B64(parts[0])).RootElement;
            claims = JsonDocument.Parse(B64(parts[1])).RootElement;
            signature = B64(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new UnicorePeer.HttpError(401, "Authentication failed: malformed JWT");
        }

        string alg = header.TryGetProperty("alg", out var a) ? a.GetString() ?? string.Empty : string.Empty;
        string sub = claims.TryGetProperty("sub", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : throw Fail("no sub claim");
        string iss = claims.TryGetProperty("iss", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : throw Fail("no iss claim");
        if (iss != sub)
        {
            throw Fail("issuer '" + iss + "' is not the subject (not a user-signed token)");
        }

        if (!keys.TryGetValue(sub, out var key))
        {
            throw Fail("no public key is registered for '" + sub + "'");
        }

        var data = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        bool ok = (alg, key) switch
        {
            ("RS256", RSA rsa) => rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ("ES256", ECDsa ec) => ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw Fail("algorithm '" + alg + "' does not match the registered key"),
        };
        if (!ok)
        {
            throw Fail("bad signature");
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!claims.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number || exp.GetInt64() < now)
        {
            throw Fail("token expired or without exp");
        }

        if (!claims.TryGetProperty("iat", out var iat) || iat.ValueKind != JsonValueKind.Number || iat.GetInt64() > now + 60)
        {
            throw Fail("iat missing or in the future");
        }

        if (claims.TryGetProperty("etd", out var etd) && etd.ValueKind != JsonValueKind.String)
        {
            throw Fail("etd must be a string");
        }

        return sub;
    }

    private static UnicorePeer.HttpError Fail(string why) => new(401, "Authentication failed: JWT " + why);

    private static byte[] B64(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
