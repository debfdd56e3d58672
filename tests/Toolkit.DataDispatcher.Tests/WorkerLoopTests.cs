using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.DataDispatcher;

namespace Toolkit.DataDispatcher.Tests;

public sealed class WorkerLoopTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public async Task Concurrent_workers_process_a_whole_project_and_every_file_ends_done_or_failed_exactly_once()
    {
        const int files = 60;
        var clock = new TestClock();
        using var owner = fx.Client(fx.AliceToken, clock, workerId: "owner");
        var project = await owner.CreateProjectAsync(Enumerable.Range(0, files).Select(i => "loop:f" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)));
        var outcomes = new ConcurrentDictionary<string, ConcurrentQueue<string>>();
        var seen = new ConcurrentDictionary<string, int>();

        async Task Worker(int n)
        {
            var rng = new Random(n);
            using var client = fx.Client(fx.AliceToken, clock, random: () => { lock (rng) { return rng.NextDouble(); } }, workerId: "worker-" + n);
            await foreach (var file in client.ReserveFilesAsync(project.ProjectId, new NextFileOptions { Stagger = TimeSpan.FromSeconds(10) }))
            {
                Assert.Equal("worker-" + n, file.Handle.WorkerId);
                var attempt = seen.AddOrUpdate(file.Did, 1, (_, v) => v + 1);
                await Task.Yield();
                var name = file.Name;
                var q = outcomes.GetOrAdd(file.Did, _ => new ConcurrentQueue<string>());
                if (name.EndsWith('3') && attempt < 3)
                {
                    await file.FailedAsync(retry: true);   // transient failure, comes back later
                    q.Enqueue("retry");
                }
                else if (name.EndsWith('7'))
                {
                    await file.FailedAsync(retry: false);  // permanent failure
                    q.Enqueue("failed");
                }
                else
                {
                    await file.DoneAsync();
                    q.Enqueue("done");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(Worker));

        Assert.Equal(files, outcomes.Count);
        foreach (var (did, q) in outcomes)
        {
            var terminal = q.Where(o => o != "retry").ToList();
            Assert.Single(terminal);
            Assert.Equal(did.EndsWith('7') ? "failed" : "done", terminal[0]);
            Assert.Equal(did.EndsWith('3') ? 2 : 0, q.Count(o => o == "retry"));
        }

        // The server saw the same: one terminal release per file, and the project ended failed.
        var releases = fx.Peer.Releases.Where(r => r.ProjectId == project.ProjectId).ToList();
        Assert.Equal(files, releases.Count(r => r.Outcome != "retry"));
        Assert.All(releases.GroupBy(r => r.Did), g => Assert.Single(g, r => r.Outcome != "retry"));
        var final = await owner.GetProjectAsync(project.ProjectId);
        Assert.Equal(ProjectState.Failed, final!.State);
        Assert.Equal(6, final.FileHandles!.Count(h => h.State == HandleState.Failed));
        Assert.Equal(files - 6, final.FileHandles!.Count(h => h.State == HandleState.Done));
        Assert.Equal(3, final.FileHandles!.Single(h => h.Name == "f13").Attempts);
    }

    [Fact]
    public async Task Cancellation_stops_the_loop_and_the_timeout_ends_it()
    {
        var clock = new TestClock();
        using var w = fx.Client(fx.AliceToken, clock, random: () => 0.5, workerId: "c1");
        var p = await w.CreateProjectAsync(["cx:1", "cx:2"]);
        using var cts = new CancellationTokenSource();
        var got = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var f in w.ReserveFilesAsync(p.ProjectId, new NextFileOptions { Stagger = TimeSpan.Zero }, cts.Token))
            {
                got++;
                cts.Cancel();
            }
        });
        Assert.Equal(1, got);

        // c1 still holds cx:1; c2 gets cx:2, then nothing comes within the timeout: the loop ends.
        using var w2 = fx.Client(fx.AliceToken, clock, random: () => 0.5, workerId: "c2");
        var names = new System.Collections.Generic.List<string>();
        await foreach (var f in w2.ReserveFilesAsync(p.ProjectId, new NextFileOptions { Stagger = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(30) }))
        {
            names.Add(f.Did);
            await f.DoneAsync();
        }

        Assert.Equal(["cx:2"], names);
        Assert.Equal(ProjectState.Active, (await w.GetProjectAsync(p.ProjectId))!.State);
        Assert.Equal("cx:1", Assert.Single(await w.ReservedHandlesAsync(p.ProjectId)).Did);
    }
}
