using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Toolkit.Runtime.Binary;

/// <summary>
/// Big-endian reads and writes of the integer widths <see cref="BinaryPrimitives"/> lacks (24, 48 and 56 bits),
/// plus byte helpers. Callers pass spans at least as long as the width; the span's own bounds check applies.
/// </summary>
public static class BigEndian
{
    /// <summary>Reads an unsigned 24-bit integer.</summary>
    /// <param name="source">At least 3 bytes.</param>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadUInt24(ReadOnlySpan<byte> source) =>
        ((uint)source[0] << 16) | ((uint)source[1] << 8) | source[2];

    /// <summary>Reads a signed 24-bit integer (sign-extended).</summary>
    /// <param name="source">At least 3 bytes.</param>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadInt24(ReadOnlySpan<byte> source) => (int)(ReadUInt24(source) << 8) >> 8;

    /// <summary>Reads an unsigned 48-bit integer.</summary>
    /// <param name="source">At least 6 bytes.</param>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadUInt48(ReadOnlySpan<byte> source) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(source) << 32) | BinaryPrimitives.ReadUInt32BigEndian(source.Slice(2));

    /// <summary>Reads a signed 48-bit integer (sign-extended).</summary>
    /// <param name="source">At least 6 bytes.</param>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ReadInt48(ReadOnlySpan<byte> source) => (long)(ReadUInt48(source) << 16) >> 16;

    /// <summary>Reads an unsigned 56-bit integer.</summary>
    /// <param name="source">At least 7 bytes.</param>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadUInt56(ReadOnlySpan<byte> source) =>
        ((ulong)source[0] << 48) | ((ulong)BinaryPrimitives.ReadUInt16BigEndian(source.Slice(1)) << 32)
        | BinaryPrimitives.ReadUInt32BigEndian(source.Slice(3));

    /// <summary>Reads a signed 56-bit integer (sign-extended).</summary>
    /// <param name="source">At least 7 bytes.</param>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ReadInt56(ReadOnlySpan<byte> source) => (long)(ReadUInt56(source) << 8) >> 8;

    /// <summary>Writes the low 24 bits of a value.</summary>
    /// <param name="destination">At least 3 bytes.</param>
    /// <param name="value">The value; higher bits are ignored.</param>
    public static void WriteUInt24(Span<byte> destination, uint value)
    {
        destination[2] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[0] = (byte)(value >> 16);
    }

    /// <summary>Writes the low 24 bits of a signed value.</summary>
    /// <param name="destination">At least 3 bytes.</param>
    /// <param name="value">The value; higher bits are ignored.</param>
    public static void WriteInt24(Span<byte> destination, int value) => WriteUInt24(destination, (uint)value);

    /// <summary>Writes the low 48 bits of a value.</summary>
    /// <param name="destination">At least 6 bytes.</param>
    /// <param name="value">The value; higher bits are ignored.</param>
    public static void WriteUInt48(Span<byte> destination, ulong value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(2), (uint)value);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value >> 32));
    }

    /// <summary>Writes the low 48 bits of a signed value.</summary>
    /// <param name="destination">At least 6 bytes.</param>
    /// <param name="value">The value; higher bits are ignored.</param>
    public static void WriteInt48(Span<byte> destination, long value) => WriteUInt48(destination, (ulong)value);

    /// <summary>Writes the low 56 bits of a value.</summary>
    /// <param name="destination">At least 7 bytes.</param>
    /// <param name="value">The value; higher bits are ignored.</param>
    public static void WriteUInt56(Span<byte> destination, ulong value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(3), (uint)value);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(1), (ushort)(value >> 32));
        destination[0] = (byte)(value >> 48);
    }

    /// <summary>Writes the low 56 bits of a signed value.</summary>
    /// <param name="destination">At least 7 bytes.</param>
    /// <param name="value">The value; higher bits are ignored.</param>
    public static void WriteInt56(Span<byte> destination, long value) => WriteUInt56(destination, (ulong)value);

    /// <summary>Length of <paramref name="text"/> without its trailing <paramref name="pad"/> bytes.</summary>
    /// <param name="text">The text.</param>
    /// <param name="pad">The padding byte, e.g. NUL.</param>
    /// <returns>The trimmed text.</returns>
    public static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> text, byte pad)
    {
        var n = text.Length;
        while (n > 0 && text[n - 1] == pad)
        {
            n--;
        }

        return text.Slice(0, n);
    }

    /// <summary>The text up to (excluding) the first NUL byte, or all of it.</summary>
    /// <param name="text">NUL-padded text.</param>
    /// <returns>The text before the first NUL.</returns>
    public static ReadOnlySpan<byte> UntilNul(ReadOnlySpan<byte> text)
    {
        var i = text.IndexOf((byte)0);
        return i < 0 ? text : text.Slice(0, i);
    }
}
