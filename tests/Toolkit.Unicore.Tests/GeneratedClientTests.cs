using System;
using System.Net.Http;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Unicore.Tests;

/// <summary>The generated <see cref="UnicoreRestClient"/> (fixed routes below a site) against the peer: the schema and the peer agree.</summary>
public sealed class GeneratedClientTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public async Task The_generated_client_reads_the_site_submits_and_reads_a_job()
    {
        using var http = new HttpClient(HttpPipeline.Create(new SocketsHttpHandler(), new BasicAuthHandler("demouser", "test123")));
        var client = new UnicoreRestClient(http, new UnicoreRestClientOptions { BaseAddress = fx.Peer.SiteUrl });
        var site = await client.GetSiteInfoAsync();
        Assert.Equal("user", site.Client!.Role!.Selected);
        Assert.Equal(["demouser", "nobody"], site.Client.Xlogin!.AvailableUiDs);

        var submitted = await client.SubmitJobWithResponseAsync(new JobDescription { Executable = "/bin/true", Tags = ["gen"] });
        Assert.Equal(201, submitted.StatusCode);
        var location = new Uri(submitted.Headers.GetFirst("Location")!);
        var id = location.Segments[^1];
        var job = await client.GetJobAsync(id);
        Assert.Equal(["gen"], job.Tags);
        var list = await client.ListJobsAsync(tags: ["gen"]);
        Assert.Equal(location.ToString(), Assert.Single(list.Jobs!));

        var e = await Assert.ThrowsAsync<UnicoreNotFoundException>(() => client.GetJobAsync("no-such-job"));
        Assert.Equal("Job 'no-such-job' not found", e.Message);
    }
}
