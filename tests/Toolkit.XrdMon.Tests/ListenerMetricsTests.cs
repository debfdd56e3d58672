using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Metrics;
using Toolkit.XrdMon.Bus;
using Toolkit.XrdMon.Collector;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// The Prometheus metrics and stats lines of <see cref="XrdMonUdpListener"/> with several sockets: the real captures
/// from 12 senders over loopback, scraped over HTTP while the receive threads run. The totals equal a one-socket run's,
/// the per-socket series add up to them, no counter goes down between scrapes, and every scrape is valid text exposition.
/// </summary>
public sealed partial class ListenerMetricsTests
{
    private const int Senders = 12;

    private static readonly string[] Totals =
    [
        "datagrams_total", "bytes_total", "rejected_total", "records_total", "events_total", "summaries_total", "decode_errors_total",
        "unresolved_total", "lost_total", "reordered_total", "duplicates_total", "late_total", "restarts_total",
        "servers", "users", "paths", "open_files", "pending", "pending_bytes",
    ];

    [Fact]
    public async Task Metrics_of_several_sockets_are_the_sums_and_equal_one_sockets()
    {
        byte[][] origin = TestData.Datagrams("origin").ToArray();
        byte[][] proxy = TestData.Datagrams("proxy").ToArray();
        var sockets = new Socket[Senders];
        try
        {
            for (int s = 0; s < Senders; s++)
            {
                sockets[s] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                sockets[s].Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            Run one = await ListenAsync(1, sockets, origin, proxy);
            Run four = await ListenAsync(4, sockets, origin, proxy);

            Assert.True(one.Final["xrdmon_listen_summaries_total"] > 0);
            Assert.Equal(one.Total, one.Final["xrdmon_listen_datagrams_total"]);
            foreach (string name in Totals)
            {
                Assert.Equal(one.Final["xrdmon_listen_" + name], four.Final["xrdmon_listen_" + name]);
            }

            // One socket has no per-socket series; four have one per socket, adding up to the total, as the collectors counted.
            Assert.DoesNotContain(one.Final.Keys, k => k.StartsWith("xrdmon_listen_socket_", StringComparison.Ordinal));
            double[] shares = Enumerable.Range(0, 4).Select(k => four.Final[$"xrdmon_listen_socket_datagrams_total{{socket=\"{k}\"}}"]).ToArray();
            Assert.Equal(four.Shares.Select(n => (double)n), shares);
            Assert.Equal(four.Final["xrdmon_listen_datagrams_total"], shares.Sum());
            Assert.True(shares.Count(n => n > 0) >= 2, "the kernel spread 12 senders over fewer than 2 of 4 sockets: " + string.Join(", ", shares));
            Assert.Equal(four.Final["xrdmon_listen_servers"], Enumerable.Range(0, 4).Sum(k => four.Final[$"xrdmon_listen_socket_servers{{socket=\"{k}\"}}"]));

            foreach (Run run in new[] { one, four })
            {
                Assert.True(run.Scrapes.Count >= 4, "too few scrapes while running: " + run.Scrapes.Count);

                // Counters never go down from one scrape to the next, while the threads run and after.
                for (int i = 1; i < run.Scrapes.Count; i++)
                {
                    foreach ((string key, double value) in run.Scrapes[i])
                    {
                        if (key.Contains("_total", StringComparison.Ordinal))
                        {
                            Assert.True(value >= run.Scrapes[i - 1][key], $"{key} went from {run.Scrapes[i - 1][key]} to {value}");
                        }
                    }
                }

                // The stats line of the summed snapshots is the exit stats line of the collectors themselves.
                Assert.Equal(run.ExitStats, run.SnapshotStats);

                // Periodic stats lines: one stream of sums (never going down), the last one with every datagram.
                List<JsonNode> periodic = run.Log.Split('\n').Where(l => l.StartsWith("{\"event\":\"stats\"", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l)!).ToList();
                Assert.NotEmpty(periodic);
                long[] seen = periodic.Select(p => p["datagrams"]!.GetValue<long>()).ToArray();
                Assert.Equal(seen.Order(), seen);
                Assert.Equal(run.Total, seen[^1]);
            }
        }
        finally
        {
            foreach (Socket? s in sockets)
            {
                s?.Dispose();
            }
        }
    }

    [Fact]
    public void Labelled_series_escape_their_values_and_the_exposition_stays_valid()
    {
        var registry = new MetricsRegistry();
        registry.Counter("t_total", "t", "socket", ["0", "a\"b\\c\nd"], k => k + 1);
        registry.Gauge("t_g", "g", "k", ["x"], _ => 2.5);
        Assert.Throws<ArgumentException>(() => registry.Counter("u_total", "u", "bad-label", ["0"], _ => 0));
        Assert.Throws<ArgumentException>(() => registry.Counter("u_total", "u", "__reserved", ["0"], _ => 0));
        string text = registry.Scrape();
        Assert.Contains("t_total{socket=\"0\"} 1\nt_total{socket=\"a\\\"b\\\\c\\nd\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("t_g{k=\"x\"} 2.5\n", text, StringComparison.Ordinal);
        Assert.Equal(3, ParseExposition(text).Count);
    }

    private sealed record Run(long Total, long[] Shares, Dictionary<string, double> Final, List<Dictionary<string, double>> Scrapes, string ExitStats, string SnapshotStats, string Log);

    private static async Task<Run> ListenAsync(int count, Socket[] senders, byte[][] origin, byte[][] proxy)
    {
        var log = new StringWriter();
        TextWriter syncLog = TextWriter.Synchronized(log);
        var registry = new MetricsRegistry();
        using var listener = new XrdMonUdpListener(new IPEndPoint(IPAddress.Loopback, 0), new XrdMonCollectorOptions(), Stream.Null, syncLog, count);
        new XrdMonCollectorMetrics(() => listener.Snapshots).Register(registry, "xrdmon_listen", count);
        using var server = new MetricsServer(new IPEndPoint(IPAddress.Loopback, 0), registry);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string url = $"http://127.0.0.1:{server.LocalEndPoint.Port}/metrics";
        var scrapes = new List<Dictionary<string, double>>();
        async Task<Dictionary<string, double>> Scrape()
        {
            Dictionary<string, double> s = ParseExposition(await http.GetStringAsync(url));
            scrapes.Add(s);
            return s;
        }

        using var stop = new CancellationTokenSource();
        Task run = Task.Factory.StartNew(() => listener.Run(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), stop.Token), TaskCreationOptions.LongRunning);
        var target = new IPEndPoint(IPAddress.Loopback, listener.Port);
        long total = 0;
        int longest = Math.Max(origin.Length, proxy.Length);
        for (int i = 0; i < longest; i++)
        {
            for (int s = 0; s < senders.Length; s++)
            {
                byte[][] capture = s % 2 == 0 ? origin : proxy;
                if (i < capture.Length)
                {
                    senders[s].SendTo(capture[i], target);
                    total++;
                }
            }

            if (i % (longest / 4 + 1) == 0)
            {
                await Scrape();
            }
        }

        // The snapshots are published about every half second: scrape until they hold every datagram.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Scrape())["xrdmon_listen_datagrams_total"] < total && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        // And until a periodic stats line has them too.
        while (!log.ToString().Contains($"{{\"event\":\"stats\",\"datagrams\":{total},", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(total, listener.Datagrams);
        Dictionary<string, double> final = await Scrape();
        var exit = new MemoryStream();
        listener.WriteStats(exit);
        var summed = new MemoryStream();
        using (var w = new JsonLineWriter(summed))
        {
            listener.Snapshot().WriteStats(w);
        }

        long[] shares = listener.Collectors.Select(c => c.Counters.Datagrams).ToArray();
        return new Run(total, shares, final, scrapes, Encoding.UTF8.GetString(exit.ToArray()), Encoding.UTF8.GetString(summed.ToArray()), log.ToString());
    }

    /// <summary>
    /// Parses the text exposition format (0.0.4) strictly: HELP then TYPE once per family before its samples, sample
    /// names of the current family, label sets well formed and escaped, values numbers, counters not negative.
    /// </summary>
    private static Dictionary<string, double> ParseExposition(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var families = new HashSet<string>(StringComparer.Ordinal);
        string? family = null, type = null, help = null;
        foreach (string line in text[..^1].Split('\n'))
        {
            Match m;
            if ((m = HelpLine().Match(line)).Success)
            {
                help = m.Groups[1].Value;
                continue;
            }

            if ((m = TypeLine().Match(line)).Success)
            {
                Assert.Equal(help, m.Groups[1].Value);
                Assert.True(families.Add(m.Groups[1].Value), "TYPE twice for " + m.Groups[1].Value);
                family = m.Groups[1].Value;
                type = m.Groups[2].Value;
                continue;
            }

            m = SampleLine().Match(line);
            Assert.True(m.Success, "not a sample line: " + line);
            string name = m.Groups[1].Value;
            Assert.True(name == family || (type == "histogram" && (name == family + "_bucket" || name == family + "_sum" || name == family + "_count")), $"sample {name} outside its family {family}");
            string value = m.Groups[3].Value;
            double v = value switch
            {
                "NaN" => double.NaN,
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            if (type == "counter")
            {
                Assert.True(name.EndsWith("_total", StringComparison.Ordinal) && v >= 0, line);
            }

            Assert.True(samples.TryAdd(name + m.Groups[2].Value, v), "duplicate series " + line);
        }

        return samples;
    }

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (?:[^\\\n]|\\\\|\\n)*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\[\\""n])*""(?:,[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\[\\""n])*"")*\})? (NaN|[+-]Inf|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)$")]
    private static partial Regex SampleLine();
}
