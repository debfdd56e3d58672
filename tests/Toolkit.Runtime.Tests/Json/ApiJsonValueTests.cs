using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Runtime.Json;

namespace Toolkit.Runtime.Tests.Json;

/// <summary>The free-form value generated models hold: its text kept, parsed on demand, written back as it came.</summary>
public class ApiJsonValueTests
{
    private static readonly string[] Words = ["", "a", "é", "\"", "\\", "\n", "\u0001", "😀", "</script>", "x y"];

    /// <summary>A random JSON value written by System.Text.Json (escapes, nesting, every kind).</summary>
    private static byte[] RandomJson(int seed)
    {
        var rnd = new Random(seed);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = rnd.Next(2) == 0, MaxDepth = 64 }))
        {
            Write(w, rnd, 0);
        }

        return ms.ToArray();

        static string Word(Random rnd) => string.Concat(Enumerable.Range(0, rnd.Next(3)).Select(_ => Words[rnd.Next(Words.Length)]));

        static void Write(Utf8JsonWriter w, Random rnd, int depth)
        {
            switch (rnd.Next(depth > 5 ? 5 : 7))
            {
                case 0: w.WriteNullValue(); break;
                case 1: w.WriteBooleanValue(rnd.Next(2) == 0); break;
                case 2: w.WriteNumberValue(rnd.NextDouble() * rnd.Next(-1_000_000, 1_000_000)); break;
                case 3: w.WriteNumberValue(rnd.NextInt64()); break;
                case 4: w.WriteStringValue(Word(rnd)); break;
                case 5:
                    w.WriteStartArray();
                    for (var i = rnd.Next(4); i > 0; i--)
                    {
                        Write(w, rnd, depth + 1);
                    }

                    w.WriteEndArray();
                    break;
                default:
                    w.WriteStartObject();
                    for (var i = rnd.Next(4); i > 0; i--)
                    {
                        w.WritePropertyName(Word(rnd) + i);
                        Write(w, rnd, depth + 1);
                    }

                    w.WriteEndObject();
                    break;
            }
        }
    }

    [Fact]
    public void Any_value_round_trips_as_the_same_bytes_inside_a_model_and_parses_to_the_same_element()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var json = RandomJson(seed);
                var value = ApiJsonValue.Parse(json);
                Assert.True(value.Utf8.SequenceEqual(json));
                using var expected = JsonDocument.Parse(json);
                Assert.True(JsonElement.DeepEquals(expected.RootElement, value.ToElement()));
                Assert.Equal(expected.RootElement.ValueKind, value.ValueKind);

                // Inside a document, as a generated model meets it: read from an object member, written back.
                var doc = Encoding.UTF8.GetBytes("{\"v\": ").Concat(json).Concat(" , \"w\":1}"u8.ToArray()).ToArray();
                var read = ApiJson.Parse(doc, static (ref ApiJsonReader r) =>
                {
                    Assert.True(r.ReadPropertyNameOrEndObject());
                    var v = ApiJson.ReadValue(ref r);
                    Assert.True(r.ReadPropertyNameOrEndObject());
                    r.Skip();
                    Assert.False(r.ReadPropertyNameOrEndObject());
                    return v;
                });
                Assert.Equal(value, read);
                Assert.Equal(value.GetHashCode(), read.GetHashCode());

                using var w = new ApiJsonWriter(16);
                w.WriteStartArray();
                ApiJson.WriteValue(w, read);
                read.WriteTo(w);
                w.WriteEndArray();
                Assert.Equal("[" + value + "," + value + "]", Encoding.UTF8.GetString(w.WrittenSpan));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Deep_nesting_is_kept_and_parses_past_the_System_Text_Json_default_depth()
    {
        var json = new string('[', 200) + "{\"k\":\"v\"}" + new string(']', 200);
        var value = ApiJsonValue.Parse(json);
        var e = value.ToElement();
        for (var i = 0; i < 200; i++)
        {
            e = e[0];
        }

        Assert.Equal("v", e.GetProperty("k").GetString());

        var tooDeep = new string('[', 300) + new string(']', 300);
        var error = Assert.Throws<JsonException>(() => ApiJsonValue.Parse(tooDeep));
        Assert.Contains("at byte 256", error.Message, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, ApiJsonValue.Parse(tooDeep, maxDepth: 300).ToElement().ValueKind);
    }

    [Fact]
    public void Escapes_stay_as_sent_and_decode_on_demand()
    {
        const string json = "{\"caf\\u00e9\":\"a\\n\\\"b\\\"\\ud83d\\ude00\",\"u\":\"\\u0000\"}";
        var value = ApiJsonValue.Parse(json);
        Assert.Equal(json, value.ToString());
        var e = value.ToElement();
        Assert.Equal("a\n\"b\"😀", e.GetProperty("café").GetString());
        Assert.Equal("\0", e.GetProperty("u").GetString());
    }

    [Theory]
    [InlineData("{\"a\":1,}", 7)]
    [InlineData("[1] 2", 4)]
    [InlineData("{\"a\" 1}", 5)]
    [InlineData("  ", 2)]
    [InlineData("[1, tru]", -1)]
    [InlineData("\"abc", -1)]
    [InlineData("\"\\x\"", -1)]
    [InlineData("01", -1)]
    public void Invalid_json_is_a_JsonException_naming_the_byte_offset(string json, int offset)
    {
        var error = Assert.Throws<JsonException>(() => ApiJsonValue.Parse(json));
        Assert.StartsWith("invalid JSON: ", error.Message, StringComparison.Ordinal);
        var at = System.Text.RegularExpressions.Regex.Match(error.Message, @"\(at byte (\d+)\)$");
        Assert.True(at.Success, error.Message);
        var found = int.Parse(at.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (offset >= 0)
        {
            Assert.Equal(offset, found);
        }
        else
        {
            Assert.InRange(found, 0, json.Length);
        }
    }

    [Fact]
    public void Equality_is_ordinal_on_the_text_and_ToString_is_the_text()
    {
        Assert.Equal(ApiJsonValue.Null, default);
        Assert.Equal(ApiJsonValue.Null, ApiJsonValue.Parse("null"));
        Assert.Equal("null", default(ApiJsonValue).ToString());
        Assert.Equal(JsonValueKind.Null, default(ApiJsonValue).ValueKind);
        Assert.True(ApiJsonValue.Parse(" {\"a\":1} ") == ApiJsonValue.Parse("{\"a\":1}"));
        Assert.Equal("{\"a\":1}", ApiJsonValue.Parse(" {\"a\":1}\n").ToString());
        Assert.True(ApiJsonValue.Parse("{\"a\":1,\"b\":2}") != ApiJsonValue.Parse("{\"b\":2,\"a\":1}"));
        Assert.NotEqual(ApiJsonValue.Parse("1"), ApiJsonValue.Parse("1.0"));
        Assert.Equal(ApiJsonValue.Parse("[1, 2]").GetHashCode(), ApiJsonValue.Parse("[1, 2]").GetHashCode());
        Assert.False(ApiJsonValue.Parse("1").Equals((object)"1"));
        Assert.Equal("[1, 2]", ApiJsonValue.Parse("[1, 2]").ToString());
    }

    [Theory]
    [InlineData("{}", JsonValueKind.Object)]
    [InlineData("[]", JsonValueKind.Array)]
    [InlineData("\"\"", JsonValueKind.String)]
    [InlineData("-0.5e3", JsonValueKind.Number)]
    [InlineData("true", JsonValueKind.True)]
    [InlineData("false", JsonValueKind.False)]
    [InlineData("null", JsonValueKind.Null)]
    public void ValueKind_comes_from_the_text(string json, JsonValueKind kind)
        => Assert.Equal(kind, ApiJsonValue.Parse(json).ValueKind);

    [Fact]
    public void Elements_convert_to_values_and_an_undefined_element_is_refused()
    {
        using var doc = JsonDocument.Parse("{\"x\": [1, {\"y\": null}]}");
        ApiJsonValue v = doc.RootElement.GetProperty("x");
        Assert.Equal("[1, {\"y\": null}]", v.ToString());
        Assert.Equal(ApiJsonValue.Null, ApiJsonValue.FromElement(doc.RootElement.GetProperty("x")[1].GetProperty("y")));
        Assert.Throws<ArgumentException>(() => ApiJsonValue.FromElement(default));
    }

    [Fact]
    public void Reading_a_value_where_there_is_none_is_a_JsonException()
    {
        var error = Assert.Throws<JsonException>(() => ApiJson.Parse("{}"u8, static (ref ApiJsonReader r) =>
        {
            r.Read();
            return ApiJson.ReadValue(ref r);
        }));
        Assert.Contains("expected a JSON value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void System_Text_Json_reads_and_writes_it_as_its_text()
    {
        var options = new JsonSerializerOptions { Converters = { new ApiJsonValueConverter() } };
        var converter = (System.Text.Json.Serialization.JsonConverter<ApiJsonValue>)options.GetConverter(typeof(ApiJsonValue));
        var reader = new Utf8JsonReader("{\"a\": [1, \"\\u00e9\"]}"u8);
        reader.Read();
        var value = converter.Read(ref reader, typeof(ApiJsonValue), options);
        Assert.Equal("{\"a\": [1, \"\\u00e9\"]}", value.ToString());
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartArray();
            converter.Write(w, value, options);
            converter.Write(w, ApiJsonValue.Null, options);
            w.WriteEndArray();
        }

        Assert.Equal("[{\"a\": [1, \"\\u00e9\"]},null]", Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public void Reading_null_allocates_nothing()
    {
        var json = "[null,null,null,null,null,null,null,null]"u8.ToArray();
        static int ReadAll(byte[] json)
        {
            var r = new ApiJsonReader(json);
            r.Read();
            var n = 0;
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                n += ApiJson.ReadValue(ref r).ValueKind == JsonValueKind.Null ? 1 : 0;
            }

            return n;
        }

        Assert.Equal(8, ReadAll(json));
        var least = long.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                ReadAll(json);
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }

    [Fact]
    public void Map_keys_shared_through_the_string_table_keep_escapes_non_ascii_and_long_names()
    {
        var longKey = new string('k', 80);
        var json = Encoding.UTF8.GetBytes("[{\"RSE_A\":1,\"caf\\u00e9\":2,\"é\":3,\"" + longKey + "\":4,\"\":5},{\"RSE_A\":6},{\"RSE_A\":7}]");
        var maps = ApiJson.Parse(json, static (ref ApiJsonReader r) =>
            ApiJson.ReadList(ref r, static (ref ApiJsonReader r1) => ApiJson.ReadMap(ref r1, static (ref ApiJsonReader r2) => ApiJson.ReadInt32(ref r2))));
        Assert.Equal(new[] { "RSE_A", "café", "é", longKey, string.Empty }, maps[0].Keys.ToArray());
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, maps[0].Values.ToArray());
        // A value enters the string table the second time it is seen, so it is shared from then on.
        Assert.Same(maps[1].Keys.First(), maps[2].Keys.First());
    }
}
