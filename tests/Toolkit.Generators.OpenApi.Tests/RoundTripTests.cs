using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Generators.OpenApi.Model;
using Toolkit.Generators.OpenApi.Parsing;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// For every model the test schemas generate (found by enumerating the parsed schemas, not a list), random
/// schema-valid JSON must decode, and encode(decode(x)) must be a fixed point: decode → encode → decode → encode
/// gives the same bytes.
/// </summary>
public class RoundTripTests
{
    private static readonly (string File, string Namespace, bool Keep)[] Documents =
    {
        ("petstore.json", "Toolkit.OpenApi.Tests.Pets", false),
        ("lab.json", "Toolkit.OpenApi.Tests.Lab", false),
        ("dispatch.json", "Toolkit.OpenApi.Tests.Dispatch", true),
        ("unions.json", "Toolkit.OpenApi.Tests.Unions", false),
    };

    private static IEnumerable<(DocumentModel Doc, string Namespace)> Models()
    {
        var files = new Dictionary<string, string> { ["/s/common.json"] = GeneratorHarness.Schema("common.json") };
        foreach (var (file, ns, keep) in Documents)
        {
            var nsOption = file == "petstore.json" ? ns : null;
            yield return (OpenApiParser.Parse("/s/" + file, GeneratorHarness.Schema(file), new DocumentOptions(nsOption, null, "Toolkit.OpenApi.Tests", keep, 4), files), ns);
        }
    }

