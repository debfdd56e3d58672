using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Toolkit.Runtime.Security;

/// <summary>
/// Issues RFC 3820 proxy certificates signed with SHA-256: new proxies with their own key
/// (<c>grid-proxy-init</c>) and proxies for a server's certificate request (delegation, as FTS3 needs it).
/// </summary>
public static class ProxyFactory
{
    /// <summary>
    /// Creates a proxy of <paramref name="issuer"/> with a fresh RSA key: subject = issuer subject + <c>CN=&lt;serial&gt;</c>,
    /// critical ProxyCertInfo (inherit-all unless set otherwise), critical key usage digitalSignature + keyEncipherment,
    /// validity from now (less the clock skew) to now + lifetime, capped at the issuer chain's notAfter.
    /// </summary>
    /// <param name="issuer">The user certificate or proxy that signs the new proxy.</param>
    /// <param name="options">Lifetime, key size and policy; null for the defaults.</param>
    /// <returns>The proxy credential; its chain is the issuer followed by the issuer's chain.</returns>
    /// <exception cref="CredentialException">The issuer is not valid now, or its key cannot sign.</exception>
    public static X509Credential CreateProxy(X509Credential issuer, ProxyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        options ??= new ProxyOptions();
        if (options.KeySize < 512 || options.KeySize > 16384)
        {
            throw new CredentialException(string.Create(CultureInfo.InvariantCulture, $"proxy key size {options.KeySize} is out of range (512..16384 bits)"));
        }
        if (options.Lifetime <= TimeSpan.Zero)
        {
            throw new CredentialException("proxy lifetime must be positive");
        }
        var now = Truncate((options.TimeProvider ?? TimeProvider.System).GetUtcNow());
        issuer.EnsureValid(now);
        var notBefore = Max(now - options.ClockSkew, Truncate(new DateTimeOffset(issuer.Certificate.NotBefore.ToUniversalTime())));
        var notAfter = Min(now + options.Lifetime, Truncate(issuer.NotAfter));

        byte[] serial = RandomSerial();
        string cn = new BigInteger(serial, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
        using var key = RSA.Create(options.KeySize);
        var subject = DistinguishedNames.AppendCommonName(issuer.Certificate.SubjectName, cn);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(ProxyCertificates.CreateProxyCertInfo(options.PolicyLanguage, options.PathLength));
        request.CertificateExtensions.Add(AuthorityKeyId(issuer.Certificate));
        using var cert = Sign(request, issuer, notBefore, notAfter, serial);
        var proxy = cert.CopyWithPrivateKey(key);
        var chain = new List<X509Certificate2> { X509CertificateLoader.LoadCertificate(issuer.Certificate.RawData) };
        chain.AddRange(issuer.Chain.Select(c => X509CertificateLoader.LoadCertificate(c.RawData)));
        return new X509Credential(proxy, chain);
    }

    /// <summary>
    /// Signs a delegation request exactly as the FTS3 client does (fts3.md §5): the CSR's self-signature is verified;
    /// the proxy is version 3 with serial = the signer's serial, issuer = signer subject, subject = signer subject +
    /// <c>CN=&lt;unix seconds&gt;</c>, the CSR's public key, notBefore = now, notAfter = now + lifetime capped at the
    /// earliest notAfter of the signer's chain; extensions basicConstraints critical CA:FALSE, keyUsage critical
    /// digitalSignature + keyEncipherment, authorityKeyIdentifier keyid, ProxyCertInfo critical inherit-all; SHA-256.
    /// </summary>
    /// <param name="signer">The user certificate or proxy that delegates (its key signs).</param>
    /// <param name="certificateRequestPem">The server's PEM certificate request.</param>
    /// <param name="lifetime">Requested lifetime (FTS3's default is 12 hours).</param>
    /// <param name="timeProvider">Clock; null for the system clock.</param>
    /// <returns>PEM text: the new proxy, then the signer's certificate, then the signer's chain in file order (no key).</returns>
    /// <exception cref="CredentialException">The request is malformed or its signature does not verify, or the signer is not valid now.</exception>
    public static string SignDelegationRequest(X509Credential signer, string certificateRequestPem, TimeSpan lifetime, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(certificateRequestPem);
        if (lifetime <= TimeSpan.Zero)
        {
            throw new CredentialException("delegation lifetime must be positive");
        }
        CertificateRequest csr;
        try
        {
            csr = CertificateRequest.LoadSigningRequestPem(certificateRequestPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new CredentialException("the delegation request is not a valid PEM certificate request or its signature does not verify", "certificate request", e);
        }
        catch (ArgumentException e)
        {
            throw new CredentialException("the delegation request is not a valid PEM certificate request", "certificate request", e);
        }
        var now = Truncate((timeProvider ?? TimeProvider.System).GetUtcNow());
        signer.EnsureValid(now);
        var notAfter = Min(now + lifetime, Truncate(signer.NotAfter));
        string cn = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var subject = DistinguishedNames.AppendCommonName(signer.Certificate.SubjectName, cn);
        var request = new CertificateRequest(subject, csr.PublicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(AuthorityKeyId(signer.Certificate));
        request.CertificateExtensions.Add(ProxyCertificates.CreateProxyCertInfo());
        using var proxy = Sign(request, signer, now, notAfter, signer.Certificate.SerialNumberBytes.ToArray());
        var sb = new StringBuilder();
        sb.Append(proxy.ExportCertificatePem()).Append('\n');
        sb.Append(signer.Certificate.ExportCertificatePem()).Append('\n');
        foreach (var c in signer.Chain)
        {
            sb.Append(c.ExportCertificatePem()).Append('\n');
        }
        return sb.ToString();
    }

    private static X509Certificate2 Sign(CertificateRequest request, X509Credential signer, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] serial)
    {
        if (notAfter <= notBefore)
        {
            throw new CredentialException($"the signing credential '{signer.Subject}' expires too soon to issue a proxy");
        }
        using var rsa = signer.Certificate.GetRSAPrivateKey();
        using var ec = rsa is null ? signer.Certificate.GetECDsaPrivateKey() : null;
        X509SignatureGenerator generator = rsa is not null
            ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : ec is not null
                ? X509SignatureGenerator.CreateForECDsa(ec)
                : throw new CredentialException("the signing key is neither RSA nor EC", signer.CertificatePath);
        try
        {
            return request.Create(signer.Certificate.SubjectName, generator, notBefore, notAfter, serial);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new CredentialException("signing the proxy certificate failed", signer.CertificatePath, e);
        }
    }

    /// <summary>authorityKeyIdentifier keyid: the signer's SKI, or SHA-1 of its public key when it has none (proxies).</summary>
    private static X509AuthorityKeyIdentifierExtension AuthorityKeyId(X509Certificate2 signer)
    {
        foreach (var ext in signer.Extensions)
        {
            if (ext is X509SubjectKeyIdentifierExtension ski)
            {
                return X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski);
            }
        }
        var computed = new X509SubjectKeyIdentifierExtension(signer.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.Sha1, false);
        return X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(computed);
    }

    private static byte[] RandomSerial()
    {
        var serial = new byte[4];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        if (BinaryPrimitives.ReadUInt32BigEndian(serial) == 0)
        {
            serial[3] = 1;
        }
        return serial;
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
