using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Runtime.Json;

namespace Toolkit.Runtime.Tests.Json;

/// <summary>
/// The short paths of the writer (plain ASCII strings narrowed in one vector pass, short decimals formatted without
/// the general shortest-round-trip search) and of the reader's string table give exactly what the general paths give.
/// </summary>
public class ApiJsonShortPathTests
{
    private static string Written(Action<ApiJsonWriter> write)
    {
        using var w = new ApiJsonWriter(4);
        write(w);
        return Encoding.UTF8.GetString(w.WrittenSpan);
    }

    [Fact]
    public void Doubles_are_written_as_double_formats_them()
    {
        // Decimals of up to 17 digits with up to 10 fraction digits (the short path's cases and its edges), any sign.
        Prop.ForAll(
            ArbMap.Default.ArbFor<long>(),
            ArbMap.Default.ArbFor<int>(),
            (m, k) =>
            {
                var value = (m % 100_000_000_000_000_000L) / Math.Pow(10, Math.Abs(k % 11));
                Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Written(w => w.WriteNumberValue(value)));
            }).QuickCheckThrowOnFailure();

        // Any finite double.
        Prop.ForAll(
            ArbMap.Default.ArbFor<long>(),
            bits =>
            {
                var value = BitConverter.Int64BitsToDouble(bits);
                if (double.IsFinite(value))
                {
                    Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Written(w => w.WriteNumberValue(value)));
                }
            }).QuickCheckThrowOnFailure();

        foreach (var value in new[] { 0.0, -0.0, 1e-4, 1e-5, 9.99e-5, 0.1, 0.3, 1.0 / 3, 123.456, -123.456, 1e15, 999999999999999.0, 99999999999999.9, 1e14 + 0.5, 4.35, 0.0001234, 1e8, 12345678.12345678 })
        {
            Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Written(w => w.WriteNumberValue(value)));
        }
    }

    [Fact]
    public void Strings_of_every_length_are_written_plain_or_escaped_where_the_odd_character_is()
    {
        foreach (var odd in new[] { '"', '\\', '\n', '\u0001', '\u007f', 'é', '\u20ac', '\ud83d' })
        {
            for (var length = 0; length <= 70; length++)
            {
                var plain = new StringBuilder();
                for (var i = 0; i < length; i++)
                {
                    var c = (char)(' ' + ((i * 7) % 95));
                    plain.Append(c is '"' or '\\' ? 'x' : c);
                }

                var text = plain.ToString();
                Assert.Equal("\"" + text + "\"", Written(w => w.WriteStringValue(text)));
                for (var at = 0; at < length; at++)
                {
                    var chars = text.ToCharArray();
                    chars[at] = odd;
                    var s = new string(chars);
                    if (char.IsSurrogate(odd))
                    {
                        Assert.Throws<ArgumentException>(() => Written(w => w.WriteStringValue(s)));
                        continue;
                    }

                    var json = Written(w => w.WriteStringValue(s));
                    using var doc = JsonDocument.Parse(json);
                    Assert.Equal(s, doc.RootElement.GetString());
                    Assert.Equal("\"" + text[..at], json[..(at + 1)]);
                }
            }
        }
    }

    [Fact]
    public void The_string_table_shares_repeated_values_and_reads_every_value_exactly()
    {
        static string Read(byte[] json)
        {
            var r = new ApiJsonReader(json);
            r.ReadRequired();
            return ApiJson.ReadString(ref r);
        }

        var dn = Encoding.UTF8.GetBytes("\"/DC=ch/DC=cern/OU=Users/CN=user123/CN=Robot\"");
        var first = Read(dn);
        var second = Read(dn);
        var third = Read(dn);
        Assert.Equal("/DC=ch/DC=cern/OU=Users/CN=user123/CN=Robot", first);
        Assert.Same(second, third);

        // Values that differ only inside (the old slot hash looked at three places) are told apart.
        for (var i = 0; i < 3000; i++)
        {
            var text = "/DC=ch/DC=cern/OU=Users/CN=user" + i.ToString(CultureInfo.InvariantCulture) + "/CN=Robot";
            var json = Encoding.UTF8.GetBytes("\"" + text + "\"");
            Assert.Equal(text, Read(json));
            Assert.Equal(text, Read(json));
            Assert.Equal(text, Read(json));
        }

        // Non-ASCII text, short and long, is decoded (never widened byte by byte).
        foreach (var text in new[] { "é", "grüße", new string('é', 40), new string('x', 70) + "é", "\u20ac" + new string('x', 80) })
        {
            var json = Encoding.UTF8.GetBytes("\"" + text + "\"");
            Assert.Equal(text, Read(json));
            Assert.Equal(text, Read(json));
        }
    }

    [Fact]
    public void Short_values_of_every_length_are_read_exactly_and_shared()
    {
        static string Read(byte[] json)
        {
            var r = new ApiJsonReader(json);
            r.ReadRequired();
            return ApiJson.ReadString(ref r);
        }

        // 1 to 16 bytes are keyed by two words loaded from both ends: values that differ in any one byte, or only in
        // length, must not be taken for each other, and each must be shared once it repeats.
        for (var length = 1; length <= 17; length++)
        {
            var basis = new string('a', length);
            var shared = Read(Encoding.UTF8.GetBytes("\"" + basis + "\""));
            for (var at = 0; at < length; at++)
            {
                foreach (var c in "b9~ ")
                {
                    var chars = basis.ToCharArray();
                    chars[at] = c;
                    var text = new string(chars);
                    var json = Encoding.UTF8.GetBytes("\"" + text + "\"");
                    Assert.Equal(text, Read(json));
                    Assert.Equal(text, Read(json));
                    Assert.Equal(text, Read(json));
                    Assert.Equal(basis, Read(Encoding.UTF8.GetBytes("\"" + basis + "\"")));
                }

                // Non-ASCII at any place is decoded, not widened byte by byte.
                var odd = basis[..at] + "é" + basis[(at + 1)..];
                Assert.Equal(odd, Read(Encoding.UTF8.GetBytes("\"" + odd + "\"")));
                Assert.Equal(odd, Read(Encoding.UTF8.GetBytes("\"" + odd + "\"")));
            }

            Assert.Same(Read(Encoding.UTF8.GetBytes("\"" + basis + "\"")), Read(Encoding.UTF8.GetBytes("\"" + basis + "\"")));
            Assert.Equal(basis, shared);
        }
    }

    [Fact]
    public void Integers_read_while_scanning_match_the_general_parser()
    {
        var texts = new System.Collections.Generic.List<string> { "0", "-0", "7", "-7", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "999999999999999999", "-999999999999999999", "1000000000000000000", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "1.0", "1e2", "-0.5", "12345678901234567890" };
        for (var digits = 1; digits <= 20; digits++)
        {
            texts.Add(new string('9', digits));
            texts.Add("-" + new string('9', digits));
            texts.Add("1" + new string('0', digits - 1));
        }

        foreach (var text in texts)
        {
            var json = Encoding.UTF8.GetBytes("[" + text + "]");
            var ours = new ApiJsonReader(json);
            ours.ReadRequired();
            ours.ReadRequired();
            var theirs = new Utf8JsonReader(json);
            theirs.Read();
            theirs.Read();
            Assert.Equal(theirs.TryGetInt64(out var l2), ours.TryGetInt64(out var l1));
            Assert.Equal(l2, l1);
            Assert.Equal(theirs.TryGetInt32(out var i2), ours.TryGetInt32(out var i1));
            Assert.Equal(i2, i1);
        }
    }

    [Fact]
    public void Timestamps_of_every_day_of_leap_and_common_years_read_as_the_general_parser_reads_them()
    {
        static DateTimeOffset Read(string text)
        {
            var json = Encoding.UTF8.GetBytes("\"" + text + "\"");
            var r = new ApiJsonReader(json);
            r.ReadRequired();
            return ApiJson.ReadDateTime(ref r);
        }

        foreach (var year in new[] { 2, 4, 100, 1600, 1900, 2000, 2023, 2024, 2100, 2400, 9998 })
        {
            for (var day = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc); day.Year == year; day = day.AddDays(1))
            {
                var text = day.AddSeconds((day.DayOfYear * 7919) % 86400).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
                Assert.Equal(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), Read(text));
                Assert.Equal(DateTimeOffset.Parse(text + ".25+02:00", CultureInfo.InvariantCulture), Read(text + ".25+02:00"));
            }
        }

        foreach (var text in new[] { "1900-02-29T00:00:00", "2023-02-29T00:00:00", "2024-04-31T00:00:00", "2024-13-01T00:00:00", "2024-00-10T00:00:00", "2024-01-00T00:00:00", "2024-01-32T00:00:00" })
        {
            Assert.Throws<JsonException>(() => Read(text));
        }

        Assert.Equal(new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero), Read("2024-02-29T23:59:59"));
    }

    [Fact]
    public void A_guessed_property_name_is_read_exactly_when_the_document_has_it_there()
    {
        // Names of every length from 1 to 40 (3 to 42 bytes with quotes and colon: each comparison width and the
        // general one), compared with a document whose name is the same, differs in one byte anywhere, or is cut off
        // by the end of the data; the short path must agree with a plain comparison, and move only when it matches.
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var rnd = new Random(seed);
                for (var n = 1; n <= 40; n++)
                {
                    var name = new char[n];
                    for (var k = 0; k < n; k++)
                    {
                        name[k] = (char)('a' + rnd.Next(26));
                    }

                    var guess = Encoding.ASCII.GetBytes("\"" + new string(name) + "\":");
                    var actual = (byte[])guess.Clone();
                    var change = rnd.Next(3) == 0 ? rnd.Next(actual.Length) : -1;
                    if (change >= 0)
                    {
                        actual[change] = change == 0 || change >= actual.Length - 2 ? (byte)'x' : (byte)(actual[change] == 'z' ? 'a' : actual[change] + 1);
                    }

                    var cut = rnd.Next(4) == 0 ? rnd.Next(1, actual.Length) : actual.Length;
                    var doc = Encoding.ASCII.GetBytes("{\"a\":1,").Concat(actual.AsSpan(0, cut).ToArray()).Concat(cut == actual.Length ? Encoding.ASCII.GetBytes("2}") : []).ToArray();
                    var r = new ApiJsonReader(doc);
                    r.ReadRequired();
                    r.ReadRequired();
                    r.ReadRequired();
                    var expected = cut == actual.Length && actual.AsSpan().SequenceEqual(guess);
                    Assert.Equal(expected, r.TryReadPropertyName(guess));
                    Assert.Equal(expected ? JsonTokenType.PropertyName : JsonTokenType.Number, r.TokenType);
                    if (expected)
                    {
                        Assert.Equal(new string(name), r.GetString());
                        Assert.Equal(doc.Length - 2, r.BytesConsumed);
                    }
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void A_timestamp_with_any_byte_changed_reads_as_the_general_parser_reads_it_or_is_refused_as_it_refuses_it()
    {
        // The fast path checks the separators and digits of yyyy-MM-ddTHH:mm:ss a word at a time: every byte of a
        // valid timestamp replaced by any other byte must give the general parser's answer (the value, or an error).
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var rnd = new Random(seed);
                var t = new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(rnd.NextInt64(0, 315_000_000_000L));
                var text = t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (rnd.Next(3) switch { 0 => string.Empty, 1 => "Z", _ => ".5+01:00" });
                var bytes = Encoding.ASCII.GetBytes(text);
                var at = rnd.Next(19);
                bytes[at] = (byte)rnd.Next(0x20, 0x7F);
                if (bytes[at] is (byte)'"' or (byte)'\\')
                {
                    bytes[at] = (byte)'/';
                }

                var changed = Encoding.ASCII.GetString(bytes);
                var general = ApiJson.ParseDateTime(changed);
                var r = new ApiJsonReader(Encoding.ASCII.GetBytes("\"" + changed + "\""));
                r.ReadRequired();
                if (general is { } expected)
                {
                    Assert.Equal(expected, ApiJson.ReadDateTime(ref r));
                }
                else
                {
                    var threw = false;
                    try
                    {
                        ApiJson.ReadDateTime(ref r);
                    }
                    catch (JsonException)
                    {
                        threw = true;
                    }

                    Assert.True(threw, changed + " was read, but the general parser refuses it");
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    [Fact]
    public void A_uuid_with_any_byte_changed_reads_as_the_byte_parser_reads_it_or_is_refused_as_it_refuses_it()
    {
        // The vector path checks the dashes and decodes the 32 digits at once: a UUID in either case, with one byte
        // replaced by any other (or cut or lengthened by one), must give Utf8Parser's 'D' answer, and a valid one the
        // value Guid.ParseExact gives.
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var rnd = new Random(seed);
                var bytes = new byte[16];
                rnd.NextBytes(bytes);
                var guid = new Guid(bytes);
                var text = guid.ToString("D", CultureInfo.InvariantCulture);
                text = (seed % 3) switch
                {
                    0 => text,
                    1 => text.ToUpperInvariant(),
                    _ => string.Concat(text.Select(c => rnd.Next(2) == 0 ? char.ToUpperInvariant(c) : c)),
                };
                var utf8 = Encoding.ASCII.GetBytes(text).ToList();
                switch (rnd.Next(8))
                {
                    case 0:
                        break;
                    case 1:
                        utf8.RemoveAt(rnd.Next(utf8.Count));
                        break;
                    case 2:
                        utf8.Insert(rnd.Next(utf8.Count + 1), (byte)"0aF-"[rnd.Next(4)]);
                        break;
                    default:
                        var at = rnd.Next(utf8.Count);
                        utf8[at] = (byte)rnd.Next(0x20, 0x7F);
                        if (utf8[at] is (byte)'"' or (byte)'\\')
                        {
                            utf8[at] = (byte)'G';
                        }

                        break;
                }

                var span = utf8.ToArray();
                var valid = System.Buffers.Text.Utf8Parser.TryParse(span, out Guid expected, out var used, 'D') && used == span.Length;
                var r = new ApiJsonReader(Encoding.ASCII.GetBytes("\"" + Encoding.ASCII.GetString(span) + "\""));
                r.ReadRequired();
                Assert.Equal(valid, r.TryGetGuid(out var read));
                if (valid)
                {
                    Assert.Equal(expected, read);
                    Assert.Equal(Guid.ParseExact(Encoding.ASCII.GetString(span), "D"), read);
                    Assert.Equal(expected, ApiJson.ReadGuid(ref r));
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));

        foreach (var text in new[] { "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "01234567-89ab-cdef-0123-456789ABCDEF" })
        {
            var r = new ApiJsonReader(Encoding.ASCII.GetBytes("\"" + text + "\""));
            r.ReadRequired();
            Assert.True(r.TryGetGuid(out var read));
            Assert.Equal(Guid.ParseExact(text, "D"), read);
        }

        foreach (var text in new[] { "0123456789ab-cdef-0123-456789ABCDEF", "01234567-89ab-cdef-0123-456789ABCDE/", "01234567-89ab-cdef-0123-456789ABCDE:", "01234567-89ab-cdef-0123-456789ABCDE@", "01234567-89ab-cdef-0123-456789ABCDEg", "+1234567-89ab-cdef-0123-456789abcdef", "{1234567-89ab-cdef-0123-456789abcdef" })
        {
            var r = new ApiJsonReader(Encoding.ASCII.GetBytes("\"" + text + "\""));
            r.ReadRequired();
            Assert.False(r.TryGetGuid(out _), text);
        }
    }

    [Fact]
    public void The_common_timestamp_spellings_are_read_without_allocating()
    {
        // The fast path parses the bytes; the general one makes a string first. Counting bytes tells them apart.
        var json = Encoding.ASCII.GetBytes("[\"2026-12-03T07:15:09\",\"2026-12-03T07:15:09Z\",\"2026-12-03T07:15:09.1234567+02:00\",\"1999-02-28T23:59:59-05:30\"]");
        static long Sum(byte[] json)
        {
            var r = new ApiJsonReader(json);
            r.ReadRequired();
            long ticks = 0;
            while (r.Read() && r.TokenType == JsonTokenType.String)
            {
                ticks += ApiJson.ReadDateTime(ref r).UtcTicks;
            }

            return ticks;
        }

        var expected = Sum(json);
        var least = long.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sum = Sum(json);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(expected, sum);
        }

        Assert.Equal(0, least);
    }
}
