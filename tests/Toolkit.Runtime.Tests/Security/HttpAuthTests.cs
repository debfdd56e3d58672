using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

public sealed class HttpAuthTests
{
    [Fact]
    public void Digest_matches_the_rfc2617_example()
    {
        Assert.True(DigestChallenge.TryParse("realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", out var c));
        Assert.Equal("6629fae49393a05397450978507c4ef1",
            DigestAuthHandler.ComputeResponse(c!, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1));
        string header = DigestAuthHandler.CreateAuthorizationParameters(c!, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1);
        Assert.Contains("response=\"6629fae49393a05397450978507c4ef1\"", header);
        Assert.Contains("nc=00000001", header);
        Assert.Contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", header);
        Assert.Contains("username=\"Mufasa\"", header);
    }

    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Digest_matches_the_rfc7616_examples(string algorithm, string expected)
    {
        Assert.True(DigestChallenge.TryParse($"realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm={algorithm}, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"", out var c));
        Assert.Equal(expected, DigestAuthHandler.ComputeResponse(c!, "Mufasa", "Circle of Life", "GET", "/dir/index.html", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", 1));
    }

    [Fact]
    public void Digest_rejects_unsupported_algorithms_and_bad_challenges()
    {
        Assert.True(DigestChallenge.TryParse("realm=\"r\", nonce=\"n\", algorithm=SHA-512-256, qop=\"auth\"", out var c));
        Assert.Throws<CredentialException>(() => DigestAuthHandler.ComputeResponse(c!, "u", "p", "GET", "/", "c", 1));
        Assert.True(DigestChallenge.TryParse("realm=\"r\", nonce=\"n\", qop=\"auth-int\"", out var i));
        Assert.Throws<CredentialException>(() => DigestAuthHandler.ComputeResponse(i!, "u", "p", "GET", "/", "c", 1));
        Assert.False(DigestChallenge.TryParse("realm=\"unterminated, nonce=\"n\"", out _));
        Assert.False(DigestChallenge.TryParse("realm=\"r\"", out _));
        var rnd = new Random(3);
        for (int k = 0; k < 2000; k++)
        {
            var s = new string(Enumerable.Range(0, rnd.Next(0, 40)).Select(_ => "a=\",\\ n"[rnd.Next(7)]).ToArray());
            DigestChallenge.TryParse(s, out _);
        }
    }

    private static string Md5(string s) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();

    private static async Task<(WebApplication App, Uri Base)> Start(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address + "/"));
    }

    [Fact]
    public async Task Digest_handler_counts_nonces_and_retries_a_stale_nonce()
    {
        // A MetaCat-like server: realm "metacat", qop=auth, MD5; the nonce goes stale after two uses.
        var seen = new ConcurrentQueue<string>();
        string nonce = "nonce-1";
        int uses = 0;
        var (app, baseUri) = await Start(app => app.MapGet("/auth", (HttpContext ctx) =>
        {
            string? auth = ctx.Request.Headers.Authorization;
            void Challenge(bool stale)
            {
                ctx.Response.StatusCode = 401;
                ctx.Response.Headers.WWWAuthenticate = $"Digest realm=\"metacat\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\"" + (stale ? ", stale=true" : "");
            }
            if (auth is null || !auth.StartsWith("Digest ", StringComparison.Ordinal))
            {
                Challenge(false);
                return "";
            }
            Assert.True(DigestChallenge.TryParse(auth[7..], out var p));
            var f = p!.Parameters;
            seen.Enqueue($"{f["nonce"]}/{f["nc"]}");
            if (f["nonce"] != nonce)
            {
                Challenge(stale: true);
                return "";
            }
            string ha1 = Md5("alice:metacat:s3cret");
            string ha2 = Md5("GET:" + f["uri"]);
            string expected = Md5($"{ha1}:{f["nonce"]}:{f["nc"]}:{f["cnonce"]}:auth:{ha2}");
            if (f["response"] != expected || f["uri"] != "/auth?method=digest")
            {
                Challenge(false);
                return "";
            }
            if (++uses == 2)
            {
                nonce = "nonce-2";
            }
            ctx.Response.Headers["X-Authentication-Token"] = "issued";
            return "ok";
        }));
        await using (app)
        {
            using var http = new HttpClient(new DigestAuthHandler("alice", "s3cret") { InnerHandler = new SocketsHttpHandler() });
            for (int i = 0; i < 3; i++)
            {
                var r = await http.GetAsync(new Uri(baseUri, "auth?method=digest"));
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }
            Assert.Equal(["nonce-1/00000001", "nonce-1/00000002", "nonce-1/00000003", "nonce-2/00000001"], seen.ToArray());

            using var wrong = new HttpClient(new DigestAuthHandler("alice", "bad") { InnerHandler = new SocketsHttpHandler() });
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(new Uri(baseUri, "auth?method=digest"))).StatusCode);
        }
    }

