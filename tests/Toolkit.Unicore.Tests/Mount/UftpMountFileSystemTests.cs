using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Toolkit.Peers.Uftp;
using Toolkit.Runtime.Fuse;
using Toolkit.Unicore.Tests.Uftp;
using Toolkit.Unicore.Uftp;
using Toolkit.Unicore.Uftp.Mount;

namespace Toolkit.Unicore.Tests.Mount;

/// <summary>The mount's filesystem called directly (no kernel) against the in-process uftpd peer.</summary>
public sealed class UftpMountFileSystemTests(UftpFixture fx) : IClassFixture<UftpFixture>
{
    private UftpSessionPool Pool() => new(ct => UftpClient.AuthenticateAsync(fx.Http, fx.Host.AuthUrl, fx.Request() with { Persistent = true }, TimeSpan.FromSeconds(10), ct), 3);

    [Fact]
    public async Task Random_writes_reads_and_truncates_through_handles_match_a_local_model()
    {
        await using var pool = Pool();
        await using var fs = new UftpMountFileSystem(pool, "", new UftpMountOptions { ReadChunkBytes = 64 << 10, ReadAheadChunks = 2 });
        var rng = new Random(1234);
        var model = new List<byte>();
        Assert.Equal(0, fs.Create("/model.bin", 0x1A4, 1, out ulong h));
        for (int round = 0; round < 40; round++)
        {
            int op = rng.Next(10);
            if (op < 7)
            {
                long offset = rng.Next(0, model.Count + 100_000);
                var data = new byte[rng.Next(1, 200_000)];
                rng.NextBytes(data);
                Assert.Equal(data.Length, fs.Write("/model.bin", h, data, offset));
                while (model.Count < offset + data.Length)
                {
                    model.Add(0);
                }

                for (int i = 0; i < data.Length; i++)
                {
                    model[(int)offset + i] = data[i];
                }
            }
            else if (op < 8)
            {
                int size = rng.Next(0, model.Count + 50_000);
                Assert.Equal(0, fs.Truncate("/model.bin", size, h));
                model = model.Take(size).Concat(Enumerable.Repeat((byte)0, Math.Max(0, size - model.Count))).ToList();
            }
            else if (op < 9)
            {
                // Commit (close), then reopen read-write: the next changes are ranges into the existing file.
                Assert.Equal(0, fs.Flush("/model.bin", h));
                Assert.Equal(0, fs.Release("/model.bin", h));
                Assert.Equal(model.ToArray(), await File.ReadAllBytesAsync(fx.RemoteReal("model.bin")));
                Assert.Equal(0, fs.Open("/model.bin", 2, out h));
            }

            int at = model.Count == 0 ? 0 : rng.Next(0, model.Count);
            var buf = new byte[rng.Next(1, 300_000)];
            int n = fs.Read("/model.bin", h, buf, at);
            Assert.Equal(Math.Min(buf.Length, model.Count - at), n);
            Assert.True(buf.AsSpan(0, n).SequenceEqual(model.Skip(at).Take(n).ToArray()), "round " + round + ": read at " + at);
            Assert.Equal(0, fs.GetAttributes("/model.bin", h, out var a));
            Assert.Equal(model.Count, a.Size);
        }

        Assert.Equal(0, fs.Release("/model.bin", h));
        Assert.Equal(model.ToArray(), await File.ReadAllBytesAsync(fx.RemoteReal("model.bin")));
    }

    [Fact]
    public async Task Directory_calls_map_to_uftpd_commands_and_errors_to_errno()
    {
        await using var pool = Pool();
        await using var fs = new UftpMountFileSystem(pool, "/", new UftpMountOptions { AttributeLifetime = TimeSpan.Zero });
        Assert.Equal(0, fs.MakeDirectory("/fsdir", 0x1ED));
        Assert.Equal(-Errno.EEXIST, fs.MakeDirectory("/fsdir", 0x1ED));
        await File.WriteAllTextAsync(fx.RemoteReal("fsdir/one.txt"), "one");
        var entries = new List<FuseDirectoryEntry>();
        Assert.Equal(0, fs.ReadDirectory("/fsdir", entries));
        var one = Assert.Single(entries);
        Assert.Equal(("one.txt", 3L, false), (one.Name, one.Attributes.Size, one.Attributes.IsDirectory));
        Assert.Equal(-Errno.ENOTEMPTY, fs.RemoveDirectory("/fsdir"));
        Assert.Equal(0, fs.Rename("/fsdir/one.txt", "/fsdir/two.txt", 0));
        Assert.Equal(-Errno.ENOENT, fs.GetAttributes("/fsdir/one.txt", null, out _));
        Assert.Equal(0, fs.GetAttributes("/fsdir/two.txt", null, out var two));
        Assert.Equal(FuseAttributes.RegularFile, two.Mode & 0xF000);
        await File.WriteAllTextAsync(fx.RemoteReal("fsdir/three.txt"), "3");
        Assert.Equal(-Errno.EEXIST, fs.Rename("/fsdir/two.txt", "/fsdir/three.txt", FuseHost.RenameNoReplace));
        var when = new DateTimeOffset(2020, 2, 3, 4, 5, 6, TimeSpan.Zero);
        Assert.Equal(0, fs.SetTimes("/fsdir/two.txt", when));
        Assert.Equal(when, new DateTimeOffset(File.GetLastWriteTimeUtc(fx.RemoteReal("fsdir/two.txt"))));
        Assert.Equal(0, fs.Unlink("/fsdir/two.txt"));
        Assert.Equal(-Errno.ENOENT, fs.Unlink("/fsdir/two.txt"));
        Assert.Equal(0, fs.Unlink("/fsdir/three.txt"));
        Assert.Equal(0, fs.RemoveDirectory("/fsdir"));
        Assert.False(Directory.Exists(fx.RemoteReal("fsdir")));
        Assert.Equal(-Errno.EISDIR, fs.Open("/", 0, out _));
    }

