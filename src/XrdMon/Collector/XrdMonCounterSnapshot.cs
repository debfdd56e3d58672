using System;
using System.Collections.Generic;
using System.Text.Json;
using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Collector;

/// <summary>
/// An immutable copy of one collector's counters and state sizes, taken on the collector's own thread (a collector is
/// single-threaded) and then read from any thread: a listener's receive threads publish one about every half second
/// (one reference write, so a reader never sees half of one), the metrics endpoint and the merged stats line sum them.
/// Each counter of a later snapshot of the same collector is at least the earlier one's, so sums never go down.
/// </summary>
public sealed class XrdMonCounterSnapshot
{
    /// <summary>All zero (a collector that has not reported yet).</summary>
    public static readonly XrdMonCounterSnapshot Empty = new();

    /// <summary>Datagrams offered.</summary>
    public long Datagrams { get; private init; }

    /// <summary>Datagram bytes offered.</summary>
    public long Bytes { get; private init; }

    /// <summary>Records decoded.</summary>
    public long Records { get; private init; }

    /// <summary>Events written.</summary>
    public long Events { get; private init; }

    /// <summary>Summaries written.</summary>
    public long Summaries { get; private init; }

    /// <summary>Datagrams rejected before ordering.</summary>
    public long Rejected { get; private init; }

    /// <summary>Datagrams longer than their <c>plen</c>.</summary>
    public long LongerThanPlen { get; private init; }

    /// <summary>Datagrams that decoded completely.</summary>
    public long Decoded { get; private init; }

    /// <summary>Datagrams that failed to decode.</summary>
    public long DecodeErrors { get; private init; }

    /// <summary>Datagrams delivered in order.</summary>
    public long Delivered { get; private init; }

    /// <summary>Datagrams missing from a sequence (gaps given up).</summary>
    public long Lost { get; private init; }

    /// <summary>Duplicate datagrams dropped.</summary>
    public long Duplicates { get; private init; }

    /// <summary>Datagrams arriving after their gap was given up.</summary>
    public long Late { get; private init; }

    /// <summary>Datagrams put back in order.</summary>
    public long Reordered { get; private init; }

    /// <summary>Datagrams waiting in reorder buffers.</summary>
    public long Pending { get; private init; }

    /// <summary>Bytes waiting in reorder buffers.</summary>
    public long PendingBytes { get; private init; }

    /// <summary>Times the reorder buffers overflowed and were flushed.</summary>
    public long PendingOverflows { get; private init; }

    /// <summary>Events whose user or file dictid was unknown.</summary>
    public long Unresolved { get; private init; }

    /// <summary>Server restarts seen.</summary>
    public long Restarts { get; private init; }

    /// <summary>Server instances held.</summary>
    public long Servers { get; private init; }

    /// <summary>User dictids held.</summary>
    public long Users { get; private init; }

    /// <summary>Path dictids held.</summary>
    public long Paths { get; private init; }

    /// <summary>Info dictids held.</summary>
    public long Info { get; private init; }

    /// <summary>Open file accesses held.</summary>
    public long OpenFiles { get; private init; }

    /// <summary>Decode errors by reason, in the collector's order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> ErrorsByReason { get; private init; } = [];

    /// <summary>Copies a collector's counters; call it on the collector's thread (or when no thread runs it).</summary>
    /// <param name="collector">The collector.</param>
    /// <returns>The snapshot.</returns>
    public static XrdMonCounterSnapshot Take(XrdMonCollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        XrdMonCollectorCounters k = collector.Counters;
        SequenceCounters s = collector.SequenceTotals();
        return new XrdMonCounterSnapshot
        {
            Datagrams = k.Datagrams,
            Bytes = k.Bytes,
            Records = k.Records,
            Events = k.Events,
            Summaries = k.Summaries,
            Rejected = k.Rejected,
            LongerThanPlen = k.LongerThanPlen,
            Decoded = k.Decoded,
            DecodeErrors = k.DecodeErrors,
            Delivered = s.Delivered,
            Lost = s.Lost,
            Duplicates = s.Duplicates,
            Late = s.Late,
            Reordered = s.Reordered,
            Pending = collector.Pending,
            PendingBytes = collector.PendingBytes,
            PendingOverflows = k.PendingOverflows,
            Unresolved = k.Unresolved,
            Restarts = k.Restarts,
            Servers = collector.ServerCount,
            Users = collector.UserCount,
            Paths = collector.PathCount,
            Info = collector.InfoCount,
            OpenFiles = collector.AccessCount,
            ErrorsByReason = [.. k.ErrorsByReason],
        };
    }

