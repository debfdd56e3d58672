using System;
using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Toolkit.XrdMon;

/// <summary>
/// A JSON-lines byte writer for <see cref="XrdMonJsonWriter"/>: UTF-8 goes straight into one large reused buffer
/// (property names are pre-encoded literals, numbers are formatted in place), and the buffer reaches the stream in
/// large writes. Output is byte-identical to <see cref="Utf8JsonWriter"/> with
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>: strings made only of printable ASCII other than
/// <c>"</c> and <c>\</c> are copied as they are, every other string is escaped by a <see cref="Utf8JsonWriter"/> with
/// that encoder (so the rare escaped string keeps the exact escaping rules). No allocation per record for valid UTF-8.
/// </summary>
internal sealed class Utf8LineBuffer : IDisposable
{
    /// <summary>Bytes buffered before a line end drains the buffer to the stream.</summary>
    private const int DrainThreshold = 1 << 18;

    /// <summary>The longest formatted number (a long's 20 characters, a double's 24) with room to spare.</summary>
    private const int MaxNumber = 32;

    private static readonly SearchValues<byte> PlainAscii = SearchValues.Create(PlainAsciiBytes());
    private static readonly SearchValues<char> PlainAsciiChars = SearchValues.Create(Encoding.Latin1.GetString(PlainAsciiBytes()));

    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _escaped = new(256);
    private readonly Utf8JsonWriter _escaper;
    private byte[] _buffer = new byte[DrainThreshold + (1 << 16)];
    private int _pos;
    private bool _first = true;

    /// <summary>Creates a buffer draining to <paramref name="output"/>.</summary>
    /// <param name="output">Where lines go.</param>
    public Utf8LineBuffer(Stream output)
    {
        _output = output;
        _escaper = new Utf8JsonWriter(_escaped, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    /// <summary>Lines written.</summary>
    public long Lines { get; private set; }

    /// <summary>Starts an object (as a value: a separator first when one is due).</summary>
    public void StartObject()
    {
        Separator();
        Ensure(1);
        _buffer[_pos++] = (byte)'{';
        _first = true;
    }

    /// <summary>Starts an object at the start of a line, with pre-encoded bytes after the brace (the first properties).</summary>
    /// <param name="prefix">Bytes starting with <c>{</c>.</param>
    /// <remarks>The prefix ends with a property name: the next write is that property's value.</remarks>
    public void StartLine(ReadOnlySpan<byte> prefix)
    {
        Ensure(prefix.Length);
        prefix.CopyTo(_buffer.AsSpan(_pos));
        _pos += prefix.Length;
        _first = true;
    }

    /// <summary>Ends an object.</summary>
    public void EndObject()
    {
        Ensure(1);
        _buffer[_pos++] = (byte)'}';
        _first = false;
    }

    /// <summary>Starts an array value.</summary>
    public void StartArray()
    {
        Ensure(1);
        _buffer[_pos++] = (byte)'[';
        _first = true;
    }

    /// <summary>Ends an array.</summary>
    public void EndArray()
    {
        Ensure(1);
        _buffer[_pos++] = (byte)']';
        _first = false;
    }

    /// <summary>Ends the line's object and the line; drains the buffer when it is full enough.</summary>
    public void EndLine()
    {
        Ensure(2);
        _buffer[_pos] = (byte)'}';
        _buffer[_pos + 1] = (byte)'\n';
        _pos += 2;
        _first = true;
        Lines++;
        if (_pos >= DrainThreshold)
        {
            Drain();
        }
    }

    /// <summary>Writes a property name: <paramref name="quotedName"/> is the pre-encoded <c>"name":</c>.</summary>
    /// <param name="quotedName">The name in quotes, with the colon.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Name(ReadOnlySpan<byte> quotedName)
    {
        Ensure(quotedName.Length + 1);
        if (!_first)
        {
            _buffer[_pos++] = (byte)',';
        }

        quotedName.CopyTo(_buffer.AsSpan(_pos));
        _pos += quotedName.Length;
        _first = true;
    }

    /// <summary>Writes a number property that is not the first of its object: <paramref name="commaName"/> is the pre-encoded <c>,"name":</c>.</summary>
    /// <param name="commaName">The comma, the name in quotes, the colon.</param>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Field(ReadOnlySpan<byte> commaName, long value)
    {
        Ensure(commaName.Length + MaxNumber);
        Span<byte> dest = _buffer.AsSpan(_pos);
        commaName.CopyTo(dest);
        Utf8Formatter.TryFormat(value, dest[commaName.Length..], out int n);
        _pos += commaName.Length + n;
        _first = false;
    }

    /// <summary>Writes an unsigned number property that is not the first of its object.</summary>
    /// <param name="commaName">The comma, the name in quotes, the colon.</param>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Field(ReadOnlySpan<byte> commaName, ulong value)
    {
        Ensure(commaName.Length + MaxNumber);
        Span<byte> dest = _buffer.AsSpan(_pos);
        commaName.CopyTo(dest);
        Utf8Formatter.TryFormat(value, dest[commaName.Length..], out int n);
        _pos += commaName.Length + n;
        _first = false;
    }

    /// <summary>Starts a line: <paramref name="prefix"/> (from <c>{</c> to a property name) and a plain string value.</summary>
    /// <param name="prefix">Bytes starting with <c>{</c> and ending with <c>"name":</c>.</param>
    /// <param name="plain">The value, known to need no escaping.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartLine(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> plain)
    {
        Ensure(prefix.Length + plain.Length + 2);
        Span<byte> dest = _buffer.AsSpan(_pos);
        prefix.CopyTo(dest);
        dest[prefix.Length] = (byte)'"';
        plain.CopyTo(dest[(prefix.Length + 1)..]);
        dest[prefix.Length + plain.Length + 1] = (byte)'"';
        _pos += prefix.Length + plain.Length + 2;
        _first = false;
    }

    /// <summary>Writes a property whose name comes from the input (escaped like a string value).</summary>
    /// <param name="utf8">The name's bytes (valid UTF-8).</param>
    public void NameFromInput(ReadOnlySpan<byte> utf8)
    {
        StringValue(utf8);
        Ensure(1);
        _buffer[_pos++] = (byte)':';
        _first = true;
    }

    /// <summary>Writes a number value.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(long value)
    {
        Separator();
        Ensure(MaxNumber);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_pos), out int n);
        _pos += n;
    }

