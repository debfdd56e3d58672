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
using RabbitMQ.Client;
using Toolkit.Runtime.Udp;
using Toolkit.XrdMon.Bus;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>
/// shovel (UDP in) → broker → N collectors, in process: the pieces the CLI commands run, wired the same way. The
/// real captures are replayed from many synthetic servers (one UDP socket each, on its own 127.0.x.y address).
/// </summary>
internal sealed class BusPipeline : IAsyncDisposable
{
    public const int Shards = 12;
    private readonly CancellationTokenSource _shovelStop = new();
    private readonly Thread _receiveThread;
    private readonly UdpDatagramReceiver _receiver;
    private readonly Task _publisher;
    private readonly List<Socket> _senders = [];

    public BusPipeline(RabbitBroker broker, string name, int collectors, string? spoolDir = null, TimeSpan? standbyDelay = null, bool stomp = false, TimeSpan? handBack = null)
    {
        Broker = broker;
        Name = name;
        DeclareAsync(broker, name).GetAwaiter().GetResult();
        Spool = new XrdMonSpool(spoolDir, maxMemoryMessages: spoolDir is null ? 100_000 : 2000);
        Shovel = new XrdMonShovel(new XrdMonShovelOptions { Exchange = name, Version = "toolkit-test", Shards = Shards }, Spool, ShovelLog);
        _receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        _receiveThread = new Thread(() => _receiver.Run(new Handler(Shovel), TimeSpan.FromMilliseconds(100), _shovelStop.Token)) { IsBackground = true };
        _receiveThread.Start();
        _publisher = stomp
            ? Shovel.RunAsync(new StompEndpoint(broker.StompUrl), "/exchange/" + name, _shovelStop.Token, TimeSpan.FromSeconds(30))
            : Shovel.RunAsync(broker.Endpoint, _shovelStop.Token, TimeSpan.FromSeconds(30));
        for (int i = 0; i < collectors; i++)
        {
            Collectors.Add(new CollectorRun(broker, name, i, collectors, standbyDelay, handBack));
        }
    }

    public RabbitBroker Broker { get; }

    public string Name { get; }

    public XrdMonSpool Spool { get; }

    public XrdMonShovel Shovel { get; }

    public StringWriter ShovelLog { get; } = new();

    public List<CollectorRun> Collectors { get; } = [];

    /// <summary>What was sent, in order, as (remote, datagram).</summary>
    public List<(string Remote, byte[] Datagram)> Sent { get; } = [];

