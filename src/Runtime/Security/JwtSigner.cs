using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Toolkit.Runtime.Security;

/// <summary>
/// Signs compact JWTs with the caller's own key: RS256 for RSA keys, ES256/ES384/ES512 for EC P-256/P-384/P-521
/// keys (UNICORE's signed-JWT authentication). Other key types give a <see cref="CredentialException"/> saying so.
/// </summary>
public static class JwtSigner
{
    /// <summary>The JWS algorithm used for <paramref name="key"/>.</summary>
    /// <param name="key">An RSA or ECDsa key.</param>
    /// <returns><c>RS256</c>, <c>ES256</c>, <c>ES384</c> or <c>ES512</c>.</returns>
    /// <exception cref="CredentialException">The key type cannot sign JWTs here.</exception>
    public static string AlgorithmFor(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key switch
        {
            RSA => "RS256",
            ECDsa ec => ec.KeySize switch
            {
                256 => "ES256",
                384 => "ES384",
                521 => "ES512",
                _ => throw new CredentialException($"EC keys of {ec.KeySize} bits cannot sign JWTs (use P-256, P-384 or P-521)"),
            },
            _ => throw new CredentialException($"{key.GetType().Name} keys cannot sign JWTs here: .NET's System.Security.Cryptography signs JWTs only with RSA (RS256) or EC (ES256) keys; Ed25519 (EdDSA) is not available"),
        };
    }

    /// <summary>Signs a claims set.</summary>
    /// <param name="key">The signing key.</param>
    /// <param name="claims">Claims; values may be string, bool, int, long, double, DateTimeOffset (as seconds) or a sequence of strings.</param>
    /// <param name="keyId">Optional <c>kid</c> header.</param>
    /// <returns>The compact JWT.</returns>
    public static string Sign(AsymmetricAlgorithm key, IEnumerable<KeyValuePair<string, object?>> claims, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        string alg = AlgorithmFor(key);
        string header = Encode(w =>
        {
            w.WriteString("alg", alg);
            w.WriteString("typ", "JWT");
            if (keyId is not null)
            {
                w.WriteString("kid", keyId);
            }
        });
        string payload = Encode(w =>
        {
            foreach (var (name, value) in claims)
            {
                WriteClaim(w, name, value);
            }
        });
        string signingInput = header + "." + payload;
        byte[] data = Encoding.ASCII.GetBytes(signingInput);
        byte[] signature = key switch
        {
            RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.SignData(data, alg switch { "ES384" => HashAlgorithmName.SHA384, "ES512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 }, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw new CredentialException("unsupported key type"),
        };
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>
    /// A short-lived token as UNICORE expects: <c>sub</c>, <c>iss</c> (defaults to the subject), <c>iat</c>,
    /// <c>exp = iat + lifetime</c>, plus any extra claims (e.g. <c>etd: "false"</c>).
    /// </summary>
    /// <param name="key">The signing key.</param>
    /// <param name="subject">The user name or X.500 DN.</param>
    /// <param name="lifetime">Token lifetime (UNICORE's default is 300 seconds).</param>
    /// <param name="issuer">The issuer; null uses the subject.</param>
    /// <param name="extraClaims">Further claims, or null.</param>
    /// <param name="timeProvider">Clock; null for the system clock.</param>
    /// <returns>The compact JWT.</returns>
    public static string CreateShortLived(AsymmetricAlgorithm key, string subject, TimeSpan lifetime, string? issuer = null,
        IEnumerable<KeyValuePair<string, object?>>? extraClaims = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        long now = (timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        var claims = new List<KeyValuePair<string, object?>>
        {
            new("sub", subject),
            new("iss", issuer ?? subject),
            new("iat", now),
            new("exp", now + (long)lifetime.TotalSeconds),
        };
        if (extraClaims is not null)
        {
            claims.AddRange(extraClaims);
        }
        return Sign(key, claims);
    }

    private static void WriteClaim(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null: w.WriteNull(name); break;
            case string s: w.WriteString(name, s); break;
            case bool b: w.WriteBoolean(name, b); break;
            case int i: w.WriteNumber(name, i); break;
            case long l: w.WriteNumber(name, l); break;
            case double d: w.WriteNumber(name, d); break;
            case DateTimeOffset t: w.WriteNumber(name, t.ToUnixTimeSeconds()); break;
            case IEnumerable<string> list:
                w.WriteStartArray(name);
                foreach (var item in list)
                {
                    w.WriteStringValue(item);
                }
                w.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"claim '{name}' has an unsupported value type {value.GetType().Name}", nameof(value));
        }
    }

    private static string Encode(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Base64Url(ms.ToArray());
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
