using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;

namespace Toolkit.Runtime.Security;

/// <summary>Verifies the signature of a DER certificate or CRL with an issuer's public key.</summary>
internal static class CertificateSignatures
{
    /// <summary>True when the signed object's signature verifies with <paramref name="issuer"/>'s public key.</summary>
    public static bool Verify(ReadOnlyMemory<byte> signedDer, X509Certificate2 issuer)
    {
        ReadOnlyMemory<byte> tbs;
        string oid;
        byte[] signature;
        try
        {
            var seq = new AsnReader(signedDer, AsnEncodingRules.BER).ReadSequence();
            tbs = seq.ReadEncodedValue();
            var alg = seq.ReadSequence();
            oid = alg.ReadObjectIdentifier();
            signature = seq.ReadBitString(out _);
        }
        catch (AsnContentException)
        {
            return false;
        }
        HashAlgorithmName? hash = oid switch
        {
            "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
            "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
            "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
            "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" => HashAlgorithmName.SHA1,
            _ => null,
        };
        if (hash is null)
        {
            return false;
        }
        if (oid.StartsWith("1.2.840.113549", StringComparison.Ordinal))
        {
            using var rsa = issuer.GetRSAPublicKey();
            return rsa is not null && rsa.VerifyData(tbs.Span, signature, hash.Value, RSASignaturePadding.Pkcs1);
        }
        using var ec = issuer.GetECDsaPublicKey();
        return ec is not null && ec.VerifyData(tbs.Span, signature, hash.Value, DSASignatureFormat.Rfc3279DerSequence);
    }
}