    /// <summary>Opens <paramref name="servers"/> sender sockets on distinct loopback addresses.</summary>
    public void OpenSenders(int servers)
    {
        for (int i = 0; i < servers; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(new IPAddress([127, (byte)(1 + i / 250), (byte)(1 + i % 250), 1]), 0));
            _senders.Add(s);
        }
    }

    /// <summary>Sends datagram <paramref name="from"/>..<paramref name="to"/> of the captures from every server, interleaved, pacing on the shovel.</summary>
    public async Task SendAsync(IReadOnlyList<byte[]> capture, int from, int to)
    {
        for (int d = from; d < to; d++)
        {
            foreach (Socket s in _senders)
            {
                s.SendTo(capture[d], _receiver.LocalEndPoint);
                var ep = (IPEndPoint)s.LocalEndPoint!;
                Sent.Add((ShovelerMessage.JoinHostPort(ep.Address.ToString(), ep.Port), capture[d]));
                if (Sent.Count % 500 == 0)
                {
                    await WaitUntilAsync(() => Shovel.Datagrams >= Sent.Count - 1000, TimeSpan.FromSeconds(30), "the shovel to receive");
                }
            }
        }

        await WaitUntilAsync(() => Shovel.Datagrams >= Sent.Count, TimeSpan.FromSeconds(30), "the shovel to receive everything");
    }

    /// <summary>Waits until the spool is empty and the shard queues are drained, then stops the collectors (they flush and ack).</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        await WaitUntilAsync(() => Spool.Depth == 0, timeout, "the shovel's spool to empty");
        // Every published message reached a collector's handler (a message delivered to a client but not dispatched yet
        // is in no queue count), then nothing is ready or unacknowledged.
        await WaitUntilAsync(() => Collectors.Sum(c => c.Bus.Messages) >= Shovel.Published, timeout, "the collectors to process every message");
        await WaitUntilAsync(() => QueuedAsync().GetAwaiter().GetResult() == 0, timeout, "the shard queues to drain");
        foreach (CollectorRun c in Collectors)
        {
            await c.StopAsync();
        }
    }

    /// <summary>The collectors' options (shared by the pipeline and the tests).</summary>
    public static XrdMonBusCollectorOptions BusOptions(string name, int index, int collectors, TimeSpan? standbyDelay = null, TimeSpan? handBack = null) => new()
    {
        Queue = name,
        Exchange = name,
        Shards = Shards,
        Collectors = collectors,
        Index = index,
        AckEvery = 200,
        StandbyDelay = standbyDelay ?? TimeSpan.FromSeconds(2),
        HandBackInterval = handBack ?? TimeSpan.FromSeconds(30),
        IdleFlush = TimeSpan.FromMinutes(5),
        Wlcg = new WlcgOptions { PathPrefixes = ["/up/"], Vos = [], Host = "collector.test" },
    };

    /// <summary>Declares the exchange and shard queues before anything is published (unbound messages would be dropped).</summary>
    public static async Task DeclareAsync(RabbitBroker broker, string name)
    {
        (IConnection conn, IChannel ch) = await broker.OpenAsync();
        await XrdMonBusCollector.DeclareTopologyAsync(ch, BusOptions(name, 0, 1), CancellationToken.None);
        await ch.DisposeAsync();
        await conn.DisposeAsync();
    }

    /// <summary>Messages ready or unacknowledged in all shard queues.</summary>
    public async Task<long> QueuedAsync()
    {
        (IConnection conn, IChannel ch) = await Broker.OpenAsync();
        try
        {
            long n = 0;
            for (int s = 0; s < Shards; s++)
            {
                QueueDeclareOk ok = await ch.QueueDeclarePassiveAsync(XrdMonBusCollector.ShardQueue(Name, s));
                n += ok.MessageCount;
            }

            return n + Collectors.Sum(c => c.Bus.Unacked);
        }
        finally
        {
            await ch.DisposeAsync();
            await conn.DisposeAsync();
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The single in-process reference: one collector fed everything sent, in order.</summary>
    public List<string> ReferenceSummaries()
    {
        var output = new MemoryStream();
        using (var tap = new XrdMonRecordTapStream(output, null))
        using (var collector = new XrdMonCollector(Options(), tap))
        {
            var ids = new Dictionary<string, int>();
            foreach ((string remote, byte[] d) in Sent)
            {
                if (!ids.TryGetValue(remote, out int id))
                {
                    ids[remote] = id = collector.RegisterSender(remote);
                }

                collector.Process(d, id, 1);
            }

            collector.Flush();
        }

        return Normalised(output.ToArray());
    }

    public static XrdMonCollectorOptions Options() => new() { Events = false, Summaries = true };

    /// <summary>Summary lines with the process-local <c>server.instance</c> removed, sorted.</summary>
    public static List<string> Normalised(byte[] jsonLines)
    {
        var list = new List<string>();
        foreach (string line in Encoding.UTF8.GetString(jsonLines).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("event").GetString() != "summary")
            {
                continue;
            }

            var sb = new StringBuilder();
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "server")
                {
                    sb.Append("server=").Append(string.Join(',', p.Value.EnumerateObject().Where(q => q.Name != "instance").Select(q => q.Name + ":" + q.Value.GetRawText())));
                }
                else
                {
                    sb.Append(p.Name).Append('=').Append(p.Value.GetRawText());
                }

                sb.Append(';');
            }

            list.Add(sb.ToString());
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (CollectorRun c in Collectors)
        {
            await c.StopAsync();
        }

        _shovelStop.Cancel();
        try
        {
            await _publisher.WaitAsync(TimeSpan.FromSeconds(40));
        }
        catch (TimeoutException)
        {
            // The broker is gone: what is left stays in the spool.
        }

        _receiveThread.Join(TimeSpan.FromSeconds(5));
        _receiver.Dispose();
        Shovel.Dispose();
        Spool.Dispose();
        foreach (Socket s in _senders)
        {
            s.Dispose();
        }

        _shovelStop.Dispose();
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

/// <summary>One bus collector writing into memory.</summary>
internal sealed class CollectorRun : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private bool _stopped;

    public CollectorRun(RabbitBroker broker, string name, int index, int collectors, TimeSpan? standbyDelay = null, TimeSpan? handBack = null)
    {
        Bus = new XrdMonBusCollector(BusPipeline.BusOptions(name, index, collectors, standbyDelay, handBack), BusPipeline.Options(), Output, Wlcg, Log);
        _run = Task.Run(() => Bus.RunAsync(broker.Endpoint, _stop.Token));
    }

    public XrdMonBusCollector Bus { get; }

    public MemoryStream Output { get; } = new();

    public MemoryStream Wlcg { get; } = new();

    public StringWriter Log { get; } = new();

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _stop.Cancel();
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
        Bus.Dispose();
        _stop.Dispose();
    }

    public void Dispose()
    {
        _stop.Dispose();
        Bus.Dispose();
    }

    public async Task KillAsync()
    {
        await Bus.AbortAsync();
        await StopAsync();
    }
}
