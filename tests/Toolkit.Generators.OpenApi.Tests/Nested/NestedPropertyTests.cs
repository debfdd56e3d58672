using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.OpenApi.Tests.EndToEnd;
using Toolkit.OpenApi.Tests.NestedApi;
using Toolkit.Runtime.Http;

namespace Toolkit.OpenApi.Tests.Nested;

/// <summary>
/// Round trips of nested values and content-based parameters: random JSON values written by <see cref="ApiStyleWriter"/>
/// (and random form bodies sent by the generated client) decode, with an independent decoder written from the rules
/// (deepObject keys <c>name[a][b][0]</c>, RFC 3986 percent-decoding, JSON), to the values given.
/// </summary>
public class NestedPropertyTests(NestedServer server) : IClassFixture<NestedServer>
{
    // Characters that must be encoded, delimiters, non-ASCII (a surrogate pair). '[' and ']' are left out of keys only:
    // a key holding them is the deepObject form's own ambiguity (name[a[b] cannot be split back).
    private const string Pool = "abcXYZ019-._~ %&=+,;|#/?:@!$'()*\"<>\\^`{}[]\u00e9\u2028\U0001F603";

    [Fact]
    public void DeepObject_members_of_any_depth_round_trip()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var name = Text(rnd, 1, "[]");
            var members = new List<(string, JsonNode?)>();
            for (var i = rnd.Next(0, 4); i > 0; i--)
            {
                members.Add((Text(rnd, 1, "[]") + i.ToString(CultureInfo.InvariantCulture), Random(rnd, 4)));
            }

