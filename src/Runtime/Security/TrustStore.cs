using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Runtime.Security;

/// <summary>
/// The grid trust anchors: CA certificates (and their CRLs) from <c>X509_CERT_DIR</c>, else
/// <c>/etc/grid-security/certificates</c>. Certificates are read from hashed <c>*.0</c>…<c>*.9</c> files and
/// <c>*.pem</c> files; CRLs from <c>*.r0</c>…<c>*.r9</c> when present. Other files (signing policies, namespaces,
/// info files) are ignored.
/// </summary>
public sealed class TrustStore
{
    /// <summary>The conventional trust directory, used when <c>X509_CERT_DIR</c> is unset.</summary>
    public const string DefaultDirectory = "/etc/grid-security/certificates";

    private readonly List<CertificateRevocationList> _crls;

    private TrustStore(string? directory, X509Certificate2Collection authorities, List<CertificateRevocationList> crls)
    {
        Directory = directory;
        Authorities = authorities;
        _crls = crls;
    }

    /// <summary>The directory the store was read from, or null when built from certificates.</summary>
    public string? Directory { get; }

    /// <summary>The CA certificates (roots and intermediates).</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>Number of CRLs loaded.</summary>
    public int CrlCount => _crls.Count;

    /// <summary>The directory <see cref="Load"/> uses: <paramref name="directory"/>, else <c>X509_CERT_DIR</c>, else <see cref="DefaultDirectory"/>.</summary>
    /// <param name="directory">An explicit directory, or null.</param>
    /// <param name="environment">Environment lookup; null for the process environment.</param>
    /// <returns>The directory path.</returns>
    public static string ResolveDirectory(string? directory = null, Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        return directory ?? (string.IsNullOrWhiteSpace(env("X509_CERT_DIR")) ? DefaultDirectory : env("X509_CERT_DIR")!);
    }

    /// <summary>Reads the trust directory.</summary>
    /// <param name="directory">An explicit directory; null for <c>X509_CERT_DIR</c> or the default.</param>
    /// <param name="environment">Environment lookup; null for the process environment.</param>
    /// <returns>The store.</returns>
    /// <exception cref="CredentialException">The directory does not exist or holds no CA certificate.</exception>
    public static TrustStore Load(string? directory = null, Func<string, string?>? environment = null)
    {
        string dir = ResolveDirectory(directory, environment);
        if (!System.IO.Directory.Exists(dir))
        {
            throw new CredentialException("the trust directory does not exist (set X509_CERT_DIR or install the CA certificates)", dir);
        }
        var authorities = new X509Certificate2Collection();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var crls = new List<CertificateRevocationList>();
        foreach (var file in System.IO.Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
        {
            string ext = Path.GetExtension(file);
            bool isCert = ext == ".pem" || (ext.Length == 2 && char.IsAsciiDigit(ext[1]));
            bool isCrl = ext.Length == 3 && ext[1] == 'r' && char.IsAsciiDigit(ext[2]);
            if (!isCert && !isCrl)
            {
                continue;
            }
            byte[] bytes = SecureFile.ReadBounded(file, "it");
            if (isCert)
            {
                foreach (var cert in ReadCertificates(bytes, file))
                {
                    if (seen.Add(cert.Thumbprint))
                    {
                        authorities.Add(cert);
                    }
                }
            }
            else
            {
                foreach (var der in ReadBlocks(bytes, "X509 CRL", file))
                {
                    crls.Add(CertificateRevocationList.Parse(der, file));
                }
            }
        }
        if (authorities.Count == 0)
        {
            throw new CredentialException("the trust directory holds no CA certificate (*.0 or *.pem)", dir);
        }
        return new TrustStore(dir, authorities, crls);
    }

    /// <summary>Builds a store from certificates and optional DER or PEM CRLs.</summary>
    /// <param name="authorities">CA certificates.</param>
    /// <param name="crls">CRLs, DER or PEM encoded; null for none.</param>
    /// <returns>The store.</returns>
    public static TrustStore FromCertificates(IEnumerable<X509Certificate2> authorities, IEnumerable<byte[]>? crls = null)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        var list = new List<CertificateRevocationList>();
        foreach (var crl in crls ?? [])
        {
            foreach (var der in ReadBlocks(crl, "X509 CRL", "CRL"))
            {
                list.Add(CertificateRevocationList.Parse(der, "CRL"));
            }
        }
        return new TrustStore(null, new X509Certificate2Collection(authorities.ToArray()), list);
    }

