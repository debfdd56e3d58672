using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Tests;

/// <summary>Storages end to end: streamed upload, ranged download, listing, mkdir, copy, rename, delete, transfers.</summary>
public sealed class StorageTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public async Task Upload_stat_list_ranged_download_mkdir_rename_copy_delete()
    {
        using var client = fx.Client();
        var home = await client.GetStorageAsync("HOME");
        Assert.Equal(fx.Peer.SiteUrl + "/storages/HOME", home.Url.ToString());
        var root = "t-" + Guid.NewGuid().ToString("N")[..6];
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        await home.UploadAsync(root + "/sub/data.bin", new MemoryStream(data));
        var stat = await home.StatAsync(root + "/sub/data.bin");
        Assert.Equal(data.Length, stat.Size);
        Assert.False(stat.IsDirectory);

        Assert.Equal(data, await home.ReadAllBytesAsync("/" + root + "/sub/data.bin"));
        using (var part = new MemoryStream())
        {
            Assert.Equal(1000, await home.DownloadAsync(root + "/sub/data.bin", part, offset: 123_456, length: 1000));
            Assert.Equal(data.Skip(123_456).Take(1000), part.ToArray());
        }

        using (var tail = new MemoryStream())
        {
            await home.DownloadAsync(root + "/sub/data.bin", tail, offset: data.Length - 10);
            Assert.Equal(data.TakeLast(10), tail.ToArray());
        }

        var beyond = await Assert.ThrowsAsync<UnicoreClientErrorException>(() => home.OpenReadAsync(root + "/sub/data.bin", offset: data.Length + 5));
        Assert.Equal(416, beyond.StatusCode);

        await home.MkdirAsync(root + "/empty dir");
        var listing = await home.ListAsync(root);
        Assert.Equal([root + "/empty dir", root + "/sub"], listing.Select(e => e.Path));
        Assert.All(listing, e => Assert.True(e.IsDirectory));

        await home.CopyAsync(root + "/sub/data.bin", root + "/copy.bin");
        await home.RenameAsync(root + "/copy.bin", root + "/empty dir/moved.bin");
        Assert.False(await home.ExistsAsync(root + "/copy.bin"));
        Assert.Equal(data, await home.ReadAllBytesAsync(root + "/empty dir/moved.bin"));

        await home.DeleteAsync(root + "/empty dir");
        Assert.Equal([root + "/sub"], (await home.ListAsync(root)).Select(e => e.Path));
        var missing = await Assert.ThrowsAsync<UnicoreNotFoundException>(() => home.StatAsync(root + "/nope"));
        Assert.Contains("not found", missing.Message, StringComparison.Ordinal);
        Assert.Contains("/files/" + root + "/nope", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnicoreProtocolException>(() => home.ListAsync(root + "/sub/data.bin"));
        await Assert.ThrowsAsync<ArgumentException>(() => home.StatAsync("../../etc/passwd"));
    }

    [Fact]
    public async Task A_failed_download_leaves_no_local_file_and_a_good_one_replaces_atomically()
    {
        using var client = fx.Client();
        var home = await client.GetStorageAsync("HOME");
        var dir = fx.NewDir();
        var local = Path.Combine(dir, "out.txt");
        await Assert.ThrowsAsync<UnicoreNotFoundException>(() => home.DownloadFileAsync("no/such/file", local));
        Assert.Empty(Directory.GetFiles(dir));

        await home.UploadAsync("atomic.txt", new MemoryStream(Encoding.UTF8.GetBytes("new content")));
        await File.WriteAllTextAsync(local, "old");
        Assert.Equal(11, await home.DownloadFileAsync("atomic.txt", local));
        Assert.Equal("new content", await File.ReadAllTextAsync(local));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public async Task Server_to_server_transfers_between_the_home_and_a_working_directory()
    {
        using var client = fx.Client();
        var home = await client.GetStorageAsync("HOME");
        await home.UploadAsync("s2s/source.txt", new MemoryStream(Encoding.UTF8.GetBytes("move me")));
        var job = await client.SubmitJobAsync(Jobs.Echo("x"));
        await job.WaitAsync(timeout: TimeSpan.FromSeconds(30));
        var wd = await job.GetWorkingDirectoryAsync();

        var pull = await wd.ReceiveFileAsync((await home.FileUrlAsync("s2s/source.txt")).ToString(), "pulled.txt");
        var done = await pull.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TransferStatus.Done, done.Status);
        Assert.Equal(7, done.TransferredBytes);
        Assert.Equal("move me", await wd.ReadAllTextAsync("pulled.txt"));

        var push = await wd.SendFileAsync("stdout", (await home.FileUrlAsync("s2s/stdout-copy")).ToString());
        Assert.Equal(TransferStatus.Done, (await push.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal("x\n", await home.ReadAllTextAsync("s2s/stdout-copy"));
        Assert.Contains(await client.ListTransfersAsync(), t => t.Url == push.Url);

        var uftp = await wd.SendFileAsync("stdout", "UFTP:" + await home.FileUrlAsync("s2s/x"));
        var failed = await uftp.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TransferStatus.Failed, failed.Status);
        Assert.Contains("UFTP", failed.StatusMessage, StringComparison.Ordinal);

        Assert.Contains(await client.ListStoragesAsync(), s => s.Url == wd.Url);
    }
}
