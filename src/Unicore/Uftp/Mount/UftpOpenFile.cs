using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace Toolkit.Unicore.Uftp.Mount;

/// <summary>
/// One open remote file. Reads fetch aligned chunks with ranged RETRs (<c>RANG a b</c>) and, while the reader goes
/// forward, fetch the next <see cref="UftpMountOptions.ReadAheadChunks"/> chunks in the background. Writes go to a
/// local buffer file (sparse, deleted on close) with the list of changed ranges; <see cref="CommitAsync"/> sends
/// them: the whole file with <c>ALLO n</c> + <c>STOR</c> when the file was emptied first, else each changed range
/// with <c>RANG a b</c> + <c>STOR</c> into the existing file. Nothing is sent until the commit, so the remote file
/// never holds a half-written state from this handle beyond one committed range.
/// </summary>
internal sealed partial class UftpOpenFile : IDisposable
{
    private readonly UftpSessionPool _pool;
    private readonly UftpMountOptions _options;
    private readonly string _tempDirectory;
    private readonly object _gate = new();
    private readonly Dictionary<long, Task<byte[]>> _chunks = [];
    private readonly List<(long Start, long End)> _dirty = [];
    private readonly SemaphoreSlim _commit = new(1, 1);
    private readonly CancellationTokenSource _life = new();
    private long _baseSize;
    private long _lastChunk = -1;
    private SafeFileHandle? _buffer;
    private bool _replace;
    private long _size;
    private bool _disposed;

    internal UftpOpenFile(string remote, long remoteSize, UftpSessionPool pool, UftpMountOptions options, string tempDirectory)
    {
        Remote = remote;
        _baseSize = remoteSize;
        _pool = pool;
        _options = options;
        _tempDirectory = tempDirectory;
    }

    /// <summary>The remote path.</summary>
    internal string Remote { get; }

    /// <summary>True when this handle wrote or truncated (it has a local buffer).</summary>
    internal bool HasBuffer
    {
        get
        {
            lock (_gate)
            {
                return _buffer is not null;
            }
        }
    }

    /// <summary>True when changes wait for a commit.</summary>
    internal bool Dirty { get; private set; }

    /// <summary>The size as this handle sees it.</summary>
    internal long Size
    {
        get
        {
            lock (_gate)
            {
                return _buffer is null ? _baseSize : _size;
            }
        }
    }

    /// <summary>The file is empty from here on (created, or opened with O_TRUNC after the kernel's truncate).</summary>
    internal void StartEmpty()
    {
        lock (_gate)
        {
            EnsureBuffer();
            _replace = true;
            _size = 0;
            _dirty.Clear();
            RandomAccess.SetLength(_buffer!, 0);
        }
    }

