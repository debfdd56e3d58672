using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Fuse;

namespace Toolkit.Runtime.Tests.Fuse;

/// <summary>
/// The libfuse3 binding on its own: an in-memory filesystem mounted in this process (on its own thread) through
/// Debian's fuse3, read with ordinary file APIs (struct stat and readdir layouts), then unmounted by cancelling.
/// Without /dev/fuse the test fails and says why.
/// </summary>
public sealed class FuseHostTests
{
    private static readonly DateTimeOffset When = new(2022, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    [Fact]
    public async Task An_in_memory_filesystem_is_served_read_and_unmounted_on_cancel()
    {
        if (FuseHost.Unavailable() is { } why)
        {
            Assert.Fail("FUSE cannot run here, so the binding test cannot run: " + why);
        }

        string mnt = Directory.CreateTempSubdirectory("fuse-host-").FullName;
        var fs = new MemoryFs();
        using var cts = new CancellationTokenSource();
        var mounted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Task.Factory.StartNew(() => FuseHost.Run(fs, new FuseMountOptions { MountPoint = mnt, ReadOnly = true }, mounted.SetResult, cts.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await Task.WhenAny(mounted.Task, run).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(mounted.Task.IsCompleted, "not mounted: " + run.Exception?.GetBaseException().Message);

            var info = new FileInfo(Path.Combine(mnt, "hello.txt"));
            Assert.Equal(MemoryFs.Hello.Length, info.Length);
            Assert.Equal(When, new DateTimeOffset(info.LastWriteTimeUtc));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, info.UnixFileMode);
            Assert.Equal("hello, fuse\n", await File.ReadAllTextAsync(info.FullName));
            Assert.Equal(["dir", "hello.txt"], Directory.EnumerateFileSystemEntries(mnt).Select(p => Path.GetFileName(p)!).Order().ToArray());
            Assert.True(Directory.Exists(Path.Combine(mnt, "dir")));
            Assert.False(File.Exists(Path.Combine(mnt, "missing")));
            var e = Assert.ThrowsAny<IOException>(() => File.ReadAllText(Path.Combine(mnt, "broken.txt")));
            Assert.Contains("Input/output error", e.Message, StringComparison.Ordinal);
            Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(mnt, "new.txt"), "x"));
        }
        finally
        {
            await cts.CancelAsync();
            if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20))) != run)
            {
                FuseHost.DetachMount(mnt);
            }
        }

        Assert.Equal(0, await run);
        Assert.DoesNotContain(File.ReadLines("/proc/mounts"), l => l.Split(' ')[1] == mnt);
        Directory.Delete(mnt);
    }

    private sealed class MemoryFs : IFuseFileSystem
    {
        public static readonly byte[] Hello = Encoding.UTF8.GetBytes("hello, fuse\n");

        public int GetAttributes(string path, ulong? handle, out FuseAttributes attributes)
        {
            attributes = path switch
            {
                "/" or "/dir" => new FuseAttributes(FuseAttributes.Directory | 0x16D, 4096, When, 2),
                "/hello.txt" => new FuseAttributes(FuseAttributes.RegularFile | 0x124, Hello.Length, When),
                "/broken.txt" => new FuseAttributes(FuseAttributes.RegularFile | 0x124, 10, When),
                _ => default,
            };
            return attributes.Mode == 0 ? -Errno.ENOENT : 0;
        }

        public int ReadDirectory(string path, ICollection<FuseDirectoryEntry> entries)
        {
            GetAttributes("/dir", null, out var d);
            GetAttributes("/hello.txt", null, out var h);
            entries.Add(new FuseDirectoryEntry("dir", d));
            entries.Add(new FuseDirectoryEntry("hello.txt", h));
            return 0;
        }

        public int Open(string path, int flags, out ulong handle)
        {
            handle = path == "/broken.txt" ? 2UL : 1UL;
            return 0;
        }

        public int Read(string path, ulong handle, Span<byte> buffer, long offset)
        {
            if (handle == 2)
            {
                throw new InvalidOperationException("a failing read becomes EIO");
            }

            if (offset >= Hello.Length)
            {
                return 0;
            }

            int n = Math.Min(buffer.Length, Hello.Length - (int)offset);
            Hello.AsSpan((int)offset, n).CopyTo(buffer);
            return n;
        }

        public int Create(string path, uint mode, int flags, out ulong handle)
        {
            handle = 0;
            return -Errno.EROFS;
        }

        public int Write(string path, ulong handle, ReadOnlySpan<byte> data, long offset) => -Errno.EROFS;

        public int Truncate(string path, long size, ulong? handle) => -Errno.EROFS;

        public int Unlink(string path) => -Errno.EROFS;

        public int MakeDirectory(string path, uint mode) => -Errno.EROFS;

        public int RemoveDirectory(string path) => -Errno.EROFS;

        public int Rename(string source, string target, uint flags) => -Errno.EROFS;

        public int Flush(string path, ulong handle) => 0;

        public int Release(string path, ulong handle) => 0;

        public int StatFileSystem(string path, out FuseFileSystemStats stats)
        {
            stats = new FuseFileSystemStats(4096, 100, 50, 10, 5, true);
            return 0;
        }

        public int SetTimes(string path, DateTimeOffset? modified) => -Errno.EROFS;
    }
}
