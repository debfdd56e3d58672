using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests.Uftp;

public sealed class UftpFileSystemTests(UftpFixture fx) : IClassFixture<UftpFixture>
{
    [Fact]
    public async Task Mkdir_list_stat_rename_and_remove()
    {
        await using var s = await fx.ConnectAsync();
        Assert.Equal("3.5.3", s.ServerVersion);
        await s.MakeDirectoryAsync("fs1");
        await File.WriteAllBytesAsync(fx.RemoteReal("fs1/a.txt"), new byte[123]);
        Directory.CreateDirectory(fx.RemoteReal("fs1/sub"));

        var list = await s.ListAsync("fs1");
        Assert.Equal(["a.txt", "sub"], list.Select(e => e.Name).Order().ToArray());
        var a = list.Single(e => e.Name == "a.txt");
        Assert.False(a.IsDirectory);
        Assert.Equal(123, a.Size);
        Assert.True(list.Single(e => e.Name == "sub").IsDirectory);
        Assert.InRange(a.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        var st = await s.StatAsync("fs1/a.txt");
        Assert.Equal(123, st.Size);
        Assert.Contains('r', st.Permissions);
        Assert.NotNull(st.UnixMode);
        // MLST's modify is the server's local time, read back as local time: the same instant here.
        Assert.InRange((st.LastModified - new DateTimeOffset(File.GetLastWriteTime(fx.RemoteReal("fs1/a.txt")))).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));

        await s.RenameAsync("fs1/a.txt", "fs1/b.txt");
        Assert.True(File.Exists(fx.RemoteReal("fs1/b.txt")));
        Assert.False(File.Exists(fx.RemoteReal("fs1/a.txt")));

        await s.RemoveFileAsync("fs1/b.txt");
        await s.RemoveDirectoryAsync("fs1/sub");
        Assert.Empty(await s.ListAsync("fs1"));
        Assert.Null(await s.TryStatAsync("fs1/b.txt"));
        var e = await Assert.ThrowsAsync<UftpReplyException>(() => s.RemoveFileAsync("fs1/missing"));
        Assert.Equal(500, e.Code);
        Assert.Equal("DELE", e.Command);
    }

    [Fact]
    public async Task Paths_outside_the_base_directory_are_forbidden()
    {
        await using var s = await UftpClient.ConnectAsync(fx.Http, fx.Host.AuthUrl, fx.Request(serverPath: "jail/"));
        Assert.Equal("/jail", await s.CurrentDirectoryAsync());
        var e = await Assert.ThrowsAsync<UftpReplyException>(() => s.StatAsync("../x"));
        Assert.Equal(534, e.Code);
    }

    [Fact]
    public async Task Features_options_and_upstream_quirks()
    {
        await using var s = await fx.ConnectAsync(cipher: UftpCipherAlgorithm.Aes);
        var feat = await s.FeaturesAsync();
        Assert.Contains("REST STREAMMFMT", feat); // uftpd's missing comma
        Assert.Contains("CRYPTED-AES", feat);
        Assert.Contains(feat, f => f.StartsWith("HASH MD5*", StringComparison.Ordinal));
        Assert.Equal("HASH=SHA-512", await s.SetOptionAsync("HASH", "SHA-512"));
        var bad = await Assert.ThrowsAsync<UftpReplyException>(() => s.SetOptionAsync("HASH", "CRC32"));
        Assert.Equal(500, bad.Code);
        var size = await s.SendCommandAsync("SIZE x");
        Assert.Equal(500, size.Code); // SIZE is broken in uftpd 3.5.3
        var unknown = await s.SendCommandAsync("XYZZY");
        Assert.Equal(502, unknown.Code);
        var noop = await s.SendCommandAsync("NOOP 16");
        Assert.Equal(223, noop.Code); // capped at MAX_STREAMS
        Assert.Equal("Opening 4 data connections", noop.Text);
    }

