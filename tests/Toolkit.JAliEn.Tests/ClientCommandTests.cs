using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn.Connection;
using Toolkit.Peers.JAliEn;

namespace Toolkit.JAliEn.Tests;

/// <summary>
/// The typed API against the peer for the commands added with issue 14: quota (jquota + fquota), pfn, lfn2uri,
/// jobInfo (ps -j -trace -jdl), submit/ps/kill/resubmit, chmod, guidinfo, whois, find -j/-S/-l/-o/-e.
/// </summary>
[Collection("jalien")]
public sealed class ClientCommandTests(JAlienFixture fx)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const string Home = "/alice/cern.ch/user/j/jdoe/";

    private JAlienEntry AddFile(string relative, long size, params (string Se, string Pfn)[] replicas)
    {
        string path = Home + relative;
        fx.Peer.Catalogue.MakeDirectories(path[..(path.LastIndexOf('/') + 1)], "jdoe");
        var e = new JAlienEntry { Path = path, Owner = "jdoe", Group = "jdoe", Permissions = "644", Size = size, Md5 = "0123456789abcdef0123456789abcdef" };
        foreach (var (se, pfn) in replicas)
        {
            e.Replicas[se] = pfn;
        }
        fx.Peer.Catalogue.Remove(path);
        fx.Peer.Catalogue.Add(e);
        return e;
    }

    private async Task<AlienConnection> ConnectAsync() => await AlienConnection.ConnectAsync(JAlienFixture.Options(fx.NewEnvironment()), Ct);

    [Fact]
    public async Task Quota_combines_jquota_and_fquota_and_counts_the_users_jobs_and_files()
    {
        await using var c = await ConnectAsync();
        var alien = new AlienCommands(c);
        AddFile("quota/q.jdl", 123);
        long before = (await alien.QuotaAsync(cancellationToken: Ct)).Jobs.Rows[0].Waiting ?? -1;
        var submitted = await alien.SubmitAsync("quota/q.jdl", cancellationToken: Ct);
        long id = submitted.Rows[0].JobId;
        Assert.True(id > 0);
        var q = await alien.QuotaAsync(cancellationToken: Ct);
        Assert.Equal("jdoe", q.Jobs.Rows[0].Username);
        Assert.Equal(before + 1, q.Jobs.Rows[0].Waiting);
        Assert.Equal(1000, q.Jobs.Rows[0].MaxUnfinishedJobs);
        Assert.Equal("jdoe", q.Files.Rows[0].Username);
        Assert.True(q.Files.Rows[0].FileCount >= 1);
        Assert.True(q.Files.Rows[0].TotalSize >= 123);

        var nobody = await Assert.ThrowsAsync<AlienCommandException>(() => alien.QuotaAsync("nobody", Ct));
        Assert.Equal(2, nobody.ExitCode);
        var bad = await new AlienCommands(c, AlienErrorMode.Return).JquotaAsync(JquotaAction.List, "nobody", Ct);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("nobody", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobInfo_splits_the_trace_and_the_jdl_and_ps_kill_resubmit_follow_the_states()
    {
        await using var c = await ConnectAsync();
        var alien = new AlienCommands(c);
        AddFile("jobs/run.jdl", 50);
        long id = (await alien.SubmitAsync("jobs/run.jdl", ["arg1", "arg2"], Ct)).Rows[0].JobId;
        var job = fx.Peer.Jobs.Get(id)!;
        job.Trace.Add("1700000000000 [trace     ]: Running JAliEn JobAgent 1.9 on wn01.example.org.");
        job.Trace.Add("1700000000001 [trace     ]: Created workdir: /pool/alice/w42");
        job.Trace.Add("1700000000002 [trace     ]: BatchId SLURM_JOB_ID=77");
        job.Trace.Add("1700000000003 [proc      ]: 12 MB RSS");

        var info = Assert.Single((await alien.JobInfoAsync([id], Ct)).Rows);
        Assert.Equal(id, info.Job.Id);
        Assert.Equal("jdoe", info.Job.Owner);
        Assert.Equal("WAITING", info.Job.Status);
        Assert.Equal("run.jdl", info.Job.Name);
        Assert.Equal("wn01.example.org", info.WorkerNode);
        Assert.Equal("/pool/alice/w42", info.WorkDirectory);
        Assert.Equal(["SLURM_JOB_ID=77"], info.Queue);
        Assert.Equal(["1700000000003 12 MB RSS"], info.Proc);
        Assert.Single(info.States);
        Assert.Equal(Home + "jobs/run.jdl", info.Jdl["JDLPath"]);
        Assert.Equal("arg1 arg2", info.Jdl["Arguments"]);
        Assert.Contains(fx.Peer.Log, l => l.StartsWith("ps ", StringComparison.Ordinal) && l.EndsWith("-j " + id + " -trace -jdl", StringComparison.Ordinal));

        // ps lists active jobs; a killed one is gone until resubmitted.
        Assert.Contains((await alien.PsAsync(cancellationToken: Ct)).Rows, r => r.Id == id);
        await alien.KillAsync([id], Ct);
        Assert.DoesNotContain((await alien.PsAsync(cancellationToken: Ct)).Rows, r => r.Id == id);
        Assert.Equal("KILLED", (await alien.PsAsync(jobIds: [id], cancellationToken: Ct)).Rows[0].Status);
        await alien.ResubmitAsync([id], Ct);
        Assert.Equal("WAITING", (await alien.PsAsync(jobIds: [id], cancellationToken: Ct)).Rows[0].Status);
        var active = await Assert.ThrowsAsync<AlienCommandException>(() => alien.ResubmitAsync([id], Ct));
        Assert.Equal(22, active.ExitCode);
        Assert.Empty((await alien.JobInfoAsync([1], Ct)).Rows);
    }

    [Fact]
    public async Task Pfn_and_lfn2uri_turn_replicas_into_pfns_and_xrootd_urls_with_envelopes()
    {
        await using var c = await ConnectAsync();
        var alien = new AlienCommands(c);
        AddFile("uri/f.root", 10, ("ALICE::A::SE", "root://a.example.org:1094//a/f.root"), ("ALICE::B::SE", "root://b.example.org:1094//b/f.root"));

        var pfns = await alien.PfnAsync("uri/f.root", Ct);
        Assert.Equal(["root://a.example.org:1094//a/f.root", "root://b.example.org:1094//b/f.root"], pfns.Rows.Order());
        Assert.Contains(fx.Peer.Log, l => l.StartsWith("whereis ", StringComparison.Ordinal) && l.Contains(" -r ", StringComparison.Ordinal));

        var uris = await alien.Lfn2UriAsync("uri/f.root@!ALICE::B::SE", cancellationToken: Ct);
        string uri = Assert.Single(uris.Rows);
        Assert.StartsWith("root://a.example.org:1094//a/f.root?xrd.wantprot=unix&authz=", uri, StringComparison.Ordinal);
        Assert.True(uri.Length > "root://a.example.org:1094//a/f.root?xrd.wantprot=unix&authz=".Length);

        string dir = Directory.CreateTempSubdirectory("toolkit-meta-").FullName;
        var meta = Assert.Single((await alien.Lfn2MetalinkAsync("uri/f.root", dir, cancellationToken: Ct)).Rows);
        string xml = File.ReadAllText(meta);
        Assert.Contains("root://a.example.org:1094//a/f.root?xrd.wantprot=unix&amp;authz=", xml, StringComparison.Ordinal);
        Assert.Contains("root://b.example.org:1094//b/f.root", xml, StringComparison.Ordinal);

        await Assert.ThrowsAsync<ArgumentException>(() => alien.Lfn2UriAsync("uri/new.root", write: true, cancellationToken: Ct));
        var gone = await Assert.ThrowsAsync<AlienCommandException>(() => alien.PfnAsync("uri/none.root", Ct));
        Assert.Equal(2, gone.ExitCode);
    }

    [Fact]
    public async Task Generated_chmod_guidinfo_whois_and_find_filters_reach_the_peer_with_typed_rows()
    {
        await using var c = await ConnectAsync();
        var alien = new AlienCommands(c);
        var e = AddFile("gen/a.txt", 5);
        AddFile("gen/b.txt", 6).JobId = 9;
        AddFile("gen/c.log", 7);

        await alien.ChmodAsync("600", ["gen/a.txt"], cancellationToken: Ct);
        Assert.Equal("600", fx.Peer.Catalogue.Get(e.Path)!.Permissions);
        var badMode = await Assert.ThrowsAsync<AlienCommandException>(() => alien.ChmodAsync("rwx", ["gen/a.txt"], cancellationToken: Ct));
        Assert.Equal(22, badMode.ExitCode);

        var g = Assert.Single((await alien.GuidinfoAsync([e.Guid.ToString()], Ct)).Rows);
        Assert.Equal(e.Guid, g.Guid);
        Assert.Equal(5, g.Size);
        Assert.Equal([e.Path], g.Lfns);

        var mirrored = AddFile("gen/m.root", 8, ("ALICE::A::SE", "root://a//m"), ("ALICE::B::SE", "root://b//m"));
        await alien.DeleteMirrorAsync("gen/m.root", "ALICE::B::SE", cancellationToken: Ct);
        Assert.Equal(["ALICE::A::SE"], fx.Peer.Catalogue.Get(mirrored.Path)!.Replicas.Keys);
        var noReplica = await Assert.ThrowsAsync<AlienCommandException>(() => alien.DeleteMirrorAsync("gen/m.root", "ALICE::B::SE", cancellationToken: Ct));
        Assert.Equal(2, noReplica.ExitCode);

        var who = Assert.Single((await alien.WhoisAsync(["jdoe"], cancellationToken: Ct)).Rows);
        Assert.Equal("jdoe", who.Username);
        Assert.Contains(JAlienFixture.UserDn, who.CertificateDns!);

        var byJob = await alien.FindAsync(Home + "gen/", "*", jobId: 9, cancellationToken: Ct);
        Assert.Equal([Home + "gen/b.txt"], byJob.Rows.Select(r => r.Lfn));
        var paged = await alien.FindAsync(Home + "gen/", "*", offset: 1, limit: 1, exclude: ["a.txt"], cancellationToken: Ct);
        Assert.Equal([Home + "gen/c.log"], paged.Rows.Select(r => r.Lfn));
        Assert.Contains(fx.Peer.Log, l => l.Contains("-e a.txt", StringComparison.Ordinal) && l.StartsWith("find ", StringComparison.Ordinal));
    }
    [Fact]
    public async Task Token_variants_follow_the_servers_rules_for_type_validity_and_user()
    {
        await using var c = await ConnectAsync();
        var alien = new AlienCommands(c);
        static System.Security.Cryptography.X509Certificates.X509Certificate2 Cert(TokenRow r) =>
            System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(r.Certificate);

        using var oneDay = Cert((await alien.TokenAsync(validityDays: 1, cancellationToken: Ct)).Rows[0]);
        Assert.InRange((oneDay.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalHours, 23, 24.1);
        // Over the type's maximum: reduced, not refused.
        using var capped = Cert((await alien.TokenAsync(validityDays: 30, cancellationToken: Ct)).Rows[0]);
        Assert.InRange((capped.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 1.9, 2.01);
        using var host = Cert((await alien.TokenAsync(hostName: "vobox.example.org", cancellationToken: Ct)).Rows[0]);
        Assert.Contains("CN=vobox.example.org", host.Subject, StringComparison.Ordinal);
        using var job = Cert((await alien.TokenAsync(user: "jdoe", jobId: "4242", cancellationToken: Ct)).Rows[0]);
        Assert.Contains("OU=4242", job.Subject, StringComparison.Ordinal);

        foreach (var (call, errno, text) in new (Func<Task>, int, string)[]
        {
            (() => alien.TokenAsync(tokenType: TokenTokenType.Job, cancellationToken: Ct), 22, "job extension"),
            (() => alien.TokenAsync(jobId: "1", cancellationToken: Ct), 22, "the user for which"),
            (() => alien.TokenAsync(hostName: "localhost", cancellationToken: Ct), 22, "FQDN"),
            (() => alien.TokenAsync(user: "root", cancellationToken: Ct), 1, "[root] failed"),
        })
        {
            var e = await Assert.ThrowsAsync<AlienCommandException>(call);
            Assert.Equal(errno, e.ExitCode);
            Assert.Contains(text, e.Error, StringComparison.Ordinal);
        }
    }
}
