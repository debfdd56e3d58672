using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn.Connection;
using Toolkit.JAliEn.Transfer;
using Toolkit.Peers.JAliEn;

namespace Toolkit.JAliEn.Tests;

/// <summary>cp's file selection for a recursive download: each filter against the peer, checking which local files appear.</summary>
[Collection("jalien")]
public sealed class CopyFilterTests(JAlienFixture fx) : IDisposable
{
    private const string Home = "/alice/cern.ch/user/j/jdoe/";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly XrootdServer _xrootd = new();
    private readonly string _work = Directory.CreateTempSubdirectory("toolkit-jalien-cpf-").FullName;
    private int _outs;

    private static readonly Dictionary<string, string> FastXrd = new()
    {
        ["XRD_CONNECTIONRETRY"] = "1", ["XRD_CONNECTIONWINDOW"] = "2", ["XRD_REQUESTTIMEOUT"] = "30", ["XRD_STREAMTIMEOUT"] = "30",
    };

    /// <summary>Uploads tree/{a.txt, b.root, sub/c.txt, sub/deep/d.root, skip/e.txt} to ft/ and marks c.txt and d.root.</summary>
    private async Task<(JAlienPeer Peer, AlienConnection C)> StartAsync()
    {
        var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(5), o => o.StorageElements["ALICE::PEER::SE1"] = _xrootd.Url + "//se1");
        var c = await AlienConnection.ConnectAsync(JAlienFixture.Options(fx.NewEnvironment(peer)), Ct);
        foreach (var (name, size) in new[] { ("a.txt", 100), ("b.root", 2000), ("sub/c.txt", 300), ("sub/deep/d.root", 5000), ("skip/e.txt", 50) })
        {
            string path = Path.Combine(_work, "tree", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        }
        var up = await new AlienCopy(c).CopyAsync("file:" + Path.Combine(_work, "tree"), "ft/@disk:1", new AlienCopyOptions { XrdEnvironment = FastXrd }, Ct);
        Assert.Equal(5, up.Count(i => i.Status == AlienCopyStatus.Copied));
        var cTxt = peer.Catalogue.Get(Home + "ft/tree/sub/c.txt")!;
        cTxt.Owner = "other";
        cTxt.Group = "g2";
        cTxt.JobId = 42;
        peer.Catalogue.Get(Home + "ft/tree/sub/deep/d.root")!.CtimeMs = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        return (peer, c);
    }

