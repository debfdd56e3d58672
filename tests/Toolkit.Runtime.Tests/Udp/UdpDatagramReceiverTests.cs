using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Udp;

namespace Toolkit.Runtime.Tests.Udp;

/// <summary>
/// The receive loop (batched with recvmmsg on 64-bit Linux): every datagram arrives whole, in order per sender, with
/// its sender's address, more than a batch at a time; what is queued when it stops is still handed over.
/// </summary>
public sealed class UdpDatagramReceiverTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Every_datagram_arrives_whole_with_its_sender(string address)
    {
        IPAddress ip = IPAddress.Parse(address);
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(ip, 0));
        Assert.Equal(OperatingSystem.IsLinux() && Environment.Is64BitProcess, receiver.IsBatched);
        var senders = Enumerable.Range(0, 3).Select(_ => new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp)).ToArray();
        try
        {
            foreach (Socket s in senders)
            {
                s.Connect(receiver.LocalEndPoint);
            }

            // 3 senders × 150 datagrams (more than two batches of 64 queued at once), sizes 1 byte to 65,507 bytes.
            const int PerSender = 150;
            var expected = new Dictionary<int, List<byte[]>>();
            for (int k = 0; k < senders.Length; k++)
            {
                int port = ((IPEndPoint)senders[k].LocalEndPoint!).Port;
                expected[port] = [];
                for (int i = 0; i < PerSender; i++)
                {
                    int size = i == 7 ? 65507 : 1 + ((i * 37) + k) % 1400;
                    byte[] d = new byte[size];
                    new Random((k * 1000) + i).NextBytes(d);
                    expected[port].Add(d);
                    senders[k].Send(d);
                }
            }

            var handler = new Recorder();
            using var stop = new CancellationTokenSource();
            stop.Cancel();

            // Cancelled before it starts: the loop only hands over what is queued, which is everything sent.
            receiver.Run(handler, TimeSpan.FromMilliseconds(50), stop.Token);

            Assert.Equal(senders.Length * PerSender, handler.Received.Count);
            Assert.Equal(handler.Received.Count, receiver.Counters.Datagrams);
            Assert.Equal(expected.Values.Sum(l => l.Sum(d => (long)d.Length)), receiver.Counters.Bytes);
            foreach ((int port, List<byte[]> sent) in expected)
            {
                List<byte[]> got = handler.Received.Where(r => r.Sender.Port == port).Select(r => r.Data).ToList();
                Assert.Equal(sent.Count, got.Count);
                for (int i = 0; i < sent.Count; i++)
                {
                    Assert.Equal(sent[i], got[i]);
                }

                Assert.All(handler.Received.Where(r => r.Sender.Port == port), r => Assert.Equal(ip, r.Sender.Address));
            }
        }
        finally
        {
            foreach (Socket s in senders)
            {
                s.Dispose();
            }
        }
    }

    [Fact]
    public async Task An_idle_socket_ticks_the_handler_and_stops_on_cancellation()
    {
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        var handler = new Recorder();
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(() => receiver.Run(handler, TimeSpan.FromMilliseconds(20), stop.Token));
        using (var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            sender.SendTo(new byte[] { 1, 2, 3 }, receiver.LocalEndPoint);
            for (int i = 0; i < 500 && (Volatile.Read(ref handler.Idle) < 3 || handler.Count == 0); i++)
            {
                await Task.Delay(10);
            }
        }

        stop.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(handler.Idle >= 3, $"{handler.Idle} idle ticks");
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(handler.Received).Data);
    }

    [Fact]
    public void Sockets_share_a_port_only_with_reuse_port()
    {
        using var first = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0), 1 << 20, reusePort: true);
        using var second = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, first.LocalEndPoint.Port), 1 << 20, reusePort: true);
        Assert.Equal(first.LocalEndPoint, second.LocalEndPoint);
        Assert.Throws<SocketException>(() => new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, first.LocalEndPoint.Port), 1 << 20));
    }

    [Fact]
    public async Task The_receive_timestamp_is_taken_per_receive_call()
    {
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        var stamps = new Stamps(receiver);
        using var stop = new CancellationTokenSource();
        Task run = Task.Factory.StartNew(() => receiver.Run(stamps, TimeSpan.FromMilliseconds(50), stop.Token), TaskCreationOptions.LongRunning);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        long before = System.Diagnostics.Stopwatch.GetTimestamp();
        sender.SendTo(new byte[] { 1 }, receiver.LocalEndPoint);
        await Task.Delay(100);
        sender.SendTo(new byte[] { 2 }, receiver.LocalEndPoint);
        for (int i = 0; i < 200 && Volatile.Read(ref stamps.Count) < 2; i++)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, stamps.Count);
        Assert.True(stamps.First >= before, "the first receive's timestamp is before the send");
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(stamps.First, stamps.Second) >= TimeSpan.FromMilliseconds(50), "two receives 100 ms apart share a timestamp");
    }

    [Fact]
    public void Long_and_short_datagrams_arrive_whole_in_one_batch()
    {
        // Several long datagrams in one batch, mixed with short ones.
        int[] sizes = [16447, 16448, 16449, 1, 30000, 65507, 65507, 2, 16500, 40000, 16448, 3];
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Connect(receiver.LocalEndPoint);
        var sent = new List<byte[]>();
        for (int i = 0; i < sizes.Length; i++)
        {
            byte[] d = new byte[sizes[i]];
            new Random(i).NextBytes(d);
            sent.Add(d);
            sender.Send(d);
        }

        var handler = new Recorder();
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        receiver.Run(handler, TimeSpan.FromMilliseconds(50), stop.Token);

        Assert.Equal(sizes.Length, handler.Received.Count);
        for (int i = 0; i < sizes.Length; i++)
        {
            Assert.Equal(sent[i], handler.Received[i].Data);
        }

        Assert.Equal(sizes.Sum(n => (long)n), receiver.Counters.Bytes);
        if (receiver.IsBatched)
        {
            Assert.Equal(1, receiver.Counters.Batches);
        }
    }

    [Fact]
    public async Task A_trickle_arrives_one_by_one_without_waiting_for_the_idle_tick()
    {
        // Each datagram is sent only when the previous one was handled, so every receive call returns a short batch and
        // is followed by the coalescing sleep. The idle interval is 30 s: a datagram held until a timeout would stall
        // the test, and a sleep that did not end would too.
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0)) { CoalesceDelay = UdpDatagramReceiver.MaxCoalesceDelay };
        var handler = new Recorder();
        using var stop = new CancellationTokenSource();
        Task run = Task.Factory.StartNew(() => receiver.Run(handler, TimeSpan.FromSeconds(30), stop.Token), TaskCreationOptions.LongRunning);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        const int Count = 20;
        for (int i = 0; i < Count; i++)
        {
            sender.SendTo(new[] { (byte)i }, receiver.LocalEndPoint);
            for (int wait = 0; wait < 1000 && handler.Count <= i; wait++)
            {
                await Task.Delay(5);
            }

            Assert.True(handler.Count == i + 1, $"datagram {i} was not handled within 5 s of its send");
        }

        // Stopping waits for the receive call in progress (up to the idle interval): wake it with one more datagram
        // (handled too, unless the loop saw the cancellation during its sleep and found nothing queued yet).
        await stop.CancelAsync();
        sender.SendTo(new byte[] { 255 }, receiver.LocalEndPoint);
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (byte)i), handler.Received.Take(Count).Select(r => Assert.Single(r.Data)));
        Assert.InRange(handler.Count, Count, Count + 1);
        Assert.Equal(0, handler.Idle);
        if (receiver.IsBatched)
        {
            // One datagram per call: each was sent only after the previous one was handled.
            Assert.Equal(handler.Count, receiver.Counters.Batches);
        }
    }

    [Fact]
    public void The_coalescing_delay_is_bounded()
    {
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal(UdpDatagramReceiver.DefaultCoalesceDelay, receiver.CoalesceDelay);
        receiver.CoalesceDelay = TimeSpan.Zero;
        Assert.Equal(TimeSpan.Zero, receiver.CoalesceDelay);
        Assert.Throws<ArgumentOutOfRangeException>(() => receiver.CoalesceDelay = TimeSpan.FromMilliseconds(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => receiver.CoalesceDelay = TimeSpan.FromTicks(-1));
        Assert.Equal(TimeSpan.Zero, receiver.CoalesceDelay);
    }

    private sealed class Stamps(UdpDatagramReceiver receiver) : IUdpDatagramHandler
    {
        public int Count;
        public long First;
        public long Second;

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender)
        {
            if (Count == 0)
            {
                First = receiver.LastReceiveTimestamp;
            }
            else
            {
                Second = receiver.LastReceiveTimestamp;
            }

            Volatile.Write(ref Count, Count + 1);
        }

        public void OnIdle()
        {
        }
    }

    private sealed class Recorder : IUdpDatagramHandler
    {
        private readonly object _lock = new();
        public int Idle;

        public List<(IPEndPoint Sender, byte[] Data)> Received { get; } = [];

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return Received.Count;
                }
            }
        }

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender)
        {
            var endpoint = (IPEndPoint)new IPEndPoint(sender.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(sender);
            lock (_lock)
            {
                Received.Add((endpoint, datagram.ToArray()));
            }
        }

        public void OnIdle() => Interlocked.Increment(ref Idle);
    }
}
