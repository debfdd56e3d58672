using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Toolkit.Runtime.Security;

/// <summary>
/// The content of one VOMS attribute certificate (RFC 5755 AC) embedded in a proxy under extension
/// <c>1.3.6.1.4.1.8005.100.100.5</c>. Only parsed, not verified: the VOMS server's signature is the server's concern.
/// </summary>
public sealed class VomsAttributes
{
    /// <summary>OID of the proxy extension that carries the VOMS attribute certificates.</summary>
    public const string ExtensionOid = "1.3.6.1.4.1.8005.100.100.5";

    /// <summary>OID of the VOMS FQAN attribute inside an attribute certificate.</summary>
    public const string FqanAttributeOid = "1.3.6.1.4.1.8005.100.100.4";

    private VomsAttributes(string vo, IReadOnlyList<string> fqans, string issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, string serialNumber, string? serverUri)
    {
        Vo = vo;
        Fqans = fqans;
        Issuer = issuer;
        NotBefore = notBefore;
        NotAfter = notAfter;
        SerialNumber = serialNumber;
        ServerUri = serverUri;
    }

    /// <summary>The virtual organisation name (from the policy authority <c>vo://host:port</c>, else the first FQAN).</summary>
    public string Vo { get; }

    /// <summary>Fully qualified attribute names in order, e.g. <c>/dteam/Role=NULL/Capability=NULL</c>.</summary>
    public IReadOnlyList<string> Fqans { get; }

    /// <summary>The attribute certificate's issuer (the VOMS server's DN) in grid (slash) form.</summary>
    public string Issuer { get; }

    /// <summary>Start of the attribute certificate's validity.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of the attribute certificate's validity.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>The attribute certificate's serial number as upper-case hexadecimal.</summary>
    public string SerialNumber { get; }

    /// <summary>The VOMS server as <c>host:port</c>, when the policy authority names it.</summary>
    public string? ServerUri { get; }

    /// <summary>Reads every VOMS attribute certificate of <paramref name="certificate"/>; empty when it has none.</summary>
    /// <param name="certificate">A (proxy) certificate.</param>
    /// <returns>The attribute certificates, in encoding order.</returns>
    /// <exception cref="CredentialException">The extension is present but malformed.</exception>
    public static IReadOnlyList<VomsAttributes> Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var ext in certificate.Extensions)
        {
            if (ext.Oid?.Value == ExtensionOid)
            {
                return Parse(ext.RawData);
            }
        }
        return [];
    }

    /// <summary>Parses the DER value of the VOMS extension.</summary>
    /// <param name="extensionValue">The extension's value (the content of its OCTET STRING).</param>
    /// <returns>The attribute certificates.</returns>
    /// <exception cref="CredentialException">The value is not a valid VOMS AC sequence.</exception>
    public static IReadOnlyList<VomsAttributes> Parse(ReadOnlyMemory<byte> extensionValue)
    {
        var result = new List<VomsAttributes>();
        try
        {
            Collect(extensionValue, result, 0);
        }
        catch (AsnContentException e)
        {
            throw new CredentialException("the VOMS extension (1.3.6.1.4.1.8005.100.100.5) is not valid DER", e);
        }
        return result;
    }

    private static void Collect(ReadOnlyMemory<byte> der, List<VomsAttributes> result, int depth)
    {
        if (depth > 4)
        {
            return;
        }
        var seq = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
        if (LooksLikeAc(seq.Clone()))
        {
            result.Add(ParseAc(new AsnReader(der, AsnEncodingRules.BER).ReadSequence()));
            return;
        }
        while (seq.HasData)
        {
            var child = seq.ReadEncodedValue();
            if (new AsnReader(child, AsnEncodingRules.BER).PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                Collect(child, result, depth + 1);
            }
        }
    }

    private static bool LooksLikeAc(AsnReader seq)
    {
        if (!seq.HasData || !seq.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            return false;
        }
        var info = seq.ReadSequence();
        return info.HasData && info.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)
            && seq.HasData && seq.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence);
    }

    private static VomsAttributes ParseAc(AsnReader ac)
    {
        var info = ac.ReadSequence();
        _ = info.ReadInteger(); // version (v2 = 1)
        _ = info.ReadEncodedValue(); // holder
        var issuerDer = info.ReadEncodedValue();
        _ = info.ReadSequence(); // signature algorithm
        var serial = info.ReadIntegerBytes();
        var validity = info.ReadSequence();
        var notBefore = validity.ReadGeneralizedTime();
        var notAfter = validity.ReadGeneralizedTime();
        var fqans = new List<string>();
        string? authority = null;
        var attributes = info.ReadSequence();
        while (attributes.HasData)
        {
            var attr = attributes.ReadSequence();
            string oid = attr.ReadObjectIdentifier();
            var values = attr.ReadSetOf(skipSortOrderValidation: true);
            if (oid != FqanAttributeOid)
            {
                continue;
            }
            while (values.HasData)
            {
                var ietf = values.ReadSequence();
                if (ietf.HasData && ietf.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    var names = ietf.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                    while (names.HasData)
                    {
                        var tag = names.PeekTag();
                        if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 6)))
                        {
                            authority ??= names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
                        }
                        else
                        {
                            _ = names.ReadEncodedValue();
                        }
                    }
                }
                var list = ietf.ReadSequence();
                while (list.HasData)
                {
                    var tag = list.PeekTag();
                    if (tag.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString) || tag.HasSameClassAndValue(Asn1Tag.ConstructedOctetString))
                    {
                        fqans.Add(Encoding.UTF8.GetString(list.ReadOctetString()));
                    }
                    else if (tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.UTF8String)))
                    {
                        fqans.Add(list.ReadCharacterString(UniversalTagNumber.UTF8String));
                    }
                    else
                    {
                        _ = list.ReadEncodedValue();
                    }
                }
            }
        }
        string vo;
        string? server = null;
        int sep = authority?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (authority is not null && sep > 0)
        {
            vo = authority[..sep];
            server = authority[(sep + 3)..];
        }
        else
        {
            vo = fqans.Count > 0 ? fqans[0].TrimStart('/').Split('/')[0] : "";
        }
        return new VomsAttributes(vo, fqans, FindDirectoryName(issuerDer) ?? "", notBefore, notAfter,
            Convert.ToHexString(serial.Span).TrimStart('0') is { Length: > 0 } hex ? hex : "0", server);
    }

    /// <summary>Finds the first directoryName ([4]) in a GeneralNames / V2Form structure.</summary>
    private static string? FindDirectoryName(ReadOnlyMemory<byte> der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.BER);
        var tag = reader.PeekTag();
        if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 4 && tag.IsConstructed)
        {
            var inner = reader.ReadSequence(tag).ReadEncodedValue();
            return DistinguishedNames.ToGridForm(new X500DistinguishedName(inner.Span));
        }
        if (!tag.IsConstructed)
        {
            return null;
        }
        var content = reader.ReadSequence(tag);
        while (content.HasData)
        {
            string? found = FindDirectoryName(content.ReadEncodedValue());
            if (found is not null)
            {
                return found;
            }
        }
        return null;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"VO {Vo} ({string.Join(", ", Fqans)}) issued by {Issuer}, valid {NotBefore:u} to {NotAfter:u}, serial {SerialNumber}");
}
