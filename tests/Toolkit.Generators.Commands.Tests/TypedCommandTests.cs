using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn;

namespace Toolkit.Commands.Tests;

/// <summary>The generated AlienCommands over a fake channel: what goes on the wire and what comes back typed.</summary>
public sealed class TypedCommandTests
{
    [Fact]
    public async Task LsSendsApiFlagOptionsThenExpandedPaths()
    {
        var ch = new FakeChannel(_ => FakeChannel.Ok("[{\"name\":\"a\",\"size\":\"3\"}]"));
        var cmd = new AlienCommands(ch);
        var r = await cmd.LsAsync(new[] { "sub", "../x/", "~/y", "%ALIEN/z" }, @long: true);
        Assert.Equal(3L, Assert.Single(r.Rows).Size);
        var line = Assert.Single(ch.Sent);
        Assert.Equal("ls", line.Command);
        Assert.Equal(new[] { "-nomsg", "-l", "/alice/cern.ch/user/j/jdoe/work/sub", "/alice/cern.ch/user/j/jdoe/x/", "/alice/cern.ch/user/j/jdoe/y", "/alice/cern.ch/user/j/jdoe/z" }, line.Options);
        Assert.Equal("{\"command\":\"ls\",\"options\":[\"-nomsg\",\"-l\",\"/alice/cern.ch/user/j/jdoe/work/sub\",\"/alice/cern.ch/user/j/jdoe/x/\",\"/alice/cern.ch/user/j/jdoe/y\",\"/alice/cern.ch/user/j/jdoe/z\"]}", ch.Frames[0]);
    }

    [Fact]
    public async Task AccessWriteCarriesSizeMd5ModeAndSpec()
    {
        var ch = new FakeChannel(_ => FakeChannel.Ok("[{\"url\":\"root://se//01/x\",\"envelope\":\"E\",\"se\":\"ALICE::CERN::EOS\",\"nSEs\":\"2\",\"tags\":\"disk\"}]"));
        var r = await new AlienCommands(ch).AccessAsync(AccessMode.Write, "f.txt", AlienReplicaSpec.Parse("disk:2,ALICE::CERN::EOS,!ALICE::FZK::SE"), size: 10, md5: "abc");
        Assert.Equal(new[] { "-nomsg", "-s", "10", "-m", "abc", "write", "/alice/cern.ch/user/j/jdoe/work/f.txt", "disk:2,ALICE::CERN::EOS,!ALICE::FZK::SE" }, ch.Sent[0].Options);
        Assert.Equal(2, r.Rows[0].SeCount);
        Assert.Equal(new[] { "disk" }, r.Rows[0].Tags);
    }

    [Fact]
    public async Task StatKeepsGuidsAndFindSendsItsDefaults()
    {
        var ch = new FakeChannel(_ => FakeChannel.Ok());
        var cmd = new AlienCommands(ch);
        await cmd.StatAsync(new[] { "0b3c3e9a-4b8e-11ee-9c4f-0242ac130002", "f" }, verbose: true);
        Assert.Equal(new[] { "-nomsg", "-v", "0b3c3e9a-4b8e-11ee-9c4f-0242ac130002", "/alice/cern.ch/user/j/jdoe/work/f" }, ch.Sent[0].Options);
        await cmd.FindAsync("/alice/data", limit: 5, jobId: 42);
        Assert.Equal(new[] { "-nomsg", "-j", "42", "-l", "5", "-f", "/alice/data", "*" }, ch.Sent[1].Options);
        await cmd.PsAsync(states: new[] { "ERROR_ALL", "DONE" }, jobIds: new long[] { 1, 2, 3 }, format: PsFormat.L);
        Assert.Equal(new[] { "-nomsg", "-F", "l", "-f", "ERROR_ALL,DONE", "-j", "1,2,3" }, ch.Sent[2].Options);
        await cmd.KillAsync(new long[] { 7, 8 });
        Assert.Equal(new[] { "-nomsg", "7", "8" }, ch.Sent[3].Options);
        await cmd.EchoAsync(new[] { "hi" }, workingDirectory: "..", debugLevel: 3);
        Assert.Equal(new[] { "-pwd=/alice/cern.ch/user/j/jdoe", "-debug=3", "hi" }, ch.Sent[4].Options);
        await cmd.FquotaAsync();
        Assert.Equal(new[] { "-nomsg", "list" }, ch.Sent[5].Options);
        await cmd.TopAsync(status: new[] { "RUNNING", "WAITING" });
        Assert.Equal(new[] { "-nomsg", "-status", "RUNNING", "-status", "WAITING" }, ch.Sent[6].Options);
    }