    /// <summary>Downloads ft/tree/ with the filter into a fresh directory; returns the files that appeared there.</summary>
    private async Task<string[]> DownloadAsync(AlienConnection c, AlienCopyFilter filter, string glob = "*")
    {
        string outDir = Path.Combine(_work, "out" + (++_outs));
        var items = await new AlienCopy(c).CopyAsync("ft/tree/", "file:" + outDir + "/",
            new AlienCopyOptions { XrdEnvironment = FastXrd, Filter = filter, Pattern = glob, Parallel = 4 }, Ct);
        Assert.All(items, i => Assert.Equal(AlienCopyStatus.Copied, i.Status));
        return Directory.Exists(outDir)
            ? Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    [Fact]
    public async Task Select_and_name_pick_files_by_regex_or_by_verb()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            Assert.Equal(["sub/c.txt"], await DownloadAsync(c, new AlienCopyFilter { Select = @"/sub/[^/]+\.txt$" }));
            Assert.Equal(["b.root", "sub/deep/d.root"], await DownloadAsync(c, new AlienCopyFilter { Name = "ext_root" }));
            Assert.Equal(["a.txt"], await DownloadAsync(c, new AlienCopyFilter { Name = "begin_a" }));
            Assert.Equal(["b.root", "sub/deep/d.root"], await DownloadAsync(c, new AlienCopyFilter { Name = "contain_.r" }));
            Assert.Equal(["skip/e.txt"], await DownloadAsync(c, new AlienCopyFilter { Name = "ends_e.txt" }));
            Assert.Equal(["a.txt", "b.root"], await DownloadAsync(c, new AlienCopyFilter { Name = @"^[ab]\." }));
        }
    }

    [Fact]
    public async Task Client_side_filters_drop_rows_by_text_owner_job_size_depth_and_time()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            Assert.Equal(["a.txt", "b.root", "sub/c.txt", "sub/deep/d.root"], await DownloadAsync(c, new AlienCopyFilter { Exclude = "skip" }));
            Assert.Equal(["a.txt", "skip/e.txt", "sub/c.txt"], await DownloadAsync(c, new AlienCopyFilter { ExcludeRegex = @"\.root$" }));
            Assert.Equal(["sub/c.txt"], await DownloadAsync(c, new AlienCopyFilter { User = "other" }));
            Assert.Equal(["sub/c.txt"], await DownloadAsync(c, new AlienCopyFilter { Group = "g2" }));
            Assert.Equal(["sub/c.txt"], await DownloadAsync(c, new AlienCopyFilter { JobId = 42 }));
            Assert.Equal(["b.root", "sub/deep/d.root"], await DownloadAsync(c, new AlienCopyFilter { MinSize = 1000 }));
            Assert.Equal(["a.txt", "skip/e.txt"], await DownloadAsync(c, new AlienCopyFilter { MaxSize = 100 }));
            Assert.Equal(["a.txt", "b.root"], await DownloadAsync(c, new AlienCopyFilter { MaxDepth = 1 }));
            Assert.Equal(["sub/deep/d.root"], await DownloadAsync(c, new AlienCopyFilter { MinDepth = 3 }));
            var y2021 = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
            Assert.Equal(["sub/deep/d.root"], await DownloadAsync(c, new AlienCopyFilter { MaxCtime = y2021 }));
            Assert.Equal(["a.txt", "b.root", "skip/e.txt", "sub/c.txt"], await DownloadAsync(c, new AlienCopyFilter { MinCtime = y2021 }));
            Assert.Empty(await DownloadAsync(c, new AlienCopyFilter { User = "nobody" }));
        }
    }

    [Fact]
    public async Task Parent_and_rmprefix_build_the_local_path()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            Assert.Equal(["deep/d.root", "tree/b.root"], await DownloadAsync(c, new AlienCopyFilter { Name = "ext_root", Parent = 1 }));
            Assert.Equal(["b.root", "d.root"], await DownloadAsync(c, new AlienCopyFilter { Name = "ext_root", Parent = 0 }));
            Assert.Equal(["ft/tree/sub/c.txt"], await DownloadAsync(c, new AlienCopyFilter { JobId = 42, RemovePrefix = 5 }));
        }
    }

    [Fact]
    public async Task Exclusive_options_unknown_verbs_bad_regexes_and_slow_regexes_are_clear_errors()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            var both = await Assert.ThrowsAsync<ArgumentException>(() => DownloadAsync(c, new AlienCopyFilter { Name = "ext_root" }, glob: "*.root"));
            Assert.Contains("mutually exclusive", both.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<ArgumentException>(() => DownloadAsync(c, new AlienCopyFilter { Name = "ext_root", Select = "x" }));
            await Assert.ThrowsAsync<ArgumentException>(() => DownloadAsync(c, new AlienCopyFilter { Parent = 1, RemovePrefix = 1 }));
            var verb = await Assert.ThrowsAsync<ArgumentException>(() => DownloadAsync(c, new AlienCopyFilter { Name = "start_x" }));
            Assert.Contains("-name: unknown verb 'start_'", verb.Message, StringComparison.Ordinal);
            var bad = await Assert.ThrowsAsync<ArgumentException>(() => DownloadAsync(c, new AlienCopyFilter { ExcludeRegex = "(" }));
            Assert.StartsWith("-exclude_re:", bad.Message, StringComparison.Ordinal);

            // A pattern that backtracks exponentially stops at the match timeout instead of hanging the copy.
            peer.Catalogue.MakeDirectories(Home + "slow/", "jdoe");
            peer.Catalogue.Add(new JAlienEntry { Path = Home + "slow/" + new string('a', 40) + "!", Owner = "jdoe", Group = "jdoe", Size = 1 });
            var slow = await Assert.ThrowsAsync<ArgumentException>(() => new AlienCopy(c).CopyAsync("slow/", "file:" + Path.Combine(_work, "slow") + "/",
                new AlienCopyOptions { DryRun = true, Filter = new AlienCopyFilter { Name = "^(a|a?)+$" } }, Ct));
            Assert.Contains("-name: the regular expression took longer", slow.Message, StringComparison.Ordinal);

            // Filters are for downloads.
            await Assert.ThrowsAsync<ArgumentException>(() => new AlienCopy(c).CopyAsync("file:" + Path.Combine(_work, "tree"), "ft2/",
                new AlienCopyOptions { Filter = new AlienCopyFilter { MinSize = 1 } }, Ct));
        }
    }

    [Fact]
    public async Task The_progress_line_counts_planned_and_finished_files_and_bytes_and_fits_the_terminal()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            var progress = new AlienCopyProgress();
            var lines = new List<string>();
            var items = await new AlienCopy(c).CopyAsync("ft/tree/", "file:" + Path.Combine(_work, "progress") + "/", new AlienCopyOptions
            {
                XrdEnvironment = FastXrd, Filter = new AlienCopyFilter { Name = "ext_root" }, Planned = progress.Plan,
                Progress = i =>
                {
                    lock (lines)
                    {
                        lines.Add(progress.Done(i));
                    }
                },
            }, Ct);
            Assert.Equal(2, items.Count(i => i.Status == AlienCopyStatus.Copied));
            Assert.Equal(2, lines.Count);
            Assert.StartsWith("[1/2] ", lines[0], StringComparison.Ordinal);
            Assert.Matches(@"^\[2/2\] 6\.8 KiB/6\.8 KiB copied (b|d)\.root$", lines[1]);

            var failed = new AlienCopyItem { Source = "/x/" + new string('n', 100), Target = "t", Size = 5, Status = AlienCopyStatus.Failed };
            string cut = progress.Done(failed, width: 50);
            Assert.Equal(49, cut.Length);
            Assert.StartsWith("[3/3] 6.8 KiB/6.8 KiB, 1 failed failed n", cut, StringComparison.Ordinal);
            Assert.EndsWith("…", cut, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        _xrootd.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
