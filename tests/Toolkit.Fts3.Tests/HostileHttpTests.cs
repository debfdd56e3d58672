using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Toolkit.Peers.Hostile;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3.Tests;

/// <summary>
/// Hostile servers against the FTS3 context (issue 17, defects 5 and 6): a huge body is a
/// <see cref="ResponseTooLargeException"/> with bounded memory; a silent server a timeout naming the server, the time
/// and the option; an HTML answer a typed error. Through the API and <c>toolkit fts</c>.
/// </summary>
public sealed class HostileHttpTests
{
    private static Fts3ContextOptions Options(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        Token = new BearerToken("not-a-real-token", "the test"),
        Timeout = TimeSpan.FromSeconds(20),
    };

    [Theory]
    [InlineData(HostileBehaviour.EndlessBody)]
    [InlineData(HostileBehaviour.HugeContentLength)]
    public async Task A_huge_answer_to_the_endpoint_check_is_a_typed_error_not_a_bad_endpoint(HostileBehaviour behaviour)
    {
        await using var peer = await HostileHttpPeer.StartAsync(behaviour);

        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => Fts3Context.CreateAsync(Options(peer.BaseAddress) with { MaxResponseBytes = 1 << 20 }));

        Assert.Contains(peer.BaseAddress.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("Fts3ContextOptions.MaxResponseBytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(1 << 20, e.Limit);
    }

    [Fact]
    public async Task A_huge_whoami_through_the_callers_client_is_bounded_too()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.EndlessBody);
        using var http = new HttpClient();
        using var ctx = new Fts3Context(http, Options(peer.BaseAddress) with { MaxResponseBytes = 300_000 });

        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => ctx.WhoAmIAsync());
        Assert.Contains(peer.BaseAddress + "whoami", e.Message, StringComparison.Ordinal);
        Assert.Contains("300000 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_bad_endpoint_naming_the_time_and_the_option()
    {
        using var silent = new SilentTcpPeer();

        var e = await Assert.ThrowsAsync<BadEndpointException>(() => Fts3Context.CreateAsync(Options(silent.BaseAddress) with { Timeout = TimeSpan.FromSeconds(1) }));

        Assert.Contains("no answer from " + silent.BaseAddress + " within 1 s (option Fts3ContextOptions.Timeout)", e.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public async Task Headers_then_silence_is_a_timeout_too()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.StalledBody);

        var e = await Assert.ThrowsAsync<BadEndpointException>(() => Fts3Context.CreateAsync(Options(peer.BaseAddress) with { Timeout = TimeSpan.FromSeconds(1) }));
        Assert.Contains("within 1 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_html_answer_where_json_is_expected_is_a_bad_endpoint()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.WrongContentType);

        var e = await Assert.ThrowsAsync<BadEndpointException>(() => Fts3Context.CreateAsync(Options(peer.BaseAddress)));
        Assert.Contains("does not answer like an FTS3 server", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_answer_is_a_network_error_and_a_deep_one_a_typed_error_at_its_byte()
    {
        await using (var truncated = await HostileHttpPeer.StartAsync(HostileBehaviour.TruncatedBody))
        {
            using var http = new HttpClient();
            using var ctx = new Fts3Context(http, Options(truncated.BaseAddress));
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => ctx.WhoAmIAsync());
        }

        await using var deep = await HostileHttpPeer.StartAsync(HostileBehaviour.DeepJson);
        using var http2 = new HttpClient();
        using var ctx2 = new Fts3Context(http2, Options(deep.BaseAddress));
        // A reply that does not match the schema is the generated client's ApiException (not the service root).
        var e = await Assert.ThrowsAnyAsync<ApiException>(() => ctx2.WhoAmIAsync());
        Assert.Contains("at byte", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HostileBehaviour.TruncatedBody)]
    [InlineData(HostileBehaviour.DeepJson)]
    [InlineData(HostileBehaviour.WrongContentType)]
    [InlineData(HostileBehaviour.HugeHeaders)]
    public async Task Fts_whoami_on_a_broken_answer_exits_1_with_one_error_line(HostileBehaviour behaviour)
    {
        await using var peer = await HostileHttpPeer.StartAsync(behaviour);

        var r = await ToolkitCli.RunAsync(["fts", "-s", peer.BaseAddress.ToString(), "--token", "--http-timeout", "20", "whoami"], Env());

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fts_whoami_on_a_1_GiB_body_exits_1_with_bounded_memory()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.HugeContentLength);
        await using var endless = await HostileHttpPeer.StartAsync(HostileBehaviour.EndlessBody);

        foreach (var p in new[] { peer, endless })
        {
            var (r, peak) = await ToolkitCli.RunMeasuredAsync(["fts", "-s", p.BaseAddress.ToString(), "--token", "whoami"], Env());

            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.StartsWith("error: the response of " + p.BaseAddress + " is larger than the maximum response size of 64 MiB", r.Stderr, StringComparison.Ordinal);
            Assert.True(peak is > 0 and < 400L << 20, "peak working set " + (peak >> 20) + " MiB");
        }
    }

    [Fact]
    public async Task Fts_whoami_against_a_silent_server_gives_up_after_the_http_timeout()
    {
        using var silent = new SilentTcpPeer();

        var r = await ToolkitCli.RunAsync(["fts", "-s", silent.BaseAddress.ToString(), "--token", "--http-timeout", "1.5", "whoami"], Env());

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("no answer from " + silent.BaseAddress + " within 1.5 s (option Fts3ContextOptions.Timeout)", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, r.Stdout);
    }

    private static Dictionary<string, string?> Env() => new()
    {
        ["HOME"] = Path.GetTempPath(),
        ["BEARER_TOKEN"] = "not-a-real-token",
        ["FTS3_ENDPOINT"] = null,
    };
}
