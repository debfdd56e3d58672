using System;
using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

/// <summary>
/// A forward-only, strict JSON (RFC 8259) token reader over one complete UTF-8 document in memory: the reader every
/// generated model decodes with. It has the token model and member names of <see cref="Utf8JsonReader"/>
/// (<see cref="Read"/>, <see cref="TokenType"/>, <see cref="ValueSpan"/>, <see cref="CurrentDepth"/>,
/// <see cref="Skip"/>, <c>TryGet*</c>) and accepts exactly the documents <see cref="Utf8JsonReader"/> accepts with
/// default options (no comments, no trailing commas, one value, depth limit), which a differential property test
/// checks. It is faster because it only handles the case generated clients have, a whole body in one span: no
/// partial input, no segments, no comment modes.
/// </summary>
/// <remarks>
/// Every error is a <see cref="JsonException"/> naming what was wrong and the byte offset where it was found,
/// including invalid UTF-8 or a lone surrogate in a string that is decoded (which <see cref="Utf8JsonReader"/>
/// reports as an <see cref="InvalidOperationException"/>).
/// </remarks>
public ref struct ApiJsonReader
{
    /// <summary>The depth limit used when none is given (as <see cref="JsonReaderOptions"/>' default of 64 is too low for some services).</summary>
    public const int DefaultMaxDepth = 256;

    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"u8);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _json;
    private readonly int _maxDepth;
    private int _pos;
    private int _tokenStart;
    private int _valueStart;
    private int _valueLength;
    private int _depth;
    private ulong _stack;
    private byte[]? _deepStack;
    private JsonTokenType _tokenType;
    private bool _escaped;
    private bool _inObject;

    /// <summary>Creates a reader over a complete UTF-8 JSON document.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="maxDepth">How many containers may be open at once.</param>
    public ApiJsonReader(ReadOnlySpan<byte> utf8Json, int maxDepth = DefaultMaxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDepth);
        _json = utf8Json;
        _maxDepth = maxDepth;
    }

    /// <summary>The type of the current token (<see cref="JsonTokenType.None"/> before the first <see cref="Read"/>).</summary>
    public readonly JsonTokenType TokenType => _tokenType;

    /// <summary>
    /// The raw bytes of the current token: a string's or property name's text between the quotes (still escaped if
    /// <see cref="ValueIsEscaped"/>), a number's or literal's text, or the bracket itself.
    /// </summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _json.Slice(_valueStart, _valueLength);

    /// <summary>Whether the current string or property name contains escape sequences.</summary>
    public readonly bool ValueIsEscaped => _escaped;

    /// <summary>The byte offset where the current token starts.</summary>
    public readonly long TokenStartIndex => _tokenStart;

    /// <summary>How many bytes have been consumed so far.</summary>
    public readonly long BytesConsumed => _pos;

    /// <summary>
    /// The depth of the current token, as <see cref="Utf8JsonReader.CurrentDepth"/> defines it: 0 for the root value
    /// and its own brackets, 1 for the members of a root object or array, and so on.
    /// </summary>
    public readonly int CurrentDepth => _tokenType is JsonTokenType.StartObject or JsonTokenType.StartArray ? _depth - 1 : _depth;

    /// <summary>Reads the next token.</summary>
    /// <returns>False once the root value is complete and only white space remains.</returns>
    /// <exception cref="JsonException">The document is not valid JSON (names what and the byte offset).</exception>
    public bool Read()
    {
        var json = _json;
        var i = _pos;
        if ((uint)i < (uint)json.Length && json[i] <= (byte)' ')
        {
            i = SkipWhiteSpace(json, i);
        }

        if ((uint)i >= (uint)json.Length)
        {
            return AtEnd(i);
        }

        var c = json[i];
        switch (_tokenType)
        {
            case JsonTokenType.PropertyName:
            case JsonTokenType.None:
                ReadValue(i, c);
                return true;
            case JsonTokenType.StartObject:
                if (c == (byte)'"')
                {
                    ReadPropertyName(i);
                }
                else if (c == (byte)'}')
                {
                    EndContainer(i, JsonTokenType.EndObject);
                }
                else
                {
                    throw Fail(i, "expected a property name or '}'");
                }

                return true;
            case JsonTokenType.StartArray:
                if (c == (byte)']')
                {
                    EndContainer(i, JsonTokenType.EndArray);
                }
                else
                {
                    ReadValue(i, c);
                }

                return true;
            default:
                AfterValue(i, c);
                return true;
        }
    }

    /// <summary>
    /// Inside an object: moves to the next property name and returns true, or to the object's closing brace and
    /// returns false. Generated models loop on it; the common case (a comma, perhaps a space or a line break, and a
    /// quote) takes a short path, everything else goes through <see cref="Read"/> with all its checks.
    /// </summary>
    /// <returns>Whether a property name was read.</returns>
    /// <exception cref="JsonException">The data is not a JSON object here.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadPropertyNameOrEndObject()
    {
        var json = _json;
        var i = _pos;
        if ((uint)i < (uint)json.Length && _inObject && _depth > 0)
        {
            if (json[i] == (byte)',' && _tokenType is not (JsonTokenType.StartObject or JsonTokenType.PropertyName or JsonTokenType.None))
            {
                i = SkipSpaceAfter(json, i + 1);
                if ((uint)i < (uint)json.Length && json[i] == (byte)'"')
                {
                    ReadPropertyName(i);
                    return true;
                }
            }
            else if (_tokenType == JsonTokenType.StartObject)
            {
                i = SkipSpaceAfter(json, i);
                if ((uint)i < (uint)json.Length && json[i] == (byte)'"')
                {
                    ReadPropertyName(i);
                    return true;
                }
            }
        }

        return ReadPropertyNameOrEndObjectSlow();
    }

    /// <summary>
    /// Skips the white space a formatter puts between tokens: one space (<c>", "</c> and <c>": "</c>, as Python
    /// writes), or a line break and indentation; anything longer goes through the general skip.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipSpaceAfter(ReadOnlySpan<byte> json, int i)
    {
        if ((uint)i < (uint)json.Length && json[i] <= (byte)' ')
        {
            i = (uint)(i + 1) < (uint)json.Length && json[i] == (byte)' ' && json[i + 1] > (byte)' ' ? i + 1 : SkipWhiteSpace(json, i);
        }

        return i;
    }

    /// <summary>
    /// Inside an object: reads the next property name if it is exactly <paramref name="encodedNameWithColon"/>
    /// (<c>"\"name\":"u8</c>, a name needing no escapes, white space allowed before it but not inside); otherwise
    /// does nothing.
    /// Generated models guess that properties come in schema order and try the next one this way first: one
    /// comparison instead of a scan and a lookup.
    /// </summary>
    /// <param name="encodedNameWithColon">The quoted name and colon.</param>
    /// <returns>Whether the name was read.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadPropertyName(ReadOnlySpan<byte> encodedNameWithColon)
    {
        var json = _json;
        var i = _pos;
        if (_tokenType != JsonTokenType.StartObject)
        {
            if ((uint)i >= (uint)json.Length || json[i] != (byte)',' || !_inObject || _depth == 0 || _tokenType is JsonTokenType.PropertyName or JsonTokenType.None)
            {
                return false;
            }

            i++;
        }

        i = SkipSpaceAfter(json, i);
        if (encodedNameWithColon.Length < 3 || (uint)i > (uint)json.Length || !json.Slice(i).StartsWith(encodedNameWithColon))
        {
            return false;
        }

        _tokenStart = i;
        _valueStart = i + 1;
        _valueLength = encodedNameWithColon.Length - 3;
        _escaped = false;
        _pos = i + encodedNameWithColon.Length;
        _tokenType = JsonTokenType.PropertyName;
        return true;
    }

    private bool ReadPropertyNameOrEndObjectSlow()
    {
        ReadRequired();
        return _tokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw Error("expected a property name or the end of an object, found " + _tokenType),
        };
    }

    /// <summary>After a property name: moves onto its value if that is a string (after any white space); otherwise does nothing.</summary>
    /// <returns>Whether the reader is now on the string.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadStringValue()
    {
        var json = _json;
        var i = SkipSpaceAfter(json, _pos);
        if (_tokenType != JsonTokenType.PropertyName || (uint)i >= (uint)json.Length || json[i] != (byte)'"')
        {
            return false;
        }

        _tokenStart = i;
        ReadString(i);
        _tokenType = JsonTokenType.String;
        return true;
    }

    /// <summary>After a property name: moves onto its value if that is a number (after any white space); otherwise does nothing.</summary>
    /// <returns>Whether the reader is now on the number.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadNumberValue()
    {
        var json = _json;
        var i = SkipSpaceAfter(json, _pos);
        if (_tokenType != JsonTokenType.PropertyName || (uint)i >= (uint)json.Length)
        {
            return false;
        }

        var c = json[i];
        if ((uint)(c - '0') > 9 && c != (byte)'-')
        {
            return false;
        }

        _tokenStart = i;
        _escaped = false;
        ReadNumber(i);
        return true;
    }

    /// <summary>After a property name: moves onto its value if that is an object (<paramref name="open"/> <c>{</c>) or array (<c>[</c>) right there.</summary>
    /// <param name="open">The bracket expected.</param>
    /// <returns>Whether the reader is now on the start of the container.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadStartValue(byte open)
    {
        var json = _json;
        var i = SkipSpaceAfter(json, _pos);
        if (_tokenType != JsonTokenType.PropertyName || (uint)i >= (uint)json.Length || json[i] != open || (open != (byte)'{' && open != (byte)'['))
        {
            return false;
        }

        _tokenStart = i;
        _escaped = false;
        Push(i, open == (byte)'{');
        _tokenType = open == (byte)'{' ? JsonTokenType.StartObject : JsonTokenType.StartArray;
        return true;
    }

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
    private void ReadString(int i)
    {
        var json = _json;
        var start = i + 1;
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
        if (json[j] == (byte)'-')
        {
            j++;
        }

        if (j >= json.Length || (uint)(json[j] - '0') > 9)
        {
            throw Fail(j, "a number needs a digit here");
        }

        if (json[j] == (byte)'0')
        {
            j++;
        }
        else
        {
            j = Digits(json, j + 1);
        }

        if (j < json.Length && json[j] == (byte)'.')
        {
            j++;
            if (j >= json.Length || (uint)(json[j] - '0') > 9)
            {
                throw Fail(j, "a number needs a digit after '.'");
            }

            j = Digits(json, j + 1);
        }

        if (j < json.Length && (json[j] | 0x20) == (byte)'e')
        {
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
    }

    private static int Digits(ReadOnlySpan<byte> json, int j)
    {
        while (j < json.Length && (uint)(json[j] - '0') <= 9)
        {
            j++;
        }

        return j;
    }

    private void ReadLiteral(int i, ReadOnlySpan<byte> literal, JsonTokenType type)
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

            throw Fail(i + n, n < rest.Length ? "invalid literal (expected '" + Encoding.ASCII.GetString(literal) + "')" : "unexpected end of data in a literal");
        }

        var end = i + literal.Length;
        if (end < json.Length && !IsDelimiter(json[end]))
        {
            throw Fail(end, "'" + Printable(json[end]) + "' cannot follow '" + Encoding.ASCII.GetString(literal) + "'");
        }

        _valueStart = i;
        _valueLength = literal.Length;
        _pos = end;
        _tokenType = type;
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

    /// <summary>
    /// Skips the children of the current token: on a property name, moves to its value first; on a start bracket,
    /// moves to the matching end bracket; on anything else, does nothing.
    /// </summary>
    public void Skip()
    {
        if (_tokenType == JsonTokenType.PropertyName)
        {
            ReadRequired();
        }

        if (_tokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            var depth = _depth - 1;
            do
            {
                ReadRequired();
            }
            while (_depth != depth || _tokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray));
        }
    }

    /// <summary>Reads the next token, failing if the document ends.</summary>
    /// <exception cref="JsonException">The data ends or is not valid JSON.</exception>
    public void ReadRequired()
    {
        if (!Read())
        {
            throw Fail(_pos, "unexpected end of JSON data");
        }
    }

    /// <summary>Skips the current value and returns its raw JSON text (for a string, with its quotes).</summary>
    /// <returns>The value's bytes.</returns>
    public ReadOnlySpan<byte> ReadRawValue()
    {
        if (_tokenType == JsonTokenType.PropertyName)
        {
            ReadRequired();
        }

        var start = _tokenStart;
        Skip();
        return _json.Slice(start, _pos - start);
    }

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
        return Utf8Parser.TryParse(ValueSpan, out value, out var used) && used == _valueLength || Failed(out value);
    }

    /// <summary>Reads the current number as a 64-bit integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns>False if it is not an integer in range.</returns>
    public readonly bool TryGetInt64(out long value)
    {
        RequireNumber("TryGetInt64");
        var span = ValueSpan;

        // Most integers are short: parse them here without the general parser.
        if (span.Length <= 18 && span[0] != (byte)'-')
        {
            long v = 0;
            foreach (var b in span)
            {
                var d = (uint)(b - '0');
                if (d > 9)
                {
                    value = 0;
                    return false;
                }

                v = (v * 10) + d;
            }

            value = v;
            return true;
        }

        return Utf8Parser.TryParse(span, out value, out var used) && used == _valueLength || Failed(out value);
    }

    /// <summary>Reads the current number as a double.</summary>
    /// <param name="value">The value.</param>
    /// <returns>False if it is out of range.</returns>
    public readonly bool TryGetDouble(out double value)
    {
        RequireNumber("TryGetDouble");
        return Utf8Parser.TryParse(ValueSpan, out value, out var used) && used == _valueLength && double.IsFinite(value) || Failed(out value);
    }

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
            return Utf8Parser.TryParse(ValueSpan, out value, out var used, 'D') && used == _valueLength || Failed(out value);
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

    /// <summary>A failed <c>TryGet</c>: the value is the default, as <see cref="Utf8JsonReader"/> leaves it.</summary>
    private static bool Failed<T>(out T value)
    {
        value = default!;
        return false;
    }

    /// <summary>An exception naming <paramref name="message"/> and the current token's byte offset.</summary>
    /// <param name="message">What went wrong.</param>
    /// <returns>The exception to throw.</returns>
    public readonly JsonException Error(string message)
        => new(message + " (at byte " + _tokenStart.ToString(CultureInfo.InvariantCulture) + ")");

    private readonly void RequireText(string what)
    {
        if (_tokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            throw Error(what + ": the current token is " + _tokenType + ", not a string");
        }
    }

    private readonly void RequireNumber(string what)
    {
        if (_tokenType != JsonTokenType.Number)
        {
            throw Error(what + ": the current token is " + _tokenType + ", not a number");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static JsonException Fail(int offset, string message)
        => new("invalid JSON: " + message + " (at byte " + offset.ToString(CultureInfo.InvariantCulture) + ")");

    private static string Printable(byte b)
        => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : "0x" + b.ToString("x2", CultureInfo.InvariantCulture);
}
