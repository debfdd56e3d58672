using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Toolkit.OpenApi.Tests.StylesApi;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// The generated client against a real Kestrel server: every row of the OpenAPI 3.0.4 / 3.1.1 "Style Examples" table,
/// with its values color = "blue", ["blue", "black", "brown"] and { "R": 100, "G": 200, "B": 150 }, on the wire exactly.
/// </summary>
public class StyleEndToEndTests(StyleServer server) : IClassFixture<StyleServer>
{
    private const string S = "blue";
    private static readonly string[] A = { "blue", "black", "brown" };
    private static readonly Color O = new() { R = 100, G = 200, B = 150 };

    private StylesClient Client(HttpClient? http = null)
        => new(http ?? new HttpClient(), new StylesClientOptions { BaseAddress = new Uri(server.BaseAddress, "/styles") });

    [Fact]
    public async Task Query_styles_match_the_table()
    {
        var c = Client();
        Assert.Equal("/styles/query/form/false/string?color=blue", await c.QueryFormStringAsync(S));
        Assert.Equal("/styles/query/form/false/array?color=blue,black,brown", await c.QueryFormArrayAsync(A));
        Assert.Equal("/styles/query/form/false/object?color=R,100,G,200,B,150", await c.QueryFormObjectAsync(O));
        Assert.Equal("/styles/query/form/true/string?color=blue", await c.QueryFormExplodeStringAsync(S));
        Assert.Equal("/styles/query/form/true/array?color=blue&color=black&color=brown", await c.QueryFormExplodeArrayAsync(A));
        Assert.Equal("/styles/query/form/true/object?R=100&G=200&B=150", await c.QueryFormExplodeObjectAsync(O));
        Assert.Equal("/styles/query/spaceDelimited/false/array?color=blue%20black%20brown", await c.QuerySpaceDelimitedArrayAsync(A));
        Assert.Equal("/styles/query/spaceDelimited/false/object?color=R%20100%20G%20200%20B%20150", await c.QuerySpaceDelimitedObjectAsync(O));
        Assert.Equal("/styles/query/pipeDelimited/false/array?color=blue%7Cblack%7Cbrown", await c.QueryPipeDelimitedArrayAsync(A));
        Assert.Equal("/styles/query/pipeDelimited/false/object?color=R%7C100%7CG%7C200%7CB%7C150", await c.QueryPipeDelimitedObjectAsync(O));
        Assert.Equal("/styles/query/deepObject/true/object?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150", await c.QueryDeepObjectExplodeObjectAsync(O));

        // The empty string ("empty" / "undefined" column): color=
        Assert.Equal("/styles/query/form/true/string?color=", await c.QueryFormExplodeStringAsync(string.Empty));
    }

    [Fact]
    public async Task Path_styles_match_the_table()
    {
        var c = Client();
        const string P = "/styles/path/";
        Assert.Equal(P + "matrix/false/string/;color=blue", await c.PathMatrixStringAsync(S));
        Assert.Equal(P + "matrix/false/array/;color=blue,black,brown", await c.PathMatrixArrayAsync(A));
        Assert.Equal(P + "matrix/false/object/;color=R,100,G,200,B,150", await c.PathMatrixObjectAsync(O));
        Assert.Equal(P + "matrix/true/string/;color=blue", await c.PathMatrixExplodeStringAsync(S));
        Assert.Equal(P + "matrix/true/array/;color=blue;color=black;color=brown", await c.PathMatrixExplodeArrayAsync(A));
        Assert.Equal(P + "matrix/true/object/;R=100;G=200;B=150", await c.PathMatrixExplodeObjectAsync(O));
        Assert.Equal(P + "label/false/string/.blue", await c.PathLabelStringAsync(S));
        Assert.Equal(P + "label/false/array/.blue,black,brown", await c.PathLabelArrayAsync(A));
        Assert.Equal(P + "label/false/object/.R,100,G,200,B,150", await c.PathLabelObjectAsync(O));
        Assert.Equal(P + "label/true/string/.blue", await c.PathLabelExplodeStringAsync(S));
        Assert.Equal(P + "label/true/array/.blue.black.brown", await c.PathLabelExplodeArrayAsync(A));
        Assert.Equal(P + "label/true/object/.R=100.G=200.B=150", await c.PathLabelExplodeObjectAsync(O));
        Assert.Equal(P + "simple/false/string/blue", await c.PathSimpleStringAsync(S));
        Assert.Equal(P + "simple/false/array/blue,black,brown", await c.PathSimpleArrayAsync(A));
        Assert.Equal(P + "simple/false/object/R,100,G,200,B,150", await c.PathSimpleObjectAsync(O));
        Assert.Equal(P + "simple/true/string/blue", await c.PathSimpleExplodeStringAsync(S));
        Assert.Equal(P + "simple/true/array/blue,black,brown", await c.PathSimpleExplodeArrayAsync(A));
        Assert.Equal(P + "simple/true/object/R=100,G=200,B=150", await c.PathSimpleExplodeObjectAsync(O));

        // The empty string: ";color" for matrix, "" for simple; a '/' in a value cannot change the route.
        Assert.Equal(P + "matrix/true/string/;color", await c.PathMatrixExplodeStringAsync(string.Empty));
        Assert.Equal(P + "simple/false/string/a%2Fb%3Bc%20d", await c.PathSimpleStringAsync("a/b;c d"));
    }

