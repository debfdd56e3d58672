using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.XrdMon.Collector;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// <see cref="XrdMonUdpListener"/> on loopback: several sockets sharing the port (SO_REUSEPORT) give the same events and
/// summaries as one socket for the same senders, every line whole, each server's lines in order.
/// </summary>
public sealed class UdpListenerTests
{
    private const int Senders = 12;

    [Fact]
    public async Task Several_sockets_give_the_same_events_and_summaries_as_one()
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

            // The same senders (same source ports) send the same datagrams to a one-socket and a four-socket listener.
            (List<string> one, long[] oneShares) = await ListenAsync(1, sockets, origin, proxy);
            (List<string> four, long[] fourShares) = await ListenAsync(4, sockets, origin, proxy);
            Assert.Single(oneShares);
            Assert.True(fourShares.Count(n => n > 0) >= 2, "the kernel spread 12 senders over fewer than 2 of 4 sockets: " + string.Join(", ", fourShares));
            Assert.Contains(one, l => l.Contains("\"event\":\"summary\"", StringComparison.Ordinal));
            Assert.True(one.Count > 1000, "too few lines: " + one.Count);

            // Instances are numbered apart by socket; with that number taken out, the same lines.
            Assert.Equal(Normalised(one), Normalised(four));
            Assert.Equal(Normalised(one.Where(IsSummary)), Normalised(four.Where(IsSummary)));
            AssertServersInOrder(one, four);
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
    public void Lines_written_in_pieces_reach_the_shared_output_whole()
    {
        var shared = new MemoryStream();
        var gate = new object();
        using var a = new LineMergeStream(shared, gate);
        using var b = new LineMergeStream(shared, gate);
        a.Write("{\"a\":"u8);
        b.Write("{\"b\":1}\n{\"b\""u8);
        a.Write("1}\n{\"a\":2}"u8);
        b.Write(":2}\n"u8);
        a.Write("\n"u8);
        Assert.Equal("{\"b\":1}\n{\"a\":1}\n{\"b\":2}\n{\"a\":2}\n", Encoding.UTF8.GetString(shared.ToArray()));
    }

    private static bool IsSummary(string line) => line.Contains("\"event\":\"summary\"", StringComparison.Ordinal);

    private static List<string> Normalised(IEnumerable<string> lines) => lines.Select(l =>
    {
        JsonNode node = JsonNode.Parse(l)!;
        node["server"]!.AsObject().Remove("instance");
        return node.ToJsonString();
    }).Order(StringComparer.Ordinal).ToList();

    /// <summary>Each server's lines (by sender) come in the same order from one socket and from four.</summary>
    private static void AssertServersInOrder(List<string> one, List<string> four)
    {
        static Dictionary<string, List<string>> BySender(List<string> lines) => lines
            .Select(l => JsonNode.Parse(l)!)
            .GroupBy(n => n["server"]!["sender"]!.GetValue<string>() + "/" + n["server"]!["stod"]!.GetValue<int>())
            .ToDictionary(g => g.Key, g => g.Select(n =>
            {
                n["server"]!.AsObject().Remove("instance");
                return n.ToJsonString();
            }).ToList());
        Dictionary<string, List<string>> a = BySender(one), b = BySender(four);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (string key in a.Keys)
        {
            Assert.Equal(a[key], b[key]);
        }
    }

    private static async Task<(List<string> Lines, long[] Shares)> ListenAsync(int count, Socket[] senders, byte[][] origin, byte[][] proxy)
    {
        var output = new MemoryStream();
        using var listener = new XrdMonUdpListener(new IPEndPoint(IPAddress.Loopback, 0), new XrdMonCollectorOptions(), output, null, count);
        using var stop = new CancellationTokenSource();
        Task run = Task.Factory.StartNew(() => listener.Run(TimeSpan.FromMilliseconds(50), null, stop.Token), TaskCreationOptions.LongRunning);
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
        }

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (listener.Datagrams < total && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(total, listener.Datagrams);
        long[] shares = listener.Collectors.Select(c => c.Counters.Datagrams).ToArray();
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        return (lines, shares);
    }
}