            foreach (var target in new[] { "query", "form" })
            {
                var b = new ApiUriBuilder(new Uri("http://h/base"));
                var w = target == "query" ? b.Query : ApiStyleWriter.ForForm();
                w.Begin(name, ApiParameterStyle.DeepObject, ApiParameterShape.Properties, true, ApiParameterEncoding.Unreserved);
                foreach (var (k, v) in members)
                {
                    w.MemberJson(k, Encoding.UTF8.GetBytes(v?.ToJsonString() ?? "null"));
                }

                w.End();
                var wire = target == "query" ? b.ToUri().OriginalString : w.ToString();
                wire = wire.Contains('?', StringComparison.Ordinal) ? wire[(wire.IndexOf('?', StringComparison.Ordinal) + 1)..] : target == "query" ? string.Empty : wire;
                Assert.True(wire.All(c => c < 0x80 && (char.IsAsciiLetterOrDigit(c) || "-._~%&=".Contains(c, StringComparison.Ordinal))), wire);
                var expected = new JsonObject();
                foreach (var (k, v) in members)
                {
                    if (Expected(v) is { } e)
                    {
                        expected[k] = e;
                    }
                }

                var decoded = DecodeDeep(wire, name);
                Assert.True(JsonNode.DeepEquals(expected, decoded), target + ": " + expected.ToJsonString() + " -> " + wire + " -> " + decoded.ToJsonString());
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Content_parameters_round_trip_in_every_location()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var name = Text(rnd, 1, string.Empty);
            var value = Random(rnd, 3) ?? JsonValue.Create("x");
            var json = Encoding.UTF8.GetBytes(value.ToJsonString());

            var b = new ApiUriBuilder(new Uri("http://h/base"));
            b.AppendLiteral("/");
            b.Path.Begin(name, ApiParameterStyle.Simple, ApiParameterShape.Primitive, false, ApiParameterEncoding.Unreserved).ItemJson(json);
            b.Query.Begin(name, ApiParameterStyle.Form, ApiParameterShape.Primitive, true, ApiParameterEncoding.Unreserved).ItemJson(json);
            var uri = b.ToUri().OriginalString["http://h/base/".Length..];
            var q = uri.IndexOf('?', StringComparison.Ordinal);
            Assert.True(JsonNode.DeepEquals(value, JsonNode.Parse(Pct(uri[..q]))), uri);
            var pair = uri[(q + 1)..];
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            Assert.Equal(name, Pct(pair[..eq]));
            Assert.True(JsonNode.DeepEquals(value, JsonNode.Parse(Pct(pair[(eq + 1)..]))), pair);

            var cookies = ApiStyleWriter.ForCookies();
            cookies.Begin("c", ApiParameterStyle.Form, ApiParameterShape.Primitive, true, ApiParameterEncoding.Cookie).ItemJson(json);
            var cookie = cookies.ToString();
            Assert.StartsWith("c=", cookie, StringComparison.Ordinal);
            Assert.True(cookie[2..].All(c => c == '!' || (c >= '#' && c <= '+') || (c >= '-' && c <= ':') || (c >= '<' && c <= '[') || (c >= ']' && c <= '~')), cookie);
            Assert.True(JsonNode.DeepEquals(value, JsonNode.Parse(Pct(cookie[2..]))), cookie);

            var headers = ApiStyleWriter.ForHeaders();
            headers.Begin("h", ApiParameterStyle.Simple, ApiParameterShape.Primitive, false, ApiParameterEncoding.Header).ItemJson(json);
            Assert.True(JsonNode.DeepEquals(value, JsonNode.Parse(headers.ToString())), headers.ToString());
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Generated_form_bodies_decode_to_what_was_sent()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var body = new Checkout
            {
                Mode = Text(rnd, 0, string.Empty),
                Tags = rnd.Next(2) == 0 ? null : Enumerable.Range(0, rnd.Next(4)).Select(_ => Text(rnd, 0, string.Empty)).ToArray(),
                Shipping = rnd.Next(2) == 0 ? null : new Address
                {
                    City = rnd.Next(3) == 0 ? null : Text(rnd, 0, "[]"),
                    Geo = rnd.Next(2) == 0 ? null : new AddressGeo { Lat = rnd.Next(-90, 90) / 4.0 },
                    Lines = rnd.Next(2) == 0 ? null : Enumerable.Range(0, rnd.Next(3)).Select(_ => Text(rnd, 0, string.Empty)).ToArray(),
                },
                LineItems = Enumerable.Range(0, rnd.Next(3)).Select(_ => new LineItem { Price = Text(rnd, 1, string.Empty), Quantity = rnd.Next(2) == 0 ? null : rnd.Next() }).ToArray(),
                Metadata = Enumerable.Range(0, rnd.Next(3)).ToDictionary(i => Text(rnd, 1, "[]") + i.ToString(CultureInfo.InvariantCulture), _ => Text(rnd, 0, string.Empty)),
            };
            var lines = Client().CheckoutAsync(body).GetAwaiter().GetResult().Split('\n');
            var form = lines[4];
            var sent = new JsonObject { ["mode"] = body.Mode };
            if (body.Tags is { Count: > 0 })
            {
                sent["tags"] = new JsonArray(body.Tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
            }

            var shipping = Expected(body.Shipping is null ? null : JsonNode.Parse(Encoding.UTF8.GetString(Toolkit.Runtime.Json.ApiJson.Serialize(body.Shipping))));
            var items = Expected(new JsonArray(body.LineItems.Select(i => JsonNode.Parse(Encoding.UTF8.GetString(Toolkit.Runtime.Json.ApiJson.Serialize(i)))).ToArray()));
            var metadata = Expected(new JsonObject(body.Metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))));

            // The independent decoder: split on '&' and '=', percent-decode, nest deepObject keys.
            var decoded = new JsonObject();
            foreach (var p in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                var key = Pct(p[..eq]);
                var v = Pct(p[(eq + 1)..]);
                if (key is "mode")
                {
                    decoded["mode"] = v;
                }
                else if (key is "tags")
                {
                    ((decoded["tags"] ??= new JsonArray()) as JsonArray)!.Add(v);
                }
            }