    /// <summary>Writes a number value.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(ulong value)
    {
        Separator();
        Ensure(MaxNumber);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_pos), out int n);
        _pos += n;
    }

    /// <summary>Writes a finite double the way <see cref="Utf8JsonWriter"/> does (shortest round-trip form), or null when it is not finite.</summary>
    /// <param name="value">The value.</param>
    public void FiniteOrNull(double value)
    {
        if (!double.IsFinite(value))
        {
            Null();
            return;
        }

        Separator();
        Ensure(MaxNumber);
        value.TryFormat(_buffer.AsSpan(_pos), out int n, default, CultureInfo.InvariantCulture);
        _pos += n;
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value.</param>
    public void Boolean(bool value) => Raw(value ? "true"u8 : "false"u8);

    /// <summary>Writes <c>null</c>.</summary>
    public void Null() => Raw("null"u8);

    /// <summary>Writes pre-encoded JSON (a value, or a quoted string with its quotes).</summary>
    /// <param name="json">The bytes.</param>
    public void Raw(ReadOnlySpan<byte> json)
    {
        Separator();
        Ensure(json.Length);
        json.CopyTo(_buffer.AsSpan(_pos));
        _pos += json.Length;
    }

    /// <summary>Writes a quoted string of bytes known to need no escaping (pre-encoded, without the quotes).</summary>
    /// <param name="plain">The bytes.</param>
    public void PlainString(ReadOnlySpan<byte> plain)
    {
        Separator();
        Ensure(plain.Length + 2);
        Span<byte> dest = _buffer.AsSpan(_pos);
        dest[0] = (byte)'"';
        plain.CopyTo(dest[1..]);
        dest[plain.Length + 1] = (byte)'"';
        _pos += plain.Length + 2;
    }

    /// <summary>Writes a string value from input bytes; bytes that are not UTF-8 are shown as Latin-1.</summary>
    /// <param name="utf8">The bytes.</param>
    public void StringValue(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOfAnyExcept(PlainAscii) < 0)
        {
            PlainString(utf8);
            return;
        }

        Escaped(utf8);
    }

    /// <summary>Writes a string value from UTF-16 text (the collector's names, paths and hosts).</summary>
    /// <param name="text">The text.</param>
    public void StringValue(string text)
    {
        ReadOnlySpan<char> chars = text;
        if (chars.IndexOfAnyExcept(PlainAsciiChars) >= 0)
        {
            EscapedText(text);
            return;
        }

        Separator();
        Ensure(chars.Length + 2);
        Span<byte> dest = _buffer.AsSpan(_pos);
        dest[0] = (byte)'"';
        Ascii.FromUtf16(chars, dest[1..], out int n);
        dest[n + 1] = (byte)'"';
        _pos += n + 2;
    }

    /// <summary>Writes buffered bytes to the stream and flushes it.</summary>
    public void Flush()
    {
        Drain();
        _output.Flush();
    }

    /// <summary>Flushes; the stream stays open.</summary>
    public void Dispose()
    {
        Flush();
        _escaper.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Separator()
    {
        if (!_first)
        {
            Ensure(1);
            _buffer[_pos++] = (byte)',';
        }

        _first = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int bytes)
    {
        if (_buffer.Length - _pos < bytes)
        {
            MakeRoom(bytes);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MakeRoom(int bytes)
    {
        Drain();
        if (_buffer.Length < bytes)
        {
            _buffer = new byte[Math.Max(bytes, _buffer.Length * 2)];
        }
    }

    /// <summary>The escaping path (quotes, backslashes, control codes, non-ASCII, invalid UTF-8): through <see cref="Utf8JsonWriter"/> so the rules are exactly its own.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Escaped(ReadOnlySpan<byte> utf8)
    {
        _escaper.Reset();
        _escaped.ResetWrittenCount();
        if (Utf8.IsValid(utf8))
        {
            _escaper.WriteStringValue(utf8);
        }
        else
        {
            _escaper.WriteStringValue(Encoding.Latin1.GetString(utf8));
        }

        _escaper.Flush();
        Raw(_escaped.WrittenSpan);
    }

    /// <summary>The escaping path for UTF-16 text, through <see cref="Utf8JsonWriter"/> like <see cref="Escaped"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EscapedText(string text)
    {
        _escaper.Reset();
        _escaped.ResetWrittenCount();
        _escaper.WriteStringValue(text);
        _escaper.Flush();
        Raw(_escaped.WrittenSpan);
    }

    private void Drain()
    {
        if (_pos > 0)
        {
            _output.Write(_buffer, 0, _pos);
            _pos = 0;
        }
    }

    private static byte[] PlainAsciiBytes()
    {
        var bytes = new System.Collections.Generic.List<byte>();
        for (int b = 0x20; b < 0x7F; b++)
        {
            if (b is not '"' and not '\\')
            {
                bytes.Add((byte)b);
            }
        }

        return bytes.ToArray();
    }
}
