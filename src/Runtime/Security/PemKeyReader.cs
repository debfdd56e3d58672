using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace Toolkit.Runtime.Security;

/// <summary>
/// Reads private keys from PEM text: PKCS#1 (<c>RSA PRIVATE KEY</c>), SEC 1 (<c>EC PRIVATE KEY</c>), PKCS#8
/// (<c>PRIVATE KEY</c>), encrypted PKCS#8 (<c>ENCRYPTED PRIVATE KEY</c>) and legacy OpenSSL-encrypted PEM
/// (<c>Proc-Type: 4,ENCRYPTED</c> with DES-EDE3-CBC, AES-128-CBC, AES-192-CBC or AES-256-CBC).
/// </summary>
public static class PemKeyReader
{
    /// <summary>
    /// Reads the first private key found in <paramref name="pem"/>.
    /// </summary>
    /// <param name="pem">PEM text that may also hold certificates.</param>
    /// <param name="passphrase">
    /// Called with a prompt naming <paramref name="source"/> when the key is encrypted; returns the passphrase, or
    /// null to give up. May be null when keys are known to be unencrypted.
    /// </param>
    /// <param name="source">File path or description used in error messages and prompts.</param>
    /// <returns>An <see cref="RSA"/> or <see cref="ECDsa"/> instance owning the key.</returns>
    /// <exception cref="CredentialException">No key, wrong passphrase, or an unsupported key type or cipher.</exception>
    public static AsymmetricAlgorithm ReadPrivateKey(string pem, Func<string, string?>? passphrase, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = TryReadPrivateKey(PemBlock.ParseAll(pem, source), passphrase, source);
        return key ?? throw new CredentialException("no private key found (expected a PEM block 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY' or 'ENCRYPTED PRIVATE KEY')", source);
    }

    internal static AsymmetricAlgorithm? TryReadPrivateKey(List<PemBlock> blocks, Func<string, string?>? passphrase, string source)
    {
        foreach (var block in blocks)
        {
            switch (block.Label)
            {
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                    return ReadTraditional(block, passphrase, source);
                case "PRIVATE KEY":
                    return ImportPkcs8(block.Data, source);
                case "ENCRYPTED PRIVATE KEY":
                    return ReadEncryptedPkcs8(block, passphrase, source);
                case "DSA PRIVATE KEY":
                case "OPENSSH PRIVATE KEY":
                    throw new CredentialException($"unsupported private key type '{block.Label}' (line {block.Line}); use an RSA or EC key in PEM form", source);
                default:
                    continue;
            }
        }
        return null;
    }

    private static AsymmetricAlgorithm ReadTraditional(PemBlock block, Func<string, string?>? passphrase, string source)
    {
        byte[] der = block.Data;
        bool decrypted = false;
        if (block.Headers.TryGetValue("Proc-Type", out var procType))
        {
            if (!procType.Replace(" ", "", StringComparison.Ordinal).Equals("4,ENCRYPTED", StringComparison.OrdinalIgnoreCase))
            {
                throw new CredentialException($"unsupported PEM Proc-Type '{procType}' (line {block.Line})", source);
            }
            der = DecryptLegacy(block, passphrase, source);
            decrypted = true;
        }
        try
        {
            if (block.Label == "RSA PRIVATE KEY")
            {
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportRSAPrivateKey(der, out _);
                    return rsa;
                }
                catch
                {
                    rsa.Dispose();
                    throw;
                }
            }
            var ec = ECDsa.Create();
            try
            {
                ec.ImportECPrivateKey(der, out _);
                return ec;
            }
            catch
            {
                ec.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new CredentialException(decrypted
                ? $"cannot decrypt the private key (line {block.Line}): wrong passphrase?"
                : $"the '{block.Label}' block at line {block.Line} is not a valid key", source, e);
        }
        finally
        {
            if (decrypted)
            {
                CryptographicOperations.ZeroMemory(der);
            }
        }
    }

