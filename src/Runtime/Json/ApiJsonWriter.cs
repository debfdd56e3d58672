using System;
using System.Buffers;
using System.Runtime.CompilerServices;
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
public sealed partial class ApiJsonWriter : IDisposable
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
}
