using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Fuse;

namespace Toolkit.Unicore.Uftp.Mount;

/// <summary>
/// A remote UFTP directory as an <see cref="IFuseFileSystem"/>: getattr is MLST (cached for
/// <see cref="UftpMountOptions.AttributeLifetime"/>), readdir is <c>STAT N</c>, reads are ranged RETRs of
/// <see cref="UftpMountOptions.ReadChunkBytes"/> with read-ahead, writes go to a local buffer per open file and are
/// committed with STOR (ALLO for a whole file, RANG for the changed ranges of an existing one) at close and release;
/// mkdir/rmdir/unlink/rename/utimens are MKD/RMD/DELE/RNFR+RNTO/MFMT. Every call waits at most
/// <see cref="UftpMountOptions.OperationTimeout"/>, then returns EIO.
/// </summary>
public sealed partial class UftpMountFileSystem : IFuseFileSystem, IAsyncDisposable
{
    private readonly UftpSessionPool _pool;
    private readonly string _base;
    private readonly UftpMountOptions _options;
    private readonly ConcurrentDictionary<string, (UftpFileInfo Info, long Expires)> _attributes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();

    /// <summary>Creates the filesystem.</summary>
    /// <param name="pool">The sessions.</param>
    /// <param name="basePath">The remote directory mounted (empty: the session's home directory).</param>
    /// <param name="options">Caching, timeouts, read-ahead, read-only.</param>
    public UftpMountFileSystem(UftpSessionPool pool, string basePath, UftpMountOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
        _options = options ?? new UftpMountOptions();
        _base = (basePath ?? "").TrimEnd('/');
        if (basePath is not null && basePath.StartsWith('/') && _base.Length == 0)
        {
            _base = "/";
        }

        string tmpRoot = _options.TempDirectory ?? Path.GetTempPath();
        TempDirectory = Path.Combine(tmpRoot, "toolkit-uftp-mount-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(TempDirectory);
        }
        else
        {
            Directory.CreateDirectory(TempDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The private directory holding the write buffers (removed on dispose).</summary>
    public string TempDirectory { get; }

    /// <summary>The remote path for a path inside the mount.</summary>
    /// <param name="path">The FUSE path (<c>/</c>, <c>/a/b</c>).</param>
    /// <returns>The path sent to uftpd.</returns>
    public string Remote(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string rel = path.TrimStart('/');
        if (_base.Length == 0)
        {
            return rel.Length == 0 ? "." : rel;
        }

        return rel.Length == 0 ? _base : (_base == "/" ? "/" + rel : _base + "/" + rel);
    }

    /// <inheritdoc/>
    public int GetAttributes(string path, ulong? handle, out FuseAttributes attributes)
    {
        attributes = default;
        FuseAttributes result = default;
        int r = Call(async ct =>
        {
            var info = await StatCachedAsync(Remote(path), ct).ConfigureAwait(false);
            result = ToAttributes(info, PendingSize(Remote(path)));
            return 0;
        });
        attributes = result;
        return r;
    }

    /// <inheritdoc/>
    public int ReadDirectory(string path, ICollection<FuseDirectoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Call(async ct =>
        {
            string dir = Remote(path);
            var list = await _pool.RunAsync(s => s.ListAsync(dir, ct), ct).ConfigureAwait(false);
            long expires = Environment.TickCount64 + (long)_options.AttributeLifetime.TotalMilliseconds;
            foreach (var e in list)
            {
                string name = e.Name.TrimEnd('/');
                int slash = name.LastIndexOf('/');
                name = slash >= 0 ? name[(slash + 1)..] : name;
                if (name is "" or "." or "..")
                {
                    continue;
                }

                string child = Remote(path.TrimEnd('/') + "/" + name);
                var info = e with { Name = name };
                _attributes[child] = (info, expires);
                entries.Add(new FuseDirectoryEntry(name, ToAttributes(info, PendingSize(child))));
            }

            return 0;
        });
    }

    /// <inheritdoc/>
    public int Unlink(string path) => Change(path, (s, remote, ct) => s.RemoveFileAsync(remote, ct));

    /// <inheritdoc/>
    public int MakeDirectory(string path, uint mode) => Change(path, (s, remote, ct) => s.MakeDirectoryAsync(remote, ct));

    /// <inheritdoc/>
    public int RemoveDirectory(string path) => Change(path, (s, remote, ct) => s.RemoveDirectoryAsync(remote, ct));

    /// <inheritdoc/>
    public int Rename(string source, string target, uint flags)
    {
        if (_options.ReadOnly)
        {
            return -Errno.EROFS;
        }

        if ((flags & ~FuseHost.RenameNoReplace) != 0)
        {
            return -Errno.EINVAL;
        }

        return Call(async ct =>
        {
            string from = Remote(source), to = Remote(target);
            if ((flags & FuseHost.RenameNoReplace) != 0 && await _pool.RunAsync(s => s.TryStatAsync(to, ct), ct).ConfigureAwait(false) is not null)
            {
                return -Errno.EEXIST;
            }

            try
            {
                await _pool.RunAsync(async s => { await s.RenameAsync(from, to, ct).ConfigureAwait(false); return 0; }, ct).ConfigureAwait(false);
            }
            finally
            {
                ForgetTree(from);
                ForgetTree(to);
            }

            return 0;
        });
    }

    /// <inheritdoc/>
    public int StatFileSystem(string path, out FuseFileSystemStats stats)
    {
        // uftpd has no statfs: report a large free space (1 PiB in 4 KiB blocks) so tools do not refuse to write.
        stats = new FuseFileSystemStats(4096, 1L << 38, 1L << 38, 1L << 32, 1L << 32, _options.ReadOnly);
        return 0;
    }

    /// <inheritdoc/>
    public int SetTimes(string path, DateTimeOffset? modified)
    {
        if (_options.ReadOnly)
        {
            return -Errno.EROFS;
        }

        if (modified is not { } time)
        {
            return 0;
        }

        return Change(path, (s, remote, ct) => s.SetModificationTimeAsync(remote, time, ct));
    }

    /// <summary>Ends pending work and removes the write buffers.</summary>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        foreach (var h in _handles.Values)
        {
            h.Dispose();
        }

        _handles.Clear();
        try
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temporary folder's cleanup.
        }

        _closing.Dispose();
    }

    /// <summary>Runs one call with the operation timeout: the result, the errno of its failure, or EIO when it takes too long.</summary>
    private int Call(Func<CancellationToken, Task<int>> operation)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        cts.CancelAfter(_options.OperationTimeout);
        try
        {
            var task = Task.Run(() => operation(cts.Token), cts.Token);
            return task.WaitAsync(_options.OperationTimeout + TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            int errno = UftpErrno.From(e);
            if (errno != -Errno.ENOENT)
            {
                _options.OnError?.Invoke(-errno, e);
            }

            return errno;
        }
    }

    private int Change(string path, Func<UftpSession, string, CancellationToken, Task> operation)
    {
        if (_options.ReadOnly)
        {
            return -Errno.EROFS;
        }

        return Call(async ct =>
        {
            string remote = Remote(path);
            try
            {
                await _pool.RunAsync(async s => { await operation(s, remote, ct).ConfigureAwait(false); return 0; }, ct).ConfigureAwait(false);
            }
            finally
            {
                Forget(remote);
            }

            return 0;
        });
    }

    private async Task<UftpFileInfo> StatCachedAsync(string remote, CancellationToken ct)
    {
        if (_attributes.TryGetValue(remote, out var hit) && hit.Expires > Environment.TickCount64)
        {
            return hit.Info;
        }

        var info = await _pool.RunAsync(s => s.StatAsync(remote, ct), ct).ConfigureAwait(false);
        _attributes[remote] = (info, Environment.TickCount64 + (long)_options.AttributeLifetime.TotalMilliseconds);
        return info;
    }

    /// <summary>Drops the cached attributes of a path and of its directory.</summary>
    private void Forget(string remote)
    {
        _attributes.TryRemove(remote, out _);
    }

    private void ForgetTree(string remote)
    {
        foreach (var key in _attributes.Keys)
        {
            if (key == remote || key.StartsWith(remote + "/", StringComparison.Ordinal))
            {
                _attributes.TryRemove(key, out _);
            }
        }
    }

    private FuseAttributes ToAttributes(UftpFileInfo info, long? pendingSize)
    {
        uint perm;
        if (info.UnixMode is { } m)
        {
            perm = (uint)m & 0xFFF;
        }
        else
        {
            bool r = info.Permissions.Contains('r', StringComparison.Ordinal) || info.Permissions.Contains('l', StringComparison.Ordinal);
            bool w = info.Permissions.Contains('w', StringComparison.Ordinal) || info.Permissions.Contains('c', StringComparison.Ordinal) || info.Permissions.Contains('a', StringComparison.Ordinal);
            bool x = info.Permissions.Contains('x', StringComparison.Ordinal) || info.Permissions.Contains('e', StringComparison.Ordinal) || info.IsDirectory;
            perm = (r ? 0x124u : 0) | (w ? 0x80u : 0) | (x ? 0x49u : 0);
        }

        if (_options.ReadOnly)
        {
            perm &= ~0x92u;
        }

        var modified = pendingSize is null ? info.LastModified : DateTimeOffset.UtcNow;
        return info.IsDirectory
            ? new FuseAttributes(FuseAttributes.Directory | perm, info.Size, modified, 2)
            : new FuseAttributes(FuseAttributes.RegularFile | perm, pendingSize ?? info.Size, modified, 1);
    }
}
