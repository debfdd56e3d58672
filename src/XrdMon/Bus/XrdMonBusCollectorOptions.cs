using System;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.XrdMon.Bus;

/// <summary>Options of <see cref="XrdMonBusCollector"/>.</summary>
public sealed class XrdMonBusCollectorOptions
{
    /// <summary>The queue (with <see cref="Shards"/> &gt; 0: the base name of <c>Q.0</c> .. <c>Q.S-1</c>).</summary>
    public required string Queue { get; init; }

    /// <summary>The exchange the queues are bound to (declared, durable); null: the queues are consumed as they are.</summary>
    public string? Exchange { get; init; }

    /// <summary>The exchange's type when declared: <c>direct</c> (shard queue i bound with key i, the shovel computes the shard) or <c>x-consistent-hash</c>.</summary>
    public string ExchangeType { get; init; } = "direct";

    /// <summary>Shard queues (0: one queue, <see cref="Queue"/> itself, for example an OSG shoveler's).</summary>
    public int Shards { get; init; }

    /// <summary>How many collectors share the shards.</summary>
    public int Collectors { get; init; } = 1;

    /// <summary>This collector's index (0 .. <see cref="Collectors"/>-1): it owns the shards s with s mod N = index.</summary>
    public int Index { get; init; }

    /// <summary>Unacknowledged messages the broker may send ahead.</summary>
    public ushort Prefetch { get; init; } = 2000;

    /// <summary>Acknowledge (after flushing the output) every so many messages...</summary>
    public int AckEvery { get; init; } = 500;

    /// <summary>... and at least this often.</summary>
    public TimeSpan AckInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long after subscribing to its own shards a collector subscribes to the others as standby.</summary>
    public TimeSpan StandbyDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How often a collector hands the standby shards it is consuming (their owner died) back to the broker, so a
    /// restarted owner takes them again (zero: never; the shards stay until this collector goes away).
    /// </summary>
    public TimeSpan HandBackInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Give up on gaps in the reorder buffers after this long without data.</summary>
    public TimeSpan IdleFlush { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Publish WLCG records to this exchange (durable fanout, declared) instead of a file.</summary>
    public string? WlcgExchange { get; init; }

    /// <summary>The drop filter, the WLCG routing rule and metadata.</summary>
    public WlcgOptions Wlcg { get; init; } = new();

    /// <summary>Reverse DNS names for the WLCG records (null: none); the caller owns and disposes it.</summary>
    public ReverseDnsCache? HostNames { get; init; }
}