            var deep = DecodeDeep(form, "shipping");
            Assert.True(JsonNode.DeepEquals(shipping ?? new JsonObject(), deep), form);
            Assert.True(JsonNode.DeepEquals(items ?? new JsonObject(), DecodeDeep(form, "line_items")), form);
            Assert.True(JsonNode.DeepEquals(metadata ?? new JsonObject(), DecodeDeep(form, "metadata")), form);
            Assert.True(JsonNode.DeepEquals(sent, decoded), sent.ToJsonString() + " -> " + form);
        }).QuickCheckThrowOnFailure();

    private NestedClient Client() => new(new HttpClient(), new NestedClientOptions { BaseAddress = new Uri(server.BaseAddress, "/nested") });

    /// <summary>What the deepObject form can carry of a value: nulls and empty objects or arrays left out, arrays as objects keyed by index.</summary>
    private static JsonNode? Expected(JsonNode? v)
    {
        switch (v)
        {
            case null:
                return null;
            case JsonObject o:
            {
                var r = new JsonObject();
                foreach (var (k, x) in o)
                {
                    if (Expected(x) is { } e)
                    {
                        r[k] = e;
                    }
                }

                return r.Count == 0 ? null : r;
            }

            case JsonArray a:
            {
                var r = new JsonObject();
                for (var i = 0; i < a.Count; i++)
                {
                    if (Expected(a[i]) is { } e)
                    {
                        r[i.ToString(CultureInfo.InvariantCulture)] = e;
                    }
                }

                return r.Count == 0 ? null : r;
            }

            default:
            {
                var el = v.GetValueKind();
                return JsonValue.Create(el == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString());
            }
        }
    }

    /// <summary>The pairs whose key starts with <c>name[</c>, nested by their bracketed segments; every leaf a string.</summary>
    private static JsonObject DecodeDeep(string wire, string name)
    {
        var root = new JsonObject();
        foreach (var p in wire.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            var key = Pct(p[..eq]);
            if (!key.StartsWith(name + "[", StringComparison.Ordinal))
            {
                continue;
            }

            var segments = key[name.Length..].TrimStart('[').TrimEnd(']').Split("][");
            var node = root;
            for (var i = 0; i < segments.Length - 1; i++)
            {
                node = (JsonObject)(node[segments[i]] ??= new JsonObject());
            }

            Assert.False(node.ContainsKey(segments[^1]), "duplicate key " + key);
            node[segments[^1]] = Pct(p[(eq + 1)..]);
        }

        return root;
    }

    /// <summary>RFC 3986 percent-decoding of UTF-8 (no '+' for space: the writer never emits it).</summary>
    private static string Pct(string s)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%')
            {
                bytes.Add(byte.Parse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }

        return new UTF8Encoding(false, true).GetString(bytes.ToArray());
    }

    private static JsonNode? Random(Random rnd, int depth)
    {
        switch (rnd.Next(depth > 0 ? 8 : 5))
        {
            case 0:
                return null;
            case 1:
                return JsonValue.Create(rnd.Next(2) == 0);
            case 2:
                return JsonValue.Create(rnd.Next(-1000, 1000));
            case 3:
                return JsonValue.Create(rnd.Next(-1000, 1000) / 8.0);
            case 4:
                return JsonValue.Create(Text(rnd, 0, string.Empty));
            case 5:
            case 6:
            {
                var o = new JsonObject();
                for (var i = rnd.Next(0, 4); i > 0; i--)
                {
                    o[Text(rnd, 1, "[]") + i.ToString(CultureInfo.InvariantCulture)] = Random(rnd, depth - 1);
                }

                return o;
            }

            default:
            {
                var a = new JsonArray();
                for (var i = rnd.Next(0, 4); i > 0; i--)
                {
                    a.Add(Random(rnd, depth - 1));
                }

                return a;
            }
        }
    }

    private static string Text(Random rnd, int min, string exclude)
    {
        var sb = new StringBuilder();
        var n = rnd.Next(min, 6);
        while (sb.Length < n)
        {
            var i = rnd.Next(Pool.Length);
            if (char.IsHighSurrogate(Pool[i]))
            {
                sb.Append(Pool, i, 2);
            }
            else if (!char.IsLowSurrogate(Pool[i]) && exclude.IndexOf(Pool[i], StringComparison.Ordinal) < 0)
            {
                sb.Append(Pool[i]);
            }
        }

        return sb.ToString();
    }
}