    [Fact]
    public async Task ErrorsThrowByDefaultAndAreReturnedOnRequest()
    {
        const string Fail = "{\"metadata\":{\"exitcode\":\"2\",\"error\":\"no such file\",\"user\":\"u\",\"currentdir\":\"/\"},\"results\":[]}";
        var ch = new FakeChannel(_ => Fail);
        var ex = await Assert.ThrowsAsync<AlienCommandException>(() => new AlienCommands(ch).CdAsync("/nope"));
        Assert.Equal(2, ex.ExitCode);
        var r = await new AlienCommands(ch, AlienErrorMode.Return).CdAsync("/nope");
        Assert.Equal("no such file", r.Error);
    }

    [Fact]
    public async Task RequiredArgumentsAreCheckedBeforeSending()
    {
        var ch = new FakeChannel(_ => FakeChannel.Ok());
        await Assert.ThrowsAsync<ArgumentNullException>(() => new AlienCommands(ch).MvAsync(null!, "b"));
        Assert.Empty(ch.Sent);
    }

    [Fact]
    public async Task CancellationReachesTheChannel()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ch = new FakeChannel(_ => FakeChannel.Ok());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AlienCommands(ch).PwdAsync(cts.Token));
    }

    [Fact]
    public async Task RunLineReturnsUntypedRows()
    {
        var ch = new FakeChannel(_ => FakeChannel.Ok("[{\"commandlist\":\"ls\"},{\"commandlist\":\"cd\"}]"));
        var r = await new AlienCommands(ch).RunLineAsync(new AlienCommandLine("commandlist", Array.Empty<string>()));
        Assert.Equal(new[] { "ls", "cd" }, r.Rows.Select(x => x["commandlist"]));
        var typed = await new AlienCommands(ch).CommandlistAsync();
        Assert.Equal(new[] { "ls", "cd" }, typed.Rows.Select(x => x.Command));
    }

    [Fact]
    public void VerbTableCoversTheIssueListAndChecksCommandlist()
    {
        var required = "cd pwd ls find stat mkdir rmdir rm mv touch cat whereis access commit md5sum mirror df du quota fquota jquota ps masterjob kill submit resubmit top jobListMatch listSEs listCEs token whoami user groups motd ping version uptime toXml guid2lfn lfn2guid xrdstat commandlist setSite type cp".Split(' ');
        foreach (var name in required)
        {
            Assert.NotNull(AlienVerbs.Find(name));
        }

        var list = new[] { "ls", "jquota", "fquota" };
        Assert.True(AlienVerbs.IsSupported("ls", list));
        Assert.False(AlienVerbs.IsSupported("find", list));
        Assert.True(AlienVerbs.IsSupported("quota", list));
        Assert.False(AlienVerbs.IsSupported("quota", new[] { "jquota" }));
        Assert.False(AlienVerbs.IsSupported("nosuch", list));
        Assert.Equal(AlienVerbKind.Client, AlienVerbs.Find("cp")!.Kind);
        var help = AlienVerbs.Find("ls")!.HelpText();
        Assert.Contains("usage: ls [-l] [-a]", help, StringComparison.Ordinal);
        Assert.Contains("-l", help, StringComparison.Ordinal);
        Assert.Contains("Long format", help, StringComparison.Ordinal);
        Assert.Contains("arguments:", help, StringComparison.Ordinal);
        Assert.Equal(new[] { "-j", "-l", "-o" }, AlienVerbs.Find("find")!.CompleteOptions("-").Where(f => f is "-l" or "-j" or "-o"));
        Assert.Equal(new[] { "-bulk" }, AlienVerbs.Find("ls")!.CompleteOptions("-bu"));
        Assert.Empty(AlienVerbs.Find("ls")!.CompleteOptions("-z"));
    }

    [Fact]
    public void ShellArgvGoesThroughTheSameBuilder()
    {
        var paths = new AlienPaths("/alice/cern.ch/user/j/jdoe/work/", "/alice/cern.ch/user/j/jdoe/");
        var shell = AlienVerbs.Find("find")!.BuildArgv(new[] { "-l", "5", "-j", "42", "..", "*.root" }, paths);
        var api = AlienArgv.Find(paths, false, "..", "*.root", jobId: 42, limit: 5, allFields: false);
        Assert.Equal(api.Options.OrderBy(x => x, StringComparer.Ordinal), shell.Options.OrderBy(x => x, StringComparer.Ordinal));
        Assert.Equal("/alice/cern.ch/user/j/jdoe", shell.Options[4]);
        Assert.Throws<FormatException>(() => AlienVerbs.Find("find")!.BuildArgv(new[] { "-l" }, paths));
        Assert.Throws<FormatException>(() => AlienVerbs.Find("find")!.BuildArgv(new[] { "-l", "many", "/" }, paths));
        Assert.Throws<FormatException>(() => AlienVerbs.Find("access")!.BuildArgv(new[] { "delete", "/a" }, paths));
    }
}
