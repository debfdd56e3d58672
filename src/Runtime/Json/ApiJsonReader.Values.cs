using System;
using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

// Reading the current token's value: text comparison, strings (unescaping), numbers, GUIDs, base64.
public ref partial struct ApiJsonReader
{
    /// <summary>Whether the current string or property name equals <paramref name="utf8Text"/> once unescaped.</summary>
    /// <param name="utf8Text">UTF-8 text to compare with.</param>
    /// <returns>Whether they are equal.</returns>
    public readonly bool ValueTextEquals(ReadOnlySpan<byte> utf8Text)
    {
        RequireText("ValueTextEquals");
        if (!_escaped)
        {
            return ValueSpan.SequenceEqual(utf8Text);
        }

        var raw = ValueSpan;
        byte[]? rented = null;
        var buffer = raw.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var n = Unescape(raw, buffer, _valueStart);
            return buffer.Slice(0, n).SequenceEqual(utf8Text);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The current string or property name, unescaped and decoded.</summary>
    /// <returns>The text.</returns>
    /// <exception cref="JsonException">The text is not valid UTF-8 or escapes a lone surrogate.</exception>
    public readonly string GetString()
    {
        RequireText("GetString");
        if (!_escaped)
        {
            return Decode(ValueSpan, _valueStart);
        }

        var raw = ValueSpan;
        byte[]? rented = null;
        var buffer = raw.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var n = Unescape(raw, buffer, _valueStart);
            return Decode(buffer.Slice(0, n), _valueStart);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Copies the current string's unescaped UTF-8 bytes into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="ValueSpan"/>'s length.</param>
    /// <returns>How many bytes were written.</returns>
    public readonly int CopyString(Span<byte> destination)
    {
        RequireText("CopyString");
        if (!_escaped)
        {
            ValueSpan.CopyTo(destination);
            return _valueLength;
        }

        return Unescape(ValueSpan, destination, _valueStart);
    }

    private static string Decode(ReadOnlySpan<byte> utf8, int offset)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            var at = offset + Math.Max(0, e.Index);
            throw new JsonException("a string is not valid UTF-8 (at byte " + at.ToString(CultureInfo.InvariantCulture) + ")", e);
        }
    }

    /// <summary>Unescapes validated JSON string text into UTF-8; the output is never longer than the input.</summary>
    private static int Unescape(ReadOnlySpan<byte> raw, Span<byte> output, int offset)
    {
        var n = 0;
        var i = 0;
        while (i < raw.Length)
        {
            var slash = raw.Slice(i).IndexOf((byte)'\\');
            if (slash < 0)
            {
                raw.Slice(i).CopyTo(output.Slice(n));
                return n + raw.Length - i;
            }

            raw.Slice(i, slash).CopyTo(output.Slice(n));
            n += slash;
            i += slash;
            var e = raw[i + 1];
            if (e != (byte)'u')
            {
                output[n++] = e switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => e,
                };
                i += 2;
                continue;
            }

            int code = Hex4(raw.Slice(i + 2));
            var at = i;
            i += 6;
            if (char.IsHighSurrogate((char)code))
            {
                if (i + 6 > raw.Length || raw[i] != (byte)'\\' || raw[i + 1] != (byte)'u' || !char.IsLowSurrogate((char)Hex4(raw.Slice(i + 2))))
                {
                    throw new JsonException("a \\u escape is a lone high surrogate (at byte " + (offset + at).ToString(CultureInfo.InvariantCulture) + ")");
                }

                code = char.ConvertToUtf32((char)code, (char)Hex4(raw.Slice(i + 2)));
                i += 6;
            }
            else if (char.IsLowSurrogate((char)code))
            {
                throw new JsonException("a \\u escape is a lone low surrogate (at byte " + (offset + at).ToString(CultureInfo.InvariantCulture) + ")");
            }

            n += new Rune(code).EncodeToUtf8(output.Slice(n));
        }

        return n;
    }

    private static int Hex4(ReadOnlySpan<byte> s)
        => (HexValue(s[0]) << 12) | (HexValue(s[1]) << 8) | (HexValue(s[2]) << 4) | HexValue(s[3]);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>Reads the current number as a 32-bit integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns>False if it is not an integer in range.</returns>
    public readonly bool TryGetInt32(out int value)
    {
        RequireNumber("TryGetInt32");
        if (_isShortInteger && _mantissa == (int)_mantissa)
        {
            value = (int)_mantissa;
            return true;
        }

        return Utf8Parser.TryParse(ValueSpan, out value, out var used) && used == _valueLength || Failed(out value);
    }

    /// <summary>Reads the current number as a 64-bit integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns>False if it is not an integer in range.</returns>
    public readonly bool TryGetInt64(out long value)
    {
        RequireNumber("TryGetInt64");

        // Most integers are short: the scanner has read them already.
        if (_isShortInteger)
        {
            value = _mantissa;
            return true;
        }

        return Utf8Parser.TryParse(ValueSpan, out value, out var used) && used == _valueLength || Failed(out value);
    }

    /// <summary>Reads the current number as a double.</summary>
    /// <param name="value">The value.</param>
    /// <returns>False if it is out of range.</returns>
    public readonly bool TryGetDouble(out double value)
    {
        RequireNumber("TryGetDouble");

        // A number of at most 18 digits and no exponent (what services send: 123.456, 0.5, 42) whose digits fit a
        // double exactly: their quotient by an exact power of ten is the correctly rounded value (Clinger's fast path).
        var m = _mantissa;
        if (_fractionDigits >= 0 && (ulong)(m + (1L << 53)) <= 1UL << 54)
        {
            value = m != 0 ? (_fractionDigits == 0 ? m : m / ExactPowersOfTen[_fractionDigits]) : _json[_valueStart] == (byte)'-' ? -0.0 : 0.0;
            return true;
        }

        return Utf8Parser.TryParse(ValueSpan, out value, out var used) && used == _valueLength && double.IsFinite(value) || Failed(out value);
    }

    /// <summary>10^0 to 10^18, each exactly a double.</summary>
    private static ReadOnlySpan<double> ExactPowersOfTen =>
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];

    /// <summary>Reads the current number as a float.</summary>
    /// <param name="value">The value.</param>
    /// <returns>False if it is out of range.</returns>
    public readonly bool TryGetSingle(out float value)
    {
        RequireNumber("TryGetSingle");
        return Utf8Parser.TryParse(ValueSpan, out value, out var used) && used == _valueLength && float.IsFinite(value) || Failed(out value);
    }

    /// <summary>Reads the current number as a decimal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>False if it is out of range.</returns>
    public readonly bool TryGetDecimal(out decimal value)
    {
        RequireNumber("TryGetDecimal");
        return Utf8Parser.TryParse(ValueSpan, out value, out var used) && used == _valueLength || Failed(out value);
    }

    /// <summary>Reads the current string as a UUID in the <c>8-4-4-4-12</c> form.</summary>
    /// <param name="value">The value.</param>
    /// <returns>False if it is not a UUID.</returns>
    public readonly bool TryGetGuid(out Guid value)
    {
        RequireText("TryGetGuid");
        if (!_escaped)
        {
            return Uuid.TryParse(ValueSpan, out value);
        }

        return Guid.TryParseExact(GetString(), "D", out value);
    }

    /// <summary>Reads the current string as standard base64 (with padding).</summary>
    /// <param name="value">The bytes.</param>
    /// <returns>False if it is not base64.</returns>
    public readonly bool TryGetBytesFromBase64([NotNullWhen(true)] out byte[]? value)
    {
        RequireText("TryGetBytesFromBase64");
        var text = _escaped ? Encoding.UTF8.GetBytes(GetString()) : ValueSpan.ToArray();
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        if (Base64.DecodeFromUtf8(text, bytes, out var used, out var written) != OperationStatus.Done || used != text.Length)
        {
            value = null;
            return false;
        }

        value = written == bytes.Length ? bytes : bytes.AsSpan(0, written).ToArray();
        return true;
    }
}
