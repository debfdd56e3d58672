using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolkit.Peers.Hostile;
using Toolkit.Runtime.Http;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests;

/// <summary>
/// Hostile servers against the UNICORE REST client (issue 17): a 1 GiB or endless body ends in
/// <see cref="ResponseTooLargeException"/> (named option <c>UnicoreClientOptions.MaxResponseBytes</c>) with bounded
/// memory, a server that never answers or stalls in a <see cref="TimeoutException"/> naming the URL, the time and
/// <c>UnicoreClientOptions.Timeout</c>; truncated, HTML, 10,000-deep and 150 KB-header answers are typed errors.
/// Through <see cref="UnicoreClient"/> and <c>toolkit unicore connect</c>/<c>ls</c> (one error line, exit 1).
/// </summary>
public sealed class HostileInputTests
{
    private static UnicoreClientOptions Options(Uri server) => new()
    {
        SiteUrl = new Uri(server, "SITE/rest/core"),
        Credential = UnicoreCredential.Basic("demouser", "test123"),
        Timeout = TimeSpan.FromSeconds(20),
    };

    [Theory]
    [InlineData(HostileBehaviour.EndlessBody)]
    [InlineData(HostileBehaviour.HugeContentLength)]
    public async Task A_huge_body_is_a_typed_error_naming_the_server_the_limit_and_the_option(HostileBehaviour behaviour)
    {
        await using var peer = await HostileHttpPeer.StartAsync(behaviour);
        using var client = new UnicoreClient(Options(peer.BaseAddress) with { MaxResponseBytes = 1 << 20 });

        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => client.ConnectAsync());

        Assert.Equal(1 << 20, e.Limit);
        Assert.Contains(peer.BaseAddress + "SITE/rest/core", e.Message, StringComparison.Ordinal);
        Assert.Contains("1 MiB (1048576 bytes)", e.Message, StringComparison.Ordinal);
        Assert.Contains("UnicoreClientOptions.MaxResponseBytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(behaviour == HostileBehaviour.HugeContentLength ? HostileHttpPeer.HugeBytes : null, e.ContentLength);
    }