    private static byte[] DecryptLegacy(PemBlock block, Func<string, string?>? passphrase, string source)
    {
        if (!block.Headers.TryGetValue("DEK-Info", out var dekInfo))
        {
            throw new CredentialException($"encrypted PEM key at line {block.Line} has no DEK-Info header", source);
        }
        var parts = dekInfo.Split(',', 2);
        string cipher = parts[0].Trim().ToUpperInvariant();
        byte[] iv;
        try
        {
            iv = parts.Length == 2 ? Convert.FromHexString(parts[1].Trim()) : [];
        }
        catch (FormatException e)
        {
            throw new CredentialException($"DEK-Info IV of the key at line {block.Line} is not hexadecimal", source, e);
        }
        (int keyLength, int ivLength) = cipher switch
        {
            "DES-EDE3-CBC" => (24, 8),
            "AES-128-CBC" => (16, 16),
            "AES-192-CBC" => (24, 16),
            "AES-256-CBC" => (32, 16),
            _ => throw new CredentialException($"unsupported legacy PEM cipher '{cipher}' (supported: DES-EDE3-CBC, AES-128-CBC, AES-192-CBC, AES-256-CBC)", source),
        };
        if (iv.Length != ivLength)
        {
            throw new CredentialException($"DEK-Info IV of the key at line {block.Line} has {iv.Length} bytes, {cipher} needs {ivLength}", source);
        }
        string pass = AskPassphrase(passphrase, source);
        byte[] key = OpenSslKeyDerivation.EvpBytesToKeyMd5(pass, iv.AsSpan(0, 8), keyLength);
        try
        {
            using SymmetricAlgorithm alg = cipher == "DES-EDE3-CBC" ? CreateTripleDes() : Aes.Create();
            alg.Key = key;
            return alg.DecryptCbc(block.Data, iv, PaddingMode.PKCS7);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new CredentialException($"cannot decrypt the private key (line {block.Line}): wrong passphrase?", source, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

#pragma warning disable CA5350 // DES-EDE3 is what legacy grid keys are encrypted with; only used to read them.
    private static TripleDES CreateTripleDes() => TripleDES.Create();
#pragma warning restore CA5350

    private static AsymmetricAlgorithm ReadEncryptedPkcs8(PemBlock block, Func<string, string?>? passphrase, string source)
    {
        string pass = AskPassphrase(passphrase, source);
        byte[]? plain = null;
        try
        {
            string? oid = Pkcs8AlgorithmOfEncrypted(block.Data, pass, out plain);
            return ImportPkcs8(plain, source, oid);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new CredentialException($"cannot decrypt the encrypted PKCS#8 key (line {block.Line}): wrong passphrase or unsupported cipher", source, e);
        }
        finally
        {
            if (plain is not null)
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }
    }

    private static string? Pkcs8AlgorithmOfEncrypted(byte[] encrypted, string pass, out byte[] plain)
    {
        // System.Security.Cryptography.Pkcs is not referenced; RSA/ECDsa can import encrypted PKCS#8 directly,
        // so import with RSA first and export an unencrypted PKCS#8 copy for the generic path.
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportEncryptedPkcs8PrivateKey(pass, encrypted, out _);
            plain = rsa.ExportPkcs8PrivateKey();
            return RsaOid;
        }
        catch (Exception e2) when (e2 is CryptographicException or PlatformNotSupportedException)
        {
            using var ec = ECDsa.Create();
            ec.ImportEncryptedPkcs8PrivateKey(pass, encrypted, out _);
            plain = ec.ExportPkcs8PrivateKey();
            return EcOid;
        }
    }

    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    internal static AsymmetricAlgorithm ImportPkcs8(byte[] der, string source, string? knownOid = null)
    {
        string oid = knownOid ?? Pkcs8AlgorithmOid(der, source);
        switch (oid)
        {
            case RsaOid:
            {
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportPkcs8PrivateKey(der, out _);
                    return rsa;
                }
                catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
                {
                    rsa.Dispose();
                    throw new CredentialException("the PKCS#8 RSA key is not valid", source, e);
                }
            }
            case EcOid:
            {
                var ec = ECDsa.Create();
                try
                {
                    ec.ImportPkcs8PrivateKey(der, out _);
                    return ec;
                }
                catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
                {
                    ec.Dispose();
                    throw new CredentialException("the PKCS#8 EC key is not valid", source, e);
                }
            }
            case "1.3.101.112":
                throw new CredentialException("Ed25519 keys cannot be used: .NET's System.Security.Cryptography has no Ed25519 signer; use an RSA or EC (P-256) key", source);
            case "1.3.101.113":
                throw new CredentialException("Ed448 keys cannot be used: .NET's System.Security.Cryptography has no Ed448 signer; use an RSA or EC (P-256) key", source);
            case "1.2.840.10040.4.1":
                throw new CredentialException("DSA keys are not supported; use an RSA or EC key", source);
            default:
                throw new CredentialException(string.Create(CultureInfo.InvariantCulture, $"unsupported private key algorithm {oid}; use an RSA or EC key"), source);
        }
    }

    private static string Pkcs8AlgorithmOid(byte[] der, string source)
    {
        try
        {
            var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.BER);
            var seq = reader.ReadSequence();
            _ = seq.ReadInteger();
            var alg = seq.ReadSequence();
            return alg.ReadObjectIdentifier();
        }
        catch (System.Formats.Asn1.AsnContentException e)
        {
            throw new CredentialException("the PKCS#8 'PRIVATE KEY' block is not valid DER", source, e);
        }
    }

    private static string AskPassphrase(Func<string, string?>? passphrase, string source)
    {
        if (passphrase is null)
        {
            throw new CredentialException("the private key is encrypted and no passphrase callback was given", source);
        }
        return passphrase($"Enter pass phrase for {source}:")
            ?? throw new CredentialException("the private key is encrypted and no passphrase was entered", source);
    }
}