    [Fact]
    public async Task Hash_honours_the_range_with_its_exclusive_end()
    {
        var data = UftpFixture.RandomBytes(50_000, 5);
        await File.WriteAllBytesAsync(fx.RemoteReal("h.bin"), data);
        await using var s = await fx.ConnectAsync();
        var whole = await s.HashAsync("h.bin", "SHA-256");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), whole.Hex);
        Assert.Equal((0L, 49_999L), (whole.First, whole.Last));
        var part = await s.HashAsync("h.bin", "MD5", 100, 1000);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(data.AsSpan(100, 1000))), part.Hex);
        Assert.Equal((100L, 1099L), (part.First, part.Last));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Byte_ranges_download_and_partial_upload(int streams)
    {
        var data = UftpFixture.RandomBytes(200_000, 7 + streams);
        string name = $"range-{streams}.bin";
        await File.WriteAllBytesAsync(fx.RemoteReal(name), data);
        await using var s = await fx.ConnectAsync(streams);
        string dst = fx.LocalPath(name);
        var r = await UftpTransfers.DownloadAsync(s, name, dst, new UftpTransferOptions { Offset = 1000, Length = 50_001, Verify = true });
        Assert.Equal(50_001, r.TotalBytes);
        Assert.Equal(data.AsSpan(1000, 50_001).ToArray(), await File.ReadAllBytesAsync(dst));

        // Partial upload (-B 10-19-p): patch 10 bytes in place.
        string patch = fx.LocalPath("patch-" + name);
        var p = new byte[200_000];
        p.AsSpan(10, 10).Fill(0xAB);
        await File.WriteAllBytesAsync(patch, p);
        await UftpTransfers.UploadAsync(s, patch, name, new UftpTransferOptions { Offset = 10, Length = 10, Partial = true, Verify = true });
        var remote = await File.ReadAllBytesAsync(fx.RemoteReal(name));
        Assert.Equal(data.Length, remote.Length);
        Assert.True(remote.AsSpan(10, 10).SequenceEqual(p.AsSpan(10, 10)));
        Assert.True(remote.AsSpan(20).SequenceEqual(data.AsSpan(20)));

        // A raw read from an offset with REST: uftpd's 150 names the whole size; the stream still delivers the rest.
        await using (var read = await s.OpenReadAsync(name, 199_000))
        {
            var buf = new byte[2000];
            int total = 0, n;
            while ((n = await read.ReadAsync(buf.AsMemory(total))) > 0)
            {
                total += n;
            }

            Assert.Equal(1000, total);
            Assert.Equal(1000, read.Length);
        }
    }

    [Fact]
    public async Task Resume_download_keeps_the_part_and_fetches_only_the_rest()
    {
        var data = UftpFixture.RandomBytes(300_000, 11);
        await File.WriteAllBytesAsync(fx.RemoteReal("resume.bin"), data);
        string dst = fx.LocalPath("resume.bin");
        await File.WriteAllBytesAsync(dst + UftpTransfers.PartSuffix, data.AsSpan(0, 120_000).ToArray());
        await using var s = await fx.ConnectAsync(2);
        var r = await UftpTransfers.DownloadAsync(s, "resume.bin", dst, new UftpTransferOptions { Resume = true, Verify = true });
        Assert.Equal(180_000, r.Bytes);
        Assert.Equal(data, await File.ReadAllBytesAsync(dst));
        Assert.False(File.Exists(dst + UftpTransfers.PartSuffix));

        var again = await UftpTransfers.DownloadAsync(s, "resume.bin", dst, new UftpTransferOptions { Resume = true, Verify = true });
        Assert.True(again.Skipped);
    }

    [Fact]
    public async Task Resume_upload_appends_to_the_remote_part_then_renames()
    {
        var data = UftpFixture.RandomBytes(300_000, 12);
        string src = fx.LocalPath("up-resume.bin");
        await File.WriteAllBytesAsync(src, data);
        await File.WriteAllBytesAsync(fx.RemoteReal("up-resume.bin.part"), data.AsSpan(0, 100_000).ToArray());
        await using var s = await fx.ConnectAsync(1, UftpCipherAlgorithm.Blowfish);
        var r = await UftpTransfers.UploadAsync(s, src, "up-resume.bin", new UftpTransferOptions { Resume = true, Verify = true });
        Assert.Equal(200_000, r.Bytes);
        Assert.Equal(data, await File.ReadAllBytesAsync(fx.RemoteReal("up-resume.bin")));
        Assert.False(File.Exists(fx.RemoteReal("up-resume.bin.part")));
    }

    [Fact]
    public async Task A_failed_download_leaves_no_complete_looking_file()
    {
        await File.WriteAllBytesAsync(fx.RemoteReal("fail.bin"), new byte[10_000]);
        string dst = fx.LocalPath("fail.bin");
        await using var s = await fx.ConnectAsync();
        // A checksum that cannot match: the remote file changes once its bytes have been sent.
        var e = await Assert.ThrowsAsync<UftpException>(() => UftpTransfers.DownloadAsync(s, "fail.bin", dst, new UftpTransferOptions
        {
            Verify = true,
            Progress = _ => File.WriteAllBytes(fx.RemoteReal("fail.bin"), new byte[10_000].Select(_ => (byte)1).ToArray()),
        }));
        Assert.Contains("checksum mismatch", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dst));
        Assert.False(File.Exists(dst + UftpTransfers.PartSuffix));

        // A transfer interrupted mid-way: nothing left without -R, the .part kept with -R.
        await using var s2 = await fx.ConnectAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => UftpTransfers.DownloadAsync(s2, "fail.bin", dst, new UftpTransferOptions { Progress = _ => throw new InvalidOperationException("interrupted") }));
        Assert.False(File.Exists(dst));
        Assert.False(File.Exists(dst + UftpTransfers.PartSuffix));
        await using var s3 = await fx.ConnectAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => UftpTransfers.DownloadAsync(s3, "fail.bin", dst, new UftpTransferOptions { Resume = true, Progress = _ => throw new InvalidOperationException("interrupted") }));
        Assert.False(File.Exists(dst));
        Assert.True(File.Exists(dst + UftpTransfers.PartSuffix));
    }

    [Fact]
    public async Task Persistent_secret_opens_several_sessions()
    {
        var ticket = await UftpClient.AuthenticateAsync(fx.Http, fx.Host.AuthUrl, fx.Request());
        await using var a = await ticket.ConnectAsync();
        await using var b = await ticket.ConnectAsync();
        Assert.NotNull(await a.ListAsync());
        Assert.NotNull(await b.ListAsync());
        Assert.DoesNotContain(ticket.Server.Secret, ticket.Server.ToString(), StringComparison.Ordinal);
    }
}
