using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.OpenApi.Tests.StylesApi;
using Toolkit.Runtime.Http;

namespace Toolkit.OpenApi.Tests.Styles;

/// <summary>
/// Round trips: values written by the runtime's <see cref="ApiStyleWriter"/> (and by the generated client) decode, with
/// the independent <see cref="StyleDecoder"/>, to the values given, for every style, explode and shape of the table.
/// </summary>
public class StylePropertyTests
{
    // Delimiters of every style, characters that must be encoded, and non-ASCII (a surrogate pair, U+2028, U+0085).
    private const string Pool = "abcXYZ019-._~ %&=+,;|[]#/?:@!$'()*\"<>\\^`{}\u00e9\u2028\u0085\U0001F603";

    private static readonly (string Style, bool Explode, string Shape)[] QueryRows =
    {
        ("form", false, "primitive"), ("form", false, "array"), ("form", false, "object"),
        ("form", true, "primitive"), ("form", true, "array"), ("form", true, "object"),
        ("spaceDelimited", false, "array"), ("spaceDelimited", false, "object"),
        ("pipeDelimited", false, "array"), ("pipeDelimited", false, "object"),
        ("deepObject", true, "object"),
    };

    private static readonly string[] PathStyles = { "simple", "label", "matrix" };

    private static readonly string[] Shapes = { "primitive", "array", "object" };

