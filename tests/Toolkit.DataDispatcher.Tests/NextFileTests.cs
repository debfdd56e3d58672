using System;
using System.Linq;
using System.Threading.Tasks;
using Toolkit.Peers.DataDispatcher;
using Toolkit.DataDispatcher;

namespace Toolkit.DataDispatcher.Tests;

public sealed class NextFileTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    private static readonly NextFileOptions NoStagger = new() { Stagger = TimeSpan.Zero };

    [Fact]
    public async Task Three_outcomes_reserved_timed_out_and_project_ended()
    {
        var clock = new TestClock();
        using var w1 = fx.Client(fx.AliceToken, clock, random: () => 0.5, workerId: "w1");
        using var w2 = fx.Client(fx.AliceToken, clock, random: () => 0.5, workerId: "w2");
        var p = await w1.CreateProjectAsync(["n:1"]);

        var reserved = Assert.IsType<NextFileResult.Reserved>(await w1.NextFileAsync(p.ProjectId, new NextFileOptions { Stagger = TimeSpan.FromSeconds(10) }));
        Assert.Equal("n:1", reserved.Handle.Did);
        Assert.Equal(HandleState.Reserved, reserved.Handle.State);
        Assert.Equal("w1", reserved.Handle.WorkerId);
        Assert.Equal(1, reserved.Handle.Attempts);
        Assert.NotNull(reserved.Handle.ProjectAttributes);
        Assert.Equal([TimeSpan.FromSeconds(5)], clock.Delays); // stagger * random
        Assert.Contains($"GET /dd/data/next_file?project_id={p.ProjectId}&worker_id=w1&cpu_site=DEFAULT token=yes", fx.Peer.Requests);

        // The only file is held by w1: w2 is told to retry and gives up after its timeout.
        var before = clock.Elapsed;
        var timedOut = await w2.NextFileAsync(p.ProjectId, new NextFileOptions { Stagger = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(100) });
        Assert.IsType<NextFileResult.TimedOut>(timedOut);
        var waits = clock.Delays.Skip(1).ToArray();
        // dt = min(60, remaining), dt0 = min(dt, 1): wait dt0 + (dt - dt0) * 0.5 -> 30.5 s, then remaining 69.5 -> 30.5, then 39 -> 20, then 19 -> 10 ...
        Assert.Equal(30.5, waits[0].TotalSeconds, 6);
        Assert.Equal(30.5, waits[1].TotalSeconds, 6);
        Assert.Equal(20, waits[2].TotalSeconds, 6);
        Assert.All(waits, d => Assert.InRange(d.TotalSeconds, 0, 60));
        Assert.InRange((clock.Elapsed - before).TotalSeconds, 100, 101);

        // Done -> every handle done -> the next answer is "project inactive", retry false: ended.
        await w1.FileDoneAsync(p.ProjectId, "n:1");
        var ended = Assert.IsType<NextFileResult.ProjectEnded>(await w2.NextFileAsync(p.ProjectId, NoStagger));
        Assert.Equal("Inactive project. State=done", ended.Reason);
        Assert.Equal(ProjectState.Done, (await w1.GetProjectAsync(p.ProjectId))!.State);
    }

    [Fact]
    public async Task Project_inactive_reason_is_ended_and_cancelled_project_is_the_servers_400()
    {
        using var w = fx.Client(fx.AliceToken, workerId: "w");
        var p = await w.CreateProjectAsync(["e:1"]);
        var r = Assert.IsType<NextFileResult.Reserved>(await w.NextFileAsync(p.ProjectId, NoStagger));
        await w.FileFailedAsync(p.ProjectId, r.Handle.Did, retry: false);
        // The project is now failed (400 Inactive project) ...
        Assert.Equal("Inactive project. State=failed", Assert.IsType<NextFileResult.ProjectEnded>(await w.NextFileAsync(p.ProjectId, NoStagger)).Reason);

        var q = await w.CreateProjectAsync(["e:2"]);
        await w.CancelProjectAsync(q.ProjectId);
        Assert.Equal("Inactive project. State=cancelled", Assert.IsType<NextFileResult.ProjectEnded>(await w.NextFileAsync(q.ProjectId, NoStagger)).Reason);

        // ... and the server's own "project inactive" reply while the project is still flagged active.
        var v = await w.CreateProjectAsync(["e:3"]);
        fx.Peer.Project(v.ProjectId).Handles[0].State = "done";
        var ended = Assert.IsType<NextFileResult.ProjectEnded>(await w.NextFileAsync(v.ProjectId, NoStagger));
        Assert.Equal("project inactive", ended.Reason);
    }

    [Fact]
    public async Task Other_errors_surface_instead_of_meaning_ended()
    {
        using var owner = fx.Client(fx.AliceToken, workerId: "w");
        var p = await owner.CreateProjectAsync(["x:1"]);
        using var anonymous = fx.Client(workerId: "w");
        var e401 = await Assert.ThrowsAsync<DataDispatcherUnauthorizedException>(() => anonymous.NextFileAsync(p.ProjectId, NoStagger));
        Assert.Equal("Token not found", e401.Message);
        using var bob = fx.Client(fx.BobToken, workerId: "w");
        await Assert.ThrowsAsync<DataDispatcherForbiddenException>(() => bob.NextFileAsync(p.ProjectId, NoStagger));
        var e404 = await Assert.ThrowsAsync<DataDispatcherNotFoundException>(() => owner.NextFileAsync(31337, NoStagger));
        Assert.Equal("Project not found", e404.Message);
    }

    [Fact]
    public async Task Abandoned_project_is_reactivated_by_next_file_and_listed_users_may_reserve()
    {
        using var alice = fx.Client(fx.AliceToken);
        var p = await alice.CreateProjectAsync(new CreateProjectRequest { Files = [FileSpec.FromDid("a:1")], Users = ["bob"] });
        fx.Peer.Abandon(p.ProjectId);
        using var bob = fx.Client(fx.BobToken, workerId: "bob-worker");
        var r = Assert.IsType<NextFileResult.Reserved>(await bob.NextFileAsync(p.ProjectId, NoStagger));
        Assert.Equal(ProjectState.Active, (await alice.GetProjectAsync(p.ProjectId))!.State);

        // release is owner/admin only: the listed user cannot release (as on the real server).
        await Assert.ThrowsAsync<DataDispatcherForbiddenException>(() => bob.FileDoneAsync(p.ProjectId, r.Handle.Did));
        Assert.Equal(HandleState.Done, (await alice.FileDoneAsync(p.ProjectId, r.Handle.Did, workerId: "bob-worker")).State);
    }

    [Fact]
    public async Task Release_rules_done_failed_retry_and_a_second_release_is_403_wrong_worker_id()
    {
        using var w = fx.Client(fx.AliceToken, workerId: "w-a");
        var p = await w.CreateProjectAsync(["r:1", "r:2"]);
        var a = Assert.IsType<NextFileResult.Reserved>(await w.NextFileAsync(p.ProjectId, NoStagger)).Handle;
        var reservedList = await w.ReservedHandlesAsync(p.ProjectId);
        Assert.Equal(a.Did, Assert.Single(reservedList).Did);
        Assert.Empty(await w.ReservedHandlesAsync(p.ProjectId, "someone-else"));

        var wrong = await Assert.ThrowsAsync<DataDispatcherForbiddenException>(() => w.FileDoneAsync(p.ProjectId, a.Did, workerId: "w-b"));
        Assert.Equal("Not authorized: wrong worker_id", wrong.Message);
        var done = await w.FileDoneAsync(p.ProjectId, a.Did);
        // handle_id is "<project>:<namespace>:<name>", URL-encoded (the server decodes it).
        Assert.Contains($"GET /dd/data/release?handle_id={p.ProjectId}%3Ar%3A1&failed=no&worker_id=w-a token=yes", fx.Peer.Requests);
        Assert.Equal(HandleState.Done, done.State);
        Assert.Null(done.WorkerId);
        var again = await Assert.ThrowsAsync<DataDispatcherForbiddenException>(() => w.FileDoneAsync(p.ProjectId, a.Did));
        Assert.Equal(403, again.StatusCode);
        Assert.Equal("Not authorized: wrong worker_id", again.Message);
        var notReserved = await Assert.ThrowsAsync<DataDispatcherNotFoundException>(() => w.FileDoneAsync(p.ProjectId, "r:nothing"));
        Assert.Equal("Handle not found or was not reserved", notReserved.Message);

        var b = Assert.IsType<NextFileResult.Reserved>(await w.NextFileAsync(p.ProjectId, NoStagger)).Handle;
        Assert.Equal(HandleState.Initial, (await w.FileFailedAsync(p.ProjectId, b.Did, retry: true)).State);
        var b2 = Assert.IsType<NextFileResult.Reserved>(await w.NextFileAsync(p.ProjectId, NoStagger)).Handle;
        Assert.Equal(2, b2.Attempts);
        Assert.Equal(HandleState.Failed, (await w.FileFailedAsync(p.ProjectId, b2.Did, retry: false)).State);
        Assert.Equal(ProjectState.Failed, (await w.GetProjectAsync(p.ProjectId))!.State);
        Assert.Equal(2, (await w.ListHandlesAsync(p.ProjectId, notState: "initial")).Count);
    }

    [Fact]
    public async Task Replicas_are_filtered_by_availability_and_sorted_by_proximity_to_the_cpu_site()
    {
        fx.Peer.AddRse("NEAR");
        fx.Peer.AddRse("FAR");
        fx.Peer.AddRse("DOWN", available: false);
        fx.Peer.SetProximity("SITE_A", "NEAR", 1);
        fx.Peer.SetProximity("SITE_A", "FAR", 9);
        fx.Peer.SetProximity("SITE_A", "LOCAL_RSE", 3);
        foreach (var rse in new[] { "FAR", "NEAR", "DOWN" })
        {
            fx.Peer.AddReplica("px:1", new PeerReplica(rse, "/p/1", "root://" + rse + "//p/1"));
        }

        using var w = fx.Client(fx.AliceToken, workerId: "px");
        var p = await w.CreateProjectAsync(["px:1"]);
        await foreach (var file in w.ReserveFilesAsync(p.ProjectId, new NextFileOptions { Stagger = TimeSpan.Zero, CpuSite = "SITE_A" }))
        {
            Assert.Equal(["NEAR", "FAR"], file.Replicas.Select(r => r.Rse));
            Assert.Equal([1L, 9L], file.Replicas.Select(r => r.Proximity!.Value));
            await file.DoneAsync();
            Assert.True(file.IsReleased);
            await Assert.ThrowsAsync<InvalidOperationException>(() => file.DoneAsync());
        }

        // A file whose only replica is on an unavailable RSE is never handed out: the server keeps saying retry.
        fx.Peer.AddReplica("px:down", new PeerReplica("DOWN", "/p/d", "root://DOWN//p/d"));
        var clock = new TestClock();
        using var w2 = fx.Client(fx.AliceToken, clock, random: () => 0, workerId: "px2");
        var q = await w2.CreateProjectAsync(["px:down"]);
        Assert.IsType<NextFileResult.TimedOut>(await w2.NextFileAsync(q.ProjectId, new NextFileOptions { Stagger = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(5) }));

        // A virtual project needs no replica.
        var v = await w2.CreateProjectAsync(new CreateProjectRequest { Files = [FileSpec.FromDid("px:down")], ProjectAttributes = new System.Collections.Generic.Dictionary<string, System.Text.Json.JsonElement> { ["virtual"] = JsonAttributes.Parse("true") } });
        var vr = Assert.IsType<NextFileResult.Reserved>(await w2.NextFileAsync(v.ProjectId, NoStagger));
        Assert.Empty(vr.Handle.Replicas!);
    }

    [Fact]
    public async Task Worker_timeout_sweep_returns_the_file_and_the_late_worker_is_refused()
    {
        using var slow = fx.Client(fx.AliceToken, workerId: "slow");
        using var fast = fx.Client(fx.AliceToken, workerId: "fast");
        var p = await slow.CreateProjectAsync(new CreateProjectRequest { Files = [FileSpec.FromDid("wt:1")], WorkerTimeout = TimeSpan.FromSeconds(60) });
        var held = Assert.IsType<NextFileResult.Reserved>(await slow.NextFileAsync(p.ProjectId, NoStagger)).Handle;
        Assert.Equal(1, fx.Peer.ExpireWorkers(DataDispatcherPeer.Now + 61));
        var again = Assert.IsType<NextFileResult.Reserved>(await fast.NextFileAsync(p.ProjectId, NoStagger)).Handle;
        Assert.Equal(held.Did, again.Did);
        Assert.Equal(2, again.Attempts);
        Assert.Equal(1, again.Attributes!.Value.ToElement().GetProperty("timeouts").GetInt32());
        await Assert.ThrowsAsync<DataDispatcherForbiddenException>(() => slow.FileDoneAsync(p.ProjectId, held.Did));
        Assert.Equal(HandleState.Done, (await fast.FileDoneAsync(p.ProjectId, again.Did)).State);

        // retry_on_timeout = JSON true is not the string "True": the server fails the file.
        var q = await slow.CreateProjectAsync(new CreateProjectRequest
        {
            Files = [FileSpec.FromDid("wt:2")],
            WorkerTimeout = TimeSpan.FromSeconds(60),
            ProjectAttributes = new System.Collections.Generic.Dictionary<string, System.Text.Json.JsonElement> { ["retry_on_timeout"] = JsonAttributes.Parse("true") },
        });
        await slow.NextFileAsync(q.ProjectId, NoStagger);
        fx.Peer.ExpireWorkers(DataDispatcherPeer.Now + 61);
        Assert.Equal("failed", fx.Peer.HandleState(q.ProjectId, "wt:2").State);
    }
}
