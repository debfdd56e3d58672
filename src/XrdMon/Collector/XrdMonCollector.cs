using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;
using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Collector;

/// <summary>
/// The stream layer: takes raw datagrams from many servers, keeps per-instance state (sender + <c>stod</c>), orders
/// each sequence counter (map/t/r, f, one per g-stream provider) with a bounded window, resolves dictids through
/// bounded maps (users and their identity texts, paths, info, open accesses, server identity) and writes resolved
/// events and per-file-access summaries, which a separate <see cref="XrdMonEventWriter"/> writes as JSON lines. Never
/// throws on datagram content; everything odd is counted.
/// </summary>
public sealed partial class XrdMonCollector : IDisposable
{
    private readonly XrdMonCollectorOptions _options;
    private readonly IXrdMonEventOutput? _out;
    private readonly TextWriter? _log;
    private readonly List<string> _senders = [];
    private readonly Dictionary<string, int> _senderIds = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Instance> _instances = [];
    private readonly Dictionary<int, int> _latestStod = [];
    private readonly LinkedList<Instance> _instanceOrder = new();
    private readonly DictidStore<XrdMonUser> _users;
    private readonly DictidStore<XrdMonPath> _paths;
    private readonly DictidStore<string> _info;
    private readonly DictidStore<XrdMonAccess> _accesses;
    private readonly DictidStore<uint> _identities;
    private readonly Queue<(DictidKey Key, bool User, long Deadline)> _ended = new();
    private readonly XrdMonStringCache _strings = new();
    private Instance? _last;
    private int _nextInstance;
    private long _now;
    private long _pendingBytes;

    /// <summary>Creates a collector.</summary>
    /// <param name="options">What to emit and the state bounds.</param>
    /// <param name="output">Where JSON lines go (null: count only).</param>
    /// <param name="log">Where the first error of each kind is logged (null: nowhere).</param>
    public XrdMonCollector(XrdMonCollectorOptions options, Stream? output, TextWriter? log = null)
        : this(options, output is null ? null : counters => new XrdMonEventWriter(output, counters), log)
    {
    }

    /// <summary>Creates a collector writing through the output <paramref name="output"/> makes (the tests' seam for the frozen legacy writer).</summary>
    /// <param name="options">What to emit and the state bounds.</param>
    /// <param name="output">Makes the event output over the collector's counters (null: count only).</param>
    /// <param name="log">Where the first error of each kind is logged (null: nowhere).</param>
    internal XrdMonCollector(XrdMonCollectorOptions options, Func<XrdMonCollectorCounters, IXrdMonEventOutput>? output, TextWriter? log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _out = output?.Invoke(Counters);
        _log = log;
        _users = new(options.MaxUsers, options.TimeToLive);
        _paths = new(options.MaxFiles, options.TimeToLive);
        _info = new(options.MaxInfo, options.TimeToLive);
        _accesses = new(options.MaxAccesses, options.TimeToLive);
        _identities = new(options.MaxUsers, options.TimeToLive);
    }

    /// <summary>The counters.</summary>
    public XrdMonCollectorCounters Counters { get; } = new();

    /// <summary>The first <c>instance</c> number of the server objects (collector k of n: k), so that the collectors of one listener number their instances apart.</summary>
    internal int InstanceOffset { get; init; }

    /// <summary>The step between <c>instance</c> numbers (collectors of one listener: their count).</summary>
    internal int InstanceStride { get; init; } = 1;

    /// <summary>Users held.</summary>
    public int UserCount => _users.Count;

    /// <summary>Paths held.</summary>
    public int PathCount => _paths.Count;

    /// <summary>Info strings held.</summary>
    public int InfoCount => _info.Count;

    /// <summary>Open accesses held.</summary>
    public int AccessCount => _accesses.Count;

    /// <summary>Ended users and paths waiting for their grace period (at most the map entries held, or 1024).</summary>
    public int EndedWaiting => _ended.Count;

    /// <summary>Server instances held.</summary>
    public int ServerCount => _instances.Count;

    /// <summary>Datagrams waiting in reorder buffers.</summary>
    public int Pending
    {
        get
        {
            int n = 0;
            foreach (Instance i in _instances.Values)
            {
                n += i.Pending;
            }

            return n;
        }
    }

