using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Runtime.Tests.Json;

/// <summary>
/// The reader and writer generated models use, checked against System.Text.Json: the reader must accept exactly the
/// documents <see cref="Utf8JsonReader"/> accepts and report the same tokens; what the writer writes must read back
/// through <see cref="JsonDocument"/> to the same values.
/// </summary>
public class ApiJsonReaderWriterTests
{
    private static readonly JsonReaderOptions StjOptions = new() { MaxDepth = ApiJsonReader.DefaultMaxDepth };

    private static readonly string[] Fragments =
    {
        "{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\n", "\t", "\r", "0", "1", "-", ".", "e", "E", "+", "t", "f", "n",
        "true", "false", "null", "\\u", "\\ud83d", "\\ude00", "\u0001", "\u007f", "é", "/", "//", "/*", "x", "\"a\":",
    };

    [Fact]
    public void Random_and_mutated_documents_give_the_same_tokens_and_verdict_as_Utf8JsonReader()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            ArbMap.Default.ArbFor<byte>(),
            (seed, mutations) =>
            {
                var rnd = new Random(seed);
                var doc = Encoding.UTF8.GetBytes(RandomJson(rnd, 0));
                doc = Mutate(rnd, doc, mutations % 4);
                CompareWithUtf8JsonReader(doc);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t ")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{1:2}")]
    [InlineData("[01]")]
    [InlineData("[1.]")]
    [InlineData("[.5]")]
    [InlineData("[1e]")]
    [InlineData("[-]")]
    [InlineData("[1a]")]
    [InlineData("[truex]")]
    [InlineData("[tru]")]
    [InlineData("[nul")]
    [InlineData("\"abc")]
    [InlineData("\"a\\qb\"")]
    [InlineData("\"a\\u12G4\"")]
    [InlineData("\"a\u0001b\"")]
    [InlineData("[] []")]
    [InlineData("[]]")]
    [InlineData("{\"a\":1}}")]
    [InlineData("[\"a\"\"b\"]")]
    [InlineData("[1 2]")]
    [InlineData("{\"a\":[}")]
    [InlineData("[/*c*/1]")]
    [InlineData("\ufeff[1]")]
    [InlineData("\"\\ud800\"")]
    [InlineData("{\"a\":-0.5e+10,\"b\":[true,false,null,{}],\"c\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}")]
    public void Edge_cases_match_Utf8JsonReader(string json) => CompareWithUtf8JsonReader(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Errors_name_the_byte_offset()
    {
        var e = Assert.Throws<JsonException>(() => Drain("{\"job\": [1, 2,]}"u8));
        Assert.Contains("at byte 14", e.Message, StringComparison.Ordinal);
        Assert.Contains("trailing comma", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<JsonException>(() => Drain("{\"a\": \"x\u0001\"}"u8));
        Assert.Contains("at byte 8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Depth_limit_is_enforced_without_recursion()
    {
        var ok = new string('[', ApiJsonReader.DefaultMaxDepth) + new string(']', ApiJsonReader.DefaultMaxDepth);
        Assert.Equal(2 * ApiJsonReader.DefaultMaxDepth, Drain(Encoding.UTF8.GetBytes(ok)));
        var deep = new string('[', ApiJsonReader.DefaultMaxDepth + 1) + new string(']', ApiJsonReader.DefaultMaxDepth + 1);
        var e = Assert.Throws<JsonException>(() => Drain(Encoding.UTF8.GetBytes(deep)));
        Assert.Contains("at byte " + ApiJsonReader.DefaultMaxDepth.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);

        // A million brackets: refused at the limit, not a stack overflow.
        Assert.Throws<JsonException>(() => Drain(Encoding.UTF8.GetBytes(new string('[', 1_000_000))));
    }

    [Fact]
    public void Invalid_utf8_and_lone_surrogates_are_json_errors_with_offsets()
    {
        var bad = new byte[] { (byte)'[', (byte)'"', (byte)'a', 0xC3, (byte)'"', (byte)']' };
        var e = Assert.Throws<JsonException>(() => ReadFirstString(bad));
        Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
        Assert.Contains("at byte 3", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<JsonException>(() => ReadFirstString("[\"ab\\ud800c\"]"u8.ToArray()));
        Assert.Contains("lone high surrogate", e.Message, StringComparison.Ordinal);
        Assert.Contains("at byte 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_and_raw_values_cover_whole_subtrees()
    {
        var reader = new ApiJsonReader("{\"a\": {\"b\": [1, {\"c\": null}], \"d\": \"e\"}, \"f\": 2}"u8);
        reader.ReadRequired();
        reader.ReadRequired();
        Assert.Equal("a", reader.GetString());
        Assert.Equal("{\"b\": [1, {\"c\": null}], \"d\": \"e\"}", Encoding.UTF8.GetString(reader.ReadRawValue()));
        reader.ReadRequired();
        Assert.Equal("f", reader.GetString());
        reader.Skip();
        Assert.Equal(JsonTokenType.Number, reader.TokenType);
        reader.ReadRequired();
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.False(reader.Read());
    }

    [Fact]
    public void Writer_strings_read_back_as_the_same_text()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<string>(),
            s =>
            {
                if (s is null)
                {
                    return;
                }

                using var w = new ApiJsonWriter(16);
                w.WriteStartArray();
                var valid = IsValidUtf16(s);
                if (!valid)
                {
                    Assert.Throws<ArgumentException>(() => w.WriteStringValue(s));
                    return;
                }

                w.WriteStringValue(s);
                w.WriteStartObject();
                w.WriteString(s, s);
                w.WriteEndObject();
                w.WriteEndArray();
                using var doc = JsonDocument.Parse(w.ToArray());
                Assert.Equal(s, doc.RootElement[0].GetString());
                Assert.Equal(s, doc.RootElement[1].GetProperty(s).GetString());
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Writer_numbers_dates_and_uuids_read_back_exactly()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<double>(),
            ArbMap.Default.ArbFor<long>(),
            ArbMap.Default.ArbFor<int>(),
            (d, l, seed) =>
            {
                var rnd = new Random(seed);
                var bytes = new byte[16];
                rnd.NextBytes(bytes);
                var g = new Guid(bytes);
                var t = new DateTime(rnd.NextInt64(DateTime.MinValue.AddDays(2).Ticks, DateTime.MaxValue.AddDays(-2).Ticks));
                t = (seed % 3) switch
                {
                    0 => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond)), // whole seconds, as services mostly send
                    1 => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerMillisecond)),
                    _ => t,
                };
                var minutes = rnd.Next(-14 * 60, (14 * 60) + 1);
                var when = new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Unspecified), TimeSpan.FromMinutes(minutes % (14 * 60)));
                using var w = new ApiJsonWriter(8);
                w.WriteStartArray();
                if (!double.IsFinite(d))
                {
                    Assert.Throws<ArgumentException>(() => w.WriteNumberValue(d));
                    d = 0;
                }

                w.WriteNumberValue(d);
                w.WriteNumberValue(l);
                w.WriteNumberValue((int)l);
                w.WriteStringValue(g);
                w.WriteDateTimeValue(when);
                w.WriteDateTimeValue(when, withoutOffset: true);
                w.WriteDateValue(DateOnly.FromDateTime(t));
                w.WriteBase64StringValue(g.ToByteArray());
                w.WriteBooleanValue(l % 2 == 0);
                w.WriteNullValue();
                w.WriteEndArray();

                using var doc = JsonDocument.Parse(w.ToArray());
                var a = doc.RootElement;
                Assert.Equal(d, a[0].GetDouble());
                Assert.Equal(l, a[1].GetInt64());
                Assert.Equal((int)l, a[2].GetInt32());
                Assert.Equal(g, a[3].GetGuid());
                Assert.Equal(when, a[4].GetDateTimeOffset());
                Assert.Equal(when.Offset, a[4].GetDateTimeOffset().Offset);
                Assert.Equal(when.UtcDateTime, DateTime.SpecifyKind(a[5].GetDateTime(), DateTimeKind.Utc));
                Assert.DoesNotContain("Z", a[5].GetString()!, StringComparison.Ordinal);
                Assert.Equal(when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), a[5].GetString());
                Assert.Equal(when.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture), a[4].GetString());
                Assert.Equal(DateOnly.FromDateTime(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), a[6].GetString());
                Assert.Equal(g.ToByteArray(), a[7].GetBytesFromBase64());
                Assert.Equal(l % 2 == 0, a[8].GetBoolean());
                Assert.Equal(JsonValueKind.Null, a[9].ValueKind);

                // The reader's own parsers agree with the writer too.
                var r = new ApiJsonReader(w.WrittenSpan);
                r.ReadRequired();
                r.ReadRequired();
                Assert.True(r.TryGetDouble(out var d2));
                Assert.Equal(d, d2);
                r.ReadRequired();
                Assert.True(r.TryGetInt64(out var l2));
                Assert.Equal(l, l2);
                r.ReadRequired();
                r.ReadRequired();
                Assert.True(r.TryGetGuid(out var g2));
                Assert.Equal(g, g2);
                r.ReadRequired();
                Assert.Equal(when, ApiJson.ReadDateTime(ref r));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decimals_read_as_doubles_are_the_correctly_rounded_values_bit_for_bit()
    {
        // The scanner keeps the digits of a number of at most 18 digits and no exponent, and TryGetDouble divides
        // them by a power of ten when they fit a double exactly; everything else is parsed from the text. Both must
        // give what double.Parse gives, to the bit (the sign of zero included), around every boundary: 15 to 19
        // digits, mantissas near 2^53, fractions of up to 20 digits, leading zeros, negatives.
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var rnd = new Random(seed);
                for (var n = 0; n < 50; n++)
                {
                    var text = RandomDecimal(rnd);
                    var r = new ApiJsonReader(Encoding.ASCII.GetBytes("[" + text + "]"));
                    r.ReadRequired();
                    r.ReadRequired();
                    Assert.True(r.TryGetDouble(out var ours), text);
                    var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                    Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(ours), text + ": " + ours.ToString("R", CultureInfo.InvariantCulture) + " instead of " + expected.ToString("R", CultureInfo.InvariantCulture));
                    var integral = !text.Contains('.', StringComparison.Ordinal);
                    Assert.Equal(integral && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : (long?)null, r.TryGetInt64(out var ourLong) ? ourLong : null);
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));

        foreach (var text in new[] { "0", "-0", "0.0", "-0.0", "9007199254740992", "9007199254740993", "-9007199254740993", "900719925474099.3", "0.000000000000000001", "123456789012345678", "1234567890123456789", "0.1", "0.3", "179.769", "-1.5" })
        {
            var r = new ApiJsonReader(Encoding.ASCII.GetBytes(text));
            r.ReadRequired();
            Assert.True(r.TryGetDouble(out var ours));
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(ours));
        }
    }

    private static string RandomDecimal(Random rnd)
    {
        var sb = new StringBuilder();
        if (rnd.Next(3) == 0)
        {
            sb.Append('-');
        }

        var intDigits = rnd.Next(0, 21);
        if (intDigits == 0)
        {
            sb.Append('0');
        }
        else
        {
            sb.Append((char)('1' + rnd.Next(9)));
            for (var i = 1; i < intDigits; i++)
            {
                sb.Append(rnd.Next(4) == 0 ? '9' : (char)('0' + rnd.Next(10)));
            }
        }

        var fraction = rnd.Next(3) == 0 ? 0 : rnd.Next(1, 21);
        if (fraction > 0)
        {
            sb.Append('.');
            for (var i = 0; i < fraction; i++)
            {
                sb.Append(rnd.Next(5) == 0 ? '0' : (char)('0' + rnd.Next(10)));
            }
        }

        return sb.ToString();
    }

    [Fact]
    public void Writer_places_commas_and_grows_from_a_tiny_buffer()
    {
        using var w = new ApiJsonWriter(1);
        w.WriteStartObject();
        w.WritePropertyName("\"a\":"u8);
        w.WriteStartArray();
        w.WriteNumberValue(1);
        w.WriteStartObject();
        w.WriteEndObject();
        w.WriteStartArray();
        w.WriteEndArray();
        w.WriteStringValue("x\"y\\z\n\u0001é😀");
        w.WriteEndArray();
        w.WriteNull("b");
        w.WriteString("c", (string?)null);
        w.WriteEndObject();
        Assert.Equal("{\"a\":[1,{},[],\"x\\\"y\\\\z\\n\\u0001é😀\"],\"b\":null,\"c\":null}", Encoding.UTF8.GetString(w.WrittenSpan));
        w.Reset();
        w.WriteNumberValue(2);
        Assert.Equal("2", Encoding.UTF8.GetString(w.WrittenSpan));
    }

    private static void CompareWithUtf8JsonReader(byte[] doc)
    {
        var ours = new List<string>();
        var theirs = new List<string>();
        Exception? ourError = null;
        Exception? theirError = null;
        try
        {
            var r = new ApiJsonReader(doc);
            while (r.Read())
            {
                ours.Add(Describe(r.TokenType, r.CurrentDepth, r.TokenStartIndex, r.ValueSpan, r.ValueIsEscaped));
                if (r.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    ours.Add(TryText(ref r));
                }
                else if (r.TokenType == JsonTokenType.Number)
                {
                    ours.Add(r.TryGetInt64(out var l) + ":" + l + "|" + r.TryGetInt32(out var i) + ":" + i + "|" + r.TryGetDouble(out var d) + ":" + d.ToString("R", CultureInfo.InvariantCulture));
                }
            }
        }
        catch (JsonException e)
        {
            ourError = e;
        }

        try
        {
            var r = new Utf8JsonReader(doc, StjOptions);
            while (r.Read())
            {
                theirs.Add(Describe(r.TokenType, r.CurrentDepth, r.TokenStartIndex, r.ValueSpan, r.ValueIsEscaped));
                if (r.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    string text;
                    try
                    {
                        text = "text:" + r.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        text = "undecodable";
                    }

                    theirs.Add(text);
                }
                else if (r.TokenType == JsonTokenType.Number)
                {
                    var okD = r.TryGetDouble(out var d) && double.IsFinite(d);
                    theirs.Add(r.TryGetInt64(out var l) + ":" + l + "|" + r.TryGetInt32(out var i) + ":" + i + "|" + okD + ":" + (okD ? d : 0).ToString("R", CultureInfo.InvariantCulture));
                }
            }
        }
        catch (JsonException e)
        {
            theirError = e;
        }

        var shown = Encoding.UTF8.GetString(doc);
        Assert.True((ourError is null) == (theirError is null), "verdicts differ on " + shown + ": ours " + (ourError?.Message ?? "accepted") + "; Utf8JsonReader " + (theirError?.Message ?? "accepted"));
        if (ourError is null)
        {
            Assert.Equal(theirs, ours);
        }
        else
        {
            Assert.Contains("at byte ", ourError.Message, StringComparison.Ordinal);

            // Up to the error, both saw the same tokens (one may stop a token earlier than the other).
            var n = Math.Min(ours.Count, theirs.Count) - 2;
            for (var k = 0; k < n; k++)
            {
                Assert.Equal(theirs[k], ours[k]);
            }
        }
    }

    private static string TryText(ref ApiJsonReader r)
    {
        try
        {
            return "text:" + r.GetString();
        }
        catch (JsonException e)
        {
            Assert.Contains("at byte ", e.Message, StringComparison.Ordinal);
            return "undecodable";
        }
    }

    private static string Describe(JsonTokenType type, int depth, long start, ReadOnlySpan<byte> value, bool escaped)
        => type + "@" + depth.ToString(CultureInfo.InvariantCulture) + "/" + start.ToString(CultureInfo.InvariantCulture) + "=" + Convert.ToHexString(value) + (escaped ? "+esc" : string.Empty);

    private static int Drain(ReadOnlySpan<byte> json)
    {
        var r = new ApiJsonReader(json);
        var n = 0;
        while (r.Read())
        {
            n++;
        }

        return n;
    }

    private static string ReadFirstString(byte[] json)
    {
        var r = new ApiJsonReader(json);
        r.ReadRequired();
        r.ReadRequired();
        return r.GetString();
    }

    private static bool IsValidUtf16(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string RandomJson(Random rnd, int depth)
    {
        var ws = rnd.Next(6) == 0 ? " \n\t\r".Substring(rnd.Next(4), 1) : string.Empty;
        switch (depth > 5 ? rnd.Next(4) : rnd.Next(7))
        {
            case 0:
                return ws + RandomNumber(rnd) + ws;
            case 1:
                return ws + RandomString(rnd) + ws;
            case 2:
                return new[] { "true", "false", "null" }[rnd.Next(3)];
            case 3:
                return ws + RandomString(rnd);
            case 4:
            case 5:
            {
                var sb = new StringBuilder("{" + ws);
                var n = rnd.Next(5);
                for (var i = 0; i < n; i++)
                {
                    sb.Append(i > 0 ? "," + ws : string.Empty).Append(RandomString(rnd)).Append(ws).Append(':').Append(RandomJson(rnd, depth + 1));
                }

                return sb.Append(ws + "}").ToString();
            }

            default:
            {
                var sb = new StringBuilder("[" + ws);
                var n = rnd.Next(5);
                for (var i = 0; i < n; i++)
                {
                    sb.Append(i > 0 ? "," : string.Empty).Append(RandomJson(rnd, depth + 1));
                }

                return sb.Append(']').ToString();
            }
        }
    }

    private static string RandomNumber(Random rnd)
    {
        var sb = new StringBuilder();
        if (rnd.Next(3) == 0)
        {
            sb.Append('-');
        }

        sb.Append(rnd.Next(4) == 0 ? "0" : rnd.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture).Substring(0, rnd.Next(1, 20)));
        if (rnd.Next(3) == 0)
        {
            sb.Append('.').Append(rnd.Next(0, 1_000_000).ToString(CultureInfo.InvariantCulture));
        }

        if (rnd.Next(4) == 0)
        {
            sb.Append(rnd.Next(2) == 0 ? 'e' : 'E').Append(new[] { "", "+", "-" }[rnd.Next(3)]).Append(rnd.Next(0, 400).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static string RandomString(Random rnd)
    {
        var pieces = new[] { "a", "job_id", " ", "é", "😀", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\ud83d\\ude00", "\\ud800", "x".PadRight(40, 'y') };
        var sb = new StringBuilder("\"");
        var n = rnd.Next(4);
        for (var i = 0; i < n; i++)
        {
            sb.Append(pieces[rnd.Next(pieces.Length)]);
        }

        return sb.Append('"').ToString();
    }

    private static byte[] Mutate(Random rnd, byte[] doc, int count)
    {
        var bytes = new List<byte>(doc);
        for (var m = 0; m < count; m++)
        {
            var at = bytes.Count == 0 ? 0 : rnd.Next(bytes.Count);
            switch (rnd.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[rnd.Next(Fragments.Length)]));
                    break;
                case 2 when bytes.Count > 0:
                    bytes[at] = (byte)rnd.Next(256);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[rnd.Next(Fragments.Length)]));
                    break;
            }
        }

        return bytes.ToArray();
    }
}