    [Fact]
    public void Query_styles_round_trip()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            foreach (var (style, explode, shape) in QueryRows)
            {
                foreach (var reserved in new[] { false, true })
                {
                    // allowReserved lets ',' and %-triples through: values that hold them cannot be split back (Appendix C.2).
                    // Space and '|' in data encode like the spaceDelimited and pipeDelimited delimiters (Appendix E.5).
                    var exclude = (reserved ? ",%" : string.Empty) + (style == "spaceDelimited" ? " " : style == "pipeDelimited" ? "|" : string.Empty);
                    var name = Text(rnd, 1, exclude);
                    var value = Value(rnd, shape, exclude);
                    var b = new ApiUriBuilder(new Uri("http://h/base"));
                    var w = b.Query.Begin(name, Style(style), ShapeOf(shape), explode, reserved ? ApiParameterEncoding.Reserved : ApiParameterEncoding.Unreserved);
                    Feed(w, value);
                    Assert.True(w.End());
                    var uri = b.ToUri().OriginalString;
                    var query = uri[(uri.IndexOf('?', StringComparison.Ordinal) + 1)..];
                    AssertUriText(query, reserved);
                    var decoded = StyleDecoder.Query(query, name, style, explode, shape);
                    Assert.True(decoded.SameAs(value), style + " explode=" + explode + " reserved=" + reserved + ": " + value + " -> " + query + " -> " + decoded);
                }
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Path_styles_round_trip()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            foreach (var style in PathStyles)
            {
                foreach (var explode in new[] { false, true })
                {
                    foreach (var shape in Shapes)
                    {
                        // '.' is unreserved, so RFC 6570 leaves it in label values where it is also the exploded separator.
                        var exclude = style == "label" && explode ? "." : string.Empty;
                        var name = Text(rnd, 1, exclude);
                        var value = Value(rnd, shape, exclude);
                        var b = new ApiUriBuilder(new Uri("http://h/base"));
                        b.AppendLiteral("/");
                        var w = b.Path.Begin(name, Style(style), ShapeOf(shape), explode, ApiParameterEncoding.Unreserved);
                        Feed(w, value);
                        w.End();
                        var text = b.ToUri().OriginalString["http://h/base/".Length..];
                        AssertUriText(text, reserved: false);
                        var decoded = StyleDecoder.Path(text, name, style, explode, shape);
                        Assert.True(decoded.SameAs(value), style + " explode=" + explode + ": " + value + " -> " + text + " -> " + decoded);
                    }
                }
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Cookie_pairs_round_trip_and_keep_to_rfc6265()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            foreach (var explode in new[] { false, true })
            {
                foreach (var shape in Shapes)
                {
                    var name = Text(rnd, 1, string.Empty);
                    var value = Value(rnd, shape, string.Empty);
                    var w = ApiStyleWriter.ForCookies();
                    w.Begin(name, ApiParameterStyle.Form, ShapeOf(shape), explode, ApiParameterEncoding.Cookie);
                    Feed(w, value);
                    w.End();
                    var header = w.ToString();
                    foreach (var pair in header.Split("; "))
                    {
                        var eq = pair.IndexOf('=', StringComparison.Ordinal);
                        foreach (var c in pair[..eq])
                        {
                            Assert.True(c > ' ' && c < 0x7f && "()<>@,;:\\\"/[]?={}".IndexOf(c, StringComparison.Ordinal) < 0, "cookie-name character '" + c + "' in " + header);
                        }

                        foreach (var c in pair[(eq + 1)..])
                        {
                            // cookie-octets, plus the ',' the form style joins values with
                            Assert.True(c == ',' || c == '!' || (c >= '#' && c <= '+') || (c >= '-' && c <= ':') || (c >= '<' && c <= '[') || (c >= ']' && c <= '~'), "cookie-value character '" + c + "' in " + header);
                        }
                    }

                    var decoded = StyleDecoder.Cookie(header, name, explode, shape);
                    Assert.True(decoded.SameAs(value), "cookie explode=" + explode + ": " + value + " -> " + header + " -> " + decoded);
                }
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Generated_client_sends_what_the_decoder_reads_back()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            // No space or '|': the spaceDelimited and pipeDelimited operations take the same items (Appendix E.5).
            var s = Text(rnd, 0, " |");
            var items = new List<string>();
            for (var i = rnd.Next(1, 4); i > 0; i--)
            {
                items.Add(Text(rnd, 0, " |"));
            }

            var color = new Color { R = rnd.Next(int.MinValue, int.MaxValue), G = rnd.Next(-5, 300), B = rnd.Next() };
            var members = new List<KeyValuePair<string, string>>
            {
                new("R", color.R.ToString(CultureInfo.InvariantCulture)),
                new("G", color.G.ToString(CultureInfo.InvariantCulture)),
                new("B", color.B.ToString(CultureInfo.InvariantCulture)),
            };
            var capture = new Capture();
            var client = new StylesClient(new HttpClient(capture), new StylesClientOptions { BaseAddress = new Uri("http://h/styles") });
            var primitive = new StyleValue(s, null, null);
            var array = new StyleValue(null, items, null);
            var obj = new StyleValue(null, null, members);

            void Query(Func<Task<string>> call, string style, bool explode, string shape, StyleValue expected)
            {
                call().GetAwaiter().GetResult();
                var uri = capture.Uri!;
                var decoded = StyleDecoder.Query(uri[(uri.IndexOf('?', StringComparison.Ordinal) + 1)..], "color", style, explode, shape);
                Assert.True(decoded.SameAs(expected), uri + " -> " + decoded);
            }

            void Path(Func<Task<string>> call, string style, bool explode, string shape, StyleValue expected)
            {
                call().GetAwaiter().GetResult();
                var uri = capture.Uri!;
                var prefix = "http://h/styles/path/" + style + "/" + (explode ? "true" : "false") + "/" + (shape == "primitive" ? "string" : shape) + "/";
                Assert.StartsWith(prefix, uri, StringComparison.Ordinal);
                var decoded = StyleDecoder.Path(uri[prefix.Length..], "color", style, explode, shape);
                Assert.True(decoded.SameAs(expected), uri + " -> " + decoded);
            }

            void Cookie(Func<Task<string>> call, bool explode, string shape, StyleValue expected)
            {
                call().GetAwaiter().GetResult();
                var decoded = StyleDecoder.Cookie(capture.Cookie!, "color", explode, shape);
                Assert.True(decoded.SameAs(expected), capture.Cookie + " -> " + decoded);
            }

            Query(() => client.QueryFormStringAsync(s), "form", false, "primitive", primitive);
            Query(() => client.QueryFormArrayAsync(items), "form", false, "array", array);
            Query(() => client.QueryFormObjectAsync(color), "form", false, "object", obj);
            Query(() => client.QueryFormExplodeStringAsync(s), "form", true, "primitive", primitive);
            Query(() => client.QueryFormExplodeArrayAsync(items), "form", true, "array", array);
            Query(() => client.QueryFormExplodeObjectAsync(color), "form", true, "object", obj);
            Query(() => client.QuerySpaceDelimitedArrayAsync(items), "spaceDelimited", false, "array", array);
            Query(() => client.QuerySpaceDelimitedObjectAsync(color), "spaceDelimited", false, "object", obj);
            Query(() => client.QueryPipeDelimitedArrayAsync(items), "pipeDelimited", false, "array", array);
            Query(() => client.QueryPipeDelimitedObjectAsync(color), "pipeDelimited", false, "object", obj);
            Query(() => client.QueryDeepObjectExplodeObjectAsync(color), "deepObject", true, "object", obj);
            Path(() => client.PathMatrixStringAsync(s), "matrix", false, "primitive", primitive);
            Path(() => client.PathMatrixArrayAsync(items), "matrix", false, "array", array);
            Path(() => client.PathMatrixObjectAsync(color), "matrix", false, "object", obj);
            Path(() => client.PathMatrixExplodeStringAsync(s), "matrix", true, "primitive", primitive);
            Path(() => client.PathMatrixExplodeArrayAsync(items), "matrix", true, "array", array);
            Path(() => client.PathMatrixExplodeObjectAsync(color), "matrix", true, "object", obj);
            Path(() => client.PathLabelStringAsync(s), "label", false, "primitive", primitive);
            Path(() => client.PathLabelArrayAsync(items), "label", false, "array", array);
            Path(() => client.PathLabelObjectAsync(color), "label", false, "object", obj);
            Path(() => client.PathLabelExplodeObjectAsync(color), "label", true, "object", obj);
            Path(() => client.PathSimpleStringAsync(s), "simple", false, "primitive", primitive);
            Path(() => client.PathSimpleArrayAsync(items), "simple", false, "array", array);
            Path(() => client.PathSimpleObjectAsync(color), "simple", false, "object", obj);
            Path(() => client.PathSimpleExplodeObjectAsync(color), "simple", true, "object", obj);
            Cookie(() => client.CookieFormStringAsync(s), false, "primitive", primitive);
            Cookie(() => client.CookieFormArrayAsync(items), false, "array", array);
            Cookie(() => client.CookieFormObjectAsync(color), false, "object", obj);
            Cookie(() => client.CookieFormExplodeArrayAsync(items), true, "array", array);
            Cookie(() => client.CookieFormExplodeObjectAsync(color), true, "object", obj);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Writing_an_object_into_a_reused_writer_allocates_nothing()
    {
        var w = ApiStyleWriter.ForHeaders();
        void Write()
        {
            // A header writer starts afresh at each Begin; the encoding is given apart, so percent-encoding is measured too.
            w.Begin("color", ApiParameterStyle.Simple, ApiParameterShape.Properties, true, ApiParameterEncoding.Unreserved);
            w.Member("R", 100);
            w.Member("G", 200.5);
            w.Member("B", new DateOnly(2026, 12, 2));
            w.Member("A", "\u00e9 x\U0001F603");
            w.End();
        }

        for (var i = 0; i < 200; i++)
        {
            Write();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Write();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal("R=100,G=200.5,B=2026-12-02,A=%C3%A9%20x%F0%9F%98%83", w.ToString());
    }

    internal static ApiParameterStyle Style(string style) => style switch
    {
        "simple" => ApiParameterStyle.Simple,
        "matrix" => ApiParameterStyle.Matrix,
        "label" => ApiParameterStyle.Label,
        "form" => ApiParameterStyle.Form,
        "spaceDelimited" => ApiParameterStyle.SpaceDelimited,
        "pipeDelimited" => ApiParameterStyle.PipeDelimited,
        _ => ApiParameterStyle.DeepObject,
    };

    private static ApiParameterShape ShapeOf(string shape) => shape switch
    {
        "primitive" => ApiParameterShape.Primitive,
        "array" => ApiParameterShape.Array,
        _ => ApiParameterShape.Properties,
    };

    private static void Feed(ApiStyleWriter w, StyleValue v)
    {
        if (v.Primitive is not null)
        {
            w.Item(v.Primitive);
        }
        else if (v.Items is not null)
        {
            foreach (var i in v.Items)
            {
                w.Item(i);
            }
        }
        else
        {
            foreach (var m in v.Members!)
            {
                w.Member(m.Key, m.Value);
            }
        }
    }

    private static StyleValue Value(Random rnd, string shape, string exclude)
    {
        switch (shape)
        {
            case "primitive":
                return new StyleValue(Text(rnd, 0, exclude), null, null);
            case "array":
            {
                var items = new List<string>();
                for (var i = rnd.Next(1, 5); i > 0; i--)
                {
                    items.Add(Text(rnd, 0, exclude));
                }

                return new StyleValue(null, items, null);
            }

            default:
            {
                var members = new List<KeyValuePair<string, string>>();
                for (var i = rnd.Next(1, 5); i > 0; i--)
                {
                    members.Add(new(Text(rnd, 1, exclude), Text(rnd, 0, exclude)));
                }

                return new StyleValue(null, null, members);
            }
        }
    }

    private static string Text(Random rnd, int min, string exclude)
    {
        var sb = new StringBuilder();
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(Pool);
        var all = new List<string>();
        while (elements.MoveNext())
        {
            var e = (string)elements.Current;
            if (exclude.IndexOf(e, StringComparison.Ordinal) < 0 || e.Length > 1)
            {
                all.Add(e);
            }
        }

        for (var n = rnd.Next(min, 7); n > 0; n--)
        {
            sb.Append(all[rnd.Next(all.Count)]);
        }

        return sb.ToString();
    }

    /// <summary>Only unreserved characters, the allowed reserved ones and %-triples: never '[', ']', '#', a space or raw Unicode.</summary>
    private static void AssertUriText(string text, bool reserved)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = char.IsAsciiLetterOrDigit(c) || "-._~%".Contains(c, StringComparison.Ordinal)
                || "&=;,".Contains(c, StringComparison.Ordinal)
                || (reserved && ":/?@!$'()*".Contains(c, StringComparison.Ordinal));
            Assert.True(ok, "'" + c + "' in " + text);
        }
    }

    /// <summary>Records the request instead of sending it.</summary>
    private sealed class Capture : HttpMessageHandler
    {
        public string? Uri { get; private set; }

        public string? Cookie { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri!.OriginalString;
            Cookie = request.Headers.TryGetValues("Cookie", out var c) ? string.Join("\n", c) : null;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok", Encoding.UTF8, "text/plain") });
        }
    }
}
