using System.Collections.Generic;
using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Collector;

/// <summary>
/// Collector counters. They add up: <c>Datagrams = Rejected + Sequence.Received</c>;
/// <c>Sequence.Received = Sequence.Delivered + Sequence.Duplicates + Sequence.Late + Pending</c>;
/// <c>Sequence.Delivered = Decoded + DecodeErrors</c>.
/// </summary>
public sealed class XrdMonCollectorCounters
{
    /// <summary>Datagrams offered.</summary>
    public long Datagrams { get; internal set; }

    /// <summary>Datagram bytes offered.</summary>
    public long Bytes { get; internal set; }

    /// <summary>Datagrams rejected before ordering (no readable header, plen out of range, unknown code).</summary>
    public long Rejected { get; internal set; }

    /// <summary>Datagrams longer than their header's <c>plen</c> (accepted; the bytes after <c>plen</c> are ignored).</summary>
    public long LongerThanPlen { get; internal set; }

    /// <summary>Datagrams that failed to decode after ordering (records before the failure were used).</summary>
    public long DecodeErrors { get; internal set; }

    /// <summary>Datagrams delivered in order that decoded completely.</summary>
    public long Decoded { get; internal set; }

    /// <summary>Times the reorder buffers together held more than <see cref="XrdMonCollectorOptions.MaxPendingBytes"/> and were all flushed.</summary>
    public long PendingOverflows { get; internal set; }

    /// <summary>Records decoded.</summary>
    public long Records { get; internal set; }

    /// <summary>Events written.</summary>
    public long Events { get; internal set; }

    /// <summary>Summary records written.</summary>
    public long Summaries { get; internal set; }

    /// <summary>Events whose user, file or server could not be resolved from the maps.</summary>
    public long Unresolved { get; internal set; }

    /// <summary>Server restarts seen (a sender with a new stod).</summary>
    public long Restarts { get; internal set; }

    /// <summary>Ordering counters summed over every sequence counter of every instance (retired ones included).</summary>
    public SequenceCounters Sequence { get; } = new();

    /// <summary>Errors by reason (first occurrence of each is logged).</summary>
    public Dictionary<string, long> ErrorsByReason { get; } = new(System.StringComparer.Ordinal);
}
