using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Tests;

/// <summary>Site discovery through the registry, and workflows (submit, hold, resume, abort).</summary>
public sealed class RegistryWorkflowTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public async Task The_registry_lists_the_site_and_the_workflow_service()
    {
        using var client = fx.Client();
        var registry = client.GetRegistry();
        var entries = await registry.GetEntriesAsync();
        Assert.Contains(entries, e => e.Type == "CoreServices" && e.Href == fx.Peer.SiteUrl.ToString());
        var sites = await registry.GetSitesAsync();
        Assert.Equal(fx.Peer.SiteUrl, Assert.Single(sites, s => s.Key == "DEMO-SITE").Value);
        Assert.Equal(fx.Peer.WorkflowUrl, (await registry.GetWorkflowServicesAsync())["WORKFLOW"]);

        using var site = client.ForSite(sites["DEMO-SITE"]);
        Assert.Equal("UID=demouser", (await site.ConnectAsync()).Client!.Dn);
    }

    [Fact]
    public async Task A_workflow_runs_its_jobs_holds_and_resumes()
    {
        using var client = fx.Client();
        var service = client.GetWorkflowService(fx.Peer.WorkflowUrl);
        var json = """
            {"name": "demo", "activities": [
               {"id": "start", "type": "START"},
               {"id": "first", "type": "JOB", "job": {"Executable": "/bin/echo", "Arguments": ["one"]}},
               {"id": "wait", "type": "HOLD"},
               {"id": "second", "type": "JOB", "job": {"Executable": "/bin/echo", "Arguments": ["two"]}}],
             "transitions": [{"from": "start", "to": "first"}, {"from": "first", "to": "wait"}, {"from": "wait", "to": "second"}]}
            """;
        var wf = await service.SubmitAsync(Encoding.UTF8.GetBytes(json));
        var held = await wf.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(WorkflowStatus.Held, held.Status);
        Assert.Equal("demo", held.Name);
        Assert.Single(await wf.GetJobUrlsAsync());

        await wf.ResumeAsync(new System.Collections.Generic.Dictionary<string, string> { ["COUNT"] = "2" });
        var done = await wf.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(WorkflowStatus.Successful, done.Status);
        Assert.Equal("2", done.Parameters!["COUNT"]);
        var jobs = await wf.GetJobUrlsAsync();
        Assert.Equal(2, jobs.Count);
        var outputs = await Task.WhenAll(jobs.Select(u => client.GetJob(u).ReadStdoutAsync()));
        Assert.Equal(["one\n", "two\n"], outputs.Order(StringComparer.Ordinal));
        Assert.Contains(await service.ListAsync(), w => w.Url == wf.Url);
        await Assert.ThrowsAsync<UnicoreConflictException>(() => wf.ResumeAsync());
    }

    [Fact]
    public async Task Workflows_abort_and_bad_descriptions_are_refused_with_the_error_list()
    {
        using var client = fx.Client();
        var service = client.GetWorkflowService(fx.Peer.WorkflowUrl);
        var wf = await service.SubmitAsync(Encoding.UTF8.GetBytes("""{"activities": [{"id": "h", "type": "HOLD"}]}"""));
        Assert.Equal(WorkflowStatus.Held, (await wf.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        await wf.AbortAsync();
        Assert.Equal(WorkflowStatus.Aborted, (await wf.WaitAsync(TimeSpan.FromSeconds(30))).Status);

        var bad = await Assert.ThrowsAsync<UnicoreBadRequestException>(() => service.SubmitAsync(Encoding.UTF8.GetBytes("""{"activities": [{"id": "x", "type": "TELEPORT"}]}""")));
        Assert.Contains("unknown type 'TELEPORT'", bad.Message, StringComparison.Ordinal);
        var notJson = Assert.Throws<ArgumentException>(() => service.SubmitAsync(Encoding.UTF8.GetBytes("{\"activities\": [")).GetAwaiter().GetResult());
        Assert.Contains("not valid JSON", notJson.Message, StringComparison.Ordinal);
    }
}
