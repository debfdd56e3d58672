using System;
using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Toolkit.Runtime.Json;

// Raw values and the growable buffer.
public sealed partial class ApiJsonWriter
{
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
