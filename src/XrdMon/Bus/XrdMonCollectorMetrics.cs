using System;
using System.Threading;
using Toolkit.Runtime.Metrics;
using Toolkit.XrdMon.Collector;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// Prometheus metrics of an <see cref="XrdMonCollector"/> (<c>PREFIX_datagrams_total</c>, <c>_lost_total</c>, map
/// sizes, ...). The collector is single-threaded, so its owner calls <see cref="Refresh"/> on the collector's thread
/// (every few hundred milliseconds) and scrapes read that snapshot.
/// </summary>
public sealed class XrdMonCollectorMetrics
{
    private readonly double[] _values = new double[Names.Length];

    private static readonly (string Name, string Type, string Help)[] Names =
    [
        ("datagrams_total", "counter", "datagrams offered to the collector"),
        ("bytes_total", "counter", "datagram bytes offered"),
        ("rejected_total", "counter", "datagrams rejected before ordering (no header, bad plen, unknown code)"),
        ("records_total", "counter", "monitoring records decoded"),
        ("events_total", "counter", "events written"),
        ("summaries_total", "counter", "per-file-access summaries written"),
        ("decode_errors_total", "counter", "datagrams that failed to decode"),
        ("unresolved_total", "counter", "events whose user or file dictid was unknown"),
        ("lost_total", "counter", "datagrams missing from a sequence (gaps given up)"),
        ("reordered_total", "counter", "datagrams put back in order"),
        ("duplicates_total", "counter", "duplicate datagrams dropped"),
        ("late_total", "counter", "datagrams arriving after their gap was given up"),
        ("restarts_total", "counter", "server restarts seen (new stod)"),
        ("servers", "gauge", "server instances held"),
        ("users", "gauge", "user dictids held"),
        ("paths", "gauge", "path dictids held"),
        ("open_files", "gauge", "open file accesses held"),
        ("pending", "gauge", "datagrams waiting in reorder buffers"),
        ("pending_bytes", "gauge", "bytes waiting in reorder buffers"),
    ];

    /// <summary>Registers the metrics under <paramref name="prefix"/> (for example <c>xrdmon_listen</c>).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="prefix">The name prefix.</param>
    public void Register(MetricsRegistry registry, string prefix)
    {
        ArgumentNullException.ThrowIfNull(registry);
        for (int i = 0; i < Names.Length; i++)
        {
            int k = i;
            Func<double> read = () => Volatile.Read(ref _values[k]);
            string name = prefix + "_" + Names[i].Name;
            if (Names[i].Type == "counter")
            {
                registry.Counter(name, Names[i].Help, read);
            }
            else
            {
                registry.Gauge(name, Names[i].Help, read);
            }
        }
    }

    /// <summary>Takes a snapshot; call it on the collector's thread.</summary>
    /// <param name="collector">The collector.</param>
    public void Refresh(XrdMonCollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        XrdMonCollectorCounters c = collector.Counters;
        Streams.SequenceCounters s = collector.SequenceTotals();
        double[] v =
        [
            c.Datagrams, c.Bytes, c.Rejected, c.Records, c.Events, c.Summaries, c.DecodeErrors, c.Unresolved,
            s.Lost, s.Reordered, s.Duplicates, s.Late, c.Restarts,
            collector.ServerCount, collector.UserCount, collector.PathCount, collector.AccessCount, collector.Pending, collector.PendingBytes,
        ];
        for (int i = 0; i < v.Length; i++)
        {
            Volatile.Write(ref _values[i], v[i]);
        }
    }
}