    [Fact]
    public async Task The_limit_holds_with_the_callers_http_client_too()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.EndlessBody);
        using var http = new HttpClient();
        using var client = new UnicoreClient(http, Options(peer.BaseAddress) with { MaxResponseBytes = 256 << 10 });

        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => client.ListJobsAsync());
        Assert.Null(e.ContentLength);
        Assert.Equal(256 << 10, e.Limit);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_timeout_naming_the_server_the_time_and_the_option()
    {
        using var silent = new SilentTcpPeer();
        using var client = new UnicoreClient(Options(silent.BaseAddress) with { Timeout = TimeSpan.FromSeconds(1) });

        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.ConnectAsync());

        Assert.Equal("no answer from " + silent.BaseAddress + "SITE/rest/core within 1 s (option UnicoreClientOptions.Timeout)", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "took " + clock.Elapsed);
    }

    [Fact]
    public async Task A_server_that_sends_headers_then_stalls_is_a_timeout_too()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.StalledBody);
        using var client = new UnicoreClient(Options(peer.BaseAddress) with { Timeout = TimeSpan.FromSeconds(1) });

        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.ConnectAsync());
        Assert.Contains("no answer from " + peer.BaseAddress + "SITE/rest/core within 1 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_deep_html_and_huge_header_answers_are_typed_errors()
    {
        await using (var truncated = await HostileHttpPeer.StartAsync(HostileBehaviour.TruncatedBody))
        {
            using var client = new UnicoreClient(Options(truncated.BaseAddress));
            var e = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.ConnectAsync());
            Assert.Contains(truncated.BaseAddress.ToString(), e.Message, StringComparison.Ordinal);
        }

        await using (var deep = await HostileHttpPeer.StartAsync(HostileBehaviour.DeepJson))
        {
            using var client = new UnicoreClient(Options(deep.BaseAddress));
            var e = await Assert.ThrowsAsync<UnicoreProtocolException>(() => client.ConnectAsync());
            Assert.Contains("at byte", e.Message, StringComparison.Ordinal);
        }

        await using (var html = await HostileHttpPeer.StartAsync(HostileBehaviour.WrongContentType))
        {
            using var client = new UnicoreClient(Options(html.BaseAddress));
            var e = await Assert.ThrowsAsync<UnicoreProtocolException>(() => client.ConnectAsync());
            Assert.Contains("is not what UNICORE sends", e.Message, StringComparison.Ordinal);
        }

        await using var headers = await HostileHttpPeer.StartAsync(HostileBehaviour.HugeHeaders);
        using var h = new UnicoreClient(Options(headers.BaseAddress));
        var he = await Assert.ThrowsAnyAsync<HttpRequestException>(() => h.ConnectAsync());
        Assert.Equal(HttpRequestError.ConfigurationLimitExceeded, he.HttpRequestError);
    }

    [Theory]
    [InlineData(HostileBehaviour.TruncatedBody, "connect")]
    [InlineData(HostileBehaviour.DeepJson, "connect")]
    [InlineData(HostileBehaviour.WrongContentType, "connect")]
    [InlineData(HostileBehaviour.HugeHeaders, "connect")]
    [InlineData(HostileBehaviour.StalledBody, "connect")]
    [InlineData(HostileBehaviour.TruncatedBody, "ls")]
    [InlineData(HostileBehaviour.DeepJson, "ls")]
    [InlineData(HostileBehaviour.WrongContentType, "ls")]
    [InlineData(HostileBehaviour.StalledBody, "ls")]
    public async Task Unicore_connect_and_ls_on_a_broken_answer_exit_1_with_one_error_line(HostileBehaviour behaviour, string command)
    {
        await using var peer = await HostileHttpPeer.StartAsync(behaviour);
        string[] tail = command == "ls" ? ["ls", "HOME:/"] : ["connect"];
        var r = await Unicore(peer.BaseAddress, ["--http-timeout", "2", .. tail]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unicore_connect_on_a_1_GiB_body_exits_1_with_one_line_and_bounded_memory()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.EndlessBody);
        var home = Directory.CreateTempSubdirectory("unicore-huge-").FullName;
        try
        {
            var (r, peak) = await ToolkitCli.RunMeasuredAsync(["unicore", "-s", peer.BaseAddress + "SITE/rest/core", "-u", "demouser:test123", "connect"], Env(home), home);

            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.StartsWith("error: the response of " + peer.BaseAddress + "SITE/rest/core is larger than the maximum response size of 64 MiB", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
            Assert.True(peak is > 0 and < 400L << 20, "peak working set " + (peak >> 20) + " MiB");

            var small = await Unicore(peer.BaseAddress, ["--max-response-size", "512K", "ls", "HOME:/"]);
            Assert.True(small.ExitCode == 1, small.ToString());
            Assert.Contains("524288 bytes", small.Stderr, StringComparison.Ordinal);
            Assert.Contains("UnicoreClientOptions.MaxResponseBytes", small.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Unicore_connect_against_a_silent_server_gives_up_after_the_http_timeout()
    {
        using var silent = new SilentTcpPeer();
        var r = await Unicore(silent.BaseAddress, ["--http-timeout", "2", "connect"]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal("error: no answer from " + silent.BaseAddress + "SITE/rest/core within 2 s (option UnicoreClientOptions.Timeout)", r.Stderr.Trim());

        var bad = await Unicore(silent.BaseAddress, ["--http-timeout", "-1", "connect"]);
        Assert.True(bad.ExitCode == 2, bad.ToString());
    }

    [Theory]
    [InlineData(HostileBehaviour.EndlessBody)]
    [InlineData(HostileBehaviour.HugeContentLength)]
    public async Task A_uftp_auth_server_with_a_huge_body_is_a_typed_error(HostileBehaviour behaviour)
    {
        await using var peer = await HostileHttpPeer.StartAsync(behaviour);
        using var http = new HttpClient();
        var auth = new UftpAuthClient(http) { MaxResponseBytes = 1 << 20 };

        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => auth.AuthenticateAsync(new Uri(peer.BaseAddress, "rest/auth/TEST"), new UftpAuthRequest()));
        Assert.Contains(peer.BaseAddress + "rest/auth/TEST", e.Message, StringComparison.Ordinal);
        Assert.Contains("UftpAuthClient.MaxResponseBytes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HostileBehaviour.EndlessBody)]
    [InlineData(HostileBehaviour.TruncatedBody)]
    [InlineData(HostileBehaviour.DeepJson)]
    [InlineData(HostileBehaviour.WrongContentType)]
    [InlineData(HostileBehaviour.HugeHeaders)]
    [InlineData(HostileBehaviour.StalledBody)]
    public async Task Uftp_ls_against_a_hostile_auth_server_exits_1_with_one_error_line(HostileBehaviour behaviour)
    {
        await using var peer = await HostileHttpPeer.StartAsync(behaviour);
        var r = await Uftp("--timeout", "2", "ls", peer.BaseAddress + "rest/auth/TEST:/");

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        if (behaviour == HostileBehaviour.StalledBody)
        {
            Assert.Contains("no answer from " + peer.BaseAddress + "rest/auth/TEST within 2 s (option --timeout)", r.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_uftp_control_port_that_never_answers_is_a_timeout_naming_the_server()
    {
        using var silent = new SilentTcpPeer();
        int port = silent.BaseAddress.Port;

        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TimeoutException>(() => UftpSession.ConnectAsync("127.0.0.1", port, "secret", new UftpSessionOptions { Timeout = TimeSpan.FromSeconds(1) }));
        Assert.Equal("no reply to the greeting on the UFTP control connection to 127.0.0.1:" + port + " within 1 s", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "took " + clock.Elapsed);

        // Through the CLI: the Auth server hands out the silent port.
        await using var auth = await AuthPointingAtAsync(port);
        var r = await Uftp("--timeout", "2", "ls", AuthUrl(auth) + ":/");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal("error: no reply to the greeting on the UFTP control connection to 127.0.0.1:" + port + " within 2 s", r.Stderr.Trim());
    }

    [Fact]
    public async Task An_endless_multi_line_uftpd_reply_is_a_reply_exception_at_64_MiB()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        System.Net.Sockets.Socket? accepted = null;
        var server = Task.Run(async () =>
        {
            accepted = await listener.AcceptSocketAsync();
            var line = System.Text.Encoding.ASCII.GetBytes("220-" + new string('x', 1000) + "\n");
            var block = Enumerable.Repeat(line, 64).SelectMany(b => b).ToArray();
            try
            {
                while (true)
                {
                    await accepted.SendAsync(block, System.Net.Sockets.SocketFlags.None);
                }
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // The client gave up (or the test closed the socket): what the test wants.
            }
        });

        try
        {
            var e = await Assert.ThrowsAsync<UftpReplyException>(() => UftpSession.ConnectAsync("127.0.0.1", port, "secret", new UftpSessionOptions { Timeout = TimeSpan.FromSeconds(60) }));
            Assert.Contains("the reply to the greeting from 127.0.0.1:" + port + " is longer than 64 MiB", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            accepted?.Dispose();
            listener.Stop();
            await server.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static Task<Tool.Result> Unicore(Uri server, string[] args) => ToolkitCli.RunAsync(
        ["unicore", "-s", server + "SITE/rest/core", "-u", "demouser:test123", .. args], Env(Path.GetTempPath()), null, Path.GetTempPath());

    private static Task<Tool.Result> Uftp(params string[] args) => ToolkitCli.RunAsync(
        ["uftp", "-u", "demouser:test123", .. args], Env(Path.GetTempPath()), null, Path.GetTempPath());

    private static Dictionary<string, string?> Env(string home) => new()
    {
        ["HOME"] = home, ["UNICORE_URL"] = null, ["UNICORE_USER"] = null, ["UNICORE_TOKEN"] = null, ["UNICORE_REGISTRY"] = null,
    };

    private static async Task<WebApplication> AuthPointingAtAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("{\"success\": true, \"serverHost\": \"127.0.0.1\", \"serverPort\": " + port + ", \"secret\": \"s\"}");
        });
        await app.StartAsync();
        return app;
    }

    private static string AuthUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/rest/auth/TEST";
}
