using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Fts3;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Fts3.Tests;

/// <summary>
/// Every component schema of schemas/openapi/fts3.json (enumerated from the document, not a list) has a generated
/// model; random schema-valid JSON decodes and decode → encode is a fixed point.
/// </summary>
public sealed class RoundTripTests
{
    private static readonly JsonElement Schemas = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fts3.json"))).RootElement.GetProperty("components").GetProperty("schemas");

    [Fact]
    public void Every_fts3_model_round_trips()
    {
        var checkedTypes = new List<string>();
        foreach (var schema in Schemas.EnumerateObject())
        {
            var type = typeof(Fts3Client).Assembly.GetType("Toolkit.Fts3." + schema.Name, throwOnError: true)!;
            var method = typeof(RoundTripTests).GetMethod(nameof(Check), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
            try
            {
                method.Invoke(null, new object[] { schema.Value });
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw new InvalidOperationException("round trip of " + schema.Name + " failed", ex.InnerException);
            }

            checkedTypes.Add(schema.Name);
        }

        Assert.True(checkedTypes.Count >= 22, string.Join(", ", checkedTypes));
        Assert.Contains("Job", checkedTypes);
        Assert.Contains("Submission", checkedTypes);
    }

    private static void Check<T>(JsonElement schema)
        where T : IJsonModel<T>
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var buffer = new ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer))
            {
                Value(w, schema, rnd, 0);
            }

            var json = buffer.WrittenSpan.ToArray();
            var first = ApiJson.Parse<T>(json);
            var b1 = ApiJson.Serialize(first);
            var b2 = ApiJson.Serialize(ApiJson.Parse<T>(b1));
            Assert.True(b1.AsSpan().SequenceEqual(b2), typeof(T).Name + ": " + System.Text.Encoding.UTF8.GetString(json) + " -> " + System.Text.Encoding.UTF8.GetString(b1));
        }).QuickCheckThrowOnFailure();
    }

    private static readonly string[] Words = { "", "a", "SUBMITTED", "ünïcødé", "quote\"back\\slash", "tab\tnew\nline", "/DC=org/CN=x", "emoji 😀" };

    private static void Value(Utf8JsonWriter w, JsonElement s, Random rnd, int depth)
    {
        if (s.TryGetProperty("$ref", out var r))
        {
            Value(w, Schemas.GetProperty(r.GetString()!.Split('/')[^1]), rnd, depth);
            return;
        }

        if (s.TryGetProperty("oneOf", out var branches))
        {
            // An undiscriminated union: any branch (the generated struct tells them apart by the JSON kind).
            var list = branches.EnumerateArray().ToList();
            Value(w, list[rnd.Next(list.Count)], rnd, depth);
            return;
        }

        string? type = null;
        var nullable = false;
        if (s.TryGetProperty("type", out var t))
        {
            if (t.ValueKind == JsonValueKind.Array)
            {
                type = t.EnumerateArray().Select(x => x.GetString()).First(x => x != "null");
                nullable = t.EnumerateArray().Any(x => x.GetString() == "null");
            }
            else
            {
                type = t.GetString();
            }
        }

        if (nullable && rnd.Next(5) == 0)
        {
            w.WriteNullValue();
            return;
        }

        if (s.TryGetProperty("enum", out var e))
        {
            var values = e.EnumerateArray().ToList();
            if (rnd.Next(4) == 0)
            {
                w.WriteStringValue("NEW_STATE_" + rnd.Next(100).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                values[rnd.Next(values.Count)].WriteTo(w);
            }

            return;
        }

        switch (type)
        {
            case "null":
                w.WriteNullValue();
                break;
            case null:
                FreeJson(w, rnd, depth);
                break;
            case "string" when s.TryGetProperty("format", out var f) && f.GetString() == "date-time":
                w.WriteStringValue(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(rnd.Next(0, 300_000_000)).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                break;
            case "string":
                w.WriteStringValue(Words[rnd.Next(Words.Length)]);
                break;
            case "integer":
                var format = s.TryGetProperty("format", out var fi) ? fi.GetString() : null;
                w.WriteNumberValue(format == "int64" ? rnd.NextInt64(long.MinValue / 2, long.MaxValue / 2) : rnd.Next(int.MinValue, int.MaxValue));
                break;
            case "number":
                w.WriteNumberValue(Math.Round((rnd.NextDouble() - 0.5) * 1e9, rnd.Next(0, 6)));
                break;
            case "boolean":
                w.WriteBooleanValue(rnd.Next(2) == 0);
                break;
            case "array":
                w.WriteStartArray();
                for (var i = depth < 3 ? rnd.Next(4) : 0; i > 0; i--)
                {
                    Value(w, s.GetProperty("items"), rnd, depth + 1);
                }

                w.WriteEndArray();
                break;
            default:
                w.WriteStartObject();
                var required = s.TryGetProperty("required", out var req) ? req.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : new HashSet<string>();
                if (s.TryGetProperty("properties", out var props))
                {
                    foreach (var p in props.EnumerateObject())
                    {
                        if (required.Contains(p.Name) || (depth < 3 && rnd.Next(3) != 0))
                        {
                            w.WritePropertyName(p.Name);
                            Value(w, p.Value, rnd, depth + 1);
                        }
                    }
                }

                if (s.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.Object)
                {
                    for (var i = rnd.Next(3); i > 0; i--)
                    {
                        w.WritePropertyName("key" + i.ToString(CultureInfo.InvariantCulture));
                        Value(w, ap, rnd, depth + 1);
                    }
                }

                w.WriteEndObject();
                break;
        }
    }

    private static void FreeJson(Utf8JsonWriter w, Random rnd, int depth)
    {
        switch (depth > 3 ? rnd.Next(4) : rnd.Next(6))
        {
            case 0: w.WriteStringValue(Words[rnd.Next(Words.Length)]); break;
            case 1: w.WriteNumberValue(rnd.Next(-1000, 1000)); break;
            case 2: w.WriteBooleanValue(true); break;
            case 3: w.WriteNullValue(); break;
            case 4:
                w.WriteStartArray();
                FreeJson(w, rnd, depth + 1);
                w.WriteEndArray();
                break;
            default:
                w.WriteStartObject();
                w.WritePropertyName("k");
                FreeJson(w, rnd, depth + 1);
                w.WriteEndObject();
                break;
        }
    }
}
