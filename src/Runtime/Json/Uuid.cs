using System;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Toolkit.Runtime.Json;

/// <summary>
/// Parses a UUID in the <c>8-4-4-4-12</c> form straight from UTF-8, as <see cref="Guid.TryParseExact(ReadOnlySpan{char}, ReadOnlySpan{char}, out Guid)"/>
/// with <c>"D"</c> does: the 32 hexadecimal digits (either case) are gathered into two vectors and decoded at once.
/// </summary>
internal static class Uuid
{
    public static bool TryParse(ReadOnlySpan<byte> s, out Guid value)
    {
        if (s.Length != 36)
        {
            value = default;
            return false;
        }

        if (!Vector128.IsHardwareAccelerated || !BitConverter.IsLittleEndian)
        {
            return Utf8Parser.TryParse(s, out value, out var used, 'D') && used == s.Length;
        }

        ref var p = ref MemoryMarshal.GetReference(s);
        if (Unsafe.Add(ref p, 8) != (byte)'-' || Unsafe.Add(ref p, 13) != (byte)'-' || Unsafe.Add(ref p, 18) != (byte)'-' || Unsafe.Add(ref p, 23) != (byte)'-')
        {
            value = default;
            return false;
        }

        // Bytes 0-15, 16-31 and 20-35 hold the digits 0-7 9-12 14-17 | 19-22 24-35; shuffles gather them in order (an
        // index of 16 or more gives a zero lane).
        var v0 = Vector128.LoadUnsafe(ref p);
        var v1 = Vector128.LoadUnsafe(ref p, 16);
        var v2 = Vector128.LoadUnsafe(ref p, 20);
        var first = Vector128.Shuffle(v0, Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 0xFF, 0xFF))
            | Vector128.Shuffle(v1, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1));
        var second = Vector128.Shuffle(v1, Vector128.Create((byte)3, 4, 5, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
            | Vector128.Shuffle(v2, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        if (!Nibbles(first, out var high) || !Nibbles(second, out var low))
        {
            value = default;
            return false;
        }

        // Each pair of nibbles (first digit in the lower byte) becomes one byte: the 16 bytes in the order the text
        // spells them, which is big-endian for the first three fields; Guid keeps those fields little-endian.
        var bytes = Vector128.Narrow(Pack(high.AsUInt16()), Pack(low.AsUInt16()));
        var ordered = Vector128.Shuffle(bytes, Vector128.Create((byte)3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15));
        value = Unsafe.BitCast<Vector128<byte>, Guid>(ordered);
        return true;
    }

    /// <summary>The value of 16 hexadecimal digits, one per lane; false if any byte is not one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Nibbles(Vector128<byte> c, out Vector128<byte> nibbles)
    {
        var digit = c - Vector128.Create((byte)'0');
        var letter = (c | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a');
        var isDigit = Vector128.LessThan(digit, Vector128.Create((byte)10));
        var isLetter = Vector128.LessThan(letter, Vector128.Create((byte)6));
        nibbles = Vector128.ConditionalSelect(isDigit, digit, letter + Vector128.Create((byte)10));
        return (isDigit | isLetter) == Vector128<byte>.AllBitsSet;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> Pack(Vector128<ushort> pairs)
        => ((pairs & Vector128.Create((ushort)0x0F)) << 4) | (pairs >> 8);
}
