using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Runtime.Security;

/// <summary>
/// Server-side validation of client certificates that may be RFC 3820 proxies (the platform's chain builder
/// rejects proxies). Each proxy must be signed by its issuer, be named issuer + one CN, be within its validity,
/// respect every path-length constraint and not be a CA; the end-entity certificate behind them must chain to the
/// <see cref="TrustStore"/> and not be revoked. Plug <see cref="ValidateClientCertificate"/> into Kestrel's
/// <c>HttpsConnectionAdapterOptions.ClientCertificateValidation</c> or an <c>SslServerAuthenticationOptions</c> callback.
/// </summary>
public sealed class ProxyChainValidator
{
    private readonly TrustStore _trust;
    private readonly TimeProvider _time;

    /// <summary>Creates the validator.</summary>
    /// <param name="trustStore">The CAs end-entity certificates must chain to.</param>
    /// <param name="timeProvider">Clock; null for the system clock.</param>
    public ProxyChainValidator(TrustStore trustStore, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(trustStore);
        _trust = trustStore;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Whether legacy (pre-RFC, <c>CN=proxy</c>) proxies are accepted. Default true.</summary>
    public bool AcceptLegacyProxies { get; init; } = true;

    /// <summary>The longest proxy chain accepted. Default 10.</summary>
    public int MaxProxyDepth { get; init; } = 10;

    /// <summary>Validates a leaf and the certificates presented with it.</summary>
    /// <param name="certificate">The peer's leaf certificate.</param>
    /// <param name="presentedChain">The other certificates the peer sent (any order).</param>
    /// <returns>The result, with the identity when valid.</returns>
    public ProxyValidationResult Validate(X509Certificate2 certificate, IEnumerable<X509Certificate2> presentedChain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(presentedChain);
        var pool = presentedChain.Where(c => c.Thumbprint != certificate.Thumbprint).ToList();
        var now = _time.GetUtcNow();
        var errors = new List<string>();
        var current = certificate;
        int depth = 0;
        IReadOnlyList<VomsAttributes> voms = [];
        while (true)
        {
            var kind = ProxyCertificates.GetKind(current);
            if (kind == ProxyKind.EndEntity)
            {
                break;
            }
            string name = DistinguishedNames.ToGridForm(current.SubjectName);
            if (kind == ProxyKind.Legacy && !AcceptLegacyProxies)
            {
                errors.Add($"legacy proxy '{name}' is not accepted");
                return new ProxyValidationResult(errors, null, depth, voms);
            }
            if (++depth > MaxProxyDepth)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"more than {MaxProxyDepth} proxies in the chain"));
                return new ProxyValidationResult(errors, null, depth, voms);
            }
            if (voms.Count == 0)
            {
                voms = VomsAttributes.Read(current);
            }
            CheckTime(current, now, errors);
            foreach (var ext in current.Extensions)
            {
                if (ext is X509BasicConstraintsExtension { CertificateAuthority: true })
                {
                    errors.Add($"proxy '{name}' claims to be a CA");
                }
            }
            var issuer = pool.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) && CertificateSignatures.Verify(current.RawDataMemory, c));
            if (issuer is null)
            {
                errors.Add($"no presented certificate issued and signed proxy '{name}'");
                return new ProxyValidationResult(errors, null, depth, voms);
            }
            if (!DistinguishedNames.IsProxySubjectOf(current.SubjectName, issuer.SubjectName))
            {
                errors.Add($"proxy '{name}' is not named after its issuer plus one CN");
            }
            foreach (var ext in issuer.Extensions)
            {
                if (ext is X509KeyUsageExtension ku && (ku.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
                {
                    errors.Add($"'{DistinguishedNames.ToGridForm(issuer.SubjectName)}' may not sign proxies (no digitalSignature key usage)");
                }
            }
            // A proxy issuer with pCPathLenConstraint L may have at most L proxies below it; 'depth' are below it now.
            if (ProxyCertificates.IsProxy(issuer) && ProxyCertificates.GetPathLengthConstraint(issuer) is int limit && depth > limit)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"proxy '{name}' exceeds the path length {limit} of its issuer"));
            }
            pool.Remove(issuer);
            current = issuer;
        }
        CheckTime(current, now, errors);
        errors.AddRange(_trust.Validate(current, pool, now));
        return new ProxyValidationResult(errors, errors.Count == 0 ? current : null, depth, voms);
    }

    /// <summary>Validates using the certificates of a platform chain (its elements and its extra store).</summary>
    /// <param name="certificate">The peer's leaf certificate.</param>
    /// <param name="chain">The chain the TLS stack built, or null.</param>
    /// <returns>The result.</returns>
    public ProxyValidationResult Validate(X509Certificate2 certificate, X509Chain? chain)
    {
        var extra = new List<X509Certificate2>();
        if (chain is not null)
        {
            extra.AddRange(chain.ChainElements.Select(e => e.Certificate));
            extra.AddRange(chain.ChainPolicy.ExtraStore);
        }
        var unique = extra.GroupBy(c => c.Thumbprint, StringComparer.Ordinal).Select(g => g.First());
        return Validate(certificate, unique);
    }

    /// <summary>A client-certificate callback (Kestrel's <c>ClientCertificateValidation</c> shape) that ignores the platform's verdict and applies these rules.</summary>
    /// <param name="certificate">The client's leaf certificate.</param>
    /// <param name="chain">The chain the TLS stack built (carries the certificates the client sent).</param>
    /// <param name="errors">The platform's errors (ignored: the platform rejects proxies).</param>
    /// <returns>Whether the client is accepted.</returns>
    public bool ValidateClientCertificate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Validate(certificate, chain).IsValid;
    }

    private static void CheckTime(X509Certificate2 c, DateTimeOffset now, List<string> errors)
    {
        var nb = new DateTimeOffset(c.NotBefore.ToUniversalTime());
        var na = new DateTimeOffset(c.NotAfter.ToUniversalTime());
        if (now < nb || now > na)
        {
            errors.Add(new CredentialValidityException(DistinguishedNames.ToGridForm(c.SubjectName), nb, na, now, null).Message);
        }
    }
}
