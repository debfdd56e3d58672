using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolkit.Peers.Fts3;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3.Tests;

/// <summary>The REST facade pattern (docs/rest-clients.md) as FTS3 follows it.</summary>
[Collection("fts3")]
public sealed class FacadeTests(Fts3Pki pki)
{
    [Fact]
    public async Task FromEnvironment_reads_FTS3_ENDPOINT_and_nothing_else_reads_it()
    {
        Func<string, string?> env = n => n == "FTS3_ENDPOINT" ? "https://fts3.example.org:8446" : null;
        var o = Fts3ContextOptions.FromEnvironment(env);
        Assert.Equal(new Uri("https://fts3.example.org:8446"), o.Endpoint);
        Assert.Same(env, o.Environment);
        Assert.Null(Fts3ContextOptions.FromEnvironment(_ => null).Endpoint);
        Assert.Null(Fts3ContextOptions.FromEnvironment(_ => "").Endpoint);
        var bad = Assert.Throws<ArgumentException>(() => Fts3ContextOptions.FromEnvironment(_ => "ftp://x/"));
        Assert.Contains("FTS3_ENDPOINT", bad.Message, StringComparison.Ordinal);

        // The context itself reads no environment: without an endpoint it refuses the options and names the variable.
        var none = await Assert.ThrowsAsync<ArgumentException>(() => Fts3Context.CreateAsync(new Fts3ContextOptions { Environment = env }));
        Assert.Contains("FTS3_ENDPOINT", none.Message, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Throws<ArgumentException>(() => new Fts3Context(http, new Fts3ContextOptions()));
    }

    [Fact]
    public async Task The_callers_HttpClient_is_used_as_is_and_not_disposed()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var credential = X509Credential.Load(pki.ProxyPath);
        using var http = new HttpClient(GridTls.CreateHttpHandler(new GridTlsOptions { ClientCredential = credential, TrustStore = TrustStore.Load(pki.Pki.CertDir) }));
        using (var ctx = new Fts3Context(http, new Fts3ContextOptions { Endpoint = peer.BaseAddress, Credential = credential }))
        {
            Assert.Same(http, ctx.HttpClient);
            Assert.Null(ctx.EndpointInfo.Api);
            var info = await ctx.CheckEndpointAsync();
            Assert.NotNull(info.Api);
            Assert.Same(info, ctx.EndpointInfo);
            Assert.Equal(Fts3Pki.UserDn, (await ctx.WhoAmIAsync()).UserDn);
            Assert.NotEmpty(await ctx.DelegateAsync());
        }

        // Still usable after the context is gone, and the credential too.
        using var response = await http.GetAsync(new Uri(peer.BaseAddress, "whoami"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(credential.Certificate.Subject);
    }

    [Fact]
    public async Task The_contexts_own_HttpClient_is_disposed_with_it()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        var http = ctx.HttpClient;
        ctx.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => http.GetAsync(new Uri(peer.BaseAddress, "whoami")));
    }

    [Fact]
    public async Task Retry_is_off_by_default_as_in_python_and_a_RetryPolicy_turns_it_on()
    {
        var answers = 0;
        var failFirst = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.Run(async ctx =>
        {
            var n = Interlocked.Increment(ref answers);
            ctx.Response.ContentType = "application/json";
            if (n <= Volatile.Read(ref failFirst))
            {
                ctx.Response.StatusCode = 503;
                await ctx.Response.WriteAsync("""{"status": "503 Service Unavailable", "message": "busy"}""");
                return;
            }

            await ctx.Response.WriteAsync("""{"api": {"major": 3, "minor": 13, "patch": 4}}""");
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var options = new Fts3ContextOptions { Endpoint = address, Token = new BearerToken("t0ken", "test") };

        failFirst = 1;
        var e = await Assert.ThrowsAsync<TryAgainException>(() => Fts3Context.CreateAsync(options));
        Assert.Equal("busy", e.Message);
        Assert.Equal(1, answers);

        answers = 0;
        failFirst = 2;
        using var ctx = await Fts3Context.CreateAsync(options with { Retry = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(1), Jitter = false } });
        Assert.Equal(3, answers);
        Assert.Equal(13, ctx.EndpointInfo.Api!.Minor);
    }

    [Fact]
    public void Every_exception_of_the_assembly_derives_from_the_one_root()
    {
        var apiExceptions = typeof(Fts3Context).Assembly.GetExportedTypes().Where(t => t.IsAssignableTo(typeof(ApiException))).ToList();
        Assert.Contains(typeof(BadEndpointException), apiExceptions);
        Assert.Contains(typeof(TryAgainException), apiExceptions);
        Assert.All(apiExceptions, t => Assert.True(t.IsAssignableTo(typeof(Fts3ClientException)), t.Name));
        Assert.Equal(typeof(ApiException), typeof(Fts3ClientException).BaseType);
    }

    [Fact]
    public async Task The_context_can_be_mocked_with_the_model_factory()
    {
        using var ctx = new FakeContext();
        var job = await ctx.GetJobStatusAsync("j1", listFiles: true);
        Assert.Equal("j1", job.JobId);
        Assert.Equal(JobState.Finished, job.JobState);
        Assert.Equal(FileState.Finished, job.Files![0].FileState);
        Assert.Equal("X509", ctx.AccessMethod);
        Assert.Equal(new Uri("https://fts3.example.org:8446"), ctx.Endpoint);

        var who = Fts3ModelFactory.WhoAmI(delegationId: "abc", vos: ["dteam"]);
        Assert.Equal(("abc", "dteam"), (who.DelegationId, who.Vos![0]));
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), Fts3ModelFactory.DelegationInfo(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)).TerminationTime);
        Assert.Equal(4, Fts3ModelFactory.EndpointInfo(patch: 4).Api!.Patch);
        Assert.True(Fts3ModelFactory.JobResult("j2", 304).AlreadyTerminal);
        Assert.Equal("CANCELED", Fts3ModelFactory.CancelResult("j3").State);
    }

    private sealed class FakeContext : Fts3Context
    {
        public override Uri Endpoint => new("https://fts3.example.org:8446");

        public override Task<Job> GetJobStatusAsync(string jobId, bool listFiles = false, CancellationToken cancellationToken = default)
            => Task.FromResult(Fts3ModelFactory.Job(jobId, JobState.Finished, files: listFiles ? [Fts3ModelFactory.JobFile(1, jobId, FileState.Finished)] : null));
    }
}
