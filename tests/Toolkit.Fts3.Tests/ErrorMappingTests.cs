using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolkit.Peers.Fts3;
using Toolkit.Fts3;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3.Tests;

[Collection("fts3")]
public sealed class ErrorMappingTests(Fts3Pki pki)
{
    [Theory]
    [InlineData(400, typeof(ClientErrorException))]
    [InlineData(401, typeof(UnauthorizedException))]
    [InlineData(402, typeof(UnauthorizedException))]
    [InlineData(403, typeof(UnauthorizedException))]
    [InlineData(404, typeof(NotFoundException))]
    [InlineData(405, typeof(ClientErrorException))]
    [InlineData(409, typeof(ClientErrorException))]
    [InlineData(419, typeof(NeedDelegationException))]
    [InlineData(424, typeof(FailedDependencyException))]
    [InlineData(429, typeof(ClientErrorException))]
    [InlineData(500, typeof(ServerErrorException))]
    [InlineData(502, typeof(ServerErrorException))]
    [InlineData(503, typeof(TryAgainException))]
    public async Task Every_status_maps_to_the_seed_exception_and_keeps_the_servers_message(int status, Type expected)
    {
        // Plain HTTP Kestrel answering the fts-rest error document with the status asked for.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.Run(async ctx =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync($$"""{"status": "{{status}} {{FtsPeer.Reason(status)}}", "message": "server says {{status}}"}""");
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient();
        var client = new Fts3Client(http, new Fts3ClientOptions { BaseAddress = address });
        var e = await Assert.ThrowsAnyAsync<Fts3ClientException>(() => client.WhoAmIAsync());
        Assert.Equal(expected, e.GetType());
        Assert.Equal(status, e.StatusCode);
        Assert.Equal("server says " + status, e.Message);
        Assert.Equal("server says " + status, e.GetError<Error>()?.Message);
    }

    [Fact]
    public void The_hierarchy_mirrors_the_python_client()
    {
        Assert.True(typeof(ClientErrorException).IsAssignableTo(typeof(Fts3ClientException)));
        Assert.True(typeof(NeedDelegationException).IsAssignableTo(typeof(ClientErrorException)));
        Assert.True(typeof(FailedDependencyException).IsAssignableTo(typeof(ClientErrorException)));
        Assert.True(typeof(TryAgainException).IsAssignableTo(typeof(ServerErrorException)));
        Assert.False(typeof(NotFoundException).IsAssignableTo(typeof(ClientErrorException)));
        Assert.False(typeof(UnauthorizedException).IsAssignableTo(typeof(ClientErrorException)));
        Assert.True(typeof(BadEndpointException).IsAssignableTo(typeof(Fts3ClientException)));
        Assert.True(typeof(Fts3ClientException).IsAssignableTo(typeof(Toolkit.Runtime.Http.ApiException)));
    }

    [Fact]
    public async Task Bearer_tokens_are_sent_as_authorization_and_skip_delegation()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuer = "https://iam.toolkit.test/";
        var options = pki.PeerOptions(requireCertificate: false) with { Providers = new System.Collections.Generic.Dictionary<string, AsymmetricAlgorithm> { [issuer] = key } };
        await using var peer = await FtsPeer.StartAsync(pki.Pki, options);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var jwt = JwtSigner.Sign(key, new System.Collections.Generic.Dictionary<string, object?>
        {
            ["iss"] = issuer,
            ["sub"] = "user-123",
            ["aud"] = "https://wlcg.cern.ch/jwt/v1/any",
            ["nbf"] = now - 10,
            ["iat"] = now - 10,
            ["exp"] = now + 600,
            ["scope"] = "fts",
            ["wlcg.groups"] = new[] { "/dteam" },
        });
        using var ctx = await Fts3Context.CreateAsync(new Fts3ContextOptions { Endpoint = peer.BaseAddress, Token = new BearerToken(jwt, "test"), CaPath = pki.Pki.CertDir });
        Assert.Equal("oauth2", ctx.AccessMethod);
        Assert.Null(ctx.Credential);
        var who = await ctx.WhoAmIAsync();
        Assert.Equal(("user-123", "oauth2"), (who.UserDn, who.Method));
        Assert.Equal("dteam", who.Vos![0]);
        Assert.Equal(string.Empty, await ctx.DelegateAsync());
        var id = await ctx.SubmitAsync(Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("https://a.example.org/t", "https://b.example.org/t") }));
        Assert.Equal("oauth2", peer.GetJob(id)!["job_metadata"]!["auth_method"]!.GetValue<string>());
        Assert.All(peer.Requests, r => Assert.Equal("Bearer " + jwt, r.Authorization));
        Assert.DoesNotContain(peer.Requests, r => r.Path.StartsWith("/delegation", StringComparison.Ordinal));
        var certOnly = await Assert.ThrowsAsync<UnauthorizedException>(() => ctx.Client.GetDelegationRequestAsync(who.DelegationId!));
        Assert.Equal("Certificate required", certOnly.Message);

        // Anonymous callers (no certificate, no token) are "anon" and may not list jobs.
        using var http = new HttpClient(GridTls.CreateHttpHandler(new GridTlsOptions { TrustStore = TrustStore.Load(pki.Pki.CertDir) }));
        var anon = new Fts3Client(http, new Fts3ClientOptions { BaseAddress = peer.BaseAddress });
        var whoAnon = await anon.WhoAmIAsync();
        Assert.Equal(("anon", "unauthenticated", (string?)null), (whoAnon.UserDn, whoAnon.Method, whoAnon.DelegationId));
        Assert.True(whoAnon.Level!.Value.IsArray);
        Assert.Empty(whoAnon.Level!.Value.AsArray());
        await Assert.ThrowsAsync<UnauthorizedException>(() => anon.ListJobsAsync(new ListJobsRequest()));
    }

    [Fact]
    public async Task The_peer_refuses_clients_without_a_certificate_when_required()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var http = new HttpClient(GridTls.CreateHttpHandler(new GridTlsOptions { TrustStore = TrustStore.Load(pki.Pki.CertDir) }));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync(peer.BaseAddress));
    }
}
