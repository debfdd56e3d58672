using System;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

// The token scanner behind Read: strings, numbers, literals, containers and white space.
public ref partial struct ApiJsonReader
{
    private void AfterValue(int i, byte c)
    {
        if (_depth == 0)
        {
            throw Fail(i, "unexpected data after the JSON value");
        }

        if (c == (byte)',')
        {
            var json = _json;
            i++;
            if ((uint)i < (uint)json.Length && json[i] <= (byte)' ')
            {
                i = SkipWhiteSpace(json, i);
            }

            if ((uint)i >= (uint)json.Length)
            {
                throw Fail(i, "unexpected end of data after ','");
            }

            c = json[i];
            if (_inObject)
            {
                if (c != (byte)'"')
                {
                    throw Fail(i, c == (byte)'}' ? "trailing comma before '}'" : "expected a property name after ','");
                }

                ReadPropertyName(i);
            }
            else
            {
                if (c == (byte)']')
                {
                    throw Fail(i, "trailing comma before ']'");
                }

                ReadValue(i, c);
            }
        }
        else if (c == (byte)'}' && _inObject)
        {
            EndContainer(i, JsonTokenType.EndObject);
        }
        else if (c == (byte)']' && !_inObject)
        {
            EndContainer(i, JsonTokenType.EndArray);
        }
        else
        {
            throw Fail(i, _inObject ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }

    private bool AtEnd(int i)
    {
        if (_depth == 0 && _tokenType is not JsonTokenType.None and not JsonTokenType.PropertyName)
        {
            _pos = i;
            return false;
        }

        throw Fail(i, _tokenType == JsonTokenType.None ? "the input holds no JSON value" : "unexpected end of data");
    }

    private void ReadValue(int i, byte c)
    {
        _tokenStart = i;
        _escaped = false;
        switch (c)
        {
            case (byte)'"':
                ReadString(i);
                _tokenType = JsonTokenType.String;
                return;
            case (byte)'{':
                Push(i, inObject: true);
                _tokenType = JsonTokenType.StartObject;
                return;
            case (byte)'[':
                Push(i, inObject: false);
                _tokenType = JsonTokenType.StartArray;
                return;
            case (byte)'t':
                ReadLiteral(i, "true"u8, JsonTokenType.True);
                return;
            case (byte)'f':
                ReadLiteral(i, "false"u8, JsonTokenType.False);
                return;
            case (byte)'n':
                ReadLiteral(i, "null"u8, JsonTokenType.Null);
                return;
            default:
                if (c == (byte)'-' || (uint)(c - '0') <= 9)
                {
                    ReadNumber(i);
                    return;
                }

                throw Fail(i, "'" + Printable(c) + "' does not start a JSON value");
        }
    }

    private void ReadPropertyName(int i)
    {
        _tokenStart = i;
        ReadString(i);
        var json = _json;
        var j = _pos;
        if ((uint)j < (uint)json.Length && json[j] <= (byte)' ')
        {
            j = SkipWhiteSpace(json, j);
        }

        if ((uint)j >= (uint)json.Length || json[j] != (byte)':')
        {
            throw Fail(j, "expected ':' after a property name");
        }

        _pos = j + 1;
        _tokenType = JsonTokenType.PropertyName;
    }

    /// <summary>Scans a string starting at the quote at <paramref name="i"/>; leaves the value and position set.</summary>
    /// <remarks>
    /// Most strings end within 32 bytes, without escapes: one vector load settles them, in a method small enough to
    /// need no saved registers; longer, escaped and final strings take <see cref="ReadLongString"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReadString(int i)
    {
        var json = _json;
        var start = i + 1;
        if (Vector256.IsHardwareAccelerated && (uint)start <= (uint)json.Length && json.Length - start >= Vector256<byte>.Count)
        {
            var v = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(json), (nuint)start);
            var stops = (Vector256.Equals(v, Vector256.Create((byte)'"'))
                | Vector256.Equals(v, Vector256.Create((byte)'\\'))
                | Vector256.LessThan(v, Vector256.Create((byte)0x20))).ExtractMostSignificantBits();
            var quotes = Vector256.Equals(v, Vector256.Create((byte)'"')).ExtractMostSignificantBits();

            // The first stop is a quote: the string ends there, unescaped.
            if (stops != 0 && (stops & (0u - stops) & quotes) != 0)
            {
                var k = BitOperations.TrailingZeroCount(stops);
                _valueStart = start;
                _valueLength = k;
                _escaped = false;
                _pos = start + k + 1;
                return;
            }
        }

        ReadLongString(start);
    }

    private void ReadLongString(int start)
    {
        var json = _json;
        var k = IndexOfStringStop(json.Slice(start));
        if (k >= 0 && json[start + k] == (byte)'"')
        {
            _valueStart = start;
            _valueLength = k;
            _escaped = false;
            _pos = start + k + 1;
            return;
        }

        ReadEscapedString(start, k);
    }

    /// <summary>
    /// The index of the first quote, backslash or control character: 32 bytes at a time where the document has them
    /// (most strings end within the first block), the general search for the last few bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IndexOfStringStop(ReadOnlySpan<byte> s)
    {
        if (Vector256.IsHardwareAccelerated && s.Length >= Vector256<byte>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(s);
            nuint i = 0;
            var last = (nuint)(s.Length - Vector256<byte>.Count);
            while (true)
            {
                var v = Vector256.LoadUnsafe(ref start, i);
                var hits = Vector256.Equals(v, Vector256.Create((byte)'"'))
                    | Vector256.Equals(v, Vector256.Create((byte)'\\'))
                    | Vector256.LessThan(v, Vector256.Create((byte)0x20));
                if (hits != Vector256<byte>.Zero)
                {
                    return (int)i + BitOperations.TrailingZeroCount(hits.ExtractMostSignificantBits());
                }

                i += (nuint)Vector256<byte>.Count;
                if (i > last)
                {
                    var rest = s.Slice((int)i).IndexOfAny(StringStops);
                    return rest < 0 ? -1 : (int)i + rest;
                }
            }
        }

        return s.IndexOfAny(StringStops);
    }

    private void ReadEscapedString(int start, int k)
    {
        var json = _json;
        while (true)
        {
            if (k < 0)
            {
                throw Fail(json.Length, "unterminated string (it starts at byte " + (start - 1).ToString(CultureInfo.InvariantCulture) + ")");
            }

            var j = start + k;
            var b = json[j];
            if (b == (byte)'"')
            {
                break;
            }

            if (b < 0x20)
            {
                throw Fail(j, "control character 0x" + b.ToString("x2", CultureInfo.InvariantCulture) + " in a string must be escaped");
            }

            // A backslash: one of the JSON escapes.
            if (j + 1 >= json.Length)
            {
                throw Fail(j, "unterminated escape sequence");
            }

            var e = json[j + 1];
            int next;
            switch (e)
            {
                case (byte)'"':
                case (byte)'\\':
                case (byte)'/':
                case (byte)'b':
                case (byte)'f':
                case (byte)'n':
                case (byte)'r':
                case (byte)'t':
                    next = j + 2;
                    break;
                case (byte)'u':
                    for (var h = 0; h < 4; h++)
                    {
                        if (j + 2 + h >= json.Length || !char.IsAsciiHexDigit((char)json[j + 2 + h]))
                        {
                            throw Fail(j + 2 + h, "a \\u escape needs four hexadecimal digits");
                        }
                    }

                    next = j + 6;
                    break;
                default:
                    throw Fail(j + 1, "'\\" + Printable(e) + "' is not a JSON escape sequence");
            }

            var rest = IndexOfStringStop(json.Slice(next));
            k = rest < 0 ? -1 : next - start + rest;
        }

        _valueStart = start;
        _valueLength = k;
        _escaped = true;
        _pos = start + k + 1;
    }

    private void ReadNumber(int i)
    {
        var json = _json;
        var j = i;
        var negative = json[j] == (byte)'-';
        if (negative)
        {
            j++;
        }

        if (j >= json.Length || (uint)(json[j] - '0') > 9)
        {
            throw Fail(j, "a number needs a digit here");
        }

        // The integer part is read as it is scanned, so that TryGetInt64 need not parse it again.
        var first = j;
        ulong integer = (uint)(json[j] - '0');
        j++;
        if (integer != 0)
        {
            while (j < json.Length)
            {
                var d = (uint)(json[j] - '0');
                if (d > 9)
                {
                    break;
                }

                integer = (integer * 10) + d;
                j++;
            }
        }

        var isInteger = j - first <= 18;
        var fractionDigits = isInteger ? 0 : -1;

        if (j < json.Length && json[j] == (byte)'.')
        {
            isInteger = false;
            j++;
            if (j >= json.Length || (uint)(json[j] - '0') > 9)
            {
                throw Fail(j, "a number needs a digit after '.'");
            }

            // The fraction's digits join the integer's while there are at most 18 in all (TryGetDouble's fast path).
            var room = fractionDigits < 0 ? 0 : 18 - (j - 1 - first);
            var fractionStart = j;
            while (j < json.Length)
            {
                var d = (uint)(json[j] - '0');
                if (d > 9)
                {
                    break;
                }

                if (j - fractionStart < room)
                {
                    integer = (integer * 10) + d;
                }

                j++;
            }

            fractionDigits = j - fractionStart <= room ? j - fractionStart : -1;
        }

        if (j < json.Length && (json[j] | 0x20) == (byte)'e')
        {
            isInteger = false;
            fractionDigits = -1;
            j++;
            if (j < json.Length && (json[j] == (byte)'+' || json[j] == (byte)'-'))
            {
                j++;
            }

            if (j >= json.Length || (uint)(json[j] - '0') > 9)
            {
                throw Fail(j, "a number needs a digit in its exponent");
            }

            j = Digits(json, j + 1);
        }

        if (j < json.Length && !IsDelimiter(json[j]))
        {
            throw Fail(j, "'" + Printable(json[j]) + "' cannot follow a number");
        }

        _valueStart = i;
        _valueLength = j - i;
        _pos = j;
        _tokenType = JsonTokenType.Number;
        _isShortInteger = isInteger;
        _fractionDigits = fractionDigits;
        _mantissa = negative ? -(long)integer : (long)integer;
    }

    private static int Digits(ReadOnlySpan<byte> json, int j)
    {
        while (j < json.Length && (uint)(json[j] - '0') <= 9)
        {
            j++;
        }

        return j;
    }

    /// <summary>Reads <c>true</c>, <c>false</c> or <c>null</c>; inlined, so the comparison is with a constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReadLiteral(int i, ReadOnlySpan<byte> literal, JsonTokenType type)
    {
        var json = _json;
        var end = i + literal.Length;
        if ((uint)end <= (uint)json.Length && json.Slice(i, literal.Length).SequenceEqual(literal) && (end == json.Length || IsDelimiter(json[end])))
        {
            _valueStart = i;
            _valueLength = literal.Length;
            _pos = end;
            _tokenType = type;
            return;
        }

        throw BadLiteral(i, literal);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly JsonException BadLiteral(int i, ReadOnlySpan<byte> literal)
    {
        var json = _json;
        var rest = json.Slice(i);
        if (!rest.StartsWith(literal))
        {
            var n = 0;
            while (n < literal.Length && n < rest.Length && rest[n] == literal[n])
            {
                n++;
            }

            return Fail(i + n, n < rest.Length ? "invalid literal (expected '" + Encoding.ASCII.GetString(literal) + "')" : "unexpected end of data in a literal");
        }

        var end = i + literal.Length;
        return Fail(end, "'" + Printable(json[end]) + "' cannot follow '" + Encoding.ASCII.GetString(literal) + "'");
    }

    private static bool IsDelimiter(byte b) => b is (byte)',' or (byte)']' or (byte)'}' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private void Push(int i, bool inObject)
    {
        if (_depth >= _maxDepth)
        {
            throw Fail(i, "the document nests deeper than " + _maxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
        }

        if (_depth < 64)
        {
            _stack = inObject ? _stack | (1UL << _depth) : _stack & ~(1UL << _depth);
        }
        else
        {
            _deepStack ??= new byte[_maxDepth];
            _deepStack[_depth] = inObject ? (byte)1 : (byte)0;
        }

        _depth++;
        _inObject = inObject;
        _valueStart = i;
        _valueLength = 1;
        _pos = i + 1;
    }

    private void EndContainer(int i, JsonTokenType type)
    {
        _depth--;
        if (_depth > 0)
        {
            var parent = _depth - 1;
            _inObject = parent < 64 ? (_stack & (1UL << parent)) != 0 : _deepStack![parent] != 0;
        }

        _tokenStart = i;
        _valueStart = i;
        _valueLength = 1;
        _escaped = false;
        _pos = i + 1;
        _tokenType = type;
    }

    private static int SkipWhiteSpace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length)
        {
            var b = json[i];
            if (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t')
            {
                break;
            }

            i++;
        }

        return i;
    }
}
