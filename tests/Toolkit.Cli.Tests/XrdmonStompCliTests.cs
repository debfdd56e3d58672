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
using Toolkit.XrdMon.Tests.Bus;

namespace Toolkit.Cli.Tests;

/// <summary><c>toolkit xrdmon shovel --stomp</c> into rabbitmq_stomp, and <c>collect</c> with a drop filter reading the shard queues.</summary>
public sealed class XrdmonStompCliTests(RabbitBroker broker) : IClassFixture<RabbitBroker>
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

    private static async Task<string> Line(StringWriter log, string prefix)
    {
        for (int i = 0; i < 600; i++)
        {
            string? line;
            lock (log)
            {
                line = log.ToString().Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            }

            if (line is not null)
            {
                return line;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no line " + prefix + " in: " + log);
    }

    [Fact]
    public async Task Shovel_over_stomp_and_collect_with_a_drop_filter()
    {
        string dir = Directory.CreateTempSubdirectory("toolkit-stomp-cli-").FullName;
        try
        {
            string token = Path.Combine(dir, "token");
            File.WriteAllText(token, broker.Password + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            string summaries = Path.Combine(dir, "summaries.jsonl");
            using var stop = new CancellationTokenSource();
            var collectLog = new StringWriter();
            var shovelLog = new StringWriter();
            var collectOptions = new XrdmonCollectOptions($"amqp://tk@127.0.0.1:{broker.Port}/", token, "clistomp", "clistomp", "direct", 4, 1, 0, summaries, true, 16, null, null, [], [],
                new IPEndPoint(IPAddress.Loopback, 0), 0) { DropPathPrefixes = ["/up/"] };
            Task<int> collect = Task.Run(() => XrdmonCollect.Run(collectOptions, new CliConsole(TextWriter.Null, TextWriter.Synchronized(collectLog)), stop.Token));
            string collectFirst = await Line(collectLog, "xrdmon collect: amqp");
            await Line(collectLog, "xrdmon collect: consuming");
            var shovelOptions = new XrdmonShovelOptions(new IPEndPoint(IPAddress.Loopback, 0), string.Empty, token, string.Empty, "direct", true, "remote", 4, [], true,
                null, 1 << 20, 100_000, 64, null, 0) { Stomp = $"stomp://tk@127.0.0.1:{broker.StompPort}/", StompDestination = "/exchange/clistomp" };
            Task<int> shovel = Task.Run(() => XrdmonShovel.Run(shovelOptions, new CliConsole(TextWriter.Null, TextWriter.Synchronized(shovelLog)), stop.Token));
            string first = await Line(shovelLog, "xrdmon shovel: udp ");
            int udpPort = int.Parse(first.Split(' ')[3].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("destination '/exchange/clistomp'", first, StringComparison.Ordinal);

            List<byte[]> capture = Capture("origin");
            using (var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            {
                s.Bind(new IPEndPoint(new IPAddress([127, 0, 4, 1]), 0));
                foreach (byte[] d in capture)
                {
                    s.SendTo(d, new IPEndPoint(IPAddress.Loopback, udpPort));
                    await Task.Delay(1);
                }
            }

            string metricsUrl = collectFirst[(collectFirst.IndexOf("metrics http://", StringComparison.Ordinal) + 8)..].Trim();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string metrics = string.Empty;
            for (int i = 0; i < 600 && !metrics.Contains($"xrdmon_collect_messages_total {capture.Count}\n", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
                metrics = await http.GetStringAsync(metricsUrl);
            }

            await Task.Delay(1000);
            stop.Cancel();
            Assert.Equal(0, await collect.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, await shovel.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains($"xrdmon_collect_messages_total {capture.Count}\n", metrics, StringComparison.Ordinal);
            var lines = File.ReadAllLines(summaries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            Assert.NotEmpty(lines);
            Assert.DoesNotContain(lines, l => l.GetProperty("lfn").GetString()!.StartsWith("/up/", StringComparison.Ordinal));
            string stats = collectLog.ToString().Split('\n').Last(l => l.Contains("\"event\":\"bus_stats\"", StringComparison.Ordinal));
            long dropped = JsonDocument.Parse(stats).RootElement.GetProperty("dropped_path_prefix").GetInt64();
            Assert.True(dropped > 0, stats);
            Assert.Contains("(STOMP", shovelLog.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(broker.Password, shovelLog.ToString() + collectLog.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
