using System;
using System.Collections.Generic;

namespace Toolkit.Runtime.Binary;

/// <summary>
/// Random values for the random-model generators that generated registries expose (property tests). Every method
/// is deterministic for a seeded <see cref="Random"/>.
/// </summary>
public static class StructRandom
{
    /// <summary>A random unsigned value of <paramref name="bits"/> bits.</summary>
    /// <param name="random">The random source.</param>
    /// <param name="bits">1 to 64.</param>
    /// <returns>The value.</returns>
    public static ulong NextBits(Random random, int bits)
    {
        ArgumentNullException.ThrowIfNull(random);
        var v = (ulong)random.NextInt64() ^ ((ulong)random.Next(4) << 62);
        // Favour edge values now and then: 0, all ones, small numbers.
        switch (random.Next(8))
        {
            case 0:
                v = 0;
                break;
            case 1:
                v = ulong.MaxValue;
                break;
            case 2:
                v = (ulong)random.Next(16);
                break;
        }

        return bits >= 64 ? v : v & ((1UL << bits) - 1);
    }

    /// <summary>A random signed value of <paramref name="bits"/> bits (sign-extended).</summary>
    /// <param name="random">The random source.</param>
    /// <param name="bits">1 to 64.</param>
    /// <returns>The value.</returns>
    public static long NextSigned(Random random, int bits)
    {
        var v = NextBits(random, bits);
        return bits >= 64 ? (long)v : (long)(v << (64 - bits)) >> (64 - bits);
    }

    /// <summary>A random value inside one of the inclusive ranges <c>[lows[i], highs[i]]</c>.</summary>
    /// <param name="random">The random source.</param>
    /// <param name="lows">Range starts.</param>
    /// <param name="highs">Range ends (inclusive).</param>
    /// <returns>The value.</returns>
    public static long NextInRanges(Random random, ReadOnlySpan<long> lows, ReadOnlySpan<long> highs)
    {
        ArgumentNullException.ThrowIfNull(random);
        var i = random.Next(lows.Length);
        var lo = lows[i];
        var span = unchecked((ulong)(highs[i] - lo) + 1UL);
        var pick = random.Next(4) switch
        {
            0 => 0UL,
            1 => span == 0 ? ulong.MaxValue : span - 1,
            _ => span == 0 ? NextBits(random, 64) : NextBits(random, 64) % span,
        };
        return unchecked(lo + (long)pick);
    }

    /// <summary>A random double from random bits (NaNs and infinities included).</summary>
    /// <param name="random">The random source.</param>
    /// <returns>The value.</returns>
    public static double NextDouble(Random random) => BitConverter.Int64BitsToDouble((long)NextBits(random, 64));

    /// <summary>A byte string of random bytes.</summary>
    /// <param name="random">The random source.</param>
    /// <param name="length">Its length.</param>
    /// <returns>The bytes.</returns>
    public static ByteString NextBytes(Random random, int length)
    {
        ArgumentNullException.ThrowIfNull(random);
        var b = new byte[Math.Max(0, length)];
        if (random.Next(3) == 0)
        {
            for (var i = 0; i < b.Length; i++)
            {
                b[i] = (byte)random.Next(0x20, 0x7F);
            }
        }
        else
        {
            random.NextBytes(b);
        }

        return ByteString.CopyFrom(b);
    }

    /// <summary>A list of 0 to 4 random elements; <paramref name="element"/> gets whether it is the last.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="random">The random source.</param>
    /// <param name="last">Whether the array ends the enclosing data (otherwise the last element is not last).</param>
    /// <param name="element">Creates one element: (random, isLast).</param>
    /// <returns>The list.</returns>
    public static ValueArray<T> NextArray<T>(Random random, bool last, Func<Random, bool, T> element)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(element);
        var n = random.Next(5);
        var list = new List<T>(n);
        for (var i = 0; i < n; i++)
        {
            list.Add(element(random, last && i == n - 1));
        }

        return ValueArray.From(list);
    }
}
