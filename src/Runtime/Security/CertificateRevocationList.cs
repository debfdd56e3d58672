using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Runtime.Security;

/// <summary>A parsed X.509 CRL (issuer, update times, revoked serials); the signature is checked on use.</summary>
internal sealed class CertificateRevocationList
{
    private CertificateRevocationList(byte[] der, byte[] issuer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, HashSet<string> revoked, string source)
    {
        Der = der;
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        Revoked = revoked;
        Source = source;
    }

    public byte[] Der { get; }

    public byte[] Issuer { get; }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    /// <summary>Revoked serial numbers, upper-case hex without leading zeros.</summary>
    public HashSet<string> Revoked { get; }

    public string Source { get; }

    public bool IsSignedBy(X509Certificate2 issuer) => CertificateSignatures.Verify(Der, issuer);

    public static string NormalizeSerial(ReadOnlySpan<byte> serial)
    {
        string hex = Convert.ToHexString(serial).TrimStart('0');
        return hex.Length == 0 ? "0" : hex;
    }

    public static CertificateRevocationList Parse(byte[] der, string source)
    {
        try
        {
            var list = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var tbs = list.ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                _ = tbs.ReadInteger();
            }
            _ = tbs.ReadSequence();
            byte[] issuer = tbs.ReadEncodedValue().ToArray();
            var thisUpdate = ReadTime(tbs);
            DateTimeOffset? nextUpdate = null;
            if (tbs.HasData && IsTime(tbs.PeekTag()))
            {
                nextUpdate = ReadTime(tbs);
            }
            var revoked = new HashSet<string>(StringComparer.Ordinal);
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var entries = tbs.ReadSequence();
                while (entries.HasData)
                {
                    var entry = entries.ReadSequence();
                    revoked.Add(NormalizeSerial(entry.ReadIntegerBytes().Span));
                }
            }
            return new CertificateRevocationList(der, issuer, thisUpdate, nextUpdate, revoked, source);
        }
        catch (AsnContentException e)
        {
            throw new CredentialException("the CRL is not valid DER", source, e);
        }
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.UtcTime)) || tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.GeneralizedTime));

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.UtcTime)) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
