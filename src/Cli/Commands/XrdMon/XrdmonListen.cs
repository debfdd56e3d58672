using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Threading;
using Toolkit.XrdMon.Collector;
using Toolkit.Runtime.Udp;

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
        // --metrics: a Prometheus endpoint over a snapshot the receive loop refreshes (src/Runtime/Metrics).
        var registry = new Toolkit.Runtime.Metrics.MetricsRegistry();
        var metrics = new Toolkit.XrdMon.Bus.XrdMonCollectorMetrics();
        metrics.Register(registry, "xrdmon_listen");
        using var server = options.Metrics is null ? null : new Toolkit.Runtime.Metrics.MetricsServer(options.Metrics, registry);
        return Run(options.Udp, sink, XrdmonCommands.CollectorOptions(options.Summaries, options.Window),
            TimeSpan.FromSeconds(Math.Max(0, options.StatsEverySeconds)), console.Error, cancellationToken, server is null ? null : metrics);
    });

    /// <summary>Runs the collector on <paramref name="endpoint"/>, writing its JSON lines to <paramref name="output"/>.</summary>
    public static int Run(IPEndPoint endpoint, Stream output, XrdMonCollectorOptions options, TimeSpan statsEvery, TextWriter log, CancellationToken cancellationToken, Toolkit.XrdMon.Bus.XrdMonCollectorMetrics? metrics = null)
    {
        using var receiver = new UdpDatagramReceiver(endpoint);
        log.WriteLine($"xrdmon listen: udp {receiver.LocalEndPoint} (receive buffer {receiver.ReceiveBufferSize} bytes{(receiver.IsBatched ? ", recvmmsg" : string.Empty)})");
        using var collector = new XrdMonCollector(options, output, log);
        var handler = new Handler(collector, statsEvery, log) { Metrics = metrics };
        receiver.Run(handler, TimeSpan.FromMilliseconds(200), cancellationToken);
        collector.Flush();
        output.Flush();
        WriteStats(collector, receiver, log);
        return 0;
    }

    private static void WriteStats(XrdMonCollector collector, UdpDatagramReceiver? receiver, TextWriter log)
    {
        var ms = new MemoryStream();
        collector.WriteStats(ms);
        log.Write(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
        if (receiver is not null && receiver.Counters.SocketErrors > 0)
        {
            log.WriteLine($"xrdmon listen: socket errors {receiver.Counters.SocketErrors}");
        }

        log.Flush();
    }

    private sealed class Handler(XrdMonCollector collector, TimeSpan statsEvery, TextWriter log) : IUdpDatagramHandler
    {
        private const int MaxSenders = 65536;
        private readonly Dictionary<SocketAddress, int> _senders = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _nextStats = statsEvery > TimeSpan.Zero ? statsEvery.Ticks : long.MaxValue;
        private long _lastData;
        private long _lastExpire;
        private long _lastMetrics;
        private bool _overflowLogged;

        public Toolkit.XrdMon.Bus.XrdMonCollectorMetrics? Metrics { get; init; }

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender)
        {
            if (!_senders.TryGetValue(sender, out int id))
            {
                id = NewSender(sender);
            }

            long now = _clock.Elapsed.Ticks;
            _lastData = now;
            collector.Process(datagram, id, now);
            Tick(now);
        }

        private int NewSender(SocketAddress sender)
        {
            if (_senders.Count >= MaxSenders)
            {
                // Spoofed source addresses must not grow the table without bound: the rest share one sender.
                if (!_overflowLogged)
                {
                    log.WriteLine($"xrdmon listen: more than {MaxSenders} sender addresses; further ones are pooled as \"(other senders)\"");
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

        public void OnIdle()
        {
            long now = _clock.Elapsed.Ticks;
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

        private void Tick(long now)
        {
            if (Metrics is not null && now - _lastMetrics > TimeSpan.TicksPerSecond / 2)
            {
                Metrics.Refresh(collector);
                _lastMetrics = now;
            }

            if (now - _lastExpire > TimeSpan.TicksPerMinute)
            {
                collector.Expire(now);
                _lastExpire = now;
            }

            if (now >= _nextStats)
            {
                WriteStats(collector, null, log);
                _nextStats = now + statsEvery.Ticks;
            }
        }
    }
}
