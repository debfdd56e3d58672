using System;

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
        if (s.Length < 19 || s[4] != (byte)'-' || s[7] != (byte)'-' || s[10] != (byte)'T' || s[13] != (byte)':' || s[16] != (byte)':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

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
