using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Capture;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Tests.Bus;

namespace Toolkit.Cli.Tests;

/// <summary><c>toolkit xrdmon shovel</c> and <c>collect</c> in process against a real rabbitmq-server.</summary>
public sealed class XrdmonBusTests(RabbitBroker broker) : IClassFixture<RabbitBroker>
{
    private static List<byte[]> Capture(string name)
    {
        var list = new List<byte[]>();
        var r = new CaptureSpanReader(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "xrdmon", "run1", name + ".xrdmon")));
        while (r.TryRead(out ReadOnlySpan<byte> d))
        {
            list.Add(d.ToArray());
        }

        return list;
    }

    private static async Task<string> LineStartingWith(SyncWriter log, string prefix)
    {
        for (int i = 0; i < 600; i++)
        {
            string? line = log.Text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no line " + prefix + " in: " + log.Text);
    }

    [Fact]
    public async Task Shovel_and_collect_carry_real_captures_from_three_servers_into_summaries_and_wlcg_records()
    {
        string dir = Directory.CreateTempSubdirectory("toolkit-bus-cli-").FullName;
        try
        {
            string token = Path.Combine(dir, "token");
            File.WriteAllText(token, broker.Password + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            string url = $"amqp://tk@127.0.0.1:{broker.Port}/";
            string summaries = Path.Combine(dir, "summaries.jsonl"), wlcg = Path.Combine(dir, "wlcg.jsonl");
            using var stop = new CancellationTokenSource();
            var collectLog = new SyncWriter();
            var shovelLog = new SyncWriter();
            var collectOptions = new XrdmonCollectOptions(url, token, "cli", "cli", "direct", 4, 1, 0, summaries, true, 16, wlcg, null, [], ["/up/"], null, 0);
            Task<int> collect = Task.Run(() => XrdmonCollect.Run(collectOptions, new CliConsole(TextWriter.Null, collectLog), stop.Token));
            await LineStartingWith(collectLog, "xrdmon collect: consuming");
            var shovelOptions = new XrdmonShovelOptions(new IPEndPoint(IPAddress.Loopback, 0), url, token, "cli", "direct", true, "remote", 4, [], true,
                Path.Combine(dir, "spool"), 1 << 20, 1000, 64, new IPEndPoint(IPAddress.Loopback, 0), 0);
            Task<int> shovel = Task.Run(() => XrdmonShovel.Run(shovelOptions, new CliConsole(TextWriter.Null, shovelLog), stop.Token));
            string first = await LineStartingWith(shovelLog, "xrdmon shovel: udp ");
            int udpPort = int.Parse(first.Split(' ')[3].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            string metricsUrl = first[(first.IndexOf("metrics http://", StringComparison.Ordinal) + 8)..].Trim();

            List<byte[]> capture = [.. Capture("origin"), .. Capture("proxy")];
            var senders = Enumerable.Range(0, 3).Select(i =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(new IPAddress([127, 0, 3, (byte)(1 + i)]), 0));
                return s;
            }).ToList();
            foreach (byte[] d in capture)
            {
                foreach (Socket s in senders)
                {
                    s.SendTo(d, new IPEndPoint(IPAddress.Loopback, udpPort));
                }

                await Task.Delay(1);
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            int expected = 3 * capture.Count;
            string metrics = string.Empty;
            for (int i = 0; i < 600 && !metrics.Contains($"xrdmon_shovel_published_total {expected}\n", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
                metrics = await http.GetStringAsync(metricsUrl);
            }

            Assert.Contains($"xrdmon_shovel_datagrams_total {expected}\n", metrics, StringComparison.Ordinal);
            Assert.Contains($"xrdmon_shovel_published_total {expected}\n", metrics, StringComparison.Ordinal);
            Assert.Contains("xrdmon_shovel_spool_depth 0\n", metrics, StringComparison.Ordinal);
            await Task.Delay(1500);
            stop.Cancel();
            Assert.Equal(0, await collect.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, await shovel.WaitAsync(TimeSpan.FromSeconds(30)));
            foreach (Socket s in senders)
            {
                s.Dispose();
            }

            // The reference: one in-process collector per server.
            int perServer;
            using (var c = new XrdMonCollector(XrdmonCommands.CollectorOptions(true, 16), Stream.Null))
            {
                int id = c.RegisterSender("x");
                foreach (byte[] d in capture)
                {
                    c.Process(d, id, 1);
                }

                c.Flush();
                perServer = (int)c.Counters.Summaries;
            }

            var lines = File.ReadAllLines(summaries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            Assert.True(perServer > 0);
            Assert.Equal(3 * perServer, lines.Count);
            Assert.All(lines, l => Assert.Equal("record_id", l.EnumerateObject().First().Name));
            Assert.Equal(3, lines.Select(l => l.GetProperty("server").GetProperty("sender").GetString()).Distinct().Count());
            var records = File.ReadAllLines(wlcg).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            Assert.Equal(lines.Count(l => l.GetProperty("lfn").GetString()!.StartsWith("/up/", StringComparison.Ordinal)), records.Count);
            Assert.Contains("\"event\":\"shovel_stats\"", shovelLog.Text, StringComparison.Ordinal);
            Assert.Contains("\"event\":\"bus_stats\"", collectLog.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(broker.Password, shovelLog.Text + collectLog.Text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bad_options_and_an_open_password_file_are_refused_with_one_line()
    {
        var err = new StringWriter();
        var console = new CliConsole(TextWriter.Null, err);
        int rc = XrdmonCollect.Run(new XrdmonCollectOptions("http://user:secret@h/", null, "q", null, "direct", 0, 1, 0, "none", true, 16, null, null, [], [], null, 0), console, CancellationToken.None);
        Assert.Equal(ExitCodes.Usage, rc);
        Assert.DoesNotContain("secret", err.ToString(), StringComparison.Ordinal);
        rc = XrdmonCollect.Run(new XrdmonCollectOptions("amqp://h/", null, "q", null, "direct", 4, 2, 2, "none", true, 16, null, null, [], [], null, 0), console, CancellationToken.None);
        Assert.Equal(ExitCodes.Usage, rc);
        string dir = Directory.CreateTempSubdirectory("toolkit-bus-pw-").FullName;
        try
        {
            string token = Path.Combine(dir, "token");
            File.WriteAllText(token, "secret\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            err.GetStringBuilder().Clear();
            rc = XrdmonShovel.Run(new XrdmonShovelOptions(new IPEndPoint(IPAddress.Loopback, 0), "amqp://h/", token, "x", "fanout", true, "remote", 0, [], false, null, 1, 1, 1, null, 0), console, CancellationToken.None);
            Assert.NotEqual(0, rc);
            Assert.Contains("chmod 600", err.ToString(), StringComparison.Ordinal);
            Assert.Single(err.ToString().Trim().Split('\n'));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class SyncWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }
    }
}

/// <summary><c>toolkit xrdmon listen --metrics</c>: the collector's counters on a Prometheus endpoint.</summary>
public sealed class XrdmonListenMetricsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Listen_serves_its_counters_on_the_metrics_endpoint(int sockets)
    {
        int metricsPort;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            metricsPort = ((IPEndPoint)l.LocalEndpoint).Port;
        }

        string dir = Directory.CreateTempSubdirectory("toolkit-listen-metrics-").FullName;
        try
        {
            var log = new StringWriter();
            var syncLog = TextWriter.Synchronized(log);
            using var stop = new CancellationTokenSource();
            var options = new XrdmonListenOptions(new IPEndPoint(IPAddress.Loopback, 0), Path.Combine(dir, "out.jsonl"), "jsonl", Summaries: true, Metrics: new IPEndPoint(IPAddress.Loopback, metricsPort), Sockets: sockets);
            Task<int> run = Task.Run(() => XrdmonListen.Run(options, new CliConsole(TextWriter.Null, syncLog), stop.Token));
            int port = 0;
            for (int i = 0; i < 200 && port == 0; i++)
            {
                string first = log.ToString().Split('\n')[0];
                int end = first.IndexOf(" (receive buffer", StringComparison.Ordinal);
                if (end > 0)
                {
                    port = int.Parse(first[(first.LastIndexOf(':', end) + 1)..end], System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    await Task.Delay(50);
                }
            }

            var datagrams = new List<byte[]>();
            var r = new CaptureSpanReader(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "xrdmon", "run1", "origin.xrdmon")));
            while (r.TryRead(out ReadOnlySpan<byte> d))
            {
                datagrams.Add(d.ToArray());
            }

            using (var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            {
                foreach (byte[] d in datagrams)
                {
                    s.SendTo(d, new IPEndPoint(IPAddress.Loopback, port));
                }
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string text = string.Empty;
            for (int i = 0; i < 100 && !text.Contains($"xrdmon_listen_datagrams_total {datagrams.Count}\n", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
                text = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
            }

            Assert.Contains($"xrdmon_listen_datagrams_total {datagrams.Count}\n", text, StringComparison.Ordinal);
            Assert.Contains("xrdmon_listen_lost_total 0\n", text, StringComparison.Ordinal);
            Assert.Contains("xrdmon_listen_servers 1\n", text, StringComparison.Ordinal);
            if (sockets > 1)
            {
                // One sender reaches one socket: its series has every datagram, the other none.
                Assert.Contains("# TYPE xrdmon_listen_socket_datagrams_total counter\n", text, StringComparison.Ordinal);
                Assert.Equal(1, Enumerable.Range(0, sockets).Count(k => text.Contains($"xrdmon_listen_socket_datagrams_total{{socket=\"{k}\"}} {datagrams.Count}\n", StringComparison.Ordinal)));
                Assert.Equal(sockets - 1, Enumerable.Range(0, sockets).Count(k => text.Contains($"xrdmon_listen_socket_datagrams_total{{socket=\"{k}\"}} 0\n", StringComparison.Ordinal)));
            }
            else
            {
                Assert.DoesNotContain("xrdmon_listen_socket_", text, StringComparison.Ordinal);
            }

            stop.Cancel();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
