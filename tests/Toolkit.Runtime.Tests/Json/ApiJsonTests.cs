using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Runtime.Tests.Json;

/// <summary>The runtime JSON primitives the generated models call, including their fast paths.</summary>
public class ApiJsonTests
{
    private static DateTimeOffset ReadDateTime(string jsonString)
        => ApiJson.Parse(Encoding.UTF8.GetBytes(jsonString), static (ref ApiJsonReader r) => ApiJson.ReadDateTime(ref r));

    [Theory]
    [InlineData("\"2026-11-22T11:08:22\"", "2026-11-22T11:08:22.0000000+00:00")]
    [InlineData("\"2026-11-22T11:08:22.1234567\"", "2026-11-22T11:08:22.1234567+00:00")]
    [InlineData("\"2026-11-22T11:08:22Z\"", "2026-11-22T11:08:22.0000000+00:00")]
    [InlineData("\"2026-11-22T11:08:22+02:00\"", "2026-11-22T11:08:22.0000000+02:00")]
    [InlineData("\"2026-11-22T11:08:22-05:30\"", "2026-11-22T11:08:22.0000000-05:30")]
    [InlineData("\"2026-11-22\"", "2026-11-22T00:00:00.0000000+00:00")]
    [InlineData("\"2026-11-22 11:08:22\"", "2026-11-22T11:08:22.0000000+00:00")]
    [InlineData("\"2026-11-22T11:08:22\\u002B01:00\"", "2026-11-22T11:08:22.0000000+01:00")]
    [InlineData("\"2026-11-22T11:08:22\\u0022\"", null)]
    [InlineData("\"yesterday\"", null)]
    public void Date_time_keeps_offsets_and_reads_offset_less_values_as_utc(string json, string? expected)
    {
        if (expected is null)
        {
            Assert.Throws<JsonException>(() => ReadDateTime(json));
            return;
        }

        var value = ReadDateTime(json);
        Assert.Equal(expected, value.ToString("O", CultureInfo.InvariantCulture));
    }

    [Property]
    public void Date_time_fast_path_agrees_with_the_text_parser_and_the_writer(long ticks, short minutes)
    {
        var utc = new DateTime(DateTime.UnixEpoch.Ticks + (Math.Abs(ticks % (400L * 365 * TimeSpan.TicksPerDay))), DateTimeKind.Utc);
        var offset = TimeSpan.FromMinutes(minutes % (14 * 60));
        var value = new DateTimeOffset(utc).ToOffset(offset);

        // Offset-less text: same instant as the old text parser (UTC), offset zero.
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        var read = ReadDateTime("\"" + text + "\"");
        Assert.Equal(ApiJson.ParseDateTime(text), read);
        Assert.Equal(TimeSpan.Zero, read.Offset);

        foreach (var withoutOffset in new[] { false, true })
        {
            var bytes = ApiJson.Serialize(value, (w, v) => ApiJson.WriteDateTime(w, v, withoutOffset));
            var back = ApiJson.Parse(bytes, static (ref ApiJsonReader r) => ApiJson.ReadDateTime(ref r));
            Assert.Equal(value.UtcDateTime, back.UtcDateTime);
            Assert.Equal(withoutOffset ? TimeSpan.Zero : offset, back.Offset);
            Assert.Equal(withoutOffset, !Encoding.UTF8.GetString(bytes).Contains('Z', StringComparison.Ordinal) && !Encoding.UTF8.GetString(bytes).Contains('+', StringComparison.Ordinal) && Encoding.UTF8.GetString(bytes).Count(c => c == '-') == 2);
        }
    }

    [Fact]
    public void Strings_read_back_exactly_and_repeated_short_values_are_shared()
    {
        var alphabet = new[] { "vo", "atlas", "é", "\"", "\\", "/", "\n", "x", "0123456789abcdef", "€", "\u0001", " " };
        Prop.ForAll(
            ArbMap.Default.ArbFor<int[]>(),
            seeds =>
            {
                var values = seeds.Select(s => string.Concat(Enumerable.Range(0, Math.Abs(s % 7)).Select(i => alphabet[Math.Abs((s >> i) % alphabet.Length)]))).ToArray();
                var json = JsonSerializer.SerializeToUtf8Bytes(values);
                var read = ApiJson.Parse(json, static (ref ApiJsonReader r) => ApiJson.ReadList(ref r, static (ref ApiJsonReader r1) => ApiJson.ReadString(ref r1)));
                Assert.Equal(values, read);
            }).QuickCheckThrowOnFailure();

        var same = ApiJson.Parse("[\"atlas\",\"atlas\",\"cms\",\"atlas\"]"u8, static (ref ApiJsonReader r) => ApiJson.ReadList(ref r, static (ref ApiJsonReader r1) => ApiJson.ReadString(ref r1)));
        Assert.Same(same[0], same[1]);
        Assert.Same(same[0], same[3]);
        Assert.Equal("cms", same[2]);
    }

    [Fact]
    public void Lists_of_any_length_are_exact_arrays()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<int[]>(),
            values =>
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(values.Concat(Enumerable.Range(0, values.Length % 3 == 0 ? 40 : 0)).ToArray());
                var expected = JsonSerializer.Deserialize<int[]>(json)!;
                var read = ApiJson.Parse(json, static (ref ApiJsonReader r) => ApiJson.ReadList(ref r, static (ref ApiJsonReader r1) => ApiJson.ReadInt32(ref r1)));
                var array = Assert.IsType<int[]>(read);
                Assert.Equal(expected, array);
            }).QuickCheckThrowOnFailure();

        var truncated = Assert.ThrowsAny<JsonException>(() => ApiJson.Parse("[1,2,3,4,5,6,7,8,9,10"u8, static (ref ApiJsonReader r) => ApiJson.ReadList(ref r, static (ref ApiJsonReader r1) => ApiJson.ReadInt32(ref r1))));
        Assert.NotNull(truncated.Message);
    }

    [Fact]
    public void Serialize_grows_its_pooled_buffer_and_matches_the_plain_writer_with_minimal_escaping()
    {
        var values = Enumerable.Range(0, 5000).Select(i => "value-" + i.ToString(CultureInfo.InvariantCulture) + "-é").ToArray();
        var ours = ApiJson.Serialize<IReadOnlyList<string>>(values, static (w, list) => ApiJson.WriteList(w, list, static (w1, s) => w1.WriteStringValue(s)));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var v in values)
            {
                writer.WriteStringValue(v);
            }

            writer.WriteEndArray();
        }

        Assert.True(ours.Length > 4096);
        Assert.Equal(buffer.WrittenSpan.ToArray(), ours);
    }
}
