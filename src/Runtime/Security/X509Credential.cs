using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Toolkit.Runtime.Security;

/// <summary>
/// An X.509 credential: a certificate with its private key (a user, host or proxy certificate) and the chain of
/// certificates that came with it (for a proxy: the certificates that issued it, up to the user certificate).
/// </summary>
/// <remarks>
/// Load one with <see cref="Load"/> (a PEM file holding certificate, key and chain in any order, or separate
/// certificate and key files) or find one with <see cref="CredentialDiscovery"/>. Loading does not reject an
/// expired credential; call <see cref="EnsureValid"/> before using it.
/// </remarks>
public sealed class X509Credential : IDisposable
{
    private readonly X509Certificate2[] _chain;

    /// <summary>Creates a credential from a certificate that has its private key and its issuer chain.</summary>
    /// <param name="certificate">The leaf certificate with its private key.</param>
    /// <param name="chain">Issuer certificates, nearest first (the leaf must not be included).</param>
    /// <param name="certificatePath">The file the certificate came from, if any.</param>
    /// <param name="keyPath">The file the key came from, if any.</param>
    public X509Credential(X509Certificate2 certificate, IEnumerable<X509Certificate2> chain, string? certificatePath = null, string? keyPath = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(chain);
        if (!certificate.HasPrivateKey)
        {
            throw new CredentialException($"certificate '{DistinguishedNames.ToGridForm(certificate.SubjectName)}' has no private key", certificatePath);
        }
        Certificate = certificate;
        _chain = chain.ToArray();
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    /// <summary>The leaf certificate (user, host or proxy), with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The issuer certificates that came with the leaf, nearest first, in file order.</summary>
    public IReadOnlyList<X509Certificate2> Chain => _chain;

    /// <summary>The file the certificate was read from, or null.</summary>
    public string? CertificatePath { get; }

    /// <summary>The file the private key was read from, or null.</summary>
    public string? KeyPath { get; }

    /// <summary>What kind of certificate the leaf is.</summary>
    public ProxyKind Kind => ProxyCertificates.GetKind(Certificate);

    /// <summary>True when the leaf is a proxy certificate.</summary>
    public bool IsProxy => Kind != ProxyKind.EndEntity;

    /// <summary>The end-entity certificate: the leaf itself, or the first non-proxy certificate of the chain.</summary>
    public X509Certificate2 EndEntityCertificate
    {
        get
        {
            if (!ProxyCertificates.IsProxy(Certificate))
            {
                return Certificate;
            }
            foreach (var c in _chain)
            {
                if (!ProxyCertificates.IsProxy(c))
                {
                    return c;
                }
            }
            return _chain.Length > 0 ? _chain[^1] : Certificate;
        }
    }

    /// <summary>The identity in grid (slash) form: the end-entity certificate's subject.</summary>
    public string Identity => DistinguishedNames.ToGridForm(EndEntityCertificate.SubjectName);

    /// <summary>The leaf's subject in grid (slash) form.</summary>
    public string Subject => DistinguishedNames.ToGridForm(Certificate.SubjectName);

    /// <summary>The leaf's issuer in grid (slash) form.</summary>
    public string Issuer => DistinguishedNames.ToGridForm(Certificate.IssuerName);

    /// <summary>The latest notBefore over the leaf and the chain.</summary>
    public DateTimeOffset NotBefore => Certificates().Max(c => new DateTimeOffset(c.NotBefore.ToUniversalTime()));

    /// <summary>The earliest notAfter over the leaf and the chain: when the credential stops working.</summary>
    public DateTimeOffset NotAfter => Certificates().Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime()));

    /// <summary>Key size in bits of the leaf's key (e.g. 2048).</summary>
    public int KeySize
    {
        get
        {
            using var rsa = Certificate.GetRSAPublicKey();
            if (rsa is not null)
            {
                return rsa.KeySize;
            }
            using var ec = Certificate.GetECDsaPublicKey();
            return ec?.KeySize ?? 0;
        }
    }

    /// <summary>Time left until <see cref="NotAfter"/>, zero when expired.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The remaining lifetime.</returns>
    public TimeSpan TimeLeft(DateTimeOffset now)
    {
        var left = NotAfter - now;
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>Throws when the leaf or any chain certificate is expired or not yet valid at <paramref name="now"/>.</summary>
    /// <param name="now">The time to check against.</param>
    /// <exception cref="CredentialValidityException">A certificate is outside its validity window; the message gives the times.</exception>
    public void EnsureValid(DateTimeOffset now)
    {
        foreach (var c in Certificates())
        {
            var nb = new DateTimeOffset(c.NotBefore.ToUniversalTime());
            var na = new DateTimeOffset(c.NotAfter.ToUniversalTime());
            if (now < nb || now > na)
            {
                throw new CredentialValidityException(DistinguishedNames.ToGridForm(c.SubjectName), nb, na, now, CertificatePath);
            }
        }
    }

    /// <summary>The VOMS attributes embedded in the leaf (or, for a proxy of a proxy, the nearest one), empty when none.</summary>
    /// <returns>The attribute certificates found.</returns>
    public IReadOnlyList<VomsAttributes> GetVomsAttributes()
    {
        foreach (var c in Certificates())
        {
            if (!ProxyCertificates.IsProxy(c))
            {
                break;
            }
            var found = VomsAttributes.Read(c);
            if (found.Count > 0)
            {
                return found;
            }
        }
        return [];
    }

    /// <summary>Leaf and chain as one collection, leaf first.</summary>
    /// <returns>A new collection.</returns>
    public X509Certificate2Collection ToCollection()
    {
        var col = new X509Certificate2Collection(Certificate);
        col.AddRange(_chain);
        return col;
    }

    /// <summary>
    /// PEM text in the grid proxy file layout: certificate, then (when asked) the private key as PKCS#1 (RSA) or
    /// SEC 1 (EC), then the chain.
    /// </summary>
    /// <param name="includePrivateKey">Whether to include the unencrypted private key.</param>
    /// <returns>The PEM text.</returns>
    public string ExportPem(bool includePrivateKey)
    {
        var sb = new StringBuilder();
        sb.Append(Certificate.ExportCertificatePem()).Append('\n');
        if (includePrivateKey)
        {
            using var rsa = Certificate.GetRSAPrivateKey();
            if (rsa is not null)
            {
                sb.Append(rsa.ExportRSAPrivateKeyPem()).Append('\n');
            }
            else
            {
                using var ec = Certificate.GetECDsaPrivateKey() ?? throw new CredentialException("the private key is neither RSA nor EC", CertificatePath);
                sb.Append(ec.ExportECPrivateKeyPem()).Append('\n');
            }
        }
        foreach (var c in _chain)
        {
            sb.Append(c.ExportCertificatePem()).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Writes <see cref="ExportPem"/> (with the key) to <paramref name="path"/> with mode 0600; the file is
    /// created with that mode before any byte is written and replaced atomically.
    /// </summary>
    /// <param name="path">Destination, e.g. <c>/tmp/x509up_u1000</c>.</param>
    public void WritePem(string path) => SecureFile.WriteAllText(path, ExportPem(includePrivateKey: true));

    /// <summary>
    /// Loads a credential. <paramref name="certificatePath"/> may hold certificate, key and chain in any order (a
    /// proxy file); when the key is elsewhere give <paramref name="keyPath"/>.
    /// </summary>
    /// <param name="certificatePath">PEM file with the certificate (and possibly the key and chain).</param>
    /// <param name="keyPath">PEM file with the private key, or null when it is in <paramref name="certificatePath"/>.</param>
    /// <param name="passphrase">Called with a prompt when the key is encrypted; returns the passphrase or null.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="CredentialException">A file is missing, unreadable, too permissive, or holds no usable key or certificate.</exception>
    public static X509Credential Load(string certificatePath, string? keyPath = null, Func<string, string?>? passphrase = null)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        var certBlocks = ReadPemFile(certificatePath);
        List<PemBlock> keyBlocks;
        string keySource;
        if (keyPath is null || Path.GetFullPath(keyPath) == Path.GetFullPath(certificatePath))
        {
            keyBlocks = certBlocks;
            keySource = certificatePath;
        }
        else
        {
            keyBlocks = ReadPemFile(keyPath);
            keySource = keyPath;
        }
        var key = PemKeyReader.TryReadPrivateKey(keyBlocks, passphrase, keySource)
            ?? throw new CredentialException("no private key found", keySource);
        using (key)
        {
            return Assemble(certBlocks, key, certificatePath, keySource);
        }
    }

    /// <summary>Builds a credential from PEM text (certificate, key and chain in any order).</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="passphrase">Called when the key is encrypted.</param>
    /// <param name="source">Description used in error messages.</param>
    /// <returns>The credential.</returns>
    public static X509Credential FromPem(string pem, Func<string, string?>? passphrase = null, string source = "PEM text")
    {
        ArgumentNullException.ThrowIfNull(pem);
        var blocks = PemBlock.ParseAll(pem, source);
        using var key = PemKeyReader.TryReadPrivateKey(blocks, passphrase, source)
            ?? throw new CredentialException("no private key found", source);
        return Assemble(blocks, key, null, null);
    }

    /// <summary>
    /// Reads the certificates of a PEM file such as a proxy (no key needed), leaf first when one can be told apart. When
    /// the file also holds a private key it must be private (<see cref="SecureFile.EnsurePrivate"/>), as for
    /// <see cref="Load"/>: one permission rule wherever a file with a key is read, whether or not the key is used.
    /// </summary>
    /// <param name="path">The PEM file.</param>
    /// <returns>The certificates.</returns>
    /// <exception cref="CredentialException">The file is unreadable, holds a key and is accessible by group or
    /// others, or is not valid PEM.</exception>
    public static IReadOnlyList<X509Certificate2> ReadCertificateFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return LeafFirst(ReadPemFile(path), path);
    }

    /// <summary>Reads the certificates of a PEM file (no key needed), leaf first when one can be told apart.</summary>
    /// <param name="pem">PEM text.</param>
    /// <param name="source">Description used in error messages.</param>
    /// <returns>The certificates.</returns>
    public static IReadOnlyList<X509Certificate2> ReadCertificates(string pem, string source = "PEM text")
    {
        ArgumentNullException.ThrowIfNull(pem);
        return LeafFirst(PemBlock.ParseAll(pem, source), source);
    }

    private static List<X509Certificate2> LeafFirst(List<PemBlock> blocks, string source)
    {
        var certs = ParseCertificates(blocks, source);
        if (certs.Count == 0)
        {
            return certs;
        }
        // The leaf is the certificate that issued no other one.
        var leaf = certs.Find(c => !certs.Exists(o => !ReferenceEquals(o, c) && o.IssuerName.RawData.AsSpan().SequenceEqual(c.SubjectName.RawData) && !IsSelfSigned(o))) ?? certs[0];
        return OrderFrom(leaf, certs);
    }

    private static X509Credential Assemble(List<PemBlock> blocks, AsymmetricAlgorithm key, string? certificatePath, string? keyPath)
    {
        string source = certificatePath ?? "PEM text";
        var certs = ParseCertificates(blocks, source);
        if (certs.Count == 0)
        {
            throw new CredentialException("no certificate found (expected a PEM block 'CERTIFICATE')", source);
        }
        byte[] spki = key.ExportSubjectPublicKeyInfo();
        string keyName = keyPath is not null && keyPath != certificatePath ? "the private key in " + keyPath : "the private key";
        var leaf = certs.Find(c => c.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki))
            ?? throw new CredentialException(keyName + " does not belong to any certificate in the file", source);
        X509Certificate2 withKey;
        try
        {
            withKey = key switch
            {
                RSA rsa => leaf.CopyWithPrivateKey(rsa),
                ECDsa ec => leaf.CopyWithPrivateKey(ec),
                _ => throw new CredentialException("unsupported private key type", source),
            };
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            // The platform can hold a key it cannot export again (a PKCS#1 key of an unknown version, found by the
            // fuzzer): pairing it with the certificate needs that export.
            throw new CredentialException(keyName + " cannot be paired with its certificate: " + e.Message, source, e);
        }
        var ordered = OrderFrom(leaf, certs);
        return new X509Credential(withKey, ordered.Skip(1), certificatePath, keyPath);
    }

    private static List<X509Certificate2> ParseCertificates(List<PemBlock> blocks, string source)
    {
        var certs = new List<X509Certificate2>();
        foreach (var b in blocks)
        {
            if (b.Label is "CERTIFICATE" or "TRUSTED CERTIFICATE" or "X509 CERTIFICATE")
            {
                try
                {
                    certs.Add(X509CertificateLoader.LoadCertificate(b.Data));
                }
                catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
                {
                    throw new CredentialException($"the certificate at line {b.Line} is not a valid X.509 certificate", source, e);
                }
            }
        }
        return certs;
    }

    /// <summary>Leaf, then the issuer chain walked by name, then any leftovers in file order.</summary>
    private static List<X509Certificate2> OrderFrom(X509Certificate2 leaf, List<X509Certificate2> all)
    {
        var result = new List<X509Certificate2> { leaf };
        var rest = all.Where(c => !ReferenceEquals(c, leaf)).ToList();
        var current = leaf;
        while (!IsSelfSigned(current))
        {
            var next = rest.Find(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData));
            if (next is null)
            {
                break;
            }
            result.Add(next);
            rest.Remove(next);
            current = next;
        }
        result.AddRange(rest);
        return result;
    }

    private static bool IsSelfSigned(X509Certificate2 c) => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData);

    private IEnumerable<X509Certificate2> Certificates()
    {
        yield return Certificate;
        foreach (var c in _chain)
        {
            yield return c;
        }
    }

    /// <summary>Reads and parses a PEM file; a file holding a private key must pass <see cref="SecureFile.EnsurePrivate"/>.</summary>
    private static List<PemBlock> ReadPemFile(string path)
    {
        var blocks = PemBlock.ParseAll(ReadFile(path), path);
        if (blocks.Exists(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)))
        {
            SecureFile.EnsurePrivate(path);
        }

        return blocks;
    }

    private static string ReadFile(string path) => SecureFile.ReadBoundedText(path);

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var c in _chain)
        {
            c.Dispose();
        }
    }
}
