using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// The data side of one transfer: one connection (bytes as they are, through gzip and the cipher) or n connections
/// carrying 16-byte framed chunks of 16 KiB blocks. With n streams, each lane encodes or decodes its share of a
/// 1 MiB batch on its own thread; memory is that batch and each lane's 64 KiB buffers, whatever the file size.
/// </summary>
internal sealed class UftpDataChannel : IDisposable
{
    internal const int BatchBlocks = 64;
    private const int BatchSize = BatchBlocks * UftpFrame.MaxBlockSize;
    private readonly DataLane[] _lanes;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenRegistration _registration;
    private readonly CancellationToken _cancellation;
    private byte[] _batch = [];
    private int[][] _sizes = [];
    private int[] _counts = [];
    private int _count;
    private int _outPos;
    private uint _sequence;
    private bool _eof;
    private bool _disposed;

    public UftpDataChannel(DataLane[] lanes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _lanes = lanes;
        _timeout = timeout;
        _cancellation = cancellationToken;
        if (lanes.Length > 1)
        {
            _batch = ArrayPool<byte>.Shared.Rent(BatchSize);
            _sizes = new int[lanes.Length][];
            for (int i = 0; i < lanes.Length; i++)
            {
                _sizes[i] = new int[BatchBlocks];
            }

            _counts = new int[lanes.Length];
        }

        _registration = cancellationToken.Register(static s => ((UftpDataChannel)s!).Abort(), this);
    }

    /// <summary>The number of data connections.</summary>
    public int Streams => _lanes.Length;

    /// <summary>Payload bytes written or read so far.</summary>
    public long Transferred { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data)
    {
        if (_lanes.Length == 1)
        {
            await Run(() => _lanes[0].Write(data.Span)).ConfigureAwait(false);
            Transferred += data.Length;
            return;
        }

        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, BatchSize - _count);
            data.Span[..n].CopyTo(_batch.AsSpan(_count));
            _count += n;
            data = data[n..];
            Transferred += n;
            if (_count == BatchSize)
            {
                await FlushBatchAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask FlushBatchAsync()
    {
        int count = _count;
        uint sequence = _sequence;
        int streams = _lanes.Length;
        var tasks = new Task[streams];
        for (int i = 0; i < streams; i++)
        {
            var lane = _lanes[i];
            tasks[i] = Run(() => lane.WriteFrames(_batch.AsSpan(0, count), sequence, streams));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        _sequence += (uint)((count + UftpFrame.MaxBlockSize - 1) / UftpFrame.MaxBlockSize);
        _count = 0;
    }

    /// <summary>Sends what is left, the gzip trailers and cipher paddings, and half-closes every connection.</summary>
    public async ValueTask CompleteWriteAsync()
    {
        if (_lanes.Length > 1 && _count > 0)
        {
            await FlushBatchAsync().ConfigureAwait(false);
        }

        var tasks = new Task[_lanes.Length];
        for (int i = 0; i < _lanes.Length; i++)
        {
            var lane = _lanes[i];
            tasks[i] = Run(lane.CompleteWrite);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_lanes.Length == 1)
        {
            int n = 0;
            await Run(() => n = _lanes[0].Read(buffer.Span)).ConfigureAwait(false);
            Transferred += n;
            return n;
        }

        if (_outPos == _count)
        {
            if (_eof)
            {
                return 0;
            }

            await FillBatchAsync().ConfigureAwait(false);
            if (_count == 0)
            {
                return 0;
            }
        }

        int take = Math.Min(buffer.Length, _count - _outPos);
        _batch.AsMemory(_outPos, take).CopyTo(buffer);
        _outPos += take;
        Transferred += take;
        return take;
    }

    private async ValueTask FillBatchAsync()
    {
        int streams = _lanes.Length;
        uint sequence = _sequence;
        var tasks = new Task[streams];
        for (int i = 0; i < streams; i++)
        {
            var lane = _lanes[i];
            int index = i;
            tasks[i] = Run(() => _counts[index] = lane.ReadFrames(_batch.AsSpan(0, BatchSize), sequence, streams, _sizes[index]));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        int blocks = _counts[0];
        for (int i = 1; i < streams; i++)
        {
            if (_counts[i] != blocks)
            {
                int shorter = _counts[i] < blocks ? i : 0;
                int longer = shorter == 0 ? i : 0;
                throw new UftpDataException(shorter, _lanes[shorter].Position, "the stream ended at block " + (sequence + (uint)_counts[shorter]).ToString(CultureInfo.InvariantCulture)
                    + " while stream " + longer.ToString(CultureInfo.InvariantCulture) + " carried " + (_counts[longer] - _counts[shorter]).ToString(CultureInfo.InvariantCulture) + " more: a data stream was dropped");
            }

            for (int b = 0; b < blocks; b++)
            {
                if (_sizes[i][b] != _sizes[0][b])
                {
                    throw new UftpDataException(i, _lanes[i].Position, "block " + (sequence + (uint)b).ToString(CultureInfo.InvariantCulture) + " has size " + _sizes[i][b].ToString(CultureInfo.InvariantCulture)
                        + " on this stream but " + _sizes[0][b].ToString(CultureInfo.InvariantCulture) + " on stream 0");
                }
            }
        }

        // Blocks sit in fixed 16 KiB slots; a short block moves the rest down.
        int total = 0;
        for (int b = 0; b < blocks; b++)
        {
            int size = _sizes[0][b];
            if (total != b * UftpFrame.MaxBlockSize)
            {
                Buffer.BlockCopy(_batch, b * UftpFrame.MaxBlockSize, _batch, total, size);
            }

            total += size;
        }

        _sequence += (uint)blocks;
        _eof = blocks < BatchBlocks;
        _count = total;
        _outPos = 0;
    }

    /// <summary>Runs lane work on the thread pool and turns a socket timeout or an abort into the right exception.</summary>
    private Task Run(Action work) => Task.Run(() =>
    {
        try
        {
            work();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException && e is not UftpException)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut } || e is SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                throw new TimeoutException("UFTP data connection: no progress for " + _timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s", e);
            }

            throw new UftpException("UFTP data connection failed: " + e.Message, e);
        }
    });

    /// <summary>Closes every connection (unblocks the lanes).</summary>
    public void Abort()
    {
        foreach (var lane in _lanes)
        {
            lane.Abort();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _registration.Dispose();
        foreach (var lane in _lanes)
        {
            lane.Dispose();
        }

        if (_batch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_batch);
            _batch = [];
        }
    }
}