    [Fact]
    public async Task Bearer_handler_refreshes_after_401_and_before_expiry_without_logging_the_token()
    {
        string valid = "token-two";
        var (app, baseUri) = await Start(app =>
        {
            app.MapGet("/whoami", (HttpContext ctx) =>
            {
                string? auth = ctx.Request.Headers.Authorization;
                if (auth != "Bearer " + valid)
                {
                    ctx.Response.StatusCode = 401;
                    return "";
                }
                return "ok";
            });
            app.MapGet("/dd", (HttpContext ctx) => ctx.Request.Headers["X-Authentication-Token"].ToString());
            app.MapGet("/basic", (HttpContext ctx) => ctx.Request.Headers.Authorization.ToString());
        });
        await using (app)
        {
            var log = new CapturingLogger();
            int refreshes = 0;
            var handler = new BearerTokenHandler(new BearerToken("token-one", "test"),
                _ => { refreshes++; return Task.FromResult(new BearerToken("token-two", "refresh")); }, logger: log)
            { InnerHandler = new SocketsHttpHandler() };
            using (var http = new HttpClient(handler))
            {
                Assert.Equal("ok", await http.GetStringAsync(new Uri(baseUri, "whoami")));
                Assert.Equal("ok", await http.GetStringAsync(new Uri(baseUri, "whoami")));
            }
            Assert.Equal(1, refreshes);
            Assert.Contains("server answered 401", log.All);

            // A JWT that expires within the refresh margin is renewed before sending.
            string expiring = TokenTests.UnsignedJwt($"{{\"exp\":{DateTimeOffset.UtcNow.AddSeconds(10).ToUnixTimeSeconds()}}}");
            valid = "token-three";
            var proactive = new BearerTokenHandler(new BearerToken(expiring, "file"), _ => Task.FromResult(new BearerToken("token-three", "refresh")), logger: log) { InnerHandler = new SocketsHttpHandler() };
            using (var http = new HttpClient(proactive))
            {
                Assert.Equal("ok", await http.GetStringAsync(new Uri(baseUri, "whoami")));
            }
            Assert.Contains("expires soon", log.All);

            // No refresh callback: the 401 is returned as is.
            using (var http = new HttpClient(new BearerTokenHandler(new BearerToken("nope", "x")) { InnerHandler = new SocketsHttpHandler() }))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(baseUri, "whoami"))).StatusCode);
            }

            // Data Dispatcher header form.
            using (var http = new HttpClient(new BearerTokenHandler(new BearerToken("dd-token", "x")) { HeaderName = "X-Authentication-Token", InnerHandler = new SocketsHttpHandler() }))
            {
                Assert.Equal("dd-token", await http.GetStringAsync(new Uri(baseUri, "dd")));
            }

            using (var http = new HttpClient(new BasicAuthHandler("Aladdin", "open sesame") { InnerHandler = new SocketsHttpHandler() }))
            {
                Assert.Equal("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", await http.GetStringAsync(new Uri(baseUri, "basic")));
            }

            foreach (var secret in new[] { "token-one", "token-two", "token-three", expiring })
            {
                Assert.DoesNotContain(secret, log.All);
            }
        }
    }
}
