using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Toolkit.XrdMon.Collector;
using Toolkit.Runtime.Udp;

namespace Toolkit.Bench.Collector;

/// <summary>
/// <c>udp-ingest [RATE...]</c>: UDP ingest on loopback with the senders in separate processes. For each rate (datagrams/s)
/// the receiver (<see cref="UdpDatagramReceiver"/> feeding a count-only <see cref="XrdMonCollector"/>, as
/// <c>toolkit xrdmon listen</c> does) binds 127.0.0.1:0, this program starts itself as <c>udp-send</c> in child
/// processes (<c>--senders N</c>, default 1, each its share of the rate), and after the child exits and the socket drains the received count is compared with the sent count.
/// </summary>
public static class UdpIngestRun
{
    private const double Seconds = 3;

    public static int Run(string[] args)
    {
        var rates = new List<int>();
        int senders = 1;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--senders")
            {
                senders = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                rates.Add(int.Parse(args[i], CultureInfo.InvariantCulture));
            }
        }

        if (rates.Count == 0)
        {
            rates.AddRange([100_000, 150_000, 200_000, 250_000, 300_000, 350_000, 400_000, 500_000, 600_000]);
        }

        // Warm-up (not reported): tier the JIT up on both sides of the socket.
        Step(50_000, 2, senders);
        Console.WriteLine("| target rate (datagrams/s) | achieved send rate | sent | received | lost | kernel RcvbufErrors | records | receiver CPU per datagram |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        int best = 0;
        foreach (int rate in rates)
        {
            (double achieved, long sent, long received, long records, long rcvbuf, TimeSpan cpu) = Step(rate, Seconds, senders);
            long lost = sent - received;
            Console.WriteLine($"| {rate:N0} | {achieved:N0} | {sent:N0} | {received:N0} | {lost:N0} | {rcvbuf:N0} | {records:N0} | {cpu.TotalMicroseconds / Math.Max(1, received):F2} µs |");
            if (lost == 0)
            {
                best = Math.Max(best, (int)achieved);
            }
        }

        Console.WriteLine($"highest achieved rate with zero loss: {best:N0} datagrams/s");
        return 0;
    }

    private static (double Achieved, long Sent, long Received, long Records, long RcvbufErrors, TimeSpan ReceiverCpu) Step(int rate, double seconds, int senders)
    {
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        using var collector = new XrdMonCollector(new XrdMonCollectorOptions { Events = false, Summaries = false }, null);
        var handler = new Handler(collector);
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() => receiver.Run(handler, TimeSpan.FromMilliseconds(50), stop.Token)) { IsBackground = true, Name = "udp-ingest" };
        thread.Start();

        long rcvbufBefore = RcvbufErrors();
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        long count = (long)(rate * seconds);
        // One or more sender processes, each sending its share of the rate from its own 16 sockets.
        var children = new List<Process>();
        for (int k = 0; k < senders; k++)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
            foreach (string a in new[] { typeof(UdpIngestRun).Assembly.Location, "udp-send", receiver.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture), (rate / senders).ToString(CultureInfo.InvariantCulture), (count / senders).ToString(CultureInfo.InvariantCulture) })
            {
                psi.ArgumentList.Add(a);
            }

            children.Add(Process.Start(psi)!);
        }

        long sent = 0;
        double sendRate = 0;
        foreach (Process child in children)
        {
            string[] f = child.StandardOutput.ReadToEnd().Trim().Split(' ');
            child.WaitForExit();
            child.Dispose();
            long n = long.Parse(f[0], CultureInfo.InvariantCulture);
            sent += n;
            sendRate += n / double.Parse(f[1], CultureInfo.InvariantCulture);
        }

        // Drain: wait until nothing arrived for half a second.
        long last = -1;
        while (Interlocked.Read(ref handler.Datagrams) != last)
        {
            last = Interlocked.Read(ref handler.Datagrams);
            Thread.Sleep(500);
        }

        stop.Cancel();
        thread.Join();
        self.Refresh();
        TimeSpan cpu = self.TotalProcessorTime - cpuBefore;
        return (sendRate, sent, handler.Datagrams, collector.Counters.Records, RcvbufErrors() - rcvbufBefore, cpu);
    }

    private static long RcvbufErrors()
    {
        // /proc/net/snmp: "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors ..." then the values.
        string[] lines = File.ReadAllLines("/proc/net/snmp");
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i].StartsWith("Udp: ", StringComparison.Ordinal) && lines[i + 1].StartsWith("Udp: ", StringComparison.Ordinal))
            {
                int column = Array.IndexOf(lines[i].Split(' '), "RcvbufErrors");
                return column > 0 ? long.Parse(lines[i + 1].Split(' ')[column], CultureInfo.InvariantCulture) : -1;
            }
        }

        return -1;
    }

    /// <summary>What <c>toolkit xrdmon listen</c> does per datagram: map the sender address to an id, feed the collector.</summary>
    private sealed class Handler(XrdMonCollector collector) : IUdpDatagramHandler
    {
        private readonly Dictionary<SocketAddress, int> _senders = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        public long Datagrams;

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender)
        {
            if (!_senders.TryGetValue(sender, out int id))
            {
                var copy = new SocketAddress(sender.Family, sender.Size);
                sender.Buffer.Span.CopyTo(copy.Buffer.Span);
                id = collector.RegisterSender(_senders.Count.ToString(CultureInfo.InvariantCulture));
                _senders.Add(copy, id);
            }

            collector.Process(datagram, id, _clock.Elapsed.Ticks);
            Interlocked.Increment(ref Datagrams);
        }

        public void OnIdle()
        {
        }
    }
}

/// <summary><c>udp-send PORT RATE COUNT</c>: sends COUNT replayed datagrams to 127.0.0.1:PORT from 16 sockets at RATE per second; prints "SENT SECONDS".</summary>
public static class UdpSendRun
{
    public static int Run(string[] args)
    {
        int port = int.Parse(args[0], CultureInfo.InvariantCulture);
        int rate = int.Parse(args[1], CultureInfo.InvariantCulture);
        long count = long.Parse(args[2], CultureInfo.InvariantCulture);
        const int SocketCount = 16;
        var corpus = new CollectorCorpus(servers: SocketCount, datagrams: 100_000);
        var sockets = new Socket[SocketCount];
        for (int i = 0; i < sockets.Length; i++)
        {
            sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            sockets[i].Connect(new IPEndPoint(IPAddress.Loopback, port));
        }

        double ticksPerDatagram = (double)Stopwatch.Frequency / rate;
        long start = Stopwatch.GetTimestamp();
        long sent = 0;
        for (long i = 0; i < count; i++)
        {
            long due = start + (long)(i * ticksPerDatagram);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.SpinWait(8);
            }

            int k = (int)(i % corpus.Count);
            try
            {
                sockets[corpus.Senders[k]].Send(corpus[k]);
                sent++;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier datagram (receiver gone): count as not sent.
            }
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sent} {seconds:F4}"));
        foreach (Socket s in sockets)
        {
            s.Dispose();
        }

        return 0;
    }
}