    [Fact]
    public async Task Read_only_filesystem_refuses_changes_with_EROFS()
    {
        await using var pool = Pool();
        await using var fs = new UftpMountFileSystem(pool, "", new UftpMountOptions { ReadOnly = true });
        await File.WriteAllTextAsync(fx.RemoteReal("ro.txt"), "ro");
        Assert.Equal(-Errno.EROFS, fs.Open("/ro.txt", 1, out _));
        Assert.Equal(-Errno.EROFS, fs.Create("/ro2.txt", 0x1A4, 1, out _));
        Assert.Equal(-Errno.EROFS, fs.MakeDirectory("/rodir", 0x1ED));
        Assert.Equal(-Errno.EROFS, fs.Unlink("/ro.txt"));
        Assert.Equal(-Errno.EROFS, fs.Rename("/ro.txt", "/ro3.txt", 0));
        Assert.Equal(-Errno.EROFS, fs.Truncate("/ro.txt", 0, null));
        Assert.Equal(-Errno.EROFS, fs.SetTimes("/ro.txt", DateTimeOffset.UtcNow));
        Assert.Equal(0, fs.Open("/ro.txt", 0, out ulong h));
        var buf = new byte[10];
        Assert.Equal(2, fs.Read("/ro.txt", h, buf, 0));
        Assert.Equal(0, fs.GetAttributes("/ro.txt", null, out var a));
        Assert.Equal(0u, a.Mode & 0x92);
        Assert.Equal("ro", await File.ReadAllTextAsync(fx.RemoteReal("ro.txt")));
    }

    [Fact]
    public async Task A_restarted_uftpd_that_forgot_the_session_is_reconnected_with_a_new_ticket()
    {
        string root = Directory.CreateTempSubdirectory("uftp-restart-").FullName;
        var users = new Dictionary<string, string> { [UftpFixture.User] = UftpFixture.Password };
        var host = await UftpPeerHost.StartAsync(new UftpdPeer { Root = root }, users);
        var (listen, cmd, auth) = (host.Uftpd.ListenEndpoint.Port, host.Uftpd.CommandEndpoint.Port, host.AuthUrl);
        var pool = new UftpSessionPool(ct => UftpClient.AuthenticateAsync(fx.Http, auth, fx.Request() with { Persistent = true }, TimeSpan.FromSeconds(10), ct), 2);
        var fs = new UftpMountFileSystem(pool, "", new UftpMountOptions { AttributeLifetime = TimeSpan.Zero });
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "a.txt"), "abc");
            Assert.Equal(0, fs.GetAttributes("/a.txt", null, out var a));
            Assert.Equal(3, a.Size);
            Assert.Equal(1, pool.Authentications);

            // uftpd restarts on the same ports: the open control connections break, the secret is unknown (530).
            await host.DisposeAsync();
            host = await UftpPeerHost.StartAsync(new UftpdPeer { Root = root, ListenPort = listen, CommandPort = cmd }, users, auth.Port);
            Assert.Equal(0, fs.GetAttributes("/a.txt", null, out a));
            Assert.Equal(3, a.Size);
            Assert.Equal(2, pool.Authentications);
            Assert.Equal(0, fs.Open("/a.txt", 0, out ulong h));
            var buf = new byte[3];
            Assert.Equal(3, fs.Read("/a.txt", h, buf, 0));
            Assert.Equal("abc"u8.ToArray(), buf);
        }
        finally
        {
            await fs.DisposeAsync();
            await pool.DisposeAsync();
            await host.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_uftpd_that_never_answers_gives_EIO_after_the_operation_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        var acceptLoop = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptSocketAsync());
            }
        });
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var ticket = new UftpTicket(new UftpAuthResponse("127.0.0.1", port, "secret"), new UftpSessionOptions { Timeout = TimeSpan.FromSeconds(30) });
        await using var pool = new UftpSessionPool(_ => Task.FromResult(ticket), 1);
        await using var fs = new UftpMountFileSystem(pool, "", new UftpMountOptions { OperationTimeout = TimeSpan.FromSeconds(1) });
        var watch = Stopwatch.StartNew();
        Assert.Equal(-Errno.EIO, fs.GetAttributes("/x", null, out _));
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        foreach (var s in accepted.ToArray())
        {
            s.Dispose();
        }
    }

    [Theory]
    [InlineData(550, "550 Error processing command 'MLST': Directory/file does not exist or cannot be accessed!", Errno.ENOENT)]
    [InlineData(500, "500 Error processing command 'DELE': [Errno 2] No such file or directory: '/x'", Errno.ENOENT)]
    [InlineData(500, "500 Error processing command 'MKD': [Errno 17] File exists: '/d'", Errno.EEXIST)]
    [InlineData(500, "500 Error processing command 'RMD': [Errno 39] Directory not empty: '/d'", Errno.ENOTEMPTY)]
    [InlineData(500, "500 Error processing command 'STOR': [Errno 13] Permission denied: '/etc/x'", Errno.EACCES)]
    [InlineData(530, "530 Not logged in", Errno.EACCES)]
    [InlineData(500, "500 Error processing command 'STOR': something else", Errno.EIO)]
    public void Uftpd_replies_map_to_errno(int code, string reply, int errno)
        => Assert.Equal(-errno, UftpErrno.From(new UftpReplyException("X", code, reply, reply)));
}
