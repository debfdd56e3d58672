using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.DataDispatcher;

namespace Toolkit.DataDispatcher.Tests;

public sealed class ProjectTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    private static Dictionary<string, JsonElement> Attrs(params (string Key, string Json)[] pairs)
        => pairs.ToDictionary(p => p.Key, p => JsonAttributes.Parse(p.Json));

    [Fact]
    public async Task Create_get_and_get_handle_with_merged_attributes()
    {
        using var alice = fx.Client(fx.AliceToken);
        var project = await alice.CreateProjectAsync(new CreateProjectRequest
        {
            Files =
            [
                FileSpec.FromDid("dune:a.root"),
                new FileSpec { Namespace = "dune", Name = "b.root", Attributes = JsonAttributes.ToObject(Attrs(("size", "2"), ("kind", "\"own\""))) },
                FileSpec.FromDid("mc:c:with:colons.root"),
            ],
            CommonAttributes = Attrs(("kind", "\"common\""), ("run", "7")),
            ProjectAttributes = Attrs(("campaign", "\"test\"")),
            Query = "files from dune:all",
            WorkerTimeout = TimeSpan.FromMinutes(30),
            Users = ["bob"],
        });
        Assert.Equal("alice", project.Owner);
        Assert.Equal(ProjectState.Active, project.State);
        Assert.Equal(1800, project.WorkerTimeout);
        Assert.Equal(259200, project.IdleTimeout);
        Assert.Equal(["bob"], project.Users);
        Assert.Equal(3, project.FileHandles!.Count);
        Assert.Equal("c:with:colons.root", project.FileHandles[2].Name);
        Assert.Equal("mc", project.FileHandles[2].Namespace);

        var got = await alice.GetProjectAsync(project.ProjectId);
        Assert.NotNull(got);
        Assert.Equal("test", got!.Attributes!.Value.ToElement().GetProperty("campaign").GetString());
        var b = got.FileHandles!.Single(h => h.Name == "b.root");
        Assert.Equal("own", b.Attributes!.Value.ToElement().GetProperty("kind").GetString());
        Assert.Equal(7, b.Attributes!.Value.ToElement().GetProperty("run").GetInt32());
        Assert.Equal(2, b.Attributes!.Value.ToElement().GetProperty("size").GetInt32());
        Assert.Null(b.Replicas);
        Assert.Equal("common", got.FileHandles!.Single(h => h.Name == "a.root").Attributes!.Value.ToElement().GetProperty("kind").GetString());

        var handle = await alice.GetHandleAsync(project.ProjectId, "dune", "a.root");
        Assert.NotNull(handle);
        Assert.Equal(HandleState.Initial, handle!.State);
        Assert.Equal("LOCAL_RSE", Assert.Single(handle.Replicas!).Key);
        Assert.Null(await alice.GetHandleAsync(project.ProjectId, "dune", "missing"));
        Assert.Null(await alice.GetProjectAsync(999_999));
        Assert.Null(await alice.GetHandleAsync(999_999, "dune", "a.root"));

        var noFiles = await alice.GetProjectAsync(project.ProjectId, withFiles: false);
        Assert.Null(noFiles!.FileHandles);
    }

    [Fact]
    public async Task Create_without_a_token_is_a_typed_401_and_a_bad_did_is_rejected_locally()
    {
        using var anonymous = fx.Client();
        var e = await Assert.ThrowsAsync<DataDispatcherUnauthorizedException>(() => anonymous.CreateProjectAsync(["dune:x"]));
        Assert.Equal(401, e.StatusCode);
        Assert.Equal("Token not found", e.Message);
        Assert.Equal("Token not found", e.RawBody);
        Assert.Throws<FormatException>(() => FileSpec.FromDid("no-colon"));
    }

    [Fact]
    public async Task Projects_and_handles_stream_item_by_item()
    {
        fx.Peer.AddUser("erin", "erin-pw");
        using var erin = fx.Client(fx.Peer.IssueToken("erin"));
        var files = Enumerable.Range(0, 40).Select(i => "st:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var p1 = await erin.CreateProjectAsync(new CreateProjectRequest { Files = files.Select(FileSpec.FromDid).ToList(), ProjectAttributes = Attrs(("tier", "\"bronze\"")) });
        var p2 = await erin.CreateProjectAsync(["st:other"]);

        static async Task<List<T>> All<T>(IAsyncEnumerable<T> items)
        {
            var list = new List<T>();
            await foreach (var x in items)
            {
                list.Add(x);
            }

            return list;
        }

        // The same projects, in the same order and with the same handles, as the buffered listings.
        var buffered = await erin.ListProjectsAsync();
        var streamed = await All(erin.ListProjectsStreamAsync());
        Assert.Equal([p1.ProjectId, p2.ProjectId], streamed.Select(p => p.ProjectId));
        Assert.Equal(buffered.Select(p => p.FileHandles!.Count), streamed.Select(p => p.FileHandles!.Count));
        Assert.Equal(40, streamed[0].FileHandles!.Count);
        Assert.All(await All(erin.ListProjectsStreamAsync(new ListProjectsOptions { WithFiles = false })), p => Assert.Null(p.FileHandles));
        var found = await All(erin.SearchProjectsStreamAsync("tier = 'bronze'", owner: "erin"));
        Assert.Equal(p1.ProjectId, Assert.Single(found).ProjectId);

        var handles = await All(erin.ListHandlesStreamAsync(p1.ProjectId));
        Assert.Equal(files.Order(StringComparer.Ordinal), handles.Select(h => h.Namespace + ":" + h.Name).Order(StringComparer.Ordinal));
        Assert.Equal((await erin.ListHandlesAsync(p1.ProjectId)).Select(h => h.Name), handles.Select(h => h.Name));
        Assert.Empty(await All(erin.ListHandlesStreamAsync(p1.ProjectId, state: "done")));

        // A caller may stop after the first item; an error status is typed, at the first MoveNextAsync.
        await using (var e = erin.ListHandlesStreamAsync(p1.ProjectId).GetAsyncEnumerator())
        {
            Assert.True(await e.MoveNextAsync());
            Assert.Equal(p1.ProjectId, e.Current.ProjectId);
        }

        var missing = erin.ListHandlesStreamAsync(long.MaxValue).GetAsyncEnumerator();
        var notFound = await Assert.ThrowsAsync<DataDispatcherNotFoundException>(async () => await missing.MoveNextAsync());
        Assert.Equal(404, notFound.StatusCode);
        Assert.Equal("Project not found", notFound.Message);
        await missing.DisposeAsync();
    }

    [Fact]
    public async Task List_and_search_projects_with_the_seed_defaults()
    {
        fx.Peer.AddUser("dave", "dave-pw");
        using var bob = fx.Client(fx.Peer.IssueToken("dave"));
        var p1 = await bob.CreateProjectAsync(new CreateProjectRequest { Files = [FileSpec.FromDid("s:1")], ProjectAttributes = Attrs(("tier", "\"gold\""), ("n", "1")) });
        var p2 = await bob.CreateProjectAsync(new CreateProjectRequest { Files = [FileSpec.FromDid("s:2")], ProjectAttributes = Attrs(("tier", "\"silver\"")) });
        var p3 = await bob.CreateProjectAsync(["s:3"]);
        await bob.CancelProjectAsync(p3.ProjectId);
        fx.Peer.Abandon(p2.ProjectId);

        var mine = await bob.ListProjectsAsync();
        Assert.Equal([p1.ProjectId], mine.Select(p => p.ProjectId));
        Assert.NotNull(mine[0].FileHandles);

        var all = await bob.ListProjectsAsync(new ListProjectsOptions { State = null, NotState = null, WithFiles = false });
        Assert.Equal([p1.ProjectId, p2.ProjectId, p3.ProjectId], all.Select(p => p.ProjectId));
        Assert.All(all, p => Assert.Null(p.FileHandles));

        var cancelled = await bob.ListProjectsAsync(new ListProjectsOptions { State = "cancelled" });
        Assert.Equal(ProjectState.Cancelled, Assert.Single(cancelled).State);

        var gold = await bob.ListProjectsAsync(new ListProjectsOptions { State = null, Attributes = Attrs(("tier", "\"gold\"")) });
        Assert.Equal(p1.ProjectId, Assert.Single(gold).ProjectId);

        using var alice = fx.Client(fx.AliceToken);
        Assert.DoesNotContain(await alice.ListProjectsAsync(), p => p.Owner == "dave");
        Assert.Contains(await alice.ListProjectsAsync(new ListProjectsOptions { Owner = "all" }), p => p.ProjectId == p1.ProjectId);

        var found = await bob.SearchProjectsAsync("tier = 'silver'", owner: "dave", state: "all");
        Assert.Equal(p2.ProjectId, Assert.Single(found).ProjectId);
        Assert.Empty(await bob.SearchProjectsAsync("tier = 'silver'", owner: "dave"));
        Assert.Equal(p1.ProjectId, Assert.Single(await bob.SearchProjectsAsync("tier = 'gold' and n = 1", owner: "dave")).ProjectId);
    }

    [Fact]
    public async Task Cancel_activate_copy_restart_and_delete_with_owner_checks()
    {
        using var alice = fx.Client(fx.AliceToken, workerId: "w1");
        using var bob = fx.Client(fx.BobToken);
        using var admin = fx.Client(fx.AdminToken);
        var p = await alice.CreateProjectAsync(new CreateProjectRequest { Files = [FileSpec.FromDid("c:1"), FileSpec.FromDid("c:2")], WorkerTimeout = TimeSpan.FromSeconds(60), IdleTimeout = null });
        Assert.Null(p.IdleTimeout);

        var forbidden = await Assert.ThrowsAsync<DataDispatcherForbiddenException>(() => bob.CancelProjectAsync(p.ProjectId));
        Assert.Equal(403, forbidden.StatusCode);
        var missing = await Assert.ThrowsAsync<DataDispatcherNotFoundException>(() => alice.CancelProjectAsync(424242));
        Assert.Equal("Project not found", missing.Message);

        var cancelled = await alice.CancelProjectAsync(p.ProjectId);
        Assert.Equal(ProjectState.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.EndedTimestamp);
        Assert.False(cancelled.Active);
        var active = await admin.ActivateProjectAsync(p.ProjectId);
        Assert.Equal(ProjectState.Active, active.State);
        Assert.Null(active.EndedTimestamp);

        // Finish the project: one done, one failed for good -> failed; restart the failed one -> active again.
        var first = Assert.IsType<NextFileResult.Reserved>(await alice.NextFileAsync(p.ProjectId, new NextFileOptions { Stagger = TimeSpan.Zero }));
        await alice.FileDoneAsync(p.ProjectId, first.Handle.Did);
        var second = Assert.IsType<NextFileResult.Reserved>(await alice.NextFileAsync(p.ProjectId, new NextFileOptions { Stagger = TimeSpan.Zero }));
        await alice.FileFailedAsync(p.ProjectId, second.Handle.Did, retry: false);
        Assert.Equal(ProjectState.Failed, (await alice.GetProjectAsync(p.ProjectId))!.State);
        var restarted = await alice.RestartHandlesAsync(p.ProjectId, failed: true);
        Assert.Equal(ProjectState.Active, restarted.State);
        Assert.Equal([HandleState.Done, HandleState.Initial], restarted.FileHandles!.Select(h => h.State));
        var all = await alice.RestartHandlesAsync(p.ProjectId, all: true);
        Assert.All(all.FileHandles!, h => Assert.Equal(HandleState.Initial, h.State));
        await alice.NextFileAsync(p.ProjectId, new NextFileOptions { Stagger = TimeSpan.Zero });
        var byDid = await alice.RestartHandlesAsync(p.ProjectId, handles: [first.Handle.Did]);
        Assert.All(byDid.FileHandles!, h => Assert.Equal(HandleState.Initial, h.State));

        var copy = await bob.CopyProjectAsync(new CopyProjectRequest
        {
            ProjectId = p.ProjectId,
            ProjectAttributes = Attrs(("copied", "true")),
            CommonAttributes = Attrs(("pass", "2")),
            IdleTimeout = CopyTimeout.Parse("2h"),
        });
        Assert.Equal("bob", copy.Owner);
        Assert.NotEqual(p.ProjectId, copy.ProjectId);
        Assert.Equal(60, copy.WorkerTimeout);
        Assert.Equal(7200, copy.IdleTimeout);
        Assert.True(copy.Attributes!.Value.ToElement().GetProperty("copied").GetBoolean());
        Assert.All(copy.FileHandles!, h => Assert.Equal(2, h.Attributes!.Value.ToElement().GetProperty("pass").GetInt32()));
        var copy2 = await bob.CopyProjectAsync(new CopyProjectRequest { ProjectId = p.ProjectId, WorkerTimeout = CopyTimeout.Parse("none") });
        Assert.Null(copy2.WorkerTimeout);
        await Assert.ThrowsAsync<DataDispatcherNotFoundException>(() => bob.CopyProjectAsync(new CopyProjectRequest { ProjectId = 777_777 }));

        await Assert.ThrowsAsync<DataDispatcherForbiddenException>(() => alice.DeleteProjectAsync(copy.ProjectId));
        await bob.DeleteProjectAsync(copy.ProjectId);
        Assert.Null(await bob.GetProjectAsync(copy.ProjectId));
    }

    [Fact]
    public void Timeout_notation_of_the_seed()
    {
        Assert.Equal(90, Timeouts.ParseSeconds("90"));
        Assert.Equal(5400, Timeouts.ParseSeconds("90m"));
        Assert.Equal(7200, Timeouts.ParseSeconds("2h"));
        Assert.Equal(86400, Timeouts.ParseSeconds("1d"));
        Assert.Equal(30, Timeouts.ParseSeconds("30s"));
        Assert.Throws<FormatException>(() => Timeouts.ParseSeconds("soon"));
        // Finite before the unit, infinite after it: refused here, not as a JsonException when the value is sent.
        Assert.Throws<FormatException>(() => Timeouts.ParseSeconds("1e308d"));
        Assert.Throws<ArgumentOutOfRangeException>(() => CopyTimeout.FromSeconds(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => CopyTimeout.FromSeconds(double.NaN));
        Assert.True(CopyTimeout.Parse(null).IsDefault);
        Assert.True(CopyTimeout.Parse("default").IsDefault);
        Assert.True(CopyTimeout.Parse("no timeout").IsNone);
        Assert.Equal("\"no timeout\"", CopyTimeout.None.ToJson().GetRawText());
        Assert.Equal("\"default\"", CopyTimeout.Default.ToJson().GetRawText());
        Assert.Equal("5400", CopyTimeout.Parse("90m").ToJson().GetRawText());
    }

    [Fact]
    public async Task Rses_list_get_and_availability_admin_only()
    {
        fx.Peer.AddRse("FAR_RSE", preference: 5);
        using var alice = fx.Client(fx.AliceToken);
        using var admin = fx.Client(fx.AdminToken);
        var rses = await alice.ListRsesAsync();
        Assert.Contains(rses, r => r.Name == "FAR_RSE" && r.Preference == 5);
        var rse = await alice.GetRseAsync("FAR_RSE");
        Assert.True(rse!.IsAvailable);
        Assert.Null(await alice.GetRseAsync("NO_SUCH_RSE"));

        var e = await Assert.ThrowsAsync<DataDispatcherForbiddenException>(() => alice.SetRseAvailabilityAsync("FAR_RSE", false));
        Assert.Equal("Not authorized", e.Message);
        Assert.False((await admin.SetRseAvailabilityAsync("FAR_RSE", false)).IsAvailable);
        Assert.False((await alice.GetRseAsync("FAR_RSE"))!.IsAvailable);
        Assert.True((await admin.SetRseAvailabilityAsync("FAR_RSE", true)).IsAvailable);
        await Assert.ThrowsAsync<DataDispatcherNotFoundException>(() => admin.SetRseAvailabilityAsync("NO_SUCH_RSE", true));
    }
}
