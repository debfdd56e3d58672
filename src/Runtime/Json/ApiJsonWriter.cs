using System;
using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Toolkit.Runtime.Json;

/// <summary>
/// A compact JSON writer into a pooled buffer: the writer every generated model encodes with. Member names follow
/// <see cref="Utf8JsonWriter"/> (<c>WriteStartObject</c>, <c>WritePropertyName</c>, <c>Write*Value</c>); commas are
/// placed automatically. It does not check that calls form a valid document (generated code does by construction),
/// which with pre-encoded property names (<c>"\"name\":"u8</c>) is what makes it fast.
/// </summary>
/// <remarks>
/// Strings are written as UTF-8 with only the escapes JSON requires (<c>\"</c>, <c>\\</c> and control characters);
/// text that is not valid UTF-16 (a lone surrogate) is refused with an <see cref="ArgumentException"/>, as
/// <see cref="Utf8JsonWriter"/> refuses it. Non-finite numbers are refused the same way.
/// </remarks>
public sealed class ApiJsonWriter : IDisposable
{
    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"u8);

    private byte[] _buffer;
    private int _pos;
    private bool _comma;
    private bool _disposed;

    /// <summary>Creates a writer whose buffer starts at <paramref name="initialCapacity"/> bytes.</summary>
    /// <param name="initialCapacity">The first buffer's size; it grows as needed.</param>
    public ApiJsonWriter(int initialCapacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>What has been written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _pos);

    /// <summary>How many bytes have been written.</summary>
    public int BytesWritten => _pos;

    /// <summary>Forgets what was written, keeping the buffer for reuse.</summary>
    public void Reset()
    {
        _pos = 0;
        _comma = false;
    }

    /// <summary>A copy of what has been written.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Returns the buffer to the pool; the writer cannot be used afterwards.</summary>
    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _pos = 0;
        _disposed = true;
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    /// <summary>Writes <c>{</c>.</summary>
    public void WriteStartObject() => Open((byte)'{');

    /// <summary>Writes <c>}</c>.</summary>
    public void WriteEndObject() => Close((byte)'}');

    /// <summary>Writes <c>[</c>.</summary>
    public void WriteStartArray() => Open((byte)'[');

    /// <summary>Writes <c>]</c>.</summary>
    public void WriteEndArray() => Close((byte)']');

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Open(byte b)
    {
        Ensure(2);
        var buffer = _buffer;
        var pos = _pos;
        if (_comma)
        {
            buffer[pos++] = (byte)',';
        }

        buffer[pos++] = b;
        _pos = pos;
        _comma = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Close(byte b)
    {
        Ensure(1);
        _buffer[_pos++] = b;
        _comma = true;
    }

    /// <summary>
    /// Writes a property name given already encoded: the quoted, escaped name followed by a colon, e.g.
    /// <c>"\"job_id\":"u8</c>. Generated models keep one such literal per property.
    /// </summary>
    /// <param name="encodedNameWithColon">The name as JSON text with its quotes and colon.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WritePropertyName(ReadOnlySpan<byte> encodedNameWithColon)
    {
        Ensure(encodedNameWithColon.Length + 1);
        var pos = _pos;
        if (_comma)
        {
            _buffer[pos++] = (byte)',';
        }

        encodedNameWithColon.CopyTo(_buffer.AsSpan(pos));
        _pos = pos + encodedNameWithColon.Length;
        _comma = false;
    }

    /// <summary>Writes a property name, escaping it as needed.</summary>
    /// <param name="name">The name.</param>
    public void WritePropertyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        WriteQuoted(name);
        Ensure(1);
        _buffer[_pos++] = (byte)':';
        _comma = false;
    }

    /// <summary>Writes a property whose value is a string, or <c>null</c> when <paramref name="value"/> is null.</summary>
    /// <param name="propertyName">The name, escaped as needed.</param>
    /// <param name="value">The text.</param>
    public void WriteString(string propertyName, string? value)
    {
        WritePropertyName(propertyName);
        if (value is null)
        {
            WriteNullValue();
        }
        else
        {
            WriteStringValue(value);
        }
    }

    /// <summary>Writes a property whose value is <c>null</c>.</summary>
    /// <param name="propertyName">The name, escaped as needed.</param>
    public void WriteNull(string propertyName)
    {
        WritePropertyName(propertyName);
        WriteNullValue();
    }

