using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.Peers.Fts3;
using Toolkit.Fts3;

namespace Toolkit.Fts3.Tests;

[Collection("fts3")]
public sealed class JobTests(Fts3Pki pki)
{
    private static Submission OneFile(string name = "f1", Fts3JobOptions? options = null)
        => Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("https://a.example.org/" + name, "https://b.example.org/" + name) }, options);

    [Fact]
    public async Task Endpoint_info_and_whoami()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        var info = await ctx.GetEndpointInfoAsync();
        Assert.Equal((3, 13, 4), (info.Api!.Major, info.Api.Minor, info.Api.Patch));
        Assert.Equal(14, info.Core!.Minor);
        Assert.Equal("X509", ctx.AccessMethod);
        var who = await ctx.WhoAmIAsync();
        Assert.Equal(Fts3Pki.UserDn, who.UserDn);
        Assert.Equal(new[] { who.DelegationId! }, who.Vos); // no VOMS: the "virtual VO" is the delegation id
        Assert.Equal(Fts3Jobs.BaseId.ToString(), who.BaseId);
        Assert.Equal("vo", who.Level!.Value.AsObject()["transfer"]);
        Assert.False(who.IsRoot);
        using var admin = await Fts3Context.CreateAsync(pki.Options(peer, admin: true));
        Assert.Equal("all", (await admin.WhoAmIAsync()).Level!.Value.AsObject()["config"]);
    }

    [Fact]
    public async Task Bad_endpoints_raise_BadEndpoint()
    {
        var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var e = await Assert.ThrowsAsync<BadEndpointException>(() => Fts3Context.CreateAsync(new Fts3ContextOptions
        {
            Endpoint = new Uri($"https://localhost:{port}"),
            ProxyPath = pki.ProxyPath,
            CaPath = pki.Pki.CertDir,
            Environment = _ => null,
        }));
        Assert.Contains("cannot reach", e.Message);
        Assert.IsAssignableFrom<Fts3ClientException>(e);

        // An HTTPS server that is not FTS3 (its / is not the version document).
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        var notFts = await Assert.ThrowsAsync<BadEndpointException>(() => Fts3Context.CreateAsync(pki.Options(peer) with { Endpoint = new Uri(peer.BaseAddress, "whoami/certificate/") }));
        Assert.Contains("does not answer like an FTS3 server", notFts.Message);
    }

    [Fact]
    public async Task Submit_uses_the_python_defaults_and_the_status_calls_read_it_back()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        var metadata = JsonDocument.Parse("""{"run": 42}""").RootElement;
        var job = Fts3Jobs.NewJob(
            new[]
            {
                Fts3Jobs.NewTransfer("https://a.example.org/f1", "https://b.example.org/f1", filesize: 1024),
                Fts3Jobs.NewTransfer("https://a.example.org/f2", "https://b.example.org/f2", checksum: "MD5:0123", activity: "express"),
            },
            new Fts3JobOptions { Metadata = metadata, Activity = "default-activity", Scitag = 200, Priority = 4 });
        Assert.Equal("default-activity", job.Files[0].Activity);
        Assert.Equal("express", job.Files[1].Activity);
        var id = await ctx.SubmitAsync(job);
        Assert.True(Guid.TryParse(id, out _));

        var stored = peer.GetJob(id)!;
        Assert.Equal("nostreams:1", stored["internal_job_params"]!.GetValue<string>());
        Assert.Equal("t", stored["verify_checksum"]!.GetValue<string>());
        Assert.Equal(-1, stored["retry"]!.GetValue<int>());
        Assert.Equal(4, stored["priority"]!.GetValue<int>());
        Assert.Equal("certificate", stored["job_metadata"]!["auth_method"]!.GetValue<string>());
        Assert.Equal(42, stored["job_metadata"]!["run"]!.GetValue<int>());
        var files = peer.GetFiles(id);
        Assert.Equal(new[] { "ADLER32", "MD5:0123" }, files.Select(f => f["checksum"]!.GetValue<string>()));
        Assert.All(files, f => Assert.Equal(200, f["scitag"]!.GetValue<int>()));

        var status = await ctx.GetJobStatusAsync(id, listFiles: true);
        Assert.Equal(JobState.Submitted, status.JobState);
        Assert.Equal("N", status.JobType);
        Assert.Equal(2, status.Files!.Count);
        Assert.Equal(1024, status.Files[0].Filesize);
        Assert.Equal(TimeSpan.Zero, status.SubmitTime!.Value.Offset);
        Assert.InRange(status.SubmitTime.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.False(Fts3Jobs.IsTerminal(status.JobState!.Value));
        Assert.Equal("SUBMITTED", (await ctx.Client.GetJobFieldAsync(id, "job_state")).ToElement().GetString());
        var field = await Assert.ThrowsAsync<NotFoundException>(() => ctx.Client.GetJobFieldAsync(id, "no_such_field"));
        Assert.Equal("No such field", field.Message);

        // The JSON the generated client sent has exactly "application/json" and "Accept: application/json".
        var post = peer.Requests.Single(r => r.Method == "POST" && r.Path == "/jobs");
        Assert.Equal("application/json", post.ContentType);
        Assert.Equal("application/json", post.Accept);
    }

    [Fact]
    public async Task Deterministic_ids_are_computed_client_side_and_a_repeated_sid_is_409_with_the_servers_message()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        await ctx.DelegateAsync();
        var sid = "run-2026-11-22/file-1";
        var expected = await ctx.DeterministicJobIdAsync(sid);
        var who = await ctx.WhoAmIAsync();
        Assert.Equal(Fts3Jobs.DeterministicJobId(who.Vos![0], sid).ToString(), expected);
        var id = await ctx.SubmitAsync(OneFile(options: new Fts3JobOptions { IdGenerator = Fts3Jobs.DeterministicIdGenerator, Sid = sid }));
        Assert.Equal(expected, id);
        var again = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.SubmitAsync(OneFile(options: new Fts3JobOptions { IdGenerator = "deterministic", Sid = sid })));
        Assert.Equal(409, again.StatusCode);
        Assert.Equal("The job " + id + " already exists", again.Message);
    }

    [Fact]
    public void Uuid5_matches_python()
    {
        // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org'))"
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), Fts3Jobs.Uuid5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));
        var vo = Fts3Jobs.Uuid5(Fts3Jobs.BaseId, "dteam");
        Assert.Equal(Fts3Jobs.Uuid5(vo, "sid"), Fts3Jobs.DeterministicJobId("dteam", "sid"));
        Assert.Equal(FtsPeer.Uuid5(FtsPeer.Uuid5(FtsPeer.BaseId, "dteam"), "sid"), Fts3Jobs.DeterministicJobId("dteam", "sid"));
    }

    [Fact]
    public void Client_side_validation_names_what_is_wrong()
    {
        var t = Fts3Jobs.NewTransfer("https://a/x", "https://b/x");
        Assert.Contains("SciTag", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewTransfer("https://a/x", "https://b/x", scitag: 64)).Message);
        Assert.Equal(65535, Fts3Jobs.NewTransfer("https://a/x", "https://b/x", scitag: 65535).Scitag);
        Assert.Contains("SciTag", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { Scitag = 65536 })).Message);
        Assert.Contains("verify_checksum", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { VerifyChecksum = "sometimes" })).Message);
        Assert.Equal("both", Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { VerifyChecksum = "both" }).Params!.VerifyChecksum!.Value.AsString());
        Assert.True(Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { VerifyChecksum = "true" }).Params!.VerifyChecksum!.Value.AsBoolean());
        Assert.Equal(new JobParamsVerifyChecksum(false), Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { VerifyChecksum = "FALSE" }).Params!.VerifyChecksum);
        Assert.Contains("only one overwrite flag", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { Overwrite = true, OverwriteOnRetry = true })).Message);
        Assert.Contains("multihop", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { OverwriteHop = true })).Message);
        Assert.Contains("archive_timeout", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { OverwriteWhenOnlyOnDisk = true })).Message);
        var pair = Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { Multihop = true, OverwriteHop = true, OverwriteWhenOnlyOnDisk = true, ArchiveTimeout = 60 });
        Assert.True(pair.Params!.OverwriteHop);
        Assert.Contains("together", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewTransfer("https://a/x", "https://b/x", sourceToken: "t")).Message);
        var withTokens = Fts3Jobs.NewTransfer("https://a/y", "https://b/y", sourceToken: "s", destinationToken: "d");
        Assert.Contains("every transfer or for none", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewJob(new[] { t, withTokens })).Message);
        Assert.Contains("sid", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { IdGenerator = "deterministic" })).Message);
        Assert.Contains("at least one transfer", Assert.Throws<ClientErrorException>(() => Fts3Jobs.NewJob(Array.Empty<TransferFile>())).Message);
        Assert.Equal("2h", Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { MaxTimeInQueue = "2h" }).Params!.MaxTimeInQueue!.Value.AsString());
        Assert.Equal(3, Fts3Jobs.NewJob(new[] { t }, new Fts3JobOptions { MaxTimeInQueue = "3" }).Params!.MaxTimeInQueue!.Value.AsNumber());
    }

    [Fact]
    public async Task The_server_rejects_what_fts_rest_rejects_with_its_texts()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        await ctx.DelegateAsync();
        var noScheme = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.SubmitAsync(Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("a.example.org/f", "https://b.example.org/f") })));
        Assert.Equal(400, noScheme.StatusCode);
        Assert.Equal("Invalid value within the request: Missing scheme (a.example.org/f)", noScheme.Message);
        var local = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.SubmitAsync(Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("file:///etc/passwd", "https://b.example.org/f") })));
        Assert.Contains("local files", local.Message);
        // Bypassing the client-side checks: the server's own rules.
        var raw = new Submission { Files = new[] { Fts3Jobs.NewTransfer("https://a.example.org/f", "https://b.example.org/f") }, Params = new JobParams { OverwriteHop = true } };
        var hop = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.Client.SubmitJobAsync(raw));
        Assert.Contains("overwrite_hop requires multihop", hop.Message);
        var delete = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.Client.SubmitJobAsync(raw with { Params = null, Delete = JsonDocument.Parse("[]").RootElement }));
        Assert.Equal(405, delete.StatusCode);
        Assert.Equal("Deletion jobs are no longer supported by FTS", delete.Message);
        var empty = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.Client.SubmitJobAsync(raw with { Files = Array.Empty<TransferFile>(), Params = null }));
        Assert.Equal("No transfers or namespace operations specified", empty.Message);
    }

    [Fact]
    public async Task List_jobs_and_job_files_stream_item_by_item()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await ctx.SubmitAsync(OneFile("s" + i)));
        }

        var two = await ctx.SubmitAsync(Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("https://a.example.org/x", "https://b.example.org/x"), Fts3Jobs.NewTransfer("https://a.example.org/y", "https://b.example.org/y") }));
        await ctx.CancelAsync(ids[3]);

        // The same jobs, in the same order, as the buffered listing; filters go to the server the same way.
        var buffered = await ctx.ListJobsAsync();
        var streamed = new List<Job>();
        await foreach (var job in ctx.ListJobsStreamAsync())
        {
            streamed.Add(job);
        }

        Assert.Equal(12, streamed.Count);
        Assert.Equal(buffered.Select(j => j.JobId), streamed.Select(j => j.JobId));
        Assert.Equal(buffered.Select(j => j.JobState), streamed.Select(j => j.JobState));
        Assert.DoesNotContain(ids[3], streamed.Select(j => j.JobId));
        var canceled = new List<string?>();
        await foreach (var job in ctx.ListJobsStreamAsync(states: new[] { "CANCELED" }, fields: new[] { "job_id", "job_state" }))
        {
            Assert.Null(job.UserDn);
            canceled.Add(job.JobId);
        }

        Assert.Equal(new[] { ids[3] }, canceled);

        // A caller may stop after the first item: the response is released, the context stays usable.
        await using (var e = ctx.ListJobsStreamAsync().GetAsyncEnumerator())
        {
            Assert.True(await e.MoveNextAsync());
            Assert.Contains(e.Current.JobId, ids.Append(two));
        }

        var files = new List<JobFile>();
        await foreach (var f in ctx.ListJobFilesStreamAsync(two))
        {
            files.Add(f);
        }

        Assert.Equal(new[] { "https://a.example.org/x", "https://a.example.org/y" }, files.Select(f => f.SourceSurl));
        Assert.Equal((await ctx.GetJobStatusAsync(two, listFiles: true)).Files!.Select(f => f.FileId), files.Select(f => f.FileId));

        // An error status is the typed exception, at the first MoveNextAsync; bad arguments fail at once.
        var missing = ctx.ListJobFilesStreamAsync(Guid.NewGuid().ToString()).GetAsyncEnumerator();
        await Assert.ThrowsAsync<NotFoundException>(async () => await missing.MoveNextAsync());
        await missing.DisposeAsync();
        var badLimit = ctx.ListJobsStreamAsync(limit: 501).GetAsyncEnumerator();
        Assert.Contains("Limit", (await Assert.ThrowsAsync<ClientErrorException>(async () => await badLimit.MoveNextAsync())).Message);
        await badLimit.DisposeAsync();
        Assert.Throws<ArgumentException>(() => ctx.ListJobFilesStreamAsync(string.Empty));
    }

    [Fact]
    public async Task List_jobs_with_filters_and_multi_status()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        var a = await ctx.SubmitAsync(OneFile("a"));
        var b = await ctx.SubmitAsync(OneFile("b"));
        var c = await ctx.SubmitAsync(OneFile("c"));
        peer.AddForeignJob("/DC=org/DC=toolkit/CN=Somebody Else", "othervo");
        await ctx.CancelAsync(b);

        var unfinished = await ctx.ListJobsAsync();
        Assert.Equal(new[] { a, c }.OrderBy(x => x), unfinished.Select(j => j.JobId!).OrderBy(x => x));
        var canceled = await ctx.ListJobsAsync(states: new[] { "CANCELED" });
        Assert.Equal(b, Assert.Single(canceled).JobId);
        Assert.Single(await ctx.ListJobsAsync(limit: 1));
        var projected = await ctx.ListJobsAsync(fields: new[] { "job_id", "job_state" });
        Assert.All(projected, j => Assert.Null(j.UserDn));
        Assert.All(projected, j => Assert.NotNull(j.JobState));
        Assert.Empty(await ctx.ListJobsAsync(sourceSe: "https://nowhere.example.org"));
        var notMine = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.ListJobsAsync(userDn: "/DC=org/CN=Other"));
        Assert.Equal(400, notMine.StatusCode);
        var notMyDelegation = await Assert.ThrowsAsync<UnauthorizedException>(() => ctx.ListJobsAsync(delegationId: "0000000000000001"));
        Assert.Equal(403, notMyDelegation.StatusCode);
        var badLimit = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.ListJobsAsync(limit: 501));
        Assert.Contains("Limit", badLimit.Message);

        var missing = Guid.NewGuid().ToString();
        var results = await ctx.GetJobsStatusesAsync(new[] { a, missing, c }, listFiles: true);
        Assert.Equal(new[] { a, missing, c }, results.Select(r => r.JobId));
        Assert.Equal(new[] { 200, 404, 200 }, results.Select(r => r.StatusCode));
        Assert.Equal("No job with the id " + missing + " has been found", results[1].Message);
        Assert.Null(results[1].Job);
        Assert.Equal("https://a.example.org/a", Assert.Single(results[0].Job!.Files!).SourceSurl);
        Assert.Equal(207, peer.Requests.Last(r => r.Path.Contains(',', StringComparison.Ordinal)).Status);

        var single = await Assert.ThrowsAsync<NotFoundException>(() => ctx.GetJobStatusAsync(missing));
        Assert.Equal("No job with the id " + missing + " has been found", single.Message);
        var foreign = peer.AddForeignJob("/DC=org/DC=toolkit/CN=Somebody Else", "othervo");
        var forbidden = await Assert.ThrowsAsync<UnauthorizedException>(() => ctx.GetJobStatusAsync(foreign));
        Assert.Contains("Not enough permissions", forbidden.Message);
    }

    [Fact]
    public async Task Cancel_reports_already_terminal_jobs_and_files()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        var id = await ctx.SubmitAsync(OneFile());
        var first = Assert.Single(await ctx.CancelAsync(id));
        Assert.Equal(("CANCELED", false), (first.State, first.AlreadyTerminal));
        var second = Assert.Single(await ctx.CancelAsync(id));
        Assert.True(second.AlreadyTerminal);
        Assert.Equal("CANCELED", second.State);
        Assert.Equal(200, peer.Requests.Last().Status); // 304 only inside the body

        var two = await ctx.SubmitAsync(Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("https://a.example.org/1", "https://b.example.org/1"), Fts3Jobs.NewTransfer("https://a.example.org/2", "https://b.example.org/2") }));
        var fileIds = peer.GetFiles(two).Select(f => f["file_id"]!.GetValue<long>()).ToList();
        var files = await ctx.CancelAsync(two, new[] { fileIds[0], 999_999 });
        Assert.Equal("CANCELED", files[0].State);
        Assert.Equal("File does not belong to the job", files[1].Message);
        Assert.Equal("SUBMITTED", peer.GetJob(two)!["job_state"]!.GetValue<string>());
        var done = await ctx.SubmitAsync(OneFile("done"));
        peer.SetState(done, "FINISHED");
        var finished = Assert.Single(await ctx.CancelAsync(done, new[] { peer.GetFiles(done)[0]["file_id"]!.GetValue<long>() }));
        Assert.Equal(("FINISHED", true), (finished.State, finished.AlreadyTerminal));

        var bulk = await ctx.CancelJobsAsync(new[] { two, id, Guid.Empty.ToString() });
        Assert.Equal(new[] { 200, 304, 404 }, bulk.Select(r => r.StatusCode));
        Assert.Equal(207, peer.Requests.Last(r => r.Method == "DELETE").Status);
        Assert.True(bulk[1].AlreadyTerminal && bulk[1].Succeeded && !bulk[2].Succeeded);

        var priority = await ctx.Client.ModifyJobsAsync(new[] { two }, new JobModification { Params = new JobModificationParams { Priority = 5 } });
        Assert.Equal(5, priority.ToElement().GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task Bans_need_the_config_level_and_exactly_application_json()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var user = await Fts3Context.CreateAsync(pki.Options(peer));
        using var admin = await Fts3Context.CreateAsync(pki.Options(peer, admin: true));
        var job = await user.SubmitAsync(OneFile());

        var denied = await Assert.ThrowsAsync<UnauthorizedException>(() => user.BanSeAsync("https://a.example.org"));
        Assert.Equal("Not enough permissions", denied.Message);

        // .NET's default "application/json; charset=utf-8" is not "application/json" for /ban/*.
        var response = await admin.HttpClient.PostAsync(new Uri(peer.BaseAddress, "ban/se"), new StringContent("""{"storage": "https://a.example.org"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Missing storage parameter", await response.Content.ReadAsStringAsync());

        var affected = await admin.BanSeAsync("https://a.example.org", message: "maintenance");
        Assert.Equal(job, Assert.Single(affected));
        Assert.Equal("CANCELED", peer.GetJob(job)!["job_state"]!.GetValue<string>());
        Assert.Equal("application/json", peer.Requests.Last(r => r.Path == "/ban/se" && r.Method == "POST").ContentType);
        var bans = await admin.Client.ListBannedSesAsync();
        Assert.Equal(("https://a.example.org", "CANCEL", Fts3Pki.AdminDn), (bans[0].Se, bans[0].Status, bans[0].AdminDn));
        var blocked = await Assert.ThrowsAsync<UnauthorizedException>(() => user.SubmitAsync(OneFile("g")));
        Assert.Equal("https://a.example.org is banned", blocked.Message);
        var waitCancel = await Assert.ThrowsAsync<ClientErrorException>(() => admin.Client.BanSeAsync(new BanSeRequest { Storage = "https://x.example.org", Status = "cancel", AllowSubmit = true }));
        Assert.Contains("can not be combined", waitCancel.Message);
        await admin.UnbanSeAsync("https://a.example.org");
        Assert.Empty(await admin.Client.ListBannedSesAsync());
        await user.SubmitAsync(OneFile("h"));

        await admin.BanSeAsync("https://b.example.org", status: "wait", allowSubmit: true);
        var held = await user.SubmitAsync(OneFile("i"));
        Assert.Equal("ON_HOLD", peer.GetFiles(held)[0]["file_state"]!.GetValue<string>());
        await admin.UnbanSeAsync("https://b.example.org");

        var self = await Assert.ThrowsAsync<ClientErrorException>(() => admin.BanDnAsync(Fts3Pki.AdminDn));
        Assert.Equal((409, "You can not ban yourself"), (self.StatusCode, self.Message));
        var cancelled = await admin.BanDnAsync(Fts3Pki.UserDn, "abuse");
        Assert.Equal(2, cancelled.Count);
        var banned = await Assert.ThrowsAsync<UnauthorizedException>(() => user.WhoAmIAsync());
        Assert.Equal("The user has been banned", banned.Message);
        await admin.UnbanDnAsync(Fts3Pki.UserDn);
        Assert.Equal(Fts3Pki.UserDn, (await user.WhoAmIAsync()).UserDn);
        Assert.Equal(new[] { "cancel", "wait" }, new[] { "CANCEL", "WAIT" }.Select(s => s.ToLowerInvariant()));
        Assert.Throws<ClientErrorException>(() => { _ = admin.BanSeAsync("https://c.example.org", status: "later"); });
    }
}
