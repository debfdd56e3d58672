using System;
using System.Buffers;
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
public ref partial struct ApiJsonReader
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

    // Set by every number token while it is scanned: whether it is an integer of at most 18 digits; its digits as an
    // integer (a decimal's without the point) when it has at most 18 and no exponent; and how many of them follow the
    // point (-1 when it has more digits or an exponent, and TryGetDouble parses the text).
    private bool _isShortInteger;
    private long _mantissa;
    private int _fractionDigits;

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
            else if (json[i] == (byte)'}' && _tokenType is not (JsonTokenType.PropertyName or JsonTokenType.None))
            {
                EndContainer(i, JsonTokenType.EndObject);
                return false;
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
        var n = encodedNameWithColon.Length;
        if (n < 3 || (uint)i > (uint)json.Length || (uint)n > (uint)(json.Length - i) || !SameBytes(ref Unsafe.Add(ref MemoryMarshal.GetReference(json), i), ref MemoryMarshal.GetReference(encodedNameWithColon), n))
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

    /// <summary>
    /// Whether <paramref name="n"/> (3 or more) bytes are equal: two overlapping loads from both ends of one width (4, 8
    /// or 16 bytes) cover any name of up to 32, so a property name costs one or two comparisons whatever its length,
    /// with fewer length branches than the general <see cref="MemoryExtensions.SequenceEqual{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SameBytes(ref byte a, ref byte b, int n)
    {
        if (n <= 16)
        {
            if (n >= 8)
            {
                return ((Unsafe.ReadUnaligned<ulong>(ref a) ^ Unsafe.ReadUnaligned<ulong>(ref b))
                    | (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref a, n - 8)) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, n - 8)))) == 0;
            }

            if (n >= 4)
            {
                return ((Unsafe.ReadUnaligned<uint>(ref a) ^ Unsafe.ReadUnaligned<uint>(ref b))
                    | (Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref a, n - 4)) ^ Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, n - 4)))) == 0;
            }

            return a == b && Unsafe.Add(ref a, 1) == Unsafe.Add(ref b, 1) && Unsafe.Add(ref a, 2) == Unsafe.Add(ref b, 2);
        }

        if (n <= 32)
        {
            return ((Vector128.LoadUnsafe(ref a) ^ Vector128.LoadUnsafe(ref b))
                | (Vector128.LoadUnsafe(ref a, (nuint)(n - 16)) ^ Vector128.LoadUnsafe(ref b, (nuint)(n - 16)))) == Vector128<byte>.Zero;
        }

        return MemoryMarshal.CreateReadOnlySpan(ref a, n).SequenceEqual(MemoryMarshal.CreateReadOnlySpan(ref b, n));
    }

    /// <summary>
    /// In an array, after an element: moves onto the next element if a comma and an object's <c>{</c> follow right
    /// there (a list of objects written compactly); otherwise does nothing, and <see cref="Read"/> takes over.
    /// </summary>
    /// <returns>Whether the reader is now on the next element's StartObject.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryReadNextObjectInArray()
    {
        var json = _json;
        var i = _pos + 1;
        if ((uint)i >= (uint)json.Length || json[i - 1] != (byte)',' || json[i] != (byte)'{' || _inObject || _depth == 0
            || _tokenType is JsonTokenType.StartArray or JsonTokenType.None)
        {
            return false;
        }

        _tokenStart = i;
        _escaped = false;
        Push(i, inObject: true);
        _tokenType = JsonTokenType.StartObject;
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
}