    /// <summary>Sums snapshots (counters and state sizes alike; errors by reason in first-seen order).</summary>
    /// <param name="parts">The snapshots (for example one per socket).</param>
    /// <returns>The sum.</returns>
    public static XrdMonCounterSnapshot Sum(IReadOnlyList<XrdMonCounterSnapshot> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 1)
        {
            return parts[0];
        }

        long[] v = new long[24];
        var errors = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (XrdMonCounterSnapshot p in parts)
        {
            v[0] += p.Datagrams;
            v[1] += p.Bytes;
            v[2] += p.Records;
            v[3] += p.Events;
            v[4] += p.Summaries;
            v[5] += p.Rejected;
            v[6] += p.LongerThanPlen;
            v[7] += p.Decoded;
            v[8] += p.DecodeErrors;
            v[9] += p.Delivered;
            v[10] += p.Lost;
            v[11] += p.Duplicates;
            v[12] += p.Late;
            v[13] += p.Reordered;
            v[14] += p.Pending;
            v[15] += p.PendingBytes;
            v[16] += p.PendingOverflows;
            v[17] += p.Unresolved;
            v[18] += p.Restarts;
            v[19] += p.Servers;
            v[20] += p.Users;
            v[21] += p.Paths;
            v[22] += p.Info;
            v[23] += p.OpenFiles;
            foreach (KeyValuePair<string, long> e in p.ErrorsByReason)
            {
                errors[e.Key] = errors.GetValueOrDefault(e.Key) + e.Value;
            }
        }

        return new XrdMonCounterSnapshot
        {
            Datagrams = v[0],
            Bytes = v[1],
            Records = v[2],
            Events = v[3],
            Summaries = v[4],
            Rejected = v[5],
            LongerThanPlen = v[6],
            Decoded = v[7],
            DecodeErrors = v[8],
            Delivered = v[9],
            Lost = v[10],
            Duplicates = v[11],
            Late = v[12],
            Reordered = v[13],
            Pending = v[14],
            PendingBytes = v[15],
            PendingOverflows = v[16],
            Unresolved = v[17],
            Restarts = v[18],
            Servers = v[19],
            Users = v[20],
            Paths = v[21],
            Info = v[22],
            OpenFiles = v[23],
            ErrorsByReason = [.. errors],
        };
    }

    /// <summary>Writes the snapshot as one <c>"event":"stats"</c> line, the line of <see cref="XrdMonCollector.WriteStats"/> and of <c>xrdmon listen</c>.</summary>
    /// <param name="w">Destination.</param>
    public void WriteStats(JsonLineWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        Utf8JsonWriter j = w.Json;
        w.Begin();
        j.WriteString("event", "stats");
        j.WriteNumber("datagrams", Datagrams);
        j.WriteNumber("bytes", Bytes);
        j.WriteNumber("records", Records);
        j.WriteNumber("events", Events);
        j.WriteNumber("summaries", Summaries);
        j.WriteNumber("rejected", Rejected);
        j.WriteNumber("longer_than_plen", LongerThanPlen);
        j.WriteNumber("decoded", Decoded);
        j.WriteNumber("decode_errors", DecodeErrors);
        j.WriteNumber("delivered", Delivered);
        j.WriteNumber("lost", Lost);
        j.WriteNumber("duplicates", Duplicates);
        j.WriteNumber("late", Late);
        j.WriteNumber("reordered", Reordered);
        j.WriteNumber("pending", Pending);
        j.WriteNumber("pending_bytes", PendingBytes);
        j.WriteNumber("pending_overflows", PendingOverflows);
        j.WriteNumber("unresolved", Unresolved);
        j.WriteNumber("restarts", Restarts);
        j.WriteNumber("servers", Servers);
        j.WriteNumber("users", Users);
        j.WriteNumber("paths", Paths);
        j.WriteNumber("info", Info);
        j.WriteNumber("open_files", OpenFiles);
        j.WriteStartObject("errors");
        foreach (KeyValuePair<string, long> e in ErrorsByReason)
        {
            j.WriteNumber(e.Key, e.Value);
        }

        j.WriteEndObject();
        w.End();
    }
}
