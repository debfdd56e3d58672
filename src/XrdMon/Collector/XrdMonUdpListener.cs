using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Threading;
using Toolkit.Runtime.Udp;

namespace Toolkit.XrdMon.Collector;

/// <summary>
/// <c>xrdmon listen</c>'s receive side: one or more UDP sockets on the same port, each received on its own thread by
/// its own <see cref="XrdMonCollector"/>. With several sockets they share the port through <c>SO_REUSEPORT</c>
/// (Linux): the kernel picks the socket by a hash of the 4-tuple, so one sender always reaches the same socket and
/// its ordering windows and dictid maps stay in one collector. The collectors' JSON lines are merged into one output,
/// whole lines at a time; lines of one server keep their order. With one socket the collector writes straight to
/// the output, as before. Each receive thread publishes a <see cref="XrdMonCounterSnapshot"/> of its collector about
/// every half second (<see cref="Snapshots"/>); the periodic stats line (socket 0's thread) and the Prometheus metrics
/// are their sums, read without touching the collectors or taking a lock on the receive path.
/// </summary>
public sealed class XrdMonUdpListener : IDisposable
{
    private readonly Shard[] _shards;
    private readonly Stream _output;
    private readonly TextWriter? _log;

    /// <summary>Binds the sockets and makes the collectors.</summary>
    /// <param name="endpoint">Where to listen (port 0: a free port, shared by every socket).</param>
    /// <param name="options">The collectors' options (the state bounds apply to each socket's collector).</param>
    /// <param name="output">Where the JSON lines go (null: count only).</param>
    /// <param name="log">Where errors and periodic stats go (null: nowhere).</param>
    /// <param name="sockets">Sockets (and receive threads); more than one needs Linux.</param>
    /// <param name="receiveBufferBytes">Kernel receive buffer requested per socket.</param>
    public XrdMonUdpListener(IPEndPoint endpoint, XrdMonCollectorOptions options, Stream? output, TextWriter? log, int sockets = 1, int receiveBufferBytes = 64 << 20)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(sockets, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sockets, 64);
        _output = output ?? Stream.Null;
        _log = log;
        _shards = new Shard[sockets];
        var merged = sockets > 1 && output is not null ? new object() : null;
        try
        {
            for (int k = 0; k < sockets; k++)
            {
                var receiver = new UdpDatagramReceiver(k == 0 ? endpoint : new IPEndPoint(endpoint.Address, _shards[0].Receiver.LocalEndPoint.Port), receiveBufferBytes, reusePort: sockets > 1);
                Stream? sink = output is null ? null : merged is null ? output : new LineMergeStream(output, merged);
                var collector = new XrdMonCollector(options, sink is null ? null : counters => new XrdMonEventWriter(sink, counters), log)
                {
                    InstanceOffset = k,
                    InstanceStride = sockets,
                };
                _shards[k] = new Shard(this, receiver, collector, log);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The bound address (every socket has it).</summary>
    public IPEndPoint LocalEndPoint => _shards[0].Receiver.LocalEndPoint;

    /// <summary>The bound port.</summary>
    public int Port => LocalEndPoint.Port;

    /// <summary>The kernel receive buffer granted to each socket.</summary>
    public int ReceiveBufferSize => _shards[0].Receiver.ReceiveBufferSize;

    /// <summary>Whether receives are batched (<c>recvmmsg</c>).</summary>
    public bool IsBatched => _shards[0].Receiver.IsBatched;

    /// <summary>The sockets (and receive threads).</summary>
    public int Sockets => _shards.Length;

    /// <summary>The collectors, one per socket.</summary>
    public IReadOnlyList<XrdMonCollector> Collectors => Array.ConvertAll(_shards, s => s.Collector);

    /// <summary>Datagrams received so far on every socket (may be read from any thread).</summary>
    public long Datagrams
    {
        get
        {
            long n = 0;
            foreach (Shard s in _shards)
            {
                n += Volatile.Read(ref s.Received);
            }

            return n;
        }
    }

    /// <summary>
    /// Each socket's collector's latest published snapshot (taken on its thread about every half second, and once
    /// more when <see cref="Run"/> returns); may be read from any thread.
    /// </summary>
    public IReadOnlyList<XrdMonCounterSnapshot> Snapshots
    {
        get
        {
            var all = new XrdMonCounterSnapshot[_shards.Length];
            for (int k = 0; k < all.Length; k++)
            {
                all[k] = Volatile.Read(ref _shards[k].Latest);
            }

            return all;
        }
    }

    /// <summary>The sum of <see cref="Snapshots"/>; may be read from any thread.</summary>
    /// <returns>The summed snapshot.</returns>
    public XrdMonCounterSnapshot Snapshot() => XrdMonCounterSnapshot.Sum(Snapshots);

    /// <summary>Receive system calls that returned datagrams, on every socket (Datagrams / this: the mean batch; read after <see cref="Run"/>).</summary>
    public long ReceiveBatches
    {
        get
        {
            long n = 0;
            foreach (Shard s in _shards)
            {
                n += s.Receiver.Counters.Batches;
            }

            return n;
        }
    }

    /// <summary>Socket errors that did not stop a receiver.</summary>
    public long SocketErrors
    {
        get
        {
            long n = 0;
            foreach (Shard s in _shards)
            {
                n += s.Receiver.Counters.SocketErrors;
            }

            return n;
        }
    }

    /// <summary>
    /// Receives until <paramref name="cancellationToken"/> is cancelled (socket 0 on the calling thread, the others on
    /// their own threads), then hands over what the sockets hold, releases the reorder buffers and flushes the output.
    /// </summary>
    /// <param name="idleInterval">How long a receive waits before an idle tick.</param>
    /// <param name="statsEvery">How often the stats line (every socket's collector summed) goes to the log (null or zero: never).</param>
    /// <param name="cancellationToken">Stops the receivers.</param>
    /// <param name="onTick">Called on socket 0's thread with its collector about every half second (for metrics).</param>
    public void Run(TimeSpan idleInterval, TimeSpan? statsEvery, CancellationToken cancellationToken, Action<XrdMonCollector>? onTick = null)
    {
        long statsTicks = statsEvery is { } e && e > TimeSpan.Zero ? e.Ticks : long.MaxValue;
        var threads = new List<Thread>();
        Exception? failure = null;
        for (int k = 1; k < _shards.Length; k++)
        {
            Shard shard = _shards[k];
            var thread = new Thread(() =>
            {
                try
                {
                    shard.Run(idleInterval, long.MaxValue, null, cancellationToken);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            })
            { Name = "xrdmon listen " + k, IsBackground = true };
            thread.Start();
            threads.Add(thread);
        }

        _shards[0].Run(idleInterval, statsTicks, onTick, cancellationToken);
        foreach (Thread t in threads)
        {
            t.Join();
        }

        foreach (Shard s in _shards)
        {
            s.Collector.Flush();
        }

        // The receive threads have stopped: the last snapshots, after the flush, from this thread.
        foreach (Shard s in _shards)
        {
            s.Publish();
        }

        _output.Flush();
        if (failure is not null)
        {
            throw new InvalidOperationException("a receive thread failed", failure);
        }
    }

    /// <summary>Writes the counters of every collector, summed, as one <c>"event":"stats"</c> line.</summary>
    /// <param name="output">Destination.</param>
    public void WriteStats(Stream output)
    {
        using var w = new JsonLineWriter(output);
        XrdMonEventWriter.WriteStats(w, Array.ConvertAll(_shards, s => s.Collector));
    }

    /// <summary>Flushes the collectors and closes the sockets (the output stream stays open).</summary>
    public void Dispose()
    {
        foreach (Shard? s in _shards)
        {
            s?.Collector.Dispose();
            s?.Receiver.Dispose();
        }
    }

    /// <summary>One socket, its collector and its receive loop handler: sender lookup, then the collector.</summary>
    private sealed class Shard(XrdMonUdpListener owner, UdpDatagramReceiver receiver, XrdMonCollector collector, TextWriter? log) : IUdpDatagramHandler
    {
        private const int MaxSenders = 65536;
        private readonly Dictionary<SocketAddress, int> _senders = [];
        private readonly byte[] _lastSender = new byte[128];
        private readonly long _start = Stopwatch.GetTimestamp();
        private int _lastSenderLength = -1;
        private int _lastId;
        private long _nextStats;
        private long _statsTicks;
        private long _lastData;
        private long _lastExpire;
        private long _lastTick;
        private bool _overflowLogged;
        private Action<XrdMonCollector>? _onTick;

        public long Received;

        /// <summary>The collector's latest snapshot, written by this shard's thread, read by any.</summary>
        public XrdMonCounterSnapshot Latest = XrdMonCounterSnapshot.Empty;

        public UdpDatagramReceiver Receiver => receiver;

        public XrdMonCollector Collector => collector;

        public void Run(TimeSpan idleInterval, long statsTicks, Action<XrdMonCollector>? onTick, CancellationToken cancellationToken)
        {
            _statsTicks = statsTicks;
            _nextStats = statsTicks == long.MaxValue ? long.MaxValue : statsTicks;
            _onTick = onTick;
            receiver.Run(this, idleInterval, cancellationToken);
        }

        public void Publish() => Volatile.Write(ref Latest, XrdMonCounterSnapshot.Take(collector));

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender)
        {
            // Datagrams come in runs from one sender (a server's burst, a batch of one system call): one comparison
            // of the address bytes instead of a hash lookup.
            ReadOnlySpan<byte> address = sender.Buffer.Span[..sender.Size];
            int id = _lastSenderLength == address.Length && address.SequenceEqual(_lastSender.AsSpan(0, _lastSenderLength)) ? _lastId : Lookup(sender, address);

            // One clock reading per system call (the receive time of its batch), not per datagram.
            long now = Stopwatch.GetElapsedTime(_start, receiver.LastReceiveTimestamp).Ticks;
            _lastData = now;
            collector.Process(datagram, id, now);
            Volatile.Write(ref Received, Received + 1);
            if (now - _lastTick > TimeSpan.TicksPerSecond / 2 || now >= _nextStats)
            {
                Tick(now);
            }
        }

        public void OnIdle()
        {
            long now = Stopwatch.GetElapsedTime(_start).Ticks;

            // Nothing arrived for a while: give up on missing datagrams and push out what is buffered.
            if (now - _lastData > TimeSpan.TicksPerSecond && collector.Pending > 0)
            {
                collector.Flush();
            }
            else
            {
                collector.FlushOutput();
            }

            Tick(now);
        }

        private int Lookup(SocketAddress sender, ReadOnlySpan<byte> address)
        {
            if (!_senders.TryGetValue(sender, out int id))
            {
                id = NewSender(sender);
            }

            if (address.Length <= _lastSender.Length)
            {
                address.CopyTo(_lastSender);
                _lastSenderLength = address.Length;
                _lastId = id;
            }

            return id;
        }

        private int NewSender(SocketAddress sender)
        {
            if (_senders.Count >= MaxSenders)
            {
                // Spoofed source addresses must not grow the table without bound: the rest share one sender.
                if (!_overflowLogged)
                {
                    Log($"xrdmon listen: more than {MaxSenders} sender addresses; further ones are pooled as \"(other senders)\"");
                    _overflowLogged = true;
                }

                return collector.RegisterSender("(other senders)");
            }

            var copy = new SocketAddress(sender.Family, sender.Size);
            sender.Buffer.Span.CopyTo(copy.Buffer.Span);
            string name = new IPEndPoint(sender.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(copy).ToString() ?? "?";
            int id = collector.RegisterSender(name);
            _senders.Add(copy, id);
            return id;
        }

        private void Tick(long now)
        {
            _lastTick = now;
            Publish();
            _onTick?.Invoke(collector);
            if (now - _lastExpire > TimeSpan.TicksPerMinute)
            {
                collector.Expire(now);
                _lastExpire = now;
            }

            if (now >= _nextStats)
            {
                // Socket 0 only: every socket's latest snapshot, summed (the others are at most about half a second old).
                var ms = new MemoryStream();
                using (var w = new JsonLineWriter(ms))
                {
                    owner.Snapshot().WriteStats(w);
                }

                Log(System.Text.Encoding.UTF8.GetString(ms.ToArray()).TrimEnd('\n'));
                _nextStats = now + _statsTicks;
            }
        }

        private void Log(string line)
        {
            if (log is null)
            {
                return;
            }

            lock (log)
            {
                log.WriteLine(line);
                log.Flush();
            }
        }
    }
}