    /// <summary>Writes a string value.</summary>
    /// <param name="value">The text.</param>
    /// <exception cref="ArgumentException">The text is not valid UTF-16.</exception>
    public void WriteStringValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteQuoted(value);
        _comma = true;
    }

    private void WriteQuoted(string value)
    {
        // Room for the comma, the quotes and the text at UTF-8's worst case of 3 bytes per UTF-16 unit.
        Ensure(checked((value.Length * 3) + 3));
        var buffer = _buffer;
        var pos = _pos;
        if (_comma)
        {
            buffer[pos++] = (byte)',';
        }

        buffer[pos++] = (byte)'"';

        // Short text (names, states, hosts): one pass that narrows and checks for escapes together.
        if (value.Length <= 24)
        {
            var k = 0;
            for (; k < value.Length; k++)
            {
                var c = value[k];
                if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
                {
                    break;
                }

                buffer[pos + k] = (byte)c;
            }

            if (k == value.Length)
            {
                pos += k;
                buffer[pos++] = (byte)'"';
                _pos = pos;
                return;
            }
        }

        int written;
        if (System.Text.Ascii.FromUtf16(value, buffer.AsSpan(pos), out written) != OperationStatus.Done)
        {
            var status = Utf8.FromUtf16(value, buffer.AsSpan(pos), out _, out written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new ArgumentException("the text is not valid UTF-16 (it holds a lone surrogate) and cannot be written as JSON", nameof(value));
            }
        }

        var escape = buffer.AsSpan(pos, written).IndexOfAny(NeedsEscape);
        if (escape >= 0)
        {
            _pos = pos;
            WriteEscaped(escape, written);
            return;
        }

        pos += written;
        buffer[pos++] = (byte)'"';
        _pos = pos;
    }

    /// <summary>Rewrites the <paramref name="written"/> UTF-8 bytes at the position with escapes, from <paramref name="first"/> on.</summary>
    private void WriteEscaped(int first, int written)
    {
        var tail = written - first;
        var copy = ArrayPool<byte>.Shared.Rent(tail);
        try
        {
            _buffer.AsSpan(_pos + first, tail).CopyTo(copy);
            _pos += first;
            Ensure(checked((tail * 6) + 1));
            var buffer = _buffer;
            var pos = _pos;
            foreach (var b in copy.AsSpan(0, tail))
            {
                if (b >= 0x20 && b != (byte)'"' && b != (byte)'\\')
                {
                    buffer[pos++] = b;
                    continue;
                }

                buffer[pos++] = (byte)'\\';
                switch (b)
                {
                    case (byte)'"':
                    case (byte)'\\':
                        buffer[pos++] = b;
                        break;
                    case (byte)'\n':
                        buffer[pos++] = (byte)'n';
                        break;
                    case (byte)'\r':
                        buffer[pos++] = (byte)'r';
                        break;
                    case (byte)'\t':
                        buffer[pos++] = (byte)'t';
                        break;
                    case (byte)'\b':
                        buffer[pos++] = (byte)'b';
                        break;
                    case (byte)'\f':
                        buffer[pos++] = (byte)'f';
                        break;
                    default:
                        buffer[pos++] = (byte)'u';
                        buffer[pos++] = (byte)'0';
                        buffer[pos++] = (byte)'0';
                        buffer[pos++] = HexDigit(b >> 4);
                        buffer[pos++] = HexDigit(b & 0xF);
                        break;
                }
            }

            buffer[pos++] = (byte)'"';
            _pos = pos;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static byte HexDigit(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);

    /// <summary>Writes a UUID as a string in the <c>8-4-4-4-12</c> form.</summary>
    /// <param name="value">The value.</param>
    public void WriteStringValue(Guid value)
    {
        var span = Begin(39);
        span[0] = (byte)'"';
        value.TryFormat(span.Slice(1), out var n, "D");
        span[n + 1] = (byte)'"';
        End(n + 2);
    }

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumberValue(int value)
    {
        var span = Begin(11);
        value.TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
        End(n);
    }

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumberValue(long value)
    {
        var span = Begin(20);
        value.TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
        End(n);
    }

    /// <summary>Writes a number in its shortest round-trip form.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The value is NaN or infinite, which JSON cannot hold.</exception>
    public void WriteNumberValue(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("JSON cannot hold " + value.ToString(CultureInfo.InvariantCulture), nameof(value));
        }

        var span = Begin(32);
        value.TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
        End(n);
    }

    /// <summary>Writes a number in its shortest round-trip form.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The value is NaN or infinite, which JSON cannot hold.</exception>
    public void WriteNumberValue(float value)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentException("JSON cannot hold " + value.ToString(CultureInfo.InvariantCulture), nameof(value));
        }

        var span = Begin(32);
        value.TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
        End(n);
    }

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumberValue(decimal value)
    {
        var span = Begin(32);
        value.TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
        End(n);
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteBooleanValue(bool value) => WriteRawValue(value ? "true"u8 : "false"u8);

    /// <summary>Writes <c>null</c>.</summary>
    public void WriteNullValue() => WriteRawValue("null"u8);

    /// <summary>Writes bytes as a standard base64 string.</summary>
    /// <param name="value">The bytes.</param>
    public void WriteBase64StringValue(ReadOnlySpan<byte> value)
    {
        var max = Base64.GetMaxEncodedToUtf8Length(value.Length);
        var span = Begin(max + 2);
        span[0] = (byte)'"';
        Base64.EncodeToUtf8(value, span.Slice(1), out _, out var n);
        span[n + 1] = (byte)'"';
        End(n + 2);
    }

    /// <summary>
    /// Writes an ISO 8601 timestamp: <c>yyyy-MM-ddTHH:mm:ss[.fffffff]±hh:mm</c> (fraction digits trimmed), or with
    /// <paramref name="withoutOffset"/> the UTC time with no offset at all, as FTS3 writes its timestamps.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="withoutOffset">Write UTC without an offset suffix.</param>
    public void WriteDateTimeValue(DateTimeOffset value, bool withoutOffset = false)
    {
        var span = Begin(36);
        span[0] = (byte)'"';
        var clock = withoutOffset ? value.UtcDateTime : value.DateTime;
        var n = 1 + FormatClock(clock, span.Slice(1));
        if (!withoutOffset)
        {
            var offset = value.Offset;
            var minutes = (int)offset.TotalMinutes;
            span[n++] = minutes < 0 ? (byte)'-' : (byte)'+';
            minutes = Math.Abs(minutes);
            Two(span.Slice(n), minutes / 60);
            span[n + 2] = (byte)':';
            Two(span.Slice(n + 3), minutes % 60);
            n += 5;
        }

        span[n++] = (byte)'"';
        End(n);
    }

    /// <summary>Writes a calendar date as <c>yyyy-MM-dd</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteDateValue(DateOnly value)
    {
        var span = Begin(12);
        span[0] = (byte)'"';
        Date(span.Slice(1), value.Year, value.Month, value.Day);
        span[11] = (byte)'"';
        End(12);
    }

    private static int FormatClock(DateTime t, Span<byte> s)
    {
        t.Deconstruct(out var year, out var month, out var day);
        Date(s, year, month, day);
        var time = t.Ticks % TimeSpan.TicksPerDay;
        var seconds = (int)(time / TimeSpan.TicksPerSecond);
        var fraction = (int)(time % TimeSpan.TicksPerSecond);
        s[10] = (byte)'T';
        Two(s.Slice(11), seconds / 3600);
        s[13] = (byte)':';
        Two(s.Slice(14), seconds / 60 % 60);
        s[16] = (byte)':';
        Two(s.Slice(17), seconds % 60);
        if (fraction == 0)
        {
            return 19;
        }

        s[19] = (byte)'.';
        var digits = 7;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        for (var i = digits; i > 0; i--)
        {
            s[19 + i] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        return 20 + digits;
    }

    private static void Date(Span<byte> s, int year, int month, int day)
    {
        Two(s, year / 100);
        Two(s.Slice(2), year % 100);
        s[4] = (byte)'-';
        Two(s.Slice(5), month);
        s[7] = (byte)'-';
        Two(s.Slice(8), day);
    }

    private static void Two(Span<byte> s, int v)
    {
        s[1] = (byte)('0' + (v % 10));
        s[0] = (byte)('0' + (v / 10));
    }

    /// <summary>Writes a JSON value held by a <see cref="JsonElement"/> (its original text).</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The element holds no value (<see cref="JsonValueKind.Undefined"/>).</exception>
    public void WriteElement(JsonElement value) => WriteRawValue(JsonMarshal.GetRawUtf8Value(value));

    /// <summary>Writes text that is already one complete, valid JSON value, as it is.</summary>
    /// <param name="json">The JSON text.</param>
    public void WriteRawValue(ReadOnlySpan<byte> json)
    {
        var span = Begin(json.Length);
        json.CopyTo(span);
        End(json.Length);
    }

    /// <summary>Room for a value of at most <paramref name="max"/> bytes, after the comma if one is due.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Begin(int max)
    {
        Ensure(max + 1);
        if (_comma)
        {
            _buffer[_pos++] = (byte)',';
        }

        return _buffer.AsSpan(_pos);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void End(int written)
    {
        _pos += written;
        _comma = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_buffer.Length - _pos < count)
        {
            Grow(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var need = (long)_pos + count;
        if (need > Array.MaxLength)
        {
            throw new InvalidOperationException("the JSON being written would exceed the largest possible buffer (" + Array.MaxLength.ToString(CultureInfo.InvariantCulture) + " bytes)");
        }

        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, need)));
        _buffer.AsSpan(0, _pos).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
