using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Runtime.Security;

/// <summary>Facts about RFC 3820 proxy certificates: OIDs, kind detection, policy and path-length constraint.</summary>
public static class ProxyCertificates
{
    /// <summary>OID of the RFC 3820 ProxyCertInfo extension.</summary>
    public const string ProxyCertInfoOid = "1.3.6.1.5.5.7.1.14";

    /// <summary>OID of the pre-RFC (GT3 draft) ProxyCertInfo extension.</summary>
    public const string DraftProxyCertInfoOid = "1.3.6.1.4.1.3536.1.222";

    /// <summary>Policy language id-ppl-inheritAll (an impersonation proxy).</summary>
    public const string InheritAllPolicyOid = "1.3.6.1.5.5.7.21.1";

    /// <summary>Policy language id-ppl-independent.</summary>
    public const string IndependentPolicyOid = "1.3.6.1.5.5.7.21.2";

    /// <summary>Globus' limited-proxy policy language.</summary>
    public const string LimitedPolicyOid = "1.3.6.1.4.1.3536.1.1.1.9";

    /// <summary>Determines the kind of <paramref name="certificate"/>.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The proxy kind, or <see cref="ProxyKind.EndEntity"/>.</returns>
    public static ProxyKind GetKind(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var ext in certificate.Extensions)
        {
            if (ext.Oid?.Value == ProxyCertInfoOid)
            {
                return ProxyKind.Rfc3820;
            }
            if (ext.Oid?.Value == DraftProxyCertInfoOid)
            {
                return ProxyKind.Draft;
            }
        }
        string? cn = DistinguishedNames.LastCommonName(certificate.SubjectName);
        if ((cn == "proxy" || cn == "limited proxy") && DistinguishedNames.IsProxySubjectOf(certificate.SubjectName, certificate.IssuerName))
        {
            return ProxyKind.Legacy;
        }
        return ProxyKind.EndEntity;
    }

    /// <summary>True when <paramref name="certificate"/> is a proxy of any kind.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>Whether it is a proxy.</returns>
    public static bool IsProxy(X509Certificate2 certificate) => GetKind(certificate) != ProxyKind.EndEntity;

    /// <summary>The policy language OID of an RFC 3820 or draft proxy, or null.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The policy language OID, or null when there is no ProxyCertInfo.</returns>
    public static string? GetPolicyLanguage(X509Certificate2 certificate) => ReadProxyCertInfo(certificate)?.Policy;

    /// <summary>The pCPathLenConstraint of an RFC 3820 or draft proxy, or null when absent (unlimited).</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The constraint or null.</returns>
    public static int? GetPathLengthConstraint(X509Certificate2 certificate) => ReadProxyCertInfo(certificate)?.PathLength;

    /// <summary>
    /// Describes the certificate the way <c>grid-proxy-info</c> does, e.g.
    /// "RFC 3820 compliant impersonation proxy" or "end entity credential".
    /// </summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The description.</returns>
    public static string Describe(X509Certificate2 certificate)
    {
        var kind = GetKind(certificate);
        string? policy = GetPolicyLanguage(certificate);
        string flavour = policy switch
        {
            InheritAllPolicyOid => "impersonation",
            IndependentPolicyOid => "independent",
            LimitedPolicyOid => "limited",
            null => "impersonation",
            _ => "restricted",
        };
        return kind switch
        {
            ProxyKind.Rfc3820 => $"RFC 3820 compliant {flavour} proxy",
            ProxyKind.Draft => $"Proxy draft (pre-RFC) compliant {flavour} proxy",
            ProxyKind.Legacy => DistinguishedNames.LastCommonName(certificate.SubjectName) == "limited proxy" ? "limited legacy globus proxy" : "full legacy globus proxy",
            _ => "end entity credential",
        };
    }

    /// <summary>Encodes a ProxyCertInfo value: <c>SEQUENCE { [pathLen INTEGER,] SEQUENCE { policyLanguage OID } }</c>.</summary>
    /// <param name="policyLanguage">The policy language OID (normally <see cref="InheritAllPolicyOid"/>).</param>
    /// <param name="pathLength">An optional pCPathLenConstraint.</param>
    /// <param name="critical">Whether the extension is critical (RFC 3820 requires it).</param>
    /// <returns>The extension.</returns>
    public static X509Extension CreateProxyCertInfo(string policyLanguage = InheritAllPolicyOid, int? pathLength = null, bool critical = true)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (pathLength is int p)
            {
                writer.WriteInteger(p);
            }
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(policyLanguage);
            }
        }
        return new X509Extension(ProxyCertInfoOid, writer.Encode(), critical);
    }

    private static (string? Policy, int? PathLength)? ReadProxyCertInfo(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var ext in certificate.Extensions)
        {
            string? oid = ext.Oid?.Value;
            if (oid != ProxyCertInfoOid && oid != DraftProxyCertInfoOid)
            {
                continue;
            }
            try
            {
                var seq = new AsnReader(ext.RawData, AsnEncodingRules.BER).ReadSequence();
                int? pathLen = null;
                if (seq.HasData && seq.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
                {
                    pathLen = seq.TryReadInt32(out int v) ? v : int.MaxValue;
                }
                string? policy = null;
                if (seq.HasData && seq.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    policy = seq.ReadSequence().ReadObjectIdentifier();
                }
                if (oid == DraftProxyCertInfoOid && policy is null && seq.HasData)
                {
                    // Draft encoding puts the policy first and the path length after it.
                    policy = seq.ReadSequence().ReadObjectIdentifier();
                }
                if (seq.HasData && seq.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
                {
                    pathLen = seq.TryReadInt32(out int v2) ? v2 : int.MaxValue;
                }
                return (policy, pathLen);
            }
            catch (AsnContentException e)
            {
                throw new CredentialException($"the ProxyCertInfo extension of '{certificate.Subject}' is not valid DER", e);
            }
        }
        return null;
    }
}
