using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Tests;

/// <summary>Jobs end to end: real /bin/sh processes in per-job working directories of the peer.</summary>
public sealed class JobTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public async Task An_echo_job_runs_and_its_stdout_is_read_from_the_working_directory()
    {
        using var client = fx.Client();
        await client.ConnectAsync();
        var job = await client.SubmitJobAsync(Jobs.Echo("hello", "world") with { Environment = ["GREETING=hi there"] });
        Assert.StartsWith(fx.Peer.SiteUrl + "/jobs/", job.Url.ToString(), StringComparison.Ordinal);
        var props = await job.WaitAsync(timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Successful, props.Status);
        Assert.Equal(0, UnicoreJob.ExitCode(props));
        Assert.Equal("hello world\n", await job.ReadStdoutAsync());
        Assert.Equal(string.Empty, await job.ReadStderrAsync());

        var env = await client.SubmitJobAsync(new JobDescription { Executable = "echo $GREETING; echo oops >&2; exit 3", Environment = ["GREETING=hi there"] });
        var envProps = await env.WaitAsync(timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Successful, envProps.Status); // as UNICORE: the exit code tells the failure
        Assert.Equal(3, UnicoreJob.ExitCode(envProps));
        Assert.Equal("hi there\n", await env.ReadStdoutAsync());
        Assert.Equal("oops\n", await env.ReadStderrAsync());
    }

    [Fact]
    public async Task Applications_inline_imports_and_the_wire_names_of_the_description()
    {
        using var client = fx.Client();
        var job = await client.SubmitJobAsync(new JobDescription
        {
            ApplicationName = "Bash shell",
            Arguments = ["input.txt"],
            Imports = [new DataStaging { From = "inline://dummy", To = "input.txt", Data = "echo from-inline-script" }],
            JobType = "normal",
            Resources = new Dictionary<string, string> { ["Runtime"] = "10m", ["Nodes"] = "1" },
            Project = "demo",
        });
        await job.WaitAsync(timeout: TimeSpan.FromSeconds(30));
        Assert.Equal("from-inline-script\n", await job.ReadStdoutAsync());

        var json = System.Text.Encoding.UTF8.GetString(Toolkit.Runtime.Json.ApiJson.Serialize(new JobDescription { JobType = "raw", HaveClientStageIn = "true", UserPrecommand = "x" }));
        Assert.Equal("{\"Job type\":\"raw\",\"User precommand\":\"x\",\"haveClientStageIn\":\"true\"}", json);

        var missing = await Assert.ThrowsAsync<UnicoreBadRequestException>(() => client.SubmitJobAsync(new JobDescription { ApplicationName = "NoSuchApp" }));
        Assert.Contains("no application 'NoSuchApp'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("POST " + fx.Peer.SiteUrl + "/jobs", missing.Message, StringComparison.Ordinal);
        Assert.Equal(400, missing.StatusCode);
    }

    [Fact]
    public async Task Client_stage_in_waits_in_READY_until_started()
    {
        using var client = fx.Client();
        var dir = fx.NewDir();
        var input = Path.Combine(dir, "in.txt");
        await File.WriteAllTextAsync(input, "staged by the client\n");
        var held = await client.SubmitJobAsync(new JobDescription { Executable = "/bin/cat", Arguments = ["in.txt"], HaveClientStageIn = "true" });
        Assert.Equal(JobStatus.Ready, await held.GetStatusAsync());
        await held.AbortAsync();
        Assert.Equal(JobStatus.Failed, await held.GetStatusAsync());

        var job = await client.SubmitJobAsync(new JobDescription { Executable = "/bin/cat", Arguments = ["in.txt"] }, new Dictionary<string, string> { ["in.txt"] = input });
        await job.WaitAsync(timeout: TimeSpan.FromSeconds(30));
        Assert.Equal("staged by the client\n", await job.ReadStdoutAsync());
    }

    [Fact]
    public async Task Abort_restart_and_delete()
    {
        using var client = fx.Client();
        var job = await client.SubmitJobAsync(new JobDescription { Executable = "sleep 30; echo never" });
        await job.WaitAsync(JobStatus.Running, TimeSpan.FromSeconds(30));
        await job.AbortAsync();
        var props = await job.WaitAsync(timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Failed, props.Status);
        Assert.Contains("aborted", props.StatusMessage, StringComparison.Ordinal);

        var counter = await client.SubmitJobAsync(new JobDescription { Executable = "echo run >> runs.txt; cat runs.txt" });
        await counter.WaitAsync(timeout: TimeSpan.FromSeconds(30));
        await counter.RestartAsync();
        await counter.WaitAsync(JobStatus.Successful, TimeSpan.FromSeconds(30));
        await WaitForAsync(async () => (await counter.ReadStdoutAsync()) == "run\nrun\n");

        await counter.DeleteAsync();
        var gone = await Assert.ThrowsAsync<UnicoreNotFoundException>(() => counter.GetPropertiesAsync());
        Assert.Contains("not found", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_pages_with_offset_and_num_and_filters_by_tags_and_fields()
    {
        using var client = fx.Client(UnicoreCredential.Basic("other", "pw"));
        var tag = "batch-" + Guid.NewGuid().ToString("N")[..6];
        var submitted = new List<Uri>();
        for (int i = 0; i < 5; i++)
        {
            submitted.Add((await client.SubmitJobAsync(Jobs.Echo(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) with { Tags = i % 2 == 0 ? [tag] : null })).Url);
        }

        var all = await client.ListJobsAsync();
        Assert.Equal(submitted, all.Select(j => j.Url));
        var page = await client.ListJobsAsync(offset: 1, num: 2);
        Assert.Equal(submitted.Skip(1).Take(2), page.Select(j => j.Url));
        var tagged = await client.ListJobsAsync(tags: [tag]);
        Assert.Equal([submitted[0], submitted[2], submitted[4]], tagged.Select(j => j.Url));
        Assert.Contains(fx.Peer.Requests, r => r.Contains("/jobs?offset=1&num=2 ", StringComparison.Ordinal));

        var some = await all[0].GetPropertiesAsync(["status"]);
        Assert.NotNull(some.Status);
        Assert.Null(some.Name);
        Assert.Null(some.Links);

        using var demo = fx.Client();
        var foreign = await Assert.ThrowsAsync<UnicoreForbiddenException>(() => demo.GetJob(submitted[0]).GetPropertiesAsync());
        Assert.Contains("another user", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_times_out_with_the_job_and_its_state_named()
    {
        using var client = fx.Client();
        var job = await client.SubmitJobAsync(new JobDescription { Executable = "sleep 20" });
        var e = await Assert.ThrowsAsync<TimeoutException>(() => job.WaitAsync(timeout: TimeSpan.FromMilliseconds(600)));
        Assert.Contains(job.Url.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("RUNNING", e.Message, StringComparison.Ordinal);
        await job.AbortAsync();
    }

    internal static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("condition not met in 10 s");
    }
}
