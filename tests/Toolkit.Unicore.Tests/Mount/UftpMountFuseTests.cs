using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Tests.Mount;

/// <summary>
/// Debian's fuse3 with the real <c>toolkit uftp mount</c> against the uftpd peer (each its own process): coreutils
/// through the mount give what the same commands give on a local directory and leave the same bytes in the peer's
/// directory. Without /dev/fuse these tests fail and say so (<see cref="MountedPeer.RequireFuse"/>).
/// </summary>
public sealed class UftpMountFuseTests
{
    private const string Ops = """
        set -e
        for d in "$MNT" "$LOCAL/m"; do
          cp "$LOCAL/src.bin" "$d/a.bin"
          echo hello > "$d/h.txt"
          mkdir "$d/sub"
          mv "$d/a.bin" "$d/sub/b.bin"
          dd if="$LOCAL/src.bin" of="$d/sub/b.bin" bs=1000 skip=3 seek=77 count=100 conv=notrunc status=none
          dd if="$LOCAL/src.bin" of="$d/sub/tail.bin" bs=4096 skip=10 count=20 status=none
          echo more >> "$d/h.txt"
          cp "$d/h.txt" "$d/h2.txt"
          rm "$d/h2.txt"
          cp "$d/sub/tail.bin" "$d/sub/short.bin"
          truncate -s 12345 "$d/sub/short.bin"
          truncate -s 777777 "$d/sub/b.bin"
          mkdir "$d/gone"
          rmdir "$d/gone"
          touch -d '2021-06-07 08:09:10' "$d/h.txt"
        done
        """;

