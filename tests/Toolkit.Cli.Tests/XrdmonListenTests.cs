using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Capture;

namespace Toolkit.Cli.Tests;

/// <summary><c>toolkit xrdmon listen</c> in process: IPv6 loopback, IPv4 with the real capture, <c>--stats-every</c>, clean stop.</summary>
public class XrdmonListenTests
{
    private static List<byte[]> Capture(string name)
    {
        var list = new List<byte[]>();
        var r = new CaptureSpanReader(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "xrdmon", "run1", name)));
        while (r.TryRead(out ReadOnlySpan<byte> d))
        {
            list.Add(d.ToArray());
        }

        return list;
    }

    private static List<JsonElement> Stats(string log) => log.Split('\n')
        .Where(l => l.StartsWith("{\"event\":\"stats\"", StringComparison.Ordinal))
        .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Theory]
    [InlineData("[::1]:0", AddressFamily.InterNetworkV6)]
    [InlineData("127.0.0.1:0", AddressFamily.InterNetwork)]
    public async Task Listen_resolves_a_real_capture_sent_over_udp_and_reports_stats_periodically(string listen, AddressFamily family)
    {
        Assert.True(Toolkit.Runtime.Udp.UdpDatagramReceiver.TryParseEndpoint(listen, out IPEndPoint endpoint));
        var log = new LockedWriter();
        var output = new MemoryStream();
        using var stop = new CancellationTokenSource();
        var options = XrdmonCommands.CollectorOptions(summariesOnly: false, window: 8);
        Task<int> run = Task.Run(() => XrdmonListen.Run(endpoint, output, options, TimeSpan.FromMilliseconds(200), log, stop.Token));

        int port = 0;
        for (int i = 0; i < 100 && port == 0; i++)
        {
            string first = log.Text.Split('\n')[0];
            int colon = first.IndexOf(" (receive buffer", StringComparison.Ordinal);
            if (colon > 0)
            {
                string bound = first[..colon];
                port = int.Parse(bound[(bound.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                await Task.Delay(50);
            }
        }

        Assert.NotEqual(0, port);
        List<byte[]> datagrams = Capture("origin.xrdmon");
        using (var sender = new Socket(family, SocketType.Dgram, ProtocolType.Udp))
        {
            sender.Connect(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, port));
            foreach (byte[] d in datagrams)
            {
                sender.Send(d);
            }
        }

        // --stats-every 0.2 s: wait for two periodic reports that have seen every datagram.
        for (int i = 0; i < 200 && Stats(log.Text).Count(s => s.GetProperty("datagrams").GetInt64() == datagrams.Count) < 2; i++)
        {
            await Task.Delay(50);
        }

        stop.Cancel();
        Assert.Equal(0, await run);

        List<JsonElement> stats = Stats(log.Text);
        Assert.True(stats.Count >= 3, log.Text); // at least two periodic reports and the one on exit
        JsonElement final = stats[^1];
        Assert.Equal(datagrams.Count, final.GetProperty("datagrams").GetInt64());
        Assert.Equal(0, final.GetProperty("lost").GetInt64());
        Assert.Equal(0, final.GetProperty("rejected").GetInt64());
        Assert.Equal(datagrams.Count, final.GetProperty("decoded").GetInt64());

        List<JsonElement> events = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var summaries = events.Where(e => e.GetProperty("event").GetString() == "summary").ToList();
        Assert.Contains(summaries, s => s.GetProperty("lfn").GetString() == "/up/f1" && s.GetProperty("read_bytes").GetInt64() == 1000);
        string senderText = summaries[0].GetProperty("server").GetProperty("sender").GetString()!;
        Assert.StartsWith(family == AddressFamily.InterNetworkV6 ? "[::1]:" : "127.0.0.1:", senderText, StringComparison.Ordinal);
        Assert.Equal("origin", summaries[0].GetProperty("server").GetProperty("inst").GetString());
    }

    /// <summary>A log the receiver thread writes while the test reads it.</summary>
    [Theory]
    [InlineData(0, false, "--sockets must be 1 to 64")]
    [InlineData(65, false, "--sockets must be 1 to 64")]
    [InlineData(65, true, "--sockets must be 1 to 64")]
    public void Bad_socket_counts_are_usage_errors(int sockets, bool metrics, string message)
    {
        string dir = Directory.CreateTempSubdirectory("xrdmon-listen-").FullName;
        try
        {
            var error = new StringWriter();
            var options = new XrdmonListenOptions(new IPEndPoint(IPAddress.Loopback, 0), Path.Combine(dir, "out.jsonl"), "jsonl",
                Metrics: metrics ? new IPEndPoint(IPAddress.Loopback, 0) : null, Sockets: sockets);
            Assert.Equal(ExitCodes.Usage, XrdmonListen.Run(options, new CliConsole(TextWriter.Null, error), CancellationToken.None));
            Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class LockedWriter : TextWriter
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

        public override void WriteLine(string? value)
        {
            lock (_text)
            {
                _text.Append(value).Append('\n');
            }
        }
    }
}
