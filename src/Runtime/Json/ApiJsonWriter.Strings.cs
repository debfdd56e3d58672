using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;

namespace Toolkit.Runtime.Json;

// String values: quoting and minimal escaping.
public sealed partial class ApiJsonWriter
{
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

        // Printable ASCII with nothing to escape (nearly every value): checked and narrowed in one pass.
        if (TryNarrowPlain(value, buffer.AsSpan(pos)))
        {
            pos += value.Length;
            buffer[pos++] = (byte)'"';
            _pos = pos;
            return;
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

    /// <summary>
    /// Narrows <paramref name="value"/> into <paramref name="destination"/> if every character is printable ASCII other
    /// than <c>"</c> and <c>\</c> (so written as it is); false otherwise (the destination then holds scratch).
    /// 16 characters at a time, the last block overlapping the one before; 8 at a time for shorter text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryNarrowPlain(string value, Span<byte> destination)
    {
        var n = (nuint)value.Length;
        ref var src = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(value.AsSpan()));
        ref var dst = ref MemoryMarshal.GetReference(destination);
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            nuint i = 0;
            for (; i + 32 <= n; i += 32)
            {
                var a = Vector256.LoadUnsafe(ref src, i);
                var b = Vector256.LoadUnsafe(ref src, i + 16);
                if ((Odd(a) | Odd(b)) != Vector256<ushort>.Zero)
                {
                    return false;
                }

                Vector256.Narrow(a, b).StoreUnsafe(ref dst, i);
            }

            if (i == n)
            {
                return true;
            }

            i = i + 16 <= n ? i : n - 16;
            while (true)
            {
                var v = Vector256.LoadUnsafe(ref src, i);
                if (!IsPlain(v))
                {
                    return false;
                }

                Vector128.Narrow(v.GetLower(), v.GetUpper()).StoreUnsafe(ref dst, i);
                if (i + 16 == n)
                {
                    return true;
                }

                i = i + 32 <= n ? i + 16 : n - 16;
            }
        }

        if (Vector128.IsHardwareAccelerated && n >= 8)
        {
            nuint i = 0;
            while (true)
            {
                var v = Vector128.LoadUnsafe(ref src, i);
                if (!IsPlain(v))
                {
                    return false;
                }

                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), Vector128.Narrow(v, v).AsUInt64().ToScalar());
                if (i + 8 == n)
                {
                    return true;
                }

                i = i + 16 <= n ? i + 8 : n - 8;
            }
        }

        for (nuint k = 0; k < n; k++)
        {
            var c = Unsafe.Add(ref src, k);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
            {
                return false;
            }

            Unsafe.Add(ref dst, k) = (byte)c;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlain(Vector256<ushort> v) => Odd(v) == Vector256<ushort>.Zero;

    /// <summary>The lanes holding a character that is not written as it is (control, non-ASCII, DEL, quote, backslash).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> Odd(Vector256<ushort> v)
        => Vector256.GreaterThan(v - Vector256.Create((ushort)0x20), Vector256.Create((ushort)0x5E))
            | Vector256.Equals(v, Vector256.Create((ushort)'"'))
            | Vector256.Equals(v, Vector256.Create((ushort)'\\'));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlain(Vector128<ushort> v)
        => ((Vector128.GreaterThan(v - Vector128.Create((ushort)0x20), Vector128.Create((ushort)0x5E))
            | Vector128.Equals(v, Vector128.Create((ushort)'"'))
            | Vector128.Equals(v, Vector128.Create((ushort)'\\'))) == Vector128<ushort>.Zero);

    private static byte HexDigit(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);
}
