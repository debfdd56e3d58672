using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Toolkit.Peers.Hostile;
using Toolkit.Runtime.Http;

namespace Toolkit.DataDispatcher.Tests;

/// <summary>
/// Hostile servers against the Data Dispatcher client (issue 17, defects 5 and 6): a 1 GiB or endless body must end in
/// <see cref="ResponseTooLargeException"/> with bounded memory, and a server that never answers in a
/// <see cref="TimeoutException"/> naming the server, the time waited and the option, through the API and <c>toolkit dd</c>.
/// </summary>
public sealed class HostileHttpTests
{
    private static DataDispatcherClientOptions Options(Uri server) => new()
    {
        ServerUrl = server + "dd/data",
        Retry = RetryPolicy.None,
        Timeout = TimeSpan.FromSeconds(20),
        CurrentDirectory = Path.GetTempPath(),
    };

    [Theory]
    [InlineData(HostileBehaviour.EndlessBody)]
    [InlineData(HostileBehaviour.HugeContentLength)]
    public async Task A_huge_body_is_a_typed_error_naming_the_server_the_limit_and_the_option(HostileBehaviour behaviour)
    {
        await using var peer = await HostileHttpPeer.StartAsync(behaviour);
        using var dd = new DataDispatcherClient(Options(peer.BaseAddress) with { MaxResponseBytes = 1 << 20 });

        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => dd.VersionAsync());

        Assert.Equal(1 << 20, e.Limit);
        Assert.Contains(peer.BaseAddress + "dd/data/version", e.Message, StringComparison.Ordinal);
        Assert.Contains("1 MiB (1048576 bytes)", e.Message, StringComparison.Ordinal);
        Assert.Contains("DataDispatcherClientOptions.MaxResponseBytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(behaviour == HostileBehaviour.HugeContentLength ? HostileHttpPeer.HugeBytes : null, e.ContentLength);
    }