    /// <summary>Returns the id of a sender (an address text or a file name), registering it on first use.</summary>
    /// <param name="name">The sender's name.</param>
    /// <returns>The sender id.</returns>
    public int RegisterSender(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_senderIds.TryGetValue(name, out int id))
        {
            id = _senders.Count;
            _senders.Add(name);
            _senderIds.Add(name, id);
        }

        return id;
    }

    /// <summary>Feeds one datagram.</summary>
    /// <param name="datagram">The datagram bytes.</param>
    /// <param name="sender">A sender id from <see cref="RegisterSender"/>.</param>
    /// <param name="nowTicks">The current time (<see cref="TimeSpan"/> ticks of any monotonic clock) for expiry.</param>
    public void Process(ReadOnlySpan<byte> datagram, int sender, long nowTicks)
    {
        _now = nowTicks;
        Counters.Datagrams++;
        Counters.Bytes += datagram.Length;
        if (!HeaderReader.TryRead(datagram, out HeaderReader h, out _))
        {
            Reject("datagram shorter than the 8-byte header");
            return;
        }

        if (h.Plen < 8 || h.Plen > datagram.Length)
        {
            Reject("plen out of range");
            return;
        }

        if (h.Plen < datagram.Length)
        {
            Counters.LongerThanPlen++;
        }

        byte code = (byte)h.Code;
        switch (code)
        {
            case (byte)'f' or (byte)'t' or (byte)'r' or (byte)'=' or (byte)'d' or (byte)'i' or (byte)'p' or (byte)'u' or (byte)'U' or (byte)'x':
                break;
            case (byte)'g' when h.Plen < 24:
                Reject("g-stream packet shorter than header + 16-byte extension");
                return;
            case (byte)'g':
                break;
            default:
                Reject("unknown packet code");
                return;
        }

        Instance inst = GetInstance(sender, h.Stod);
        PseqReorderBuffer? buffer = code switch
        {
            (byte)'f' => inst.File,
            (byte)'g' => inst.GStreamBuffer(datagram[16]),
            _ => inst.Main,
        };
        if (buffer is null)
        {
            Reject("more g-stream providers than a server has");
            return;
        }

        var sink = new Sink(this, inst);
        long before = buffer.PendingBytes;
        buffer.Offer(h.Pseq, datagram[..h.Plen], ref sink);
        _pendingBytes += buffer.PendingBytes - before;
        if (_pendingBytes > _options.MaxPendingBytes)
        {
            // Hostile or very lossy traffic filled the reorder buffers: give up on every gap at once.
            Counters.PendingOverflows++;
            FlushBuffers();
        }

        if (_ended.Count > 0)
        {
            SweepEnded();
        }
    }

    /// <summary>Releases every datagram waiting in the reorder buffers (gaps become loss) and flushes the output.</summary>
    public void Flush()
    {
        FlushBuffers();
        _out?.Flush();
    }

    /// <summary>Bytes of datagrams waiting in reorder buffers (bounded by <see cref="XrdMonCollectorOptions.MaxPendingBytes"/>).</summary>
    public long PendingBytes => _pendingBytes;

    /// <summary>Writes buffered output lines to the stream (reorder buffers keep waiting).</summary>
    public void FlushOutput() => _out?.Flush();

    /// <summary>Drops map entries that were not touched for the time to live, and ended entries past their grace.</summary>
    /// <param name="nowTicks">The current time in ticks.</param>
    public void Expire(long nowTicks)
    {
        _now = nowTicks;
        _users.Expire(nowTicks);
        _paths.Expire(nowTicks);
        _info.Expire(nowTicks);
        _accesses.Expire(nowTicks);
        _identities.Expire(nowTicks);
        SweepEnded();
    }

    /// <summary>Sequence counters summed over all live and retired instances.</summary>
    /// <returns>A fresh sum.</returns>
    public SequenceCounters SequenceTotals()
    {
        var total = new SequenceCounters();
        total.Add(Counters.Sequence);
        foreach (Instance i in _instances.Values)
        {
            i.AddCounters(total);
        }

        return total;
    }

    /// <summary>Writes the counters as one JSON object (<c>"event":"stats"</c>) to a stream.</summary>
    /// <param name="output">Destination.</param>
    public void WriteStats(Stream output)
    {
        using var w = new JsonLineWriter(output);
        XrdMonEventWriter.WriteStats(w, this);
    }

    /// <summary>Flushes and releases buffers.</summary>
    public void Dispose()
    {
        Flush();
        foreach (Instance i in _instances.Values)
        {
            i.Dispose();
        }

        _out?.Dispose();
    }

    private void FlushBuffers()
    {
        foreach (Instance inst in _instances.Values)
        {
            var sink = new Sink(this, inst);
            inst.FlushAll(ref sink);
        }

        _pendingBytes = 0;
    }

    private void Reject(string reason)
    {
        Counters.Rejected++;
        CountError(reason);
    }

    private void CountError(string reason)
    {
        Counters.ErrorsByReason.TryGetValue(reason, out long n);
        Counters.ErrorsByReason[reason] = n + 1;
        if (n == 0)
        {
            _log?.WriteLine($"xrdmon: malformed datagram: {reason} (further ones are only counted)");
        }
    }

    private Instance GetInstance(int sender, int stod)
    {
        if (_last is { } last && last.Sender == sender && last.Server.Stod == stod)
        {
            return last;
        }

        long key = ((long)sender << 32) | (uint)stod;
        if (_instances.TryGetValue(key, out Instance? inst))
        {
            // Least recently used order: a busy server is never the one retired to make room.
            _instanceOrder.Remove(inst.Node);
            _instanceOrder.AddLast(inst.Node);
        }
        else
        {
            if (_latestStod.TryGetValue(sender, out int previous) && previous != stod)
            {
                Counters.Restarts++;
            }

            _latestStod[sender] = stod;
            inst = new Instance(_nextInstance++, sender, new XrdMonServer
            {
                Instance = ((_nextInstance - 1) * InstanceStride) + InstanceOffset,
                Sender = sender < _senders.Count ? _senders[sender] : sender.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Stod = stod,
            }, _options.SortWindow);
            _instances.Add(key, inst);
            _instanceOrder.AddLast(inst.Node);
            while (_instances.Count > _options.MaxServers && _instanceOrder.First is { } oldest)
            {
                Retire(oldest.Value);
            }
        }

        _last = inst;
        return inst;
    }

    private void Retire(Instance old)
    {
        _pendingBytes -= old.PendingBytes;
        _instanceOrder.Remove(old.Node);
        var sink = new Sink(this, old);
        old.FlushAll(ref sink);
        old.AddCounters(Counters.Sequence);
        _instances.Remove(((long)old.Sender << 32) | (uint)old.Server.Stod);
        _users.RemoveInstance(old.Id);
        _paths.RemoveInstance(old.Id);
        _info.RemoveInstance(old.Id);
        _accesses.RemoveInstance(old.Id);
        _identities.RemoveInstance(old.Id);
        old.Dispose();
        if (ReferenceEquals(_last, old))
        {
            _last = null;
        }
    }

    private void Deliver(Instance inst, ReadOnlySpan<byte> datagram)
    {
        var v = new Visitor(this, inst);
        if (XrdMonRecords.Dispatch(datagram, ref v, out DecodeError error))
        {
            Counters.Decoded++;
        }
        else
        {
            Counters.DecodeErrors++;
            CountError(error.Reason);
        }
    }

    private void ScheduleEnd(DictidKey key, bool user)
    {
        _ended.Enqueue((key, user, _now + _options.EndedGrace.Ticks));

        // The grace period bounds this queue by time; it is also kept no longer than the maps it refers to (entries
        // evicted from a map leave stale queue items; under a flood of sessions the oldest go before their grace).
        while (_ended.Count > Math.Max(1024, _users.Count + _paths.Count))
        {
            EndNow(_ended.Dequeue());
        }
    }

    private void SweepEnded()
    {
        while (_ended.TryPeek(out var e) && e.Deadline <= _now)
        {
            EndNow(_ended.Dequeue());
        }
    }

    private void EndNow((DictidKey Key, bool User, long Deadline) e)
    {
        if (e.User)
        {
            if (_users.TryPeek(e.Key, out XrdMonUser? u) && u.Ended)
            {
                _users.Remove(e.Key, out _);
                UnindexIdentity(e.Key, u.IdentityHash);
            }
        }
        else if (_paths.TryPeek(e.Key, out XrdMonPath? p) && p.Ended)
        {
            _paths.Remove(e.Key, out _);
        }
    }

    private readonly struct Sink(XrdMonCollector collector, Instance instance) : IDatagramSink
    {
        public void OnDatagram(ReadOnlySpan<byte> datagram) => collector.Deliver(instance, datagram);
    }
}
