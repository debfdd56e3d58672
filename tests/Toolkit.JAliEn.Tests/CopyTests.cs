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

/// <summary>cp against the JAliEn peer whose envelopes point at a real xrootd.</summary>
[Collection("jalien")]
public sealed class CopyTests(JAlienFixture fx) : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly XrootdServer _xrootd = new();
    private readonly string _work = Directory.CreateTempSubdirectory("toolkit-jalien-cp-").FullName;

    private static readonly Dictionary<string, string> FastXrd = new()
    {
        ["XRD_CONNECTIONRETRY"] = "1", ["XRD_CONNECTIONWINDOW"] = "2", ["XRD_REQUESTTIMEOUT"] = "30", ["XRD_STREAMTIMEOUT"] = "30",
    };

    private static AlienCopyOptions Options(bool noRecovery = false) => new() { XrdEnvironment = FastXrd, NoRecovery = noRecovery, Parallel = 4 };

    private async Task<(JAlienPeer Peer, AlienConnection C)> StartAsync()
    {
        var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(5), o =>
        {
            o.StorageElements["ALICE::PEER::SE1"] = _xrootd.Url + "//se1";
            o.StorageElements["ALICE::PEER::SE2"] = _xrootd.Url + "//se2";
            o.StorageElements["ALICE::PEER::DEAD"] = "root://127.0.0.1:1//dead";
        });
        var c = await AlienConnection.ConnectAsync(JAlienFixture.Options(fx.NewEnvironment(peer)), Ct);
        return (peer, c);
    }

    private string LocalFile(string name, int size)
    {
        string path = Path.Combine(_work, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        return path;
    }

    [Fact]
    public async Task Upload_writes_two_replicas_through_xrdcp_commits_them_and_download_brings_the_same_bytes_back()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            string local = LocalFile("data.bin", 300_000);
            var up = await new AlienCopy(c).CopyAsync("file:" + local, "run1/data.bin@disk:2", Options(), Ct);
            var item = Assert.Single(up);
            Assert.Equal(AlienCopyStatus.Copied, item.Status);
            Assert.Equal(["ALICE::PEER::SE1", "ALICE::PEER::SE2"], item.StorageElements.Order());
            var entry = peer.Catalogue.Get("/alice/cern.ch/user/j/jdoe/run1/data.bin")!;
            Assert.Equal(300_000, entry.Size);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(local))), entry.Md5);
            foreach (var pfn in entry.Replicas.Values)
            {
                Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(_xrootd.LocalFile(pfn)));
            }
            Assert.Equal(2, peer.Log.Count(l => l.StartsWith("commit ", StringComparison.Ordinal)));

            string back = Path.Combine(_work, "back", "data.bin");
            var down = await new AlienCopy(c).CopyAsync("run1/data.bin", "file:" + back, Options(), Ct);
            Assert.Equal(AlienCopyStatus.Copied, Assert.Single(down).Status);
            Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(back));

            // A valid local copy is not fetched again.
            var again = await new AlienCopy(c).CopyAsync("run1/data.bin", "file:" + back, Options(), Ct);
            Assert.Equal(AlienCopyStatus.Skipped, Assert.Single(again).Status);
        }
    }

    [Fact]
    public async Task A_failed_replica_is_recovered_on_an_SE_not_tried_yet_unless_recovery_is_off()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            string local = LocalFile("rec.bin", 5000);
            var items = await new AlienCopy(c).CopyAsync("file:" + local, "rec/rec.bin@ALICE::PEER::DEAD,ALICE::PEER::SE1", Options(), Ct);
            var item = Assert.Single(items);
            Assert.Equal(AlienCopyStatus.Copied, item.Status);
            Assert.Equal(["ALICE::PEER::SE1", "ALICE::PEER::SE2"], item.StorageElements.Order());
            Assert.Contains(peer.Log, l => l.StartsWith("access", StringComparison.Ordinal) && l.Contains("!ALICE::PEER::DEAD", StringComparison.Ordinal) && l.Contains("!ALICE::PEER::SE1", StringComparison.Ordinal));

            var solo = await new AlienCopy(c).CopyAsync("file:" + local, "rec/solo.bin@ALICE::PEER::DEAD,ALICE::PEER::SE1", Options(noRecovery: true), Ct);
            Assert.Equal(["ALICE::PEER::SE1"], Assert.Single(solo).StorageElements);
        }
    }

    [Fact]
    public async Task A_download_that_fails_its_md5_check_never_replaces_the_good_local_file()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            string local = LocalFile("good.bin", 4000);
            await new AlienCopy(c).CopyAsync("file:" + local, "md5/good.bin@disk:1", Options(), Ct);
            var entry = peer.Catalogue.Get("/alice/cern.ch/user/j/jdoe/md5/good.bin")!;
            entry.Md5 = "00000000000000000000000000000000";
            string target = Path.Combine(_work, "keep", "good.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, "my precious local data");
            var items = await new AlienCopy(c).CopyAsync("md5/good.bin", "file:" + target, Options(), Ct);
            var item = Assert.Single(items);
            Assert.Equal(AlienCopyStatus.Failed, item.Status);
            Assert.Contains("MD5 mismatch", item.Error, StringComparison.Ordinal);
            Assert.Equal("my precious local data", File.ReadAllText(target));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(target)!));
        }
    }

    [Fact]
    public async Task Directories_copy_recursively_both_ways_with_the_trailing_slash_rule()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            LocalFile("tree/a.txt", 100);
            LocalFile("tree/sub/b.txt", 200);
            var up = await new AlienCopy(c).CopyAsync("file:" + Path.Combine(_work, "tree"), "dest/@disk:1", Options(), Ct);
            Assert.Equal(2, up.Count(i => i.Status == AlienCopyStatus.Copied));
            Assert.NotNull(peer.Catalogue.Get("/alice/cern.ch/user/j/jdoe/dest/tree/sub/b.txt"));

            string outDir = Path.Combine(_work, "out");
            var contents = await new AlienCopy(c).CopyAsync("dest/tree/", "file:" + outDir + "/", Options(), Ct);
            Assert.Equal(2, contents.Count(i => i.Status == AlienCopyStatus.Copied));
            Assert.Equal(File.ReadAllBytes(Path.Combine(_work, "tree/sub/b.txt")), File.ReadAllBytes(Path.Combine(outDir, "sub", "b.txt")));

            string outDir2 = Path.Combine(_work, "out2");
            await new AlienCopy(c).CopyAsync("dest/tree", "file:" + outDir2 + "/", Options(), Ct);
            Assert.True(File.Exists(Path.Combine(outDir2, "tree", "a.txt")));
        }
    }

    [Fact]
    public async Task Grid_to_grid_and_local_to_local_are_refused()
    {
        var (peer, c) = await StartAsync();
        await using (peer)
        await using (c)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => new AlienCopy(c).CopyAsync("/a", "/b", Options(), Ct));
            await Assert.ThrowsAsync<ArgumentException>(() => new AlienCopy(c).CopyAsync("file:/a", "file:/b", Options(), Ct));
        }
    }

    public void Dispose()
    {
        _xrootd.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
