using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Toolkit.Runtime.Security;

/// <summary>
/// Distinguished-name helpers in the forms grid services use: the OpenSSL "slash" form
/// (<c>/DC=ch/DC=cern/CN=Test User</c>, RDNs in encoding order) and name surgery for proxy subjects.
/// </summary>
public static class DistinguishedNames
{
    private const string CommonNameOid = "2.5.4.3";

    /// <summary>Formats a name in OpenSSL slash form, RDNs in DER order (the form FTS3 and gridsite use).</summary>
    /// <param name="name">The name to format.</param>
    /// <returns>For example <c>/DC=org/DC=example/CN=Jane Doe/CN=123456</c>; an empty name gives <c>""</c>.</returns>
    public static string ToGridForm(X500DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder();
        foreach (var rdn in ReadRdns(name.RawData))
        {
            sb.Append('/');
            for (int i = 0; i < rdn.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append('+');
                }
                sb.Append(ShortName(rdn[i].Oid)).Append('=').Append(rdn[i].Value);
            }
        }
        return sb.ToString();
    }

    /// <summary>Returns the name with one more RDN <c>CN=<paramref name="commonName"/></c> appended (the proxy subject rule of RFC 3820).</summary>
    /// <param name="issuer">The issuer's subject name; its RDNs are copied byte for byte.</param>
    /// <param name="commonName">The value of the appended CN (PrintableString when possible, else UTF8String).</param>
    /// <returns>The new name.</returns>
    public static X500DistinguishedName AppendCommonName(X500DistinguishedName issuer, string commonName)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(commonName);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            var reader = new AsnReader(issuer.RawData, AsnEncodingRules.DER).ReadSequence();
            while (reader.HasData)
            {
                writer.WriteEncodedValue(reader.ReadEncodedValue().Span);
            }
            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(CommonNameOid);
                writer.WriteCharacterString(IsPrintable(commonName) ? UniversalTagNumber.PrintableString : UniversalTagNumber.UTF8String, commonName);
            }
        }
        return new X500DistinguishedName(writer.Encode());
    }

    /// <summary>
    /// True when <paramref name="subject"/> is <paramref name="issuer"/> plus exactly one single-valued CN RDN
    /// (compared value by value, so string-type differences do not matter).
    /// </summary>
    /// <param name="subject">The proxy's subject.</param>
    /// <param name="issuer">The proxy's issuer.</param>
    /// <returns>Whether the RFC 3820 naming rule holds.</returns>
    public static bool IsProxySubjectOf(X500DistinguishedName subject, X500DistinguishedName issuer)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(issuer);
        var s = ReadRdns(subject.RawData);
        var i = ReadRdns(issuer.RawData);
        if (s.Count != i.Count + 1)
        {
            return false;
        }
        for (int k = 0; k < i.Count; k++)
        {
            if (s[k].Count != i[k].Count)
            {
                return false;
            }
            for (int a = 0; a < i[k].Count; a++)
            {
                if (s[k][a].Oid != i[k][a].Oid || s[k][a].Value != i[k][a].Value)
                {
                    return false;
                }
            }
        }
        var last = s[^1];
        return last.Count == 1 && last[0].Oid == CommonNameOid;
    }

    /// <summary>The value of the last RDN if it is a CN, else null.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The last CN value or null.</returns>
    public static string? LastCommonName(X500DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var rdns = ReadRdns(name.RawData);
        return rdns.Count > 0 && rdns[^1].Count == 1 && rdns[^1][0].Oid == CommonNameOid ? rdns[^1][0].Value : null;
    }

    internal static List<List<(string Oid, string Value)>> ReadRdns(ReadOnlyMemory<byte> der)
    {
        var result = new List<List<(string, string)>>();
        try
        {
            var seq = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            while (seq.HasData)
            {
                var set = seq.ReadSetOf(skipSortOrderValidation: true);
                var rdn = new List<(string, string)>();
                while (set.HasData)
                {
                    var atv = set.ReadSequence();
                    string oid = atv.ReadObjectIdentifier();
                    rdn.Add((oid, ReadValue(atv)));
                }
                result.Add(rdn);
            }
        }
        catch (AsnContentException e)
        {
            throw new CredentialException("distinguished name is not valid DER", e);
        }
        return result;
    }

    private static string ReadValue(AsnReader atv)
    {
        var tag = atv.PeekTag();
        if (tag.TagClass == TagClass.Universal)
        {
            switch ((UniversalTagNumber)tag.TagValue)
            {
                case UniversalTagNumber.UTF8String:
                case UniversalTagNumber.PrintableString:
                case UniversalTagNumber.IA5String:
                case UniversalTagNumber.BMPString:
                case UniversalTagNumber.VisibleString:
                case UniversalTagNumber.NumericString:
                case UniversalTagNumber.UniversalString:
                    return atv.ReadCharacterString((UniversalTagNumber)tag.TagValue);
                case UniversalTagNumber.T61String:
                    return Encoding.Latin1.GetString(atv.ReadOctetString(new Asn1Tag(UniversalTagNumber.T61String)));
                default:
                    break;
            }
        }
        return "#" + Convert.ToHexString(atv.ReadEncodedValue().Span);
    }

    private static bool IsPrintable(string s)
    {
        foreach (char c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || " '()+,-./:=?".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }
        return s.Length > 0;
    }

    private static string ShortName(string oid) => oid switch
    {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "serialNumber",
        "2.5.4.4" => "SN",
        "2.5.4.42" => "GN",
        "2.5.4.12" => "title",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.2.840.113549.1.9.1" => "emailAddress",
        _ => oid,
    };
}
