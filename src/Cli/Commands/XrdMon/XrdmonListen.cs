using System;
using System.IO;
using System.Net;
using System.Threading;
using Toolkit.XrdMon.Collector;

namespace Toolkit.Cli;

/// <summary><c>toolkit xrdmon listen</c>: the live collector on a UDP port.</summary>
internal static class XrdmonListen
{
    /// <summary>The command: listens until <paramref name="cancellationToken"/> is cancelled, then flushes and reports.</summary>
    /// <param name="options">The parsed options.</param>
    /// <param name="console">Standard output and error.</param>
    /// <param name="cancellationToken">Stops the collector (SIGINT/SIGTERM on the command line).</param>
    /// <returns>The exit code.</returns>
    public static int Run(XrdmonListenOptions options, CliConsole console, CancellationToken cancellationToken) => CliErrors.Run(console.Error, () =>
    {
        string path = options.Out;
        using Stream raw = path == "-" ? console.OpenStandardOutput() : new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        using Stream sink = options.Format == "table" ? new EventTableStream(path == "-" ? console.Out : new StreamWriter(raw)) : raw;
        // --metrics: a Prometheus endpoint over the snapshots the receive threads publish (src/Runtime/Metrics), summed over the sockets.
        var registry = new Toolkit.Runtime.Metrics.MetricsRegistry();
        using var server = options.Metrics is null ? null : new Toolkit.Runtime.Metrics.MetricsServer(options.Metrics, registry);
        return Run(options.Udp, sink, XrdmonCommands.CollectorOptions(options.Summaries, options.Window),
            TimeSpan.FromSeconds(Math.Max(0, options.StatsEverySeconds)), console.Error, cancellationToken, server is null ? null : registry, options.Sockets);
    });

    /// <summary>
    /// Runs the collector on <paramref name="endpoint"/>, writing its JSON lines to <paramref name="output"/>; with
    /// <paramref name="metrics"/>, registers <c>xrdmon_listen_*</c> there (the sum over the sockets, and with more than
    /// one socket <c>xrdmon_listen_socket_*{socket="k"}</c>).
    /// </summary>
    public static int Run(IPEndPoint endpoint, Stream output, XrdMonCollectorOptions options, TimeSpan statsEvery, TextWriter log, CancellationToken cancellationToken, Toolkit.Runtime.Metrics.MetricsRegistry? metrics = null, int sockets = 1)
    {
        if (sockets is < 1 or > 64)
        {
            throw new ArgumentException("--sockets must be 1 to 64, not " + sockets.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var listener = new XrdMonUdpListener(endpoint, options, output, log, sockets);
        string shared = sockets > 1 ? $", {sockets} sockets with SO_REUSEPORT" : string.Empty;
        log.WriteLine($"xrdmon listen: udp {listener.LocalEndPoint} (receive buffer {listener.ReceiveBufferSize} bytes{(listener.IsBatched ? ", recvmmsg" : string.Empty)}{shared})");
        log.Flush();
        if (metrics is not null)
        {
            new Toolkit.XrdMon.Bus.XrdMonCollectorMetrics(() => listener.Snapshots).Register(metrics, "xrdmon_listen", sockets);
        }

        listener.Run(TimeSpan.FromMilliseconds(200), statsEvery, cancellationToken);
        output.Flush();
        var ms = new MemoryStream();
        listener.WriteStats(ms);
        lock (log)
        {
            log.Write(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
            if (listener.SocketErrors > 0)
            {
                log.WriteLine($"xrdmon listen: socket errors {listener.SocketErrors}");
            }

            log.Flush();
        }

        return 0;
    }
}
