using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp.Mount;

internal sealed partial class UftpOpenFile
{
    /// <summary>Sets the size: locally when the file is already emptied or grows; by fetching the kept part when an existing file shrinks.</summary>
    internal async Task TruncateAsync(long size, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size == 0)
        {
            StartEmpty();
            lock (_gate)
            {
                Dirty = true;
            }

            return;
        }

        List<(long Start, long End)> gaps = [];
        lock (_gate)
        {
            EnsureBuffer();
            if (_replace || size >= _size)
            {
                if (!_replace && size > _size)
                {
                    AddExtent(_size, size);
                }

                RandomAccess.SetLength(_buffer!, Math.Max(size, RandomAccess.GetLength(_buffer!)));
                if (size < _size)
                {
                    RandomAccess.SetLength(_buffer!, size);
                }

                _size = size;
                Dirty = true;
                return;
            }

            // Shrinking an existing file: keep [0, size) whole locally, then send it as a new file.
            long pos = 0;
            foreach (var (s, e) in _dirty)
            {
                if (s >= size)
                {
                    break;
                }

                if (s > pos)
                {
                    gaps.Add((pos, s));
                }

                pos = Math.Max(pos, e);
            }

            if (pos < Math.Min(size, _baseSize))
            {
                gaps.Add((pos, Math.Min(size, _baseSize)));
            }
        }

        byte[] block = new byte[1 << 20];
        foreach (var (s, e) in gaps)
        {
            for (long p = s; p < e;)
            {
                int n = (int)Math.Min(block.Length, e - p);
                await ReadRemoteAsync(block.AsMemory(0, n), p, ct).ConfigureAwait(false);
                lock (_gate)
                {
                    RandomAccess.Write(_buffer!, block.AsSpan(0, n), p);
                }

                p += n;
            }
        }

        lock (_gate)
        {
            RandomAccess.SetLength(_buffer!, size);
            _replace = true;
            _dirty.Clear();
            _size = size;
            Dirty = true;
        }
    }

    /// <summary>Copies remote bytes [offset, offset + destination.Length) out of the chunks, fetching them as needed.</summary>
    private async Task ReadRemoteAsync(Memory<byte> destination, long offset, CancellationToken ct)
    {
        int chunk = _options.ReadChunkBytes;
        int done = 0;
        while (done < destination.Length)
        {
            long pos = offset + done;
            long index = pos / chunk;
            var data = await Chunk(index).WaitAsync(ct).ConfigureAwait(false);
            int inChunk = (int)(pos - (index * chunk));
            int n = Math.Min(destination.Length - done, data.Length - inChunk);
            if (n <= 0)
            {
                throw new UftpDataException(0, pos, "uftpd sent fewer bytes than the file size at " + pos.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            data.AsMemory(inChunk, n).CopyTo(destination[done..]);
            done += n;
        }
    }

    /// <summary>The chunk's fetch (started if needed); a forward reader also starts the read-ahead and frees what lies behind.</summary>
    private Task<byte[]> Chunk(long index)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            bool forward = index == _lastChunk || index == _lastChunk + 1 || _lastChunk < 0;
            _lastChunk = index;
            var task = Start(index);
            if (forward)
            {
                for (int i = 1; i <= _options.ReadAheadChunks; i++)
                {
                    Start(index + i);
                }
            }

            // Keep the chunk before (a reader straddling a boundary) and the ones ahead.
            var stale = new List<long>();
            foreach (var k in _chunks.Keys)
            {
                if (k < index - 1 || k > index + _options.ReadAheadChunks)
                {
                    stale.Add(k);
                }
            }

            foreach (var k in stale)
            {
                _chunks.Remove(k);
            }

            return task;
        }
    }

    /// <summary>Starts fetching chunk <paramref name="index"/> (under the lock); a failed fetch is forgotten so the next read tries again.</summary>
    private Task<byte[]> Start(long index)
    {
        long start = index * _options.ReadChunkBytes;
        if (_chunks.TryGetValue(index, out var existing) && !existing.IsFaulted && !existing.IsCanceled)
        {
            return existing;
        }

        if (start >= _baseSize)
        {
            return Task.FromResult(Array.Empty<byte>());
        }

        long length = Math.Min(_options.ReadChunkBytes, _baseSize - start);
        var token = _life.Token;
        var task = Task.Run(() => FetchAsync(start, (int)length, token), token);
        _chunks[index] = task;
        return task;
    }

    private Task<byte[]> FetchAsync(long start, int length, CancellationToken ct) => _pool.RunAsync(async s =>
    {
        byte[] data = GC.AllocateUninitializedArray<byte>(length);
        var r = await s.OpenReadAsync(Remote, start, length, ct).ConfigureAwait(false);
        await using (r.ConfigureAwait(false))
        {
            int got = 0;
            while (got < length)
            {
                int n = await r.ReadAsync(data.AsMemory(got), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                got += n;
            }

            // Read to the end: the stream checks the count and takes uftpd's 226.
            byte[] one = new byte[1];
            if (got < length || await r.ReadAsync(one, ct).ConfigureAwait(false) != 0)
            {
                throw new UftpDataException(0, start + got, "uftpd sent " + got.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes for a range of " + length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (the file changed?)");
            }
        }

        return data;
    }, ct);

    private void DropChunks()
    {
        _chunks.Clear();
        _lastChunk = -1;
    }
}
