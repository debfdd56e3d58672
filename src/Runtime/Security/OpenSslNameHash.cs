using System;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Toolkit.Runtime.Security;

/// <summary>
/// OpenSSL's subject-name hashes, the file names of a hashed certificate directory (<c>c_rehash</c>,
/// <c>openssl rehash</c>, <c>-CApath</c>): <c>X509_NAME_hash_ex</c> (SHA-1 of the canonical encoding, OpenSSL 1.0 and
/// later) and <c>X509_NAME_hash_old</c> (MD5 of the DER encoding), each the first four digest bytes read little-endian,
/// as eight lower-case hex digits. The canonical encoding is also how OpenSSL compares names (<c>X509_NAME_cmp</c>).
/// </summary>
internal static class OpenSslNameHash
{
    // SHA-1 and MD5 are what OpenSSL names the files by; the hash only picks files, the names are compared in full.
#pragma warning disable CA5350, CA5351

    /// <summary>The current hash (<c>openssl x509 -hash</c>).</summary>
    public static string Hash(X500DistinguishedName name) => Stem(SHA1.HashData(Canonical(name)));

    /// <summary>The pre-1.0 hash (<c>openssl x509 -subject_hash_old</c>).</summary>
    public static string HashOld(X500DistinguishedName name) => Stem(MD5.HashData(name.RawData));
#pragma warning restore CA5350, CA5351

    private static string Stem(ReadOnlySpan<byte> digest) =>
        (digest[0] | (uint)digest[1] << 8 | (uint)digest[2] << 16 | (uint)digest[3] << 24).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>x509_name_canon</c>: every RDN's SET re-encoded (no outer SEQUENCE) with each string value (UTF8, BMP,
    /// Universal, Printable, T61, IA5, Visible) turned into a UTF8String, ASCII lower-cased, spaces trimmed at both ends
    /// and runs of spaces inside collapsed to one; other values as they are.
    /// </summary>
    /// <exception cref="AsnContentException">The name is not valid DER.</exception>
    public static byte[] Canonical(X500DistinguishedName name)
    {
        var rdns = new AsnReader(name.RawData, AsnEncodingRules.DER).ReadSequence();
        var output = new AsnWriter(AsnEncodingRules.DER);
        while (rdns.HasData)
        {
            var set = rdns.ReadSetOf();
            output.PushSetOf();
            while (set.HasData)
            {
                var atv = set.ReadSequence();
                output.PushSequence();
                output.WriteEncodedValue(atv.ReadEncodedValue().Span);
                Asn1Tag tag = atv.PeekTag();
                ReadOnlyMemory<byte> value = atv.ReadEncodedValue();
                if (tag.TagClass == TagClass.Universal && !tag.IsConstructed && ToUtf8(tag.TagValue, Content(value.Span)) is { } utf8)
                {
                    output.WriteEncodedValue(Utf8StringTlv(Canon(utf8)));
                }
                else
                {
                    output.WriteEncodedValue(value.Span);
                }

                output.PopSequence();
            }

            output.PopSetOf();
        }

        return output.Encode();
    }

    private static ReadOnlySpan<byte> Content(ReadOnlySpan<byte> encoded)
    {
        AsnDecoder.ReadEncodedValue(encoded, AsnEncodingRules.DER, out int offset, out int length, out _);
        return encoded.Slice(offset, length);
    }

    private static byte[]? ToUtf8(int tag, ReadOnlySpan<byte> content) => (UniversalTagNumber)tag switch
    {
        UniversalTagNumber.UTF8String => content.ToArray(),
        UniversalTagNumber.PrintableString or UniversalTagNumber.T61String or UniversalTagNumber.IA5String or UniversalTagNumber.VisibleString => Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(content)),
        UniversalTagNumber.BMPString => Encoding.UTF8.GetBytes(Encoding.BigEndianUnicode.GetString(content)),
        UniversalTagNumber.UniversalString => Encoding.UTF8.GetBytes(new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetString(content)),
        _ => null,
    };

    private static byte[] Utf8StringTlv(ReadOnlySpan<byte> content)
    {
        int n = content.Length;
        int lengthBytes = n < 0x80 ? 0 : n <= 0xFF ? 1 : n <= 0xFFFF ? 2 : n <= 0xFFFFFF ? 3 : 4;
        var tlv = new byte[2 + lengthBytes + n];
        tlv[0] = 0x0C;
        if (lengthBytes == 0)
        {
            tlv[1] = (byte)n;
        }
        else
        {
            tlv[1] = (byte)(0x80 | lengthBytes);
            for (int i = 0; i < lengthBytes; i++)
            {
                tlv[2 + i] = (byte)(n >> (8 * (lengthBytes - 1 - i)));
            }
        }

        content.CopyTo(tlv.AsSpan(2 + lengthBytes));
        return tlv;
    }

    private static ReadOnlySpan<byte> Canon(byte[] utf8)
    {
        int start = 0, end = utf8.Length;
        while (start < end && IsSpace(utf8[start]))
        {
            start++;
        }

        while (end > start && IsSpace(utf8[end - 1]))
        {
            end--;
        }

        var to = new byte[end - start];
        int n = 0;
        for (int i = start; i < end;)
        {
            byte b = utf8[i];
            if (b >= 0x80)
            {
                to[n++] = b;
                i++;
            }
            else if (IsSpace(b))
            {
                to[n++] = (byte)' ';
                while (i < end && IsSpace(utf8[i]))
                {
                    i++;
                }
            }
            else
            {
                to[n++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
                i++;
            }
        }

        return to.AsSpan(0, n);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';
}
