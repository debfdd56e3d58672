using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Fuse;

namespace Toolkit.Unicore.Uftp.Mount;

public sealed partial class UftpMountFileSystem
{
    private const int AccessModeMask = 3;
    private const int OTrunc = 0x200;

    private readonly ConcurrentDictionary<ulong, UftpOpenFile> _handles = new();
    private long _nextHandle;

    /// <summary>Open files (for tests).</summary>
    internal int OpenFiles => _handles.Count;

    /// <inheritdoc/>
    public int Open(string path, int flags, out ulong handle)
    {
        handle = 0;
        bool write = (flags & AccessModeMask) != 0;
        if (write && _options.ReadOnly)
        {
            return -Errno.EROFS;
        }

        ulong h = 0;
        int r = Call(async ct =>
        {
            string remote = Remote(path);
            var info = await StatCachedAsync(remote, ct).ConfigureAwait(false);
            if (info.IsDirectory)
            {
                return -Errno.EISDIR;
            }

            bool truncate = write && (flags & OTrunc) != 0;
            var file = new UftpOpenFile(remote, truncate ? 0 : info.Size, _pool, _options, TempDirectory);
            if (truncate)
            {
                file.StartEmpty();
            }

            h = Add(file);
            return 0;
        });
        handle = h;
        return r;
    }

    /// <inheritdoc/>
    public int Create(string path, uint mode, int flags, out ulong handle)
    {
        handle = 0;
        if (_options.ReadOnly)
        {
            return -Errno.EROFS;
        }

        ulong h = 0;
        int r = Call(async ct =>
        {
            string remote = Remote(path);

            // The file must exist at once (the kernel asks getattr next): an empty STOR.
            await _pool.RunAsync(async s =>
            {
                var w = await s.OpenWriteAsync(remote, 0, cancellationToken: ct).ConfigureAwait(false);
                await using (w.ConfigureAwait(false))
                {
                    await w.CompleteAsync().ConfigureAwait(false);
                }

                return 0;
            }, ct).ConfigureAwait(false);
            Forget(remote);
            var file = new UftpOpenFile(remote, 0, _pool, _options, TempDirectory);
            file.StartEmpty();
            h = Add(file);
            return 0;
        });
        handle = h;
        return r;
    }

    /// <inheritdoc/>
    public int Read(string path, ulong handle, Span<byte> buffer, long offset)
    {
        if (!_handles.TryGetValue(handle, out var file))
        {
            return -Errno.EBADF;
        }

        int length = buffer.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int n = Call(ct => file.ReadAsync(rented.AsMemory(0, length), offset, ct));
            if (n > 0)
            {
                rented.AsSpan(0, n).CopyTo(buffer);
            }

            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc/>
    public int Write(string path, ulong handle, ReadOnlySpan<byte> data, long offset)
    {
        if (_options.ReadOnly)
        {
            return -Errno.EROFS;
        }

        if (!_handles.TryGetValue(handle, out var file))
        {
            return -Errno.EBADF;
        }

        try
        {
            // A local file write: no network, no timeout needed.
            file.Write(data, offset);
            return data.Length;
        }
        catch (Exception e)
        {
            return UftpErrno.From(e);
        }
    }

    /// <inheritdoc/>
    public int Truncate(string path, long size, ulong? handle)
    {
        if (_options.ReadOnly)
        {
            return -Errno.EROFS;
        }

        if (size < 0)
        {
            return -Errno.EINVAL;
        }

        string remote = Remote(path);
        UftpOpenFile? file = handle is { } h && _handles.TryGetValue(h, out var f) ? f : OpenFor(remote);
        return Call(async ct =>
        {
            try
            {
                if (file is not null)
                {
                    await file.TruncateAsync(size, ct).ConfigureAwait(false);
                }
                else
                {
                    var info = await StatCachedAsync(remote, ct).ConfigureAwait(false);
                    using var temp = new UftpOpenFile(remote, info.Size, _pool, _options, TempDirectory);
                    await temp.TruncateAsync(size, ct).ConfigureAwait(false);
                    await temp.CommitAsync(ct).ConfigureAwait(false);
                }
            }
            finally
            {
                Forget(remote);
            }

            return 0;
        });
    }

    /// <inheritdoc/>
    public int Flush(string path, ulong handle)
    {
        if (!_handles.TryGetValue(handle, out var file))
        {
            return -Errno.EBADF;
        }

        return Commit(file);
    }

    /// <inheritdoc/>
    public int Release(string path, ulong handle)
    {
        if (!_handles.TryRemove(handle, out var file))
        {
            return -Errno.EBADF;
        }

        try
        {
            return Commit(file);
        }
        finally
        {
            file.Dispose();
        }
    }

    private int Commit(UftpOpenFile file)
    {
        if (!file.Dirty)
        {
            return 0;
        }

        try
        {
            return Call(async ct =>
            {
                await file.CommitAsync(ct).ConfigureAwait(false);
                return 0;
            });
        }
        finally
        {
            Forget(file.Remote);
        }
    }

    private ulong Add(UftpOpenFile file)
    {
        ulong h = (ulong)Interlocked.Increment(ref _nextHandle);
        _handles[h] = file;
        return h;
    }

    /// <summary>An open file of <paramref name="remote"/> with changes not yet committed, if any.</summary>
    private UftpOpenFile? OpenFor(string remote)
    {
        foreach (var f in _handles.Values)
        {
            if (f.Remote == remote && f.HasBuffer)
            {
                return f;
            }
        }

        return null;
    }

    /// <summary>The size seen through an open file with a write buffer, or null.</summary>
    private long? PendingSize(string remote) => OpenFor(remote) is { } f ? f.Size : null;
}