    [Fact]
    public async Task Header_styles_match_the_table()
    {
        var c = Client();
        Assert.Equal("blue", await c.HeaderSimpleStringAsync(S));
        Assert.Equal("blue,black,brown", await c.HeaderSimpleArrayAsync(A));
        Assert.Equal("R,100,G,200,B,150", await c.HeaderSimpleObjectAsync(O));
        Assert.Equal("blue,black,brown", await c.HeaderSimpleExplodeArrayAsync(A));
        Assert.Equal("R=100,G=200,B=150", await c.HeaderSimpleExplodeObjectAsync(O));
    }

    [Fact]
    public async Task Cookies_go_in_one_header_merged_with_the_callers()
    {
        var c = Client();
        Assert.Equal("color=blue", await c.CookieFormStringAsync(S));
        Assert.Equal("color=blue,black,brown", await c.CookieFormArrayAsync(A));
        Assert.Equal("color=R,100,G,200,B,150", await c.CookieFormObjectAsync(O));
        Assert.Equal("color=blue; color=black; color=brown", await c.CookieFormExplodeArrayAsync(A));
        Assert.Equal("R=100; G=200; B=150", await c.CookieFormExplodeObjectAsync(O));

        // RFC 6265 cookie-octets only: space, ';', ',' and '"' percent-encoded.
        Assert.Equal("session=a%20b%3Bc%2Cd%22e; theme=dark", await c.CookieExtraAsync("a b;c,d\"e", "dark"));
        Assert.Equal("session=s1", await c.CookieExtraAsync("s1"));

        // A Cookie the caller set on the HttpClient is kept, not replaced.
        var http = new HttpClient();
        http.DefaultRequestHeaders.Add("Cookie", "tracking=1");
        Assert.Equal("tracking=1; session=s1; theme=x", await Client(http).CookieExtraAsync("s1", "x"));

        // ... and so is one from a CookieContainer (the handler adds it after the client).
        var jar = new CookieContainer();
        jar.Add(server.BaseAddress, new Cookie("jar", "2"));
        var withJar = new HttpClient(new HttpClientHandler { CookieContainer = jar });
        var seen = await Client(withJar).CookieExtraAsync("s1");
        Assert.Contains("session=s1", seen, StringComparison.Ordinal);
        Assert.Contains("jar=2", seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optional_reserved_and_empty_values()
    {
        var c = Client();
        const string Q = "/styles/query/extra";
        Assert.Equal(Q, await c.QueryExtraAsync(new QueryExtraRequest()));
        Assert.Equal(
            Q + "?filter%5Bstate%5D=active&filter%5Bsince%5D=2026-12-02&tags=&path=/a/b?c:d@e!$'()*,;%5B%5D%23%26%3D%2B%20%25zz%2F&free=3&ratio=0.25",
            await c.QueryExtraAsync(new QueryExtraRequest
            {
                Filter = new QueryExtraFilter { State = QueryExtraFilterState.Active, Since = new DateOnly(2026, 12, 2) },
                Tags = Array.Empty<string>(),
                Path = "/a/b?c:d@e!$'()*,;[]#&=+ %zz%2F",
                Free = new System.Collections.Generic.Dictionary<string, long> { ["free"] = 3 },
                Ratio = 0.25,
            }));
        Assert.Equal(Q + "?filter%5Bmin%5D=-7&filter%5Bok%5D=false&tags=a,b", await c.QueryExtraAsync(new QueryExtraRequest { Filter = new QueryExtraFilter { Min = -7, Ok = false }, Tags = new[] { "a", "b" } }));
    }
}
