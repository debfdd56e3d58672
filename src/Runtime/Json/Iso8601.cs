using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Toolkit.Runtime.Json;

/// <summary>
/// Parses the common ISO 8601 timestamp spelling straight from UTF-8: <c>yyyy-MM-ddTHH:mm:ss</c>, an optional
/// fraction of up to 7 digits, then <c>Z</c>, <c>±hh:mm</c> or nothing (taken as UTC). Anything else is left to the
/// general parser.
/// </summary>
internal static class Iso8601
{
    public static bool TryParse(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 19 || !BitConverter.IsLittleEndian)
        {
            return false;
        }

        // "yyyy-MM-" "ddTHH:mm" and "HH:mm:ss" (bytes 11 to 18) as three little-endian words: the separators compared
        // at once, every digit checked to be '0'..'9' at once (high nibble 3, low nibble at most 9), then the values.
        ref var p = ref MemoryMarshal.GetReference(s);
        var a = Unsafe.ReadUnaligned<ulong>(ref p);
        var b = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 8));
        var c = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 11));
        const ulong DigitsA = 0x00FF_FF00_FFFF_FFFFUL; // y y y y - M M -
        const ulong DigitsB = 0xFFFF_00FF_FF00_FFFFUL; // d d T H H : m m
        const ulong DigitsC = 0xFFFF_00FF_FF00_FFFFUL; // H H : m m : s s
        if ((a & ~DigitsA) != 0x2D00_002D_0000_0000UL || (b & ~DigitsB) != 0x0000_3A00_0054_0000UL || (c & ~DigitsC) != 0x0000_3A00_003A_0000UL
            || !AllDigits(a, DigitsA) || !AllDigits(b, DigitsB) || !AllDigits(c, DigitsC))
        {
            return false;
        }

        var year = (Digit(a, 0) * 1000) + (Digit(a, 1) * 100) + (Digit(a, 2) * 10) + Digit(a, 3);
        var month = (Digit(a, 5) * 10) + Digit(a, 6);
        var day = (Digit(b, 0) * 10) + Digit(b, 1);
        var hour = (Digit(c, 0) * 10) + Digit(c, 1);
        var minute = (Digit(c, 3) * 10) + Digit(c, 4);
        var second = (Digit(c, 6) * 10) + Digit(c, 7);
        if (year is < 2 or > 9998 || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        var before = DaysBeforeMonth[month - 1] + (leap && month > 2 ? 1 : 0);
        var inMonth = DaysBeforeMonth[month] - DaysBeforeMonth[month - 1] + (leap && month == 2 ? 1 : 0);
        if (day < 1 || day > inMonth)
        {
            return false;
        }

        var i = 19;
        long fraction = 0;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            var digits = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                if (++digits > 7)
                {
                    return false;
                }

                fraction = (fraction * 10) + (s[i] - '0');
                i++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (; digits < 7; digits++)
            {
                fraction *= 10;
            }
        }

        var offset = TimeSpan.Zero;
        if (i < s.Length)
        {
            if (s[i] == (byte)'Z' && i + 1 == s.Length)
            {
                i++;
            }
            else if ((s[i] == (byte)'+' || s[i] == (byte)'-') && i + 6 == s.Length && s[i + 3] == (byte)':'
                && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om) && oh <= 14 && om <= 59 && (oh < 14 || om == 0))
            {
                offset = new TimeSpan(oh, om, 0);
                if (s[i] == (byte)'-')
                {
                    offset = -offset;
                }
            }
            else
            {
                return false;
            }
        }

        // Days since 0001-01-01 (the proleptic Gregorian count DateTime uses), then the time of day.
        var y = year - 1;
        var days = (y * 365) + (y / 4) - (y / 100) + (y / 400) + before + day - 1;
        var ticks = (days * TimeSpan.TicksPerDay) + ((((hour * 60L) + minute) * 60) + second) * TimeSpan.TicksPerSecond + fraction;
        value = new DateTimeOffset(ticks, offset);
        return true;
    }

    private static ReadOnlySpan<int> DaysBeforeMonth => [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

    /// <summary>Whether every byte of <paramref name="word"/> under <paramref name="mask"/> is an ASCII digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllDigits(ulong word, ulong mask)
    {
        const ulong High = 0xF0F0_F0F0_F0F0_F0F0UL;
        const ulong Low = 0x0F0F_0F0F_0F0F_0F0FUL;
        const ulong Three = 0x3030_3030_3030_3030UL;
        const ulong Six = 0x0606_0606_0606_0606UL;
        const ulong Carry = 0x1010_1010_1010_1010UL;
        return (word & High & mask) == (Three & mask) && (((word & Low & mask) + (Six & mask)) & Carry) == 0;
    }

    /// <summary>The digit in byte <paramref name="index"/> of <paramref name="word"/> (checked by <see cref="AllDigits"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digit(ulong word, int index) => (int)((word >> (index * 8)) & 0x0F);

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var k = start; k < start + count; k++)
        {
            var d = (uint)(s[k] - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }
}