    [Fact]
    public async Task Coreutils_through_the_mount_equal_the_same_commands_on_a_local_directory()
    {
        await using var m = await MountedPeer.StartAsync();
        m.MustSh("mkdir m && head -c 1000000 /dev/urandom > src.bin");
        m.MustSh(Ops);

        // The same tree with the same bytes: through the mount, in the peer's directory, and in the local mirror.
        string Tree(string dir) => m.MustSh($"cd '{dir}' && find . | sort && find . -type f | sort | xargs sha256sum");
        string local = Tree(Path.Combine(m.Local, "m"));
        Assert.Equal(local, Tree(m.Mnt));
        Assert.Equal(local, Tree(m.Root));
        Assert.Contains("./sub/b.bin", local, StringComparison.Ordinal);

        Assert.Equal("hello\nmore\n", m.MustSh("cat \"$MNT/h.txt\""));
        string Ls(string dir) => m.MustSh($"cd '{dir}' && ls -l --time-style=+%s . sub | awk '$1 != \"total\" {{print $1, $5, $6, $7}}'");
        Assert.Equal(Ls(m.Root), Ls(m.Mnt));
        Assert.Contains("777777", Ls(m.Mnt), StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2021, 6, 7, 8, 9, 10, DateTimeOffset.Now.Offset).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), m.MustSh("stat -c %Y \"$MNT/h.txt\"").Trim());

        // Ranged reads (dd skip) through the mount equal the same bytes of the peer's file.
        Assert.Equal(
            m.MustSh("dd if=\"$ROOT/sub/b.bin\" bs=1000 skip=61 count=300 status=none | sha256sum"),
            m.MustSh("dd if=\"$MNT/sub/b.bin\" bs=1000 skip=61 count=300 status=none | sha256sum"));

        // Errors arrive as errno.
        Assert.Contains("No such file or directory", m.Sh("rm \"$MNT/missing\"").Stderr, StringComparison.Ordinal);
        Assert.Contains("Directory not empty", m.Sh("rmdir \"$MNT/sub\"").Stderr, StringComparison.Ordinal);
        Assert.Contains("File exists", m.Sh("mkdir \"$MNT/sub\"").Stderr, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", m.Sh("cat \"$MNT/nothing\"").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sha256_of_a_100_MB_file_through_the_mount_equals_the_peer_file_both_ways()
    {
        await using var m = await MountedPeer.StartAsync();
        m.MustSh("head -c 100000000 /dev/urandom > \"$ROOT/down.bin\" && head -c 100000000 /dev/urandom > up.bin");
        string Sum(string path) => m.MustSh("sha256sum < '" + path + "'").Trim();

        Assert.Equal(Sum(Path.Combine(m.Root, "down.bin")), Sum(Path.Combine(m.Mnt, "down.bin")));
        m.MustSh("cp up.bin \"$MNT/up.bin\"");
        Assert.Equal(Sum(Path.Combine(m.Local, "up.bin")), Sum(Path.Combine(m.Root, "up.bin")));
        Assert.Equal("100000000", m.MustSh("stat -c %s \"$MNT/up.bin\"").Trim());
    }

    [Fact]
    public async Task Read_only_mount_refuses_every_change_with_EROFS_and_still_reads()
    {
        await using var m = await MountedPeer.StartAsync("--read-only");
        m.MustSh("echo kept > \"$ROOT/f.txt\" && mkdir \"$ROOT/d\"");
        Assert.Equal("kept\n", m.MustSh("cat \"$MNT/f.txt\""));
        foreach (var change in new[] { "echo x > \"$MNT/new.txt\"", "echo x >> \"$MNT/f.txt\"", "mkdir \"$MNT/e\"", "rm \"$MNT/f.txt\"", "rmdir \"$MNT/d\"", "mv \"$MNT/f.txt\" \"$MNT/g.txt\"", "touch \"$MNT/f.txt\"", "truncate -s 0 \"$MNT/f.txt\"" })
        {
            var r = m.Sh(change);
            Assert.True(r.ExitCode != 0, change + " succeeded on a read-only mount");
            Assert.Contains("Read-only file system", r.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(new[] { "d", "f.txt" }, Directory.EnumerateFileSystemEntries(m.Root).Select(p => Path.GetFileName(p)).Order().ToArray());
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(m.Root, "f.txt")));
    }

    [Fact]
    public async Task Killing_the_peer_mid_read_gives_EIO_not_a_hang()
    {
        await using var m = await MountedPeer.StartAsync();
        m.MustSh("truncate -s 2000000000 \"$ROOT/huge.bin\"");

        // Open through the mount and read the first 8 MiB, then kill the peer and keep reading the same descriptor.
        await using var file = new FileStream(Path.Combine(m.Mnt, "huge.bin"), FileMode.Open, FileAccess.Read, FileShare.Read, 0);
        byte[] buffer = new byte[1 << 20];
        long read = 0;
        while (read < 8 << 20)
        {
            int n = await file.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(n > 0, "early end of file at " + read);
            read += n;
        }

        m.KillPeer();
        var watch = Stopwatch.StartNew();
        var rest = Task.Run(async () =>
        {
            while (true)
            {
                if (await file.ReadAsync(buffer) == 0)
                {
                    return;
                }
            }
        });
        var failure = await Assert.ThrowsAsync<IOException>(() => rest.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Input/output error", failure.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the read after the kill took " + watch.Elapsed);

        // Later calls fail as fast: the reconnect is refused, the call returns EIO.
        var ls = m.Sh("ls \"$MNT/\" \"$MNT/other\"");
        Assert.NotEqual(0, ls.ExitCode);
        Assert.Contains("Input/output error", ls.Stderr, StringComparison.Ordinal);
        Assert.True(m.IsMounted());
    }

    [Fact]
    public async Task Fusermount_u_and_SIGTERM_end_the_mount_cleanly()
    {
        await using (var m = await MountedPeer.StartAsync())
        {
            m.MustSh("echo a > \"$MNT/before-unmount.txt\"");
            Tool.MustRun("fusermount3", "-u", m.Mnt);
            Assert.True(m.MountProcess.WaitForExit(20_000), "toolkit uftp mount still runs after fusermount3 -u");
            Assert.Equal(0, m.MountProcess.ExitCode);
            Assert.False(m.IsMounted());
            Assert.Contains("unmounted " + m.Mnt, m.MountStderr, StringComparison.Ordinal);
            Assert.Equal("a\n", File.ReadAllText(Path.Combine(m.Root, "before-unmount.txt")));
        }

        await using (var m = await MountedPeer.StartAsync())
        {
            Tool.MustRun("kill", "-TERM", m.MountProcess.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(m.MountProcess.WaitForExit(20_000), "toolkit uftp mount still runs after SIGTERM");
            Assert.Equal(0, m.MountProcess.ExitCode);
            Assert.False(m.IsMounted());
        }
    }
}
