using System;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace Toolkit.Runtime.Json;

// Numbers, booleans, GUIDs, base64 and ISO 8601 dates and times.
public sealed partial class ApiJsonWriter
{
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
        var n = FormatShortDecimal(value, span);
        if (n == 0)
        {
            value.TryFormat(span, out n, default, CultureInfo.InvariantCulture);
        }

        End(n);
    }

    private static ReadOnlySpan<double> PowersOf10 => [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];

    /// <summary>
    /// The short path of <see cref="WriteNumberValue(double)"/> for a value that is exactly the double nearest to a
    /// decimal of at most 15 significant digits and 8 fraction digits, between 1e-4 and 1e15 (measurements such as
    /// 123.456): the digits of that decimal, which are the shortest round-trip form <see cref="double.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
    /// writes (a decimal of at most 15 digits is the only one of its length nearest to its double, and the first
    /// fraction length that matches is the shortest). Returns 0 when the value is not such a decimal.
    /// </summary>
    private static int FormatShortDecimal(double value, Span<byte> s)
    {
        var a = Math.Abs(value);
        if (!(a >= 1e-4 && a < 1e15))
        {
            return 0;
        }

        var powers = PowersOf10;
        for (var k = 0; k < powers.Length; k++)
        {
            var scaled = a * powers[k];
            if (scaled >= 1e15)
            {
                return 0;
            }

            var m = Math.Round(scaled);
            if (m / powers[k] != a)
            {
                continue;
            }

            var digits = (ulong)m;
            var n = 0;
            if (value < 0)
            {
                s[n++] = (byte)'-';
            }

            var scale = (ulong)powers[k];
            var whole = digits / scale;
            whole.TryFormat(s.Slice(n), out var w, default, CultureInfo.InvariantCulture);
            n += w;
            if (k > 0)
            {
                s[n++] = (byte)'.';
                var fraction = digits % scale;
                for (var d = n + k - 1; d >= n; d--)
                {
                    s[d] = (byte)('0' + (int)(fraction % 10));
                    fraction /= 10;
                }

                n += k;
            }

            return n;
        }

        return 0;
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
            ref var o = ref MemoryMarshal.GetReference(span.Slice(n, 5));
            Pair(ref o, (uint)minutes / 60);
            Unsafe.Add(ref o, 2) = (byte)':';
            Pair(ref Unsafe.Add(ref o, 3), (uint)minutes % 60);
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
        value.Deconstruct(out var year, out var month, out var day);
        Date(ref MemoryMarshal.GetReference(span.Slice(1, 10)), year, month, day);
        span[11] = (byte)'"';
        End(12);
    }

    /// <summary>
    /// Writes <c>yyyy-MM-ddTHH:mm:ss</c> and the fraction of a second if there is one (at most 27 bytes): each pair of
    /// digits is copied from a table, two bytes at a time, with no division by ten.
    /// </summary>
    private static int FormatClock(DateTime t, Span<byte> s)
    {
        if (s.Length < 27)
        {
            throw new ArgumentException("no room for a date and time", nameof(s));
        }

        t.Deconstruct(out var year, out var month, out var day);
        ref var d = ref MemoryMarshal.GetReference(s);
        Date(ref d, year, month, day);
        var time = (ulong)t.Ticks % TimeSpan.TicksPerDay;
        var seconds = (uint)(time / TimeSpan.TicksPerSecond);
        var fraction = (uint)(time % TimeSpan.TicksPerSecond);
        var hours = seconds / 3600;
        seconds -= hours * 3600;
        var minutes = seconds / 60;
        seconds -= minutes * 60;
        Unsafe.Add(ref d, 10) = (byte)'T';
        Pair(ref Unsafe.Add(ref d, 11), hours);
        Unsafe.Add(ref d, 13) = (byte)':';
        Pair(ref Unsafe.Add(ref d, 14), minutes);
        Unsafe.Add(ref d, 16) = (byte)':';
        Pair(ref Unsafe.Add(ref d, 17), seconds);
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

    /// <summary>Writes <c>yyyy-MM-dd</c> into 10 bytes the caller has checked are there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Date(ref byte d, int year, int month, int day)
    {
        var century = (uint)year / 100;
        Pair(ref d, century);
        Pair(ref Unsafe.Add(ref d, 2), (uint)year - (century * 100));
        Unsafe.Add(ref d, 4) = (byte)'-';
        Pair(ref Unsafe.Add(ref d, 5), (uint)month);
        Unsafe.Add(ref d, 7) = (byte)'-';
        Pair(ref Unsafe.Add(ref d, 8), (uint)day);
    }

    /// <summary>Writes the two digits of <paramref name="v"/> (below 100), copied from <see cref="DigitPairs"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair(ref byte d, uint v)
        => Unsafe.WriteUnaligned(ref d, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(DigitPairs), (nint)(Math.Min(v, 99u) * 2))));

    /// <summary>"00" to "99": the two digits of every number below 100.</summary>
    private static ReadOnlySpan<byte> DigitPairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;
}