    /// <summary>Writes into the local buffer.</summary>
    internal void Write(ReadOnlySpan<byte> data, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            EnsureBuffer();
            RandomAccess.Write(_buffer!, data, offset);
            if (!_replace)
            {
                AddExtent(offset, offset + data.Length);
            }

            _size = Math.Max(_size, offset + data.Length);
            Dirty = true;
        }
    }

    /// <summary>Reads through the handle: remote bytes with this handle's changes on top.</summary>
    internal async Task<int> ReadAsync(Memory<byte> destination, long offset, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        long limit, remoteLimit;
        bool local;
        lock (_gate)
        {
            local = _buffer is not null && _replace;
            limit = _buffer is null ? _baseSize : _size;
            remoteLimit = local ? 0 : Math.Min(_baseSize, limit);
        }

        if (offset >= limit)
        {
            return 0;
        }

        int count = (int)Math.Min(destination.Length, limit - offset);
        var dest = destination[..count];
        if (local)
        {
            return ReadLocal(dest, offset);
        }

        long remoteEnd = Math.Min(offset + count, remoteLimit);
        if (remoteEnd > offset)
        {
            await ReadRemoteAsync(dest[..(int)(remoteEnd - offset)], offset, ct).ConfigureAwait(false);
        }

        if (offset + count > remoteEnd)
        {
            dest.Span[(int)Math.Max(0, remoteEnd - offset)..].Clear();
        }

        lock (_gate)
        {
            if (_buffer is not null)
            {
                foreach (var (s, e) in _dirty)
                {
                    long a = Math.Max(s, offset), b = Math.Min(e, offset + count);
                    if (a < b)
                    {
                        RandomAccess.Read(_buffer, dest.Span.Slice((int)(a - offset), (int)(b - a)), a);
                    }
                }
            }
        }

        return count;
    }

    /// <summary>Sends the changes (see the class summary) and makes them the new base.</summary>
    internal async Task CommitAsync(CancellationToken ct)
    {
        await _commit.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            List<(long Start, long End)> ranges;
            bool whole;
            long size;
            lock (_gate)
            {
                if (!Dirty || _buffer is null)
                {
                    return;
                }

                whole = _replace;
                size = _size;
                ranges = whole ? [(0, size)] : [.. _dirty];
            }

            foreach (var (start, end) in ranges)
            {
                await _pool.RunAsync(async s =>
                {
                    var w = whole
                        ? await s.OpenWriteAsync(Remote, end - start, cancellationToken: ct).ConfigureAwait(false)
                        : await s.OpenWriteAsync(Remote, end - start, start, partial: true, cancellationToken: ct).ConfigureAwait(false);
                    await using (w.ConfigureAwait(false))
                    {
                        await CopyOutAsync(w, start, end, ct).ConfigureAwait(false);
                        await w.CompleteAsync().ConfigureAwait(false);
                    }

                    return 0;
                }, ct).ConfigureAwait(false);
            }

            lock (_gate)
            {
                Dirty = false;
                _dirty.Clear();
                _baseSize = Math.Max(size, whole ? size : _baseSize);
                DropChunks();
            }
        }
        finally
        {
            _commit.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _life.Cancel();
            _buffer?.Dispose();
            _buffer = null;
            _chunks.Clear();
        }

        _life.Dispose();
        _commit.Dispose();
    }

    private int ReadLocal(Memory<byte> dest, long offset)
    {
        lock (_gate)
        {
            int n = RandomAccess.Read(_buffer!, dest.Span, offset);

            // A sparse tail (truncate to a larger size) reads as zeros.
            dest.Span[n..].Clear();
            return dest.Length;
        }
    }

    private async Task CopyOutAsync(UftpWriteStream w, long start, long end, CancellationToken ct)
    {
        byte[] block = new byte[1 << 20];
        for (long pos = start; pos < end;)
        {
            int want = (int)Math.Min(block.Length, end - pos);
            int n;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_buffer is null, this);
                n = RandomAccess.Read(_buffer, block.AsSpan(0, want), pos);
            }

            if (n < want)
            {
                Array.Clear(block, n, want - n);
            }

            await w.WriteAsync(block.AsMemory(0, want), ct).ConfigureAwait(false);
            pos += want;
        }
    }

    private void EnsureBuffer()
    {
        if (_buffer is null)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            string path = Path.Combine(_tempDirectory, Guid.NewGuid().ToString("N"));
            _buffer = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            _size = _baseSize;
        }
    }

    /// <summary>Adds [start, end) to the sorted, merged list of changed ranges.</summary>
    private void AddExtent(long start, long end)
    {
        if (end <= start)
        {
            return;
        }

        int i = 0;
        while (i < _dirty.Count && _dirty[i].End < start)
        {
            i++;
        }

        while (i < _dirty.Count && _dirty[i].Start <= end)
        {
            start = Math.Min(start, _dirty[i].Start);
            end = Math.Max(end, _dirty[i].End);
            _dirty.RemoveAt(i);
        }

        _dirty.Insert(i, (start, end));
    }
}