    [Fact]
    public void Every_generated_model_round_trips()
    {
        var checkedTypes = new List<string>();
        foreach (var (doc, ns) in Models())
        {
            Assert.Equal(ns, doc.Client!.Namespace);
            var decls = doc.Types.Select(t => t.Decl).ToDictionary(d => d.Name);
            foreach (var decl in decls.Values)
            {
                var type = typeof(RoundTripTests).Assembly.GetType(ns + "." + decl.Name, throwOnError: true)!;
                var method = typeof(RoundTripTests).GetMethod(nameof(Check), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
                try
                {
                    method.Invoke(null, new object[] { new JsonGen(decls), decl });
                }
                catch (TargetInvocationException ex) when (ex.InnerException is not null)
                {
                    throw new InvalidOperationException("round trip of " + ns + "." + decl.Name + " failed", ex.InnerException);
                }

                checkedTypes.Add(decl.Name);
            }
        }

        Assert.True(checkedTypes.Count >= 25, string.Join(", ", checkedTypes));
    }

    private static void Check<T>(JsonGen gen, TypeDecl decl)
        where T : IJsonModel<T>
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var json = gen.Document(decl, new Random(seed));
                var first = ApiJson.Parse<T>(json);
                var b1 = ApiJson.Serialize(first);
                var second = ApiJson.Parse<T>(b1);
                var b2 = ApiJson.Serialize(second);
                Assert.True(b1.AsSpan().SequenceEqual(b2), decl.Name + ": " + System.Text.Encoding.UTF8.GetString(json) + " -> " + System.Text.Encoding.UTF8.GetString(b1) + " -> " + System.Text.Encoding.UTF8.GetString(b2));
                if (first is not ValueType)
                {
                    // Records with no collection members compare by value as well.
                    var hasCollections = decl.Properties.Any(p => p.Type.Kind is TypeKind.Array or TypeKind.Map or TypeKind.Bytes or TypeKind.Json) || decl.AdditionalProperties is not null || decl.Kind == DeclKind.Union;
                    if (!hasCollections)
                    {
                        Assert.Equal(first, second);
                    }
                }
                else
                {
                    Assert.Equal(first, second);
                }

                // The same document with white space everywhere takes the reader's general paths: same value (free-form
                // JSON keeps its own white space, so the encodings are compared compacted).
                var pretty = ApiJson.Parse<T>(Indent(json, indented: true));
                Assert.True(Indent(ApiJson.Serialize(pretty), indented: false).AsSpan().SequenceEqual(Indent(b1, indented: false)), decl.Name + ": the indented document decoded differently");

                // With the members of every object in another order, so the schema-order guess misses at every step.
                // (Maps and free-form JSON keep the order they were read in, so the encodings are compared with the
                // members of every object sorted: JSON objects are unordered.)
                var shuffled = ApiJson.Parse<T>(Shuffle(json, new Random(seed)));
                Assert.True(Sorted(ApiJson.Serialize(shuffled)).AsSpan().SequenceEqual(Sorted(b1)), decl.Name + ": the reordered document decoded differently");

                // And as Python's json.dumps spaces it (", " and ": "), which the reader's short paths step over.
                var spacedJson = PythonJson.Spaced(json);
                var spaced = ApiJson.Parse<T>(spacedJson);
                Assert.True(Indent(ApiJson.Serialize(spaced), indented: false).AsSpan().SequenceEqual(Indent(b1, indented: false)), decl.Name + ": the spaced document decoded differently");

                // Damaged documents: whatever System.Text.Json refuses as JSON, the generated reader refuses too,
                // and with a JsonException, never another exception.
                var rnd = new Random(seed ^ 0x5bd1e995);
                for (var m = 0; m < 4; m++)
                {
                    var bad = Damage(m % 2 == 0 ? json : spacedJson, rnd);
                    bool valid;
                    try
                    {
                        using var doc = JsonDocument.Parse(bad, new JsonDocumentOptions { MaxDepth = ApiJsonReader.DefaultMaxDepth });
                        valid = true;
                    }
                    catch (JsonException)
                    {
                        valid = false;
                    }

                    try
                    {
                        ApiJson.Parse<T>(bad);
                        Assert.True(valid, decl.Name + ": accepted invalid JSON " + System.Text.Encoding.UTF8.GetString(bad));
                    }
                    catch (JsonException e)
                    {
                        Assert.Contains("byte", e.Message + (e.InnerException?.Message ?? string.Empty), StringComparison.Ordinal);
                    }
                }
            }).QuickCheckThrowOnFailure();
    }

    private static byte[] Sorted(byte[] json) => Reorder(json, members => members.OrderBy(p => p.Name, StringComparer.Ordinal));

    private static byte[] Shuffle(byte[] json, Random rnd) => Reorder(json, members => members.OrderBy(_ => rnd.Next()));

    private static byte[] Reorder(byte[] json, Func<IEnumerable<JsonProperty>, IEnumerable<JsonProperty>> order)
    {
        using var doc = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, doc.RootElement);
        }

        return buffer.WrittenSpan.ToArray();

        void Write(Utf8JsonWriter w, JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    w.WriteStartObject();
                    foreach (var p in order(e.EnumerateObject()).ToList())
                    {
                        w.WritePropertyName(p.Name);
                        Write(w, p.Value);
                    }

                    w.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    w.WriteStartArray();
                    foreach (var item in e.EnumerateArray())
                    {
                        Write(w, item);
                    }

                    w.WriteEndArray();
                    break;
                default:
                    e.WriteTo(w);
                    break;
            }
        }
    }

    private static byte[] Indent(byte[] json, bool indented)
    {
        using var doc = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            doc.WriteTo(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static readonly byte[] DamageBytes = System.Text.Encoding.ASCII.GetBytes(",:\"{}[]\\ 0-tn.e");

    private static byte[] Damage(byte[] json, Random rnd)
    {
        var bytes = new List<byte>(json);
        var at = rnd.Next(Math.Max(1, bytes.Count));
        switch (rnd.Next(4))
        {
            case 0 when bytes.Count > 0:
                bytes.RemoveAt(at);
                break;
            case 1 when bytes.Count > 0:
                bytes[at] = DamageBytes[rnd.Next(DamageBytes.Length)];
                break;
            case 2:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            default:
                bytes.Insert(at, DamageBytes[rnd.Next(DamageBytes.Length)]);
                break;
        }

        return bytes.ToArray();
    }

    /// <summary>Writes random JSON that the schema allows.</summary>
    private sealed class JsonGen(IReadOnlyDictionary<string, TypeDecl> decls)
    {
        private static readonly string[] Words = { "", "a", "SUBMITTED", "ünïcødé", "quote\"back\\slash", "tab\tnew\nline", "emoji 😀", "<tag>&amp;", "x y z" };

        public byte[] Document(TypeDecl decl, Random rnd)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer))
            {
                Decl(w, decl, rnd, 0);
            }

            return buffer.WrittenSpan.ToArray();
        }

        private void Decl(Utf8JsonWriter w, TypeDecl d, Random rnd, int depth)
        {
            switch (d.Kind)
            {
                case DeclKind.Enum:
                    if (rnd.Next(4) == 0 || d.Members.Count == 0)
                    {
                        if (d.EnumIsInteger)
                        {
                            w.WriteNumberValue(rnd.NextInt64(-1000, 1000));
                        }
                        else
                        {
                            w.WriteStringValue(Word(rnd));
                        }
                    }
                    else
                    {
                        var m = d.Members[rnd.Next(d.Members.Count)];
                        if (d.EnumIsInteger)
                        {
                            w.WriteNumberValue(long.Parse(m.Value, CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            w.WriteStringValue(m.Value);
                        }
                    }

                    break;
                case DeclKind.Union:
                {
                    var c = d.Cases[rnd.Next(d.Cases.Count)];
                    var derived = decls[c.TypeName];
                    Record(w, derived, rnd, depth, (d.DiscriminatorProperty!, c.DiscriminatorValue));
                    break;
                }

                default:
                    Record(w, d, rnd, depth, d.BaseType is not null ? (d.DiscriminatorProperty!, d.DiscriminatorValue!) : null);
                    break;
            }
        }

        private void Record(Utf8JsonWriter w, TypeDecl d, Random rnd, int depth, (string Name, string Value)? discriminator)
        {
            w.WriteStartObject();
            var entries = new List<Action>();
            if (discriminator is { } disc)
            {
                entries.Add(() => w.WriteString(disc.Name, disc.Value));
            }

            if (d.WrappedProperty is { } held && rnd.Next(2) == 0)
            {
                // The discriminator of the union the held record derives from: skipped when read.
                entries.Add(() => w.WriteString(held, d.WrappedValue ?? Word(rnd)));
            }

            foreach (var p in d.Properties)
            {
                if (discriminator is { } named && p.JsonName == named.Name)
                {
                    // A property named like the discriminator (a record held by a union it does not derive from) holds
                    // the discriminator value, written above.
                    continue;
                }

                var present = p.Required || (depth < 3 && rnd.Next(3) != 0);
                if (!present)
                {
                    continue;
                }

                var nullOk = p.Type.Nullable || p.ReadOnly || p.WriteOnly;
                entries.Add(() =>
                {
                    w.WritePropertyName(p.JsonName);
                    if (nullOk && rnd.Next(5) == 0)
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        Value(w, p.Type.WithNullable(false), rnd, depth + 1);
                    }
                });
            }

            var extras = rnd.Next(3);
            for (var i = 0; i < extras; i++)
            {
                var name = "zz_unknown_" + i.ToString(CultureInfo.InvariantCulture);
                entries.Add(() =>
                {
                    w.WritePropertyName(name);
                    if (d.AdditionalProperties is { } ap)
                    {
                        Value(w, ap, rnd, depth + 1);
                    }
                    else
                    {
                        Value(w, TypeRef.Json, rnd, depth + 1);
                    }
                });
            }

            // Properties may come in any order.
            foreach (var e in entries.OrderBy(_ => rnd.Next()))
            {
                e();
            }

            w.WriteEndObject();
        }

        private static string Word(Random rnd) => rnd.Next(3) == 0 ? Guid.NewGuid().ToString() : Words[rnd.Next(Words.Length)];

        private void Value(Utf8JsonWriter w, TypeRef t, Random rnd, int depth)
        {
            if (t.Nullable && rnd.Next(5) == 0)
            {
                w.WriteNullValue();
                return;
            }

            switch (t.Kind)
            {
                case TypeKind.String: w.WriteStringValue(Word(rnd)); break;
                case TypeKind.Int32: w.WriteNumberValue(rnd.Next(int.MinValue, int.MaxValue)); break;
                case TypeKind.Int64: w.WriteNumberValue(rnd.NextInt64(long.MinValue, long.MaxValue)); break;
                case TypeKind.Double: w.WriteNumberValue(rnd.Next(3) == 0 ? rnd.Next() : (rnd.NextDouble() - 0.5) * Math.Pow(10, rnd.Next(-20, 20))); break;
                case TypeKind.Single: w.WriteNumberValue((float)((rnd.NextDouble() - 0.5) * 1000)); break;
                case TypeKind.Decimal: w.WriteNumberValue((decimal)rnd.Next() / 100m); break;
                case TypeKind.Boolean: w.WriteBooleanValue(rnd.Next(2) == 0); break;
                case TypeKind.DateTime:
                {
                    var dt = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(rnd.Next()).AddTicks(rnd.Next(3) == 0 ? rnd.Next(10_000_000) : 0);
                    w.WriteStringValue(rnd.Next(3) switch
                    {
                        0 => dt.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                        1 => new DateTimeOffset(dt).ToOffset(TimeSpan.FromMinutes(rnd.Next(-12, 14) * 60)).ToString("O", CultureInfo.InvariantCulture),
                        _ => dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
                    });
                    break;
                }

                case TypeKind.Date: w.WriteStringValue(DateOnly.FromDayNumber(rnd.Next(0, 3_000_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                case TypeKind.Guid: w.WriteStringValue(Guid.NewGuid()); break;
                case TypeKind.Bytes:
                {
                    var bytes = new byte[rnd.Next(0, 20)];
                    rnd.NextBytes(bytes);
                    w.WriteBase64StringValue(bytes);
                    break;
                }

                case TypeKind.Json:
                    switch (depth > 4 ? 0 : rnd.Next(5))
                    {
                        case 0: w.WriteNumberValue(rnd.Next()); break;
                        case 1: w.WriteStringValue(Word(rnd)); break;
                        case 2: w.WriteNullValue(); break;
                        case 3:
                            w.WriteStartArray();
                            Value(w, TypeRef.Json, rnd, depth + 1);
                            w.WriteEndArray();
                            break;
                        default:
                            w.WriteStartObject();
                            w.WritePropertyName("k");
                            Value(w, TypeRef.Json, rnd, depth + 1);
                            w.WriteEndObject();
                            break;
                    }

                    break;
                case TypeKind.Named:
                case TypeKind.Enum:
                    Decl(w, decls[t.Name!], rnd, depth);
                    break;
                case TypeKind.Array:
                {
                    w.WriteStartArray();
                    var n = depth > 4 ? 0 : rnd.Next(4);
                    for (var i = 0; i < n; i++)
                    {
                        Value(w, t.Element!, rnd, depth + 1);
                    }

                    w.WriteEndArray();
                    break;
                }

                case TypeKind.Map:
                {
                    w.WriteStartObject();
                    var n = depth > 4 ? 0 : rnd.Next(4);
                    for (var i = 0; i < n; i++)
                    {
                        w.WritePropertyName("key" + i.ToString(CultureInfo.InvariantCulture) + Word(rnd));
                        Value(w, t.Element!, rnd, depth + 1);
                    }

                    w.WriteEndObject();
                    break;
                }

                default:
                    throw new InvalidOperationException("no generator for " + t.Kind);
            }
        }
    }
}
