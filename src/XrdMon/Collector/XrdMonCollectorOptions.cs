using System;

namespace Toolkit.XrdMon.Collector;

/// <summary>What the collector emits and how it bounds its state.</summary>
public sealed class XrdMonCollectorOptions
{
    /// <summary>Emit resolved events (opens, closes, transfers, disconnects, redirects, traces, g-stream, ...).</summary>
    public bool Events { get; set; } = true;

    /// <summary>Emit a summary record when a file access ends.</summary>
    public bool Summaries { get; set; } = true;

    /// <summary>Emit one event per t-stream read/write/readv entry (can be voluminous).</summary>
    public bool TraceEvents { get; set; } = true;

    /// <summary>Reorder window per sequence counter (datagrams that may wait for a missing one; 0..127).</summary>
    public int SortWindow { get; set; } = 16;

    /// <summary>Most user entries kept.</summary>
    public int MaxUsers { get; set; } = 1 << 20;

    /// <summary>Most path/file entries kept.</summary>
    public int MaxFiles { get; set; } = 1 << 20;

    /// <summary>Most info strings kept.</summary>
    public int MaxInfo { get; set; } = 1 << 16;

    /// <summary>Most open file accesses kept.</summary>
    public int MaxAccesses { get; set; } = 1 << 20;

    /// <summary>Most server instances kept (the least recently used is retired: its buffers flushed, its map entries freed).</summary>
    public int MaxServers { get; set; } = 4096;

    /// <summary>Most datagram bytes waiting in all reorder buffers together; beyond it every gap is given up at once (counted as loss).</summary>
    public long MaxPendingBytes { get; set; } = 64L << 20;

    /// <summary>How long an untouched map entry lives.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an ended user or path stays resolvable for records that arrive later (f-stream lags the t-stream).</summary>
    public TimeSpan EndedGrace { get; set; } = TimeSpan.FromMinutes(5);
}