    [Fact]
    public async Task The_limit_holds_with_the_callers_http_client_too()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.EndlessBody);
        using var http = new HttpClient();
        using var dd = new DataDispatcherClient(http, Options(peer.BaseAddress) with { MaxResponseBytes = 256 << 10 });

        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => dd.VersionAsync());
        Assert.Null(e.ContentLength);
    }

    [Fact]
    public async Task Response_headers_over_the_budget_are_refused()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.HugeHeaders);
        using var dd = new DataDispatcherClient(Options(peer.BaseAddress));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => dd.VersionAsync());
        Assert.Equal(HttpRequestError.ConfigurationLimitExceeded, e.HttpRequestError);

        using var generous = new DataDispatcherClient(Options(peer.BaseAddress) with { Tls = new Toolkit.Runtime.Security.GridTlsOptions { MaxResponseHeadersKilobytes = 1024 } });
        Assert.Equal("1.0", await generous.VersionAsync());
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_timeout_naming_the_server_the_time_and_the_option()
    {
        using var silent = new SilentTcpPeer();
        using var dd = new DataDispatcherClient(Options(silent.BaseAddress) with { Timeout = TimeSpan.FromSeconds(1) });

        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TimeoutException>(() => dd.VersionAsync());

        Assert.Equal("no answer from " + silent.BaseAddress + "dd/data/version within 1 s (option DataDispatcherClientOptions.Timeout)", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "took " + clock.Elapsed);
    }

    [Fact]
    public async Task A_server_that_sends_headers_then_stalls_is_a_timeout_too()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.StalledBody);
        using var dd = new DataDispatcherClient(Options(peer.BaseAddress) with { Timeout = TimeSpan.FromSeconds(1) });

        var e = await Assert.ThrowsAsync<TimeoutException>(() => dd.VersionAsync());
        Assert.Contains("no answer from " + peer.BaseAddress + "dd/data/version within 1 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_deep_and_html_project_answers_are_typed_errors()
    {
        await using (var truncated = await HostileHttpPeer.StartAsync(HostileBehaviour.TruncatedBody))
        {
            using var dd = new DataDispatcherClient(Options(truncated.BaseAddress));
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => dd.GetProjectAsync(1));
        }

        await using (var deep = await HostileHttpPeer.StartAsync(HostileBehaviour.DeepJson))
        {
            using var dd = new DataDispatcherClient(Options(deep.BaseAddress));
            // A reply that does not match the schema is the generated client's ApiException (not the service root).
            var e = await Assert.ThrowsAnyAsync<ApiException>(() => dd.GetProjectAsync(1));
            Assert.Contains("at byte", e.Message, StringComparison.Ordinal);
        }

        await using var html = await HostileHttpPeer.StartAsync(HostileBehaviour.WrongContentType);
        using var client = new DataDispatcherClient(Options(html.BaseAddress));
        await Assert.ThrowsAnyAsync<ApiException>(() => client.GetProjectAsync(1));
    }

    [Theory]
    [InlineData(HostileBehaviour.TruncatedBody)]
    [InlineData(HostileBehaviour.DeepJson)]
    [InlineData(HostileBehaviour.WrongContentType)]
    [InlineData(HostileBehaviour.HugeHeaders)]
    [InlineData(HostileBehaviour.StalledBody)]
    public async Task Dd_project_show_on_a_broken_answer_exits_1_with_one_error_line(HostileBehaviour behaviour)
    {
        await using var peer = await HostileHttpPeer.StartAsync(behaviour);
        var home = Directory.CreateTempSubdirectory("dd-broken-").FullName;
        try
        {
            var r = await ToolkitCli.RunAsync(["dd", "--server", peer.BaseAddress + "dd/data", "--http-timeout", "2", "project", "show", "1"], Env(home), null, home);

            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
            Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Dd_version_on_a_1_GiB_body_exits_1_with_one_line_and_bounded_memory()
    {
        await using var peer = await HostileHttpPeer.StartAsync(HostileBehaviour.EndlessBody);
        var home = Directory.CreateTempSubdirectory("dd-huge-").FullName;
        try
        {
            // The default limit (64 MiB): before it, the whole 1 GiB was read into memory (OutOfMemoryException).
            var (r, peak) = await ToolkitCli.RunMeasuredAsync(["dd", "--server", peer.BaseAddress + "dd/data", "version"], Env(home), home);

            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.StartsWith("error: the response of " + peer.BaseAddress + "dd/data/version is larger than the maximum response size of 64 MiB", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
            Assert.True(peak is > 0 and < 400L << 20, "peak working set " + (peak >> 20) + " MiB");

            var small = await ToolkitCli.RunAsync(["dd", "--server", peer.BaseAddress + "dd/data", "--max-response-size", "512K", "version"], Env(home), null, home);
            Assert.True(small.ExitCode == 1, small.ToString());
            Assert.Contains("512 KiB", small.Stderr.Replace("524288 bytes", "512 KiB", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Dd_version_against_a_silent_server_gives_up_after_the_http_timeout()
    {
        using var silent = new SilentTcpPeer();
        var home = Directory.CreateTempSubdirectory("dd-silent-").FullName;
        try
        {
            var r = await ToolkitCli.RunAsync(["dd", "--server", silent.BaseAddress + "dd/data", "--http-timeout", "2", "version"], Env(home), null, home);

            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Equal("error: no answer from " + silent.BaseAddress + "dd/data/version within 2 s (option DataDispatcherClientOptions.Timeout)", r.Stderr.Trim());

            var bad = await ToolkitCli.RunAsync(["dd", "--server", silent.BaseAddress + "dd/data", "--http-timeout", "-1", "version"], Env(home), null, home);
            Assert.True(bad.ExitCode == 2, bad.ToString());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static Dictionary<string, string?> Env(string home) => new() { ["HOME"] = home, ["DATA_DISPATCHER_URL"] = null, ["DATA_DISPATCHER_AUTH_URL"] = null };
}
