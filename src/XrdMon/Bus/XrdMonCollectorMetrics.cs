using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Toolkit.Runtime.Metrics;
using Toolkit.XrdMon.Collector;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// Prometheus metrics of one or more <see cref="XrdMonCollector"/>s (<c>PREFIX_datagrams_total</c>, <c>_lost_total</c>,
/// map sizes, ...). A collector is single-threaded, so the metrics read <see cref="XrdMonCounterSnapshot"/>s its own
/// thread takes: with one collector its owner calls <see cref="Refresh"/> (every few hundred milliseconds); with
/// several (<c>xrdmon listen --sockets N</c>) a source returns each collector's latest snapshot and every series is the
/// sum over them. A scrape reads each snapshot through one reference, never the collectors themselves, so it takes no
/// lock on the receive path and a counter never goes down (each collector's snapshots only grow).
/// </summary>
public sealed class XrdMonCollectorMetrics
{
    private static readonly (string Name, string Type, string Help, Func<XrdMonCounterSnapshot, long> Read)[] Names =
    [
        ("datagrams_total", "counter", "datagrams offered to the collector", s => s.Datagrams),
        ("bytes_total", "counter", "datagram bytes offered", s => s.Bytes),
        ("rejected_total", "counter", "datagrams rejected before ordering (no header, bad plen, unknown code)", s => s.Rejected),
        ("records_total", "counter", "monitoring records decoded", s => s.Records),
        ("events_total", "counter", "events written", s => s.Events),
        ("summaries_total", "counter", "per-file-access summaries written", s => s.Summaries),
        ("decode_errors_total", "counter", "datagrams that failed to decode", s => s.DecodeErrors),
        ("unresolved_total", "counter", "events whose user or file dictid was unknown", s => s.Unresolved),
        ("lost_total", "counter", "datagrams missing from a sequence (gaps given up)", s => s.Lost),
        ("reordered_total", "counter", "datagrams put back in order", s => s.Reordered),
        ("duplicates_total", "counter", "duplicate datagrams dropped", s => s.Duplicates),
        ("late_total", "counter", "datagrams arriving after their gap was given up", s => s.Late),
        ("restarts_total", "counter", "server restarts seen (new stod)", s => s.Restarts),
        ("servers", "gauge", "server instances held", s => s.Servers),
        ("users", "gauge", "user dictids held", s => s.Users),
        ("paths", "gauge", "path dictids held", s => s.Paths),
        ("open_files", "gauge", "open file accesses held", s => s.OpenFiles),
        ("pending", "gauge", "datagrams waiting in reorder buffers", s => s.Pending),
        ("pending_bytes", "gauge", "bytes waiting in reorder buffers", s => s.PendingBytes),
    ];

    private readonly Func<IReadOnlyList<XrdMonCounterSnapshot>> _source;
    private XrdMonCounterSnapshot _own = XrdMonCounterSnapshot.Empty;

    /// <summary>Metrics of one collector, refreshed by <see cref="Refresh"/>.</summary>
    public XrdMonCollectorMetrics()
    {
        _source = () => [Volatile.Read(ref _own)];
    }

    /// <summary>Metrics summed over several collectors.</summary>
    /// <param name="source">Returns each collector's latest snapshot (called on the scraping thread; must be thread-safe).</param>
    public XrdMonCollectorMetrics(Func<IReadOnlyList<XrdMonCounterSnapshot>> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>Registers the metrics under <paramref name="prefix"/> (for example <c>xrdmon_listen</c>).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="prefix">The name prefix.</param>
    /// <param name="perSocket">
    /// With this many collectors (more than one), also <c>PREFIX_socket_datagrams_total{socket="k"}</c> and
    /// <c>PREFIX_socket_servers{socket="k"}</c>: how the kernel spread the senders over the sockets.
    /// </param>
    public void Register(MetricsRegistry registry, string prefix, int perSocket = 0)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach ((string name, string type, string help, Func<XrdMonCounterSnapshot, long> read) in Names)
        {
            Func<double> sum = () =>
            {
                long n = 0;
                foreach (XrdMonCounterSnapshot s in _source())
                {
                    n += read(s);
                }

                return n;
            };
            if (type == "counter")
            {
                registry.Counter(prefix + "_" + name, help, sum);
            }
            else
            {
                registry.Gauge(prefix + "_" + name, help, sum);
            }
        }

        if (perSocket > 1)
        {
            string[] sockets = new string[perSocket];
            for (int k = 0; k < sockets.Length; k++)
            {
                sockets[k] = k.ToString(CultureInfo.InvariantCulture);
            }

            registry.Counter(prefix + "_socket_datagrams_total", "datagrams offered to the collector of one socket", "socket", sockets, k => At(k).Datagrams);
            registry.Gauge(prefix + "_socket_servers", "server instances held by the collector of one socket", "socket", sockets, k => At(k).Servers);
        }
    }

    /// <summary>Takes a snapshot of the one collector; call it on the collector's thread.</summary>
    /// <param name="collector">The collector.</param>
    public void Refresh(XrdMonCollector collector) => Volatile.Write(ref _own, XrdMonCounterSnapshot.Take(collector));

    private XrdMonCounterSnapshot At(int k)
    {
        IReadOnlyList<XrdMonCounterSnapshot> all = _source();
        return k < all.Count ? all[k] : XrdMonCounterSnapshot.Empty;
    }
}
