using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Toolkit.Runtime.Udp;
using Toolkit.XrdMon.Bus;
using Toolkit.XrdMon.Collector;

namespace Toolkit.Bench;

/// <summary>
/// <c>xrdmon-bus --amqp URL [--collectors N] [--servers S] [--shards K] [--rate R]</c>: end to end through a real broker. The
/// real captures (testdata/xrdmon/run1) are replayed from S synthetic servers (one UDP socket each on its own
/// 127.0.x.y) into an in-process <see cref="XrdMonShovel"/>, published with confirms to a direct exchange (routing key: the sender's shard),
/// and consumed by N in-process <see cref="XrdMonBusCollector"/>s on K shard queues. Reports datagrams per second from
/// the first send to the last datagram processed, and the p50/p99 latency from a datagram's UDP send to the moment
/// its collector processed it (its records are produced then; they reach the output file at the next acknowledgement
/// flush, at most 200 ms later). Without <c>--rate</c> the senders go as fast as the shovel takes the datagrams, so
/// the latency includes the backlog; with <c>--rate R</c> they are paced at R datagrams/s.
/// </summary>
public static class XrdMonBusRun
{
    public static int Run(string[] args)
    {
        string? url = null;
        int collectors = 1, servers = 300, shards = 12;
        double rate = 0;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--amqp": url = args[++i]; break;
                case "--collectors": collectors = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--servers": servers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--shards": shards = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rate": rate = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException("unknown argument " + args[i]);
            }
        }

        if (url is null)
        {
            Console.Error.WriteLine("usage: xrdmon-bus --amqp URL [--collectors N] [--servers S] [--shards K]");
            return 2;
        }

        return RunAsync(new AmqpEndpoint(url), collectors, servers, shards, rate).GetAwaiter().GetResult();
    }

    private static List<byte[]> Capture()
    {
        var list = new List<byte[]>();
        foreach (string name in new[] { "origin", "proxy" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(RepoRoot(), "testdata", "xrdmon", "run1", name + ".xrdmon"));
            int pos = 0;
            while (pos + 4 <= bytes.Length)
            {
                int len = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(pos));
                list.Add(bytes.AsSpan(pos + 4, len).ToArray());
                pos += 4 + len;
            }
        }

        return list;
    }

    private static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Toolkit.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("run from inside the repository");
    }

    private static async Task<int> RunAsync(AmqpEndpoint endpoint, int collectors, int servers, int shards, double rate)
    {
        string name = "bench-" + Guid.NewGuid().ToString("N")[..8];
        List<byte[]> capture = Capture();
        var busOptions = Enumerable.Range(0, collectors).Select(i => new XrdMonBusCollectorOptions
        {
            Queue = name, Exchange = name, Shards = shards, Collectors = collectors, Index = i, StandbyDelay = TimeSpan.FromMinutes(10),
        }).ToList();
        await using (IConnection c = await endpoint.ConnectAsync("bench setup", CancellationToken.None))
        await using (IChannel ch = await c.CreateChannelAsync())
        {
            await XrdMonBusCollector.DeclareTopologyAsync(ch, busOptions[0], CancellationToken.None);
        }

        // Send times per (server, datagram); a server's datagrams arrive in order at one collector.
        var sendTicks = new long[servers][];
        var arrivals = new int[servers];
        var latencies = new ConcurrentBag<long>();
        var index = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        long processed = 0, lastTicks = 0;
        using var stop = new CancellationTokenSource();
        var buses = new List<XrdMonBusCollector>();
        var runs = new List<Task>();
        foreach (XrdMonBusCollectorOptions o in busOptions)
        {
            var bus = new XrdMonBusCollector(o, new XrdMonCollectorOptions { Events = false, Summaries = true }, Stream.Null, null, TextWriter.Null);
            bus.Processed = remote =>
            {
                long now = Stopwatch.GetTimestamp();
                int s = index[remote];
                int k = arrivals[s]++;
                latencies.Add(now - sendTicks[s][k]);
                Interlocked.Increment(ref processed);
                Volatile.Write(ref lastTicks, now);
            };
            buses.Add(bus);
            runs.Add(Task.Run(() => bus.RunAsync(endpoint, stop.Token)));
        }

        using var spool = new XrdMonSpool(null, maxMemoryMessages: 1_000_000);
        using var shovel = new XrdMonShovel(new XrdMonShovelOptions { Exchange = name, Shards = shards }, spool, TextWriter.Null);
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        var receiveThread = new Thread(() => receiver.Run(new Handler(shovel), TimeSpan.FromMilliseconds(100), stop.Token)) { IsBackground = true };
        receiveThread.Start();
        Task publisher = shovel.RunAsync(endpoint, stop.Token, TimeSpan.FromSeconds(5));
        await Task.Delay(1500); // collectors subscribed

        var sockets = new List<Socket>();
        for (int i = 0; i < servers; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(new IPAddress([127, (byte)(1 + i / 250), (byte)(1 + i % 250), 1]), 0));
            var ep = (IPEndPoint)s.LocalEndPoint!;
            index[ShovelerMessage.JoinHostPort(ep.Address.ToString(), ep.Port)] = i;
            sendTicks[i] = new long[capture.Count];
            sockets.Add(s);
        }

        long total = (long)servers * capture.Count, sent = 0;
        long start = Stopwatch.GetTimestamp();
        for (int d = 0; d < capture.Count; d++)
        {
            for (int i = 0; i < servers; i++)
            {
                if (rate > 0)
                {
                    // Paced: datagram n leaves at n / rate seconds (latency at a load below capacity).
                    long due = start + (long)(sent / rate * Stopwatch.Frequency);
                    while (Stopwatch.GetTimestamp() < due)
                    {
                        Thread.Sleep(0);
                    }
                }

                sendTicks[i][d] = Stopwatch.GetTimestamp();
                sockets[i].SendTo(capture[d], receiver.LocalEndPoint);
                if (++sent % 256 == 0)
                {
                    while (shovel.Datagrams < sent - 4096)
                    {
                        Thread.Yield();
                    }
                }
            }
        }

        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (Interlocked.Read(ref processed) < total && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        double seconds = (Volatile.Read(ref lastTicks) - start) / (double)Stopwatch.Frequency;
        long[] lat = [.. latencies.OrderBy(x => x)];
        double Ms(double q) => lat.Length == 0 ? double.NaN : lat[Math.Min(lat.Length - 1, (int)(q * lat.Length))] * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {collectors} | {servers} | {total} | {Interlocked.Read(ref processed)} | {total / seconds:F0} | {Ms(0.50):F1} | {Ms(0.99):F1} | {buses.Sum(b => b.Summaries)} |"));
        stop.Cancel();
        await Task.WhenAll(runs);
        await publisher;
        receiveThread.Join();
        foreach (XrdMonBusCollector b in buses)
        {
            b.Dispose();
        }

        foreach (Socket s in sockets)
        {
            s.Dispose();
        }

        await using (IConnection c = await endpoint.ConnectAsync("bench cleanup", CancellationToken.None))
        await using (IChannel ch = await c.CreateChannelAsync())
        {
            for (int s = 0; s < shards; s++)
            {
                await ch.QueueDeleteAsync(XrdMonBusCollector.ShardQueue(name, s));
            }

            await ch.ExchangeDeleteAsync(name);
        }

        return processed == total ? 0 : 1;
    }

    private sealed class Handler(XrdMonShovel shovel) : IUdpDatagramHandler
    {
        private readonly IPEndPoint _template = new(IPAddress.Any, 0);

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender)
        {
            var ep = (IPEndPoint)_template.Create(sender);
            shovel.Offer(datagram, ep.Address, ep.Port);
        }

        public void OnIdle()
        {
        }
    }
}
