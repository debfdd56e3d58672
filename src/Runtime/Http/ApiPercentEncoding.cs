using System;
using System.Text;

namespace Toolkit.Runtime.Http;

/// <summary>Percent-encoding (UTF-8, upper-case hex) of parameter names and values into a StringBuilder, without allocating.</summary>
internal static class ApiPercentEncoding
{
    private const string Hex = "0123456789ABCDEF";

    /// <summary>Appends <paramref name="text"/>, percent-encoding every character <paramref name="encoding"/> does not let pass.</summary>
    public static void Append(StringBuilder sb, ReadOnlySpan<char> text, ApiParameterEncoding encoding, bool name)
    {
        if (encoding == ApiParameterEncoding.Header)
        {
            sb.Append(text);
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && Passes(text[i], encoding, name))
            {
                i++;
            }

            if (i > start)
            {
                sb.Append(text[start..i]);
            }

            if (i >= text.Length)
            {
                break;
            }

            var c = text[i];
            if (c == '%' && encoding == ApiParameterEncoding.Reserved && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                // Reserved expansion keeps percent-encoded triples (RFC 6570 section 3.2.3).
                sb.Append(text.Slice(i, 3));
                i += 3;
                continue;
            }

            if (c < 0x80)
            {
                Byte(sb, (byte)c);
                i++;
                continue;
            }

            // A lone surrogate becomes U+FFFD, as in Uri.EscapeDataString.
            System.Text.Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed);
            var n = rune.EncodeToUtf8(utf8);
            for (var k = 0; k < n; k++)
            {
                Byte(sb, utf8[k]);
            }

            i += consumed;
        }
    }

    private static void Byte(StringBuilder sb, byte b) => sb.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'F') or (>= 'a' and <= 'f');

    private static bool IsUnreserved(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~';

    /// <summary>Whether a character passes unencoded.</summary>
    public static bool Passes(char c, ApiParameterEncoding encoding, bool name) => encoding switch
    {
        ApiParameterEncoding.Unreserved => IsUnreserved(c),

        // RFC 3986 reserved, less [ ] # (not allowed in a query) and & = + (form-urlencoded delimiters): OpenAPI 3.0.4 allowReserved.
        ApiParameterEncoding.Reserved => IsUnreserved(c) || c is ':' or '/' or '?' or '@' or '!' or '$' or '\'' or '(' or ')' or '*' or ',' or ';',

        // RFC 6265 section 4.1.1: a cookie-name is a token, a cookie-octet is %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E; '%' is the escape.
        ApiParameterEncoding.Cookie => name
            ? c is > ' ' and < '\u007f' and not ('(' or ')' or '<' or '>' or '@' or ',' or ';' or ':' or '\\' or '"' or '/' or '[' or ']' or '?' or '=' or '{' or '}' or '%')
            : c is '!' or (>= '#' and <= '+') or (>= '-' and <= ':') or (>= '<' and <= '[') or (>= ']' and <= '~') && c != '%',
        _ => true,
    };
}
