using System;
using System.Buffers;

namespace Toolkit.XrdMon.Streams;

/// <summary>
/// Restores the order of one stream of datagrams numbered by an 8-bit sequence counter that wraps 255 → 0.
/// A datagram whose number is <c>(n - expected) mod 256</c> in 1..127 ahead waits in a buffer of at most
/// <see cref="Window"/> datagrams; when the buffer is full, or on <see cref="Flush"/>, the missing numbers are
/// given up and counted as <see cref="SequenceCounters.Lost"/>. A number 128..255 behind is a duplicate (already
/// delivered) or a late arrival (already given up) and is dropped. Buffered datagrams are copied into pooled
/// arrays, so steady-state operation allocates nothing; the 256-slot table itself is only allocated when a
/// datagram first has to wait, so an in-order stream costs a few hundred bytes.
/// </summary>
public sealed class PseqReorderBuffer : IDisposable
{
    private readonly ulong[] _delivered = new ulong[4];
    private byte[]?[]? _slots;
    private int[]? _lengths;
    private int _expected = -1;
    private int _pending;
    private long _pendingBytes;

    /// <summary>Creates a reorder buffer.</summary>
    /// <param name="window">How many out-of-order datagrams may wait (0..127); 0 delivers everything at once and only counts gaps.</param>
    public PseqReorderBuffer(int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, 127);
        Window = window;
    }

    /// <summary>The configured window.</summary>
    public int Window { get; }

    /// <summary>How many datagrams are waiting.</summary>
    public int Pending => _pending;

    /// <summary>Total length of the datagrams waiting (what the buffer holds beyond its fixed size).</summary>
    public long PendingBytes => _pendingBytes;

    /// <summary>The counters of this stream.</summary>
    public SequenceCounters Counters { get; } = new();

    /// <summary>Offers one datagram; releases to <paramref name="sink"/> everything that is now in order.</summary>
    /// <typeparam name="TSink">The sink type (a struct or class; generic to avoid boxing).</typeparam>
    /// <param name="pseq">The datagram's sequence number.</param>
    /// <param name="datagram">The datagram bytes (copied only if it has to wait).</param>
    /// <param name="sink">Receives datagrams in order.</param>
    public void Offer<TSink>(byte pseq, ReadOnlySpan<byte> datagram, ref TSink sink)
        where TSink : IDatagramSink
    {
        Counters.Received++;
        if (_expected < 0)
        {
            _expected = pseq;
        }

        int ahead = (pseq - _expected) & 0xff;
        if (ahead == 0)
        {
            Deliver(pseq, datagram, ref sink);
            Drain(ref sink);
            return;
        }

        if (ahead >= 128)
        {
            if (IsDelivered(pseq))
            {
                Counters.Duplicates++;
            }
            else
            {
                Counters.Late++;
            }

            return;
        }

        if (_slots?[pseq] is not null)
        {
            Counters.Duplicates++;
            return;
        }

        if (Window == 0)
        {
            Skip(ahead);
            Deliver(pseq, datagram, ref sink);
            return;
        }

        Counters.Reordered++;
        _slots ??= new byte[]?[256];
        _lengths ??= new int[256];
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(datagram.Length, 1));
        datagram.CopyTo(copy);
        _slots[pseq] = copy;
        _lengths[pseq] = datagram.Length;
        _pending++;
        _pendingBytes += datagram.Length;
        while (_pending > Window)
        {
            GiveUpOne(ref sink);
        }
    }

    /// <summary>Gives up every missing number and releases all waiting datagrams in order.</summary>
    /// <typeparam name="TSink">The sink type.</typeparam>
    /// <param name="sink">Receives datagrams in order.</param>
    public void Flush<TSink>(ref TSink sink)
        where TSink : IDatagramSink
    {
        while (_pending > 0)
        {
            GiveUpOne(ref sink);
        }
    }

    /// <summary>Returns the pooled buffers of datagrams still waiting (they are dropped, not delivered).</summary>
    public void Dispose()
    {
        if (_slots is not null)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i] is { } buffer)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    _slots[i] = null;
                }
            }
        }

        _pending = 0;
        _pendingBytes = 0;
    }

    private void GiveUpOne<TSink>(ref TSink sink)
        where TSink : IDatagramSink
    {
        // Skip forward to the nearest waiting datagram, counting the numbers in between as lost.
        int gap = 0;
        while (_slots![(_expected + gap) & 0xff] is null)
        {
            gap++;
        }

        Skip(gap);
        Drain(ref sink);
    }

    private void Skip(int count)
    {
        for (int i = 0; i < count; i++)
        {
            MarkDelivered(_expected, false);
            _expected = (_expected + 1) & 0xff;
        }

        Counters.Lost += count;
    }

    private void Drain<TSink>(ref TSink sink)
        where TSink : IDatagramSink
    {
        while (_pending > 0 && _slots![_expected] is { } buffer)
        {
            int seq = _expected;
            _slots[seq] = null;
            _pending--;
            _pendingBytes -= _lengths![seq];
            try
            {
                Deliver((byte)seq, buffer.AsSpan(0, _lengths[seq]), ref sink);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void Deliver<TSink>(byte pseq, ReadOnlySpan<byte> datagram, ref TSink sink)
        where TSink : IDatagramSink
    {
        MarkDelivered(pseq, true);
        _expected = (pseq + 1) & 0xff;
        Counters.Delivered++;
        sink.OnDatagram(datagram);
    }

    private bool IsDelivered(int seq) => (_delivered[seq >> 6] & (1UL << (seq & 63))) != 0;

    private void MarkDelivered(int seq, bool delivered)
    {
        // The number half a cycle away can no longer be a duplicate of this cycle: forget it.
        int old = (seq + 128) & 0xff;
        _delivered[old >> 6] &= ~(1UL << (old & 63));
        if (delivered)
        {
            _delivered[seq >> 6] |= 1UL << (seq & 63);
        }
        else
        {
            _delivered[seq >> 6] &= ~(1UL << (seq & 63));
        }
    }
}
