using System;
using System.Security.Cryptography;

namespace Toolkit.Unicore.Uftp;

/// <summary>The data encryption a UFTP session uses (the auth request's <c>encryptionAlgorithm</c>).</summary>
public enum UftpCipherAlgorithm
{
    /// <summary>No encryption.</summary>
    None = 0,

    /// <summary>Blowfish in ECB mode, key of at most 56 bytes (uftpd's default when a key is given).</summary>
    Blowfish = 1,

    /// <summary>AES in CBC mode; the key material is a 16-byte IV followed by a 16, 24 or 32-byte key.</summary>
    Aes = 2,
}

/// <summary>
/// A UFTP encryption setting: the algorithm and the key material sent (base64) in the auth request. The whole data
/// stream is one cipher message padded PKCS#5-style at its end, per data connection (uftpd's CryptUtil, Java's
/// CipherOutputStream).
/// </summary>
public sealed class UftpEncryption
{
    private readonly byte[] _key;

    /// <summary>Creates a setting from key material.</summary>
    /// <param name="algorithm">Blowfish or AES.</param>
    /// <param name="key">For Blowfish 1 to 56 bytes; for AES a 16-byte IV followed by 16, 24 or 32 key bytes.</param>
    /// <exception cref="ArgumentException">The key length does not fit the algorithm.</exception>
    public UftpEncryption(UftpCipherAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        switch (algorithm)
        {
            case UftpCipherAlgorithm.Blowfish when key.Length is >= 4 and <= 56:
            case UftpCipherAlgorithm.Aes when key.Length is 32 or 40 or 48:
                break;
            case UftpCipherAlgorithm.Blowfish:
                throw new ArgumentException("a Blowfish key has 4 to 56 bytes, not " + key.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), nameof(key));
            case UftpCipherAlgorithm.Aes:
                throw new ArgumentException("AES key material is a 16-byte IV and a 16, 24 or 32-byte key (32, 40 or 48 bytes), not " + key.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), nameof(key));
            default:
                throw new ArgumentException("no encryption algorithm", nameof(algorithm));
        }

        Algorithm = algorithm;
        _key = key.ToArray();
    }

    /// <summary>The algorithm.</summary>
    public UftpCipherAlgorithm Algorithm { get; }

    /// <summary>The key material (a copy).</summary>
    public ReadOnlySpan<byte> Key => _key;

    /// <summary>The name the auth request carries (<c>BLOWFISH</c> or <c>AES</c>).</summary>
    public string WireName => Algorithm == UftpCipherAlgorithm.Aes ? "AES" : "BLOWFISH";

    /// <summary>A fresh random key as pyuftp makes it: 56 bytes for Blowfish, 16+<paramref name="aesKeySize"/> for AES.</summary>
    /// <param name="algorithm">Blowfish or AES.</param>
    /// <param name="aesKeySize">The AES key size in bytes (16, 24 or 32; pyuftp's default 32).</param>
    /// <returns>The setting.</returns>
    public static UftpEncryption Generate(UftpCipherAlgorithm algorithm, int aesKeySize = 32)
    {
        int length = algorithm == UftpCipherAlgorithm.Aes ? 16 + aesKeySize : 56;
        Span<byte> key = stackalloc byte[64];
        RandomNumberGenerator.Fill(key[..length]);
        return new UftpEncryption(algorithm, key[..length]);
    }

    /// <summary>Parses the wire name (case-insensitive).</summary>
    /// <param name="name"><c>BLOWFISH</c> or <c>AES</c>.</param>
    /// <returns>The algorithm.</returns>
    /// <exception cref="FormatException">Another name.</exception>
    public static UftpCipherAlgorithm ParseAlgorithm(string name) => name.ToUpperInvariant() switch
    {
        "BLOWFISH" => UftpCipherAlgorithm.Blowfish,
        "AES" => UftpCipherAlgorithm.Aes,
        _ => throw new FormatException("unknown UFTP encryption algorithm '" + name + "' (BLOWFISH or AES)"),
    };

    internal BlockCipher CreateCipher(bool encrypt) => Algorithm == UftpCipherAlgorithm.Aes
        ? new AesCbcCipher(_key, encrypt)
        : new BlowfishEcbCipher(_key, encrypt);
}