    /// <summary>
    /// Validates a (non-proxy) certificate against the store: a path to one of the CAs, every certificate valid at
    /// <paramref name="now"/>, and none revoked by a CRL of the store (a CRL whose signature does not verify is an error).
    /// </summary>
    /// <param name="certificate">The end-entity certificate.</param>
    /// <param name="intermediates">Certificates the peer sent along; may include CAs not in the store.</param>
    /// <param name="now">The verification time.</param>
    /// <returns>Empty when valid, else one message per problem.</returns>
    public IReadOnlyList<string> Validate(X509Certificate2 certificate, IEnumerable<X509Certificate2> intermediates, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(intermediates);
        var errors = new List<string>();
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        foreach (var ca in Authorities)
        {
            if (ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData))
            {
                chain.ChainPolicy.CustomTrustStore.Add(ca);
            }
            else
            {
                chain.ChainPolicy.ExtraStore.Add(ca);
            }
        }
        foreach (var c in intermediates)
        {
            chain.ChainPolicy.ExtraStore.Add(c);
        }
        if (!chain.Build(certificate))
        {
            foreach (var status in chain.ChainStatus)
            {
                errors.Add($"{status.Status}: {status.StatusInformation.Trim()}");
            }
            if (errors.Count == 0)
            {
                errors.Add("no chain to a trusted CA");
            }
            return errors;
        }
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        for (int i = 0; i + 1 < elements.Count; i++)
        {
            CheckRevocation(elements[i], elements[i + 1], now, errors);
        }
        return errors;
    }

    /// <summary>Adds an error when a CRL from <paramref name="issuer"/> lists <paramref name="certificate"/>.</summary>
    internal void CheckRevocation(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset now, List<string> errors)
    {
        foreach (var crl in _crls)
        {
            if (!crl.Issuer.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
            {
                continue;
            }
            if (!crl.IsSignedBy(issuer))
            {
                errors.Add($"the CRL {crl.Source} of '{DistinguishedNames.ToGridForm(issuer.SubjectName)}' has a bad signature");
                continue;
            }
            if (crl.NextUpdate is DateTimeOffset next && next < now)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"the CRL {crl.Source} of '{DistinguishedNames.ToGridForm(issuer.SubjectName)}' expired at {next:u}"));
            }
            if (crl.Revoked.Contains(CertificateRevocationList.NormalizeSerial(certificate.SerialNumberBytes.Span)))
            {
                errors.Add($"certificate '{DistinguishedNames.ToGridForm(certificate.SubjectName)}' (serial {certificate.SerialNumber}) is revoked by {crl.Source}");
            }
        }
    }

    private static IEnumerable<X509Certificate2> ReadCertificates(byte[] bytes, string source)
    {
        foreach (var der in ReadBlocks(bytes, "CERTIFICATE", source))
        {
            X509Certificate2 cert;
            try
            {
                cert = X509CertificateLoader.LoadCertificate(der);
            }
            catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
            {
                throw new CredentialException("not a valid X.509 certificate", source, e);
            }
            yield return cert;
        }
    }

    private static List<byte[]> ReadBlocks(byte[] bytes, string label, string source)
    {
        if (bytes.Length > 0 && bytes[0] == 0x30)
        {
            return [bytes];
        }
        string text = System.Text.Encoding.ASCII.GetString(bytes);
        return PemBlock.ParseAll(text, source).Where(b => b.Label == label || (label == "CERTIFICATE" && b.Label == "TRUSTED CERTIFICATE")).Select(b => b.Data).ToList();
    }
}
