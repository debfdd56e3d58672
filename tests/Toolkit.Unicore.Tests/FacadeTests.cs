using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Tests;

/// <summary>The facade pattern (docs/rest-clients.md): test doubles derive without a server, models come from the factory.</summary>
public sealed class FacadeTests
{
    private sealed class FakeSite(SiteInfo info) : UnicoreClient
    {
        public override Uri? SiteUrl => new("https://fake/SITE/rest/core");

        public override Task<SiteInfo> GetSiteInfoAsync(CancellationToken cancellationToken = default) => Task.FromResult(info);
    }

    [Fact]
    public async Task A_double_overrides_the_site_and_ConnectAsync_still_checks_for_anonymous()
    {
        using var user = new FakeSite(UnicoreModelFactory.SiteInfo(uid: "alice"));
        Assert.Equal("alice", (await user.ConnectAsync()).Client!.Xlogin!.Uid);

        using var anonymous = new FakeSite(UnicoreModelFactory.SiteInfo(dn: "CN=ANONYMOUS,O=UNKNOWN,OU=UNKNOWN", role: "anonymous"));
        var e = await Assert.ThrowsAsync<UnicoreAnonymousException>(() => anonymous.ConnectAsync());
        Assert.Contains("https://fake/SITE/rest/core", e.Message, StringComparison.Ordinal);
        Assert.True(UnicoreClient.IsAnonymous(UnicoreModelFactory.SiteInfo(dn: null)));
    }

    [Fact]
    public void The_model_factory_builds_jobs_and_listings()
    {
        var job = UnicoreModelFactory.JobProperties(JobStatus.Running, name: "j", links: new Dictionary<string, string> { ["self"] = "https://x/jobs/1" });
        Assert.Equal("https://x/jobs/1", job.Links!["self"].Href);
        Assert.False(UnicoreJob.IsFinal(job.Status!.Value));
        Assert.True(UnicoreJob.IsFinal(JobStatus.Failed));
        var dir = UnicoreModelFactory.FileInfo(content: new Dictionary<string, FileInfo> { ["/a"] = UnicoreModelFactory.FileInfo(3) });
        Assert.True(dir.IsDirectory);
        Assert.Equal(3, dir.Content!["/a"].Size);
    }

    [Theory]
    [InlineData("\"0\"", 0)]
    [InlineData("7", 7)]
    [InlineData("\"-1\"", -1)]
    [InlineData("\"x\"", null)]
    [InlineData("null", null)]
    public void The_exit_code_is_read_as_a_number_or_a_string(string json, int? expected)
    {
        var props = Toolkit.Runtime.Json.ApiJson.Parse<JobProperties>(System.Text.Encoding.UTF8.GetBytes("{\"exitCode\": " + json + "}"));
        Assert.Equal(expected, UnicoreJob.ExitCode(props));
    }
}
