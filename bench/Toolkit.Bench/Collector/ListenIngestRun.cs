using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using Toolkit.Runtime.Udp;
using Toolkit.XrdMon.Collector;

namespace Toolkit.Bench.Collector;

/// <summary>
/// Issue 15 item 5: <c>xrdmon listen</c> on loopback fed by two (or <c>--senders N</c>) <c>listen-send</c> processes.
/// <c>listen-ingest RATE [--seconds S] [--senders N] [--events] [--cli COMMAND...]</c>: with <c>--cli</c>, the receiver
/// is the real CLI (COMMAND, for example <c>dotnet src/Cli/bin/Release/net10.0/toolkit.dll</c>, gets
/// <c>xrdmon listen --udp 127.0.0.1:PORT --summaries --out /dev/null</c> appended; stopped with SIGINT, and its stats
/// line gives the count received); without it, the same receive loop and collector in this process. Loss = sent −
/// received, and the kernel's RcvbufErrors delta is shown next to it.
/// </summary>
public static partial class ListenIngestRun
{
    public static int Run(string[] args)
    {
        int rate = int.Parse(args[0], CultureInfo.InvariantCulture);
        double seconds = 3;
        int senders = 2;
        bool events = false;
        List<string>? cli = null;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds":
                    seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--senders":
                    senders = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--events":
                    events = true;
                    break;
                case "--cli":
                    cli = [.. args[(i + 1)..]];
                    i = args.Length;
                    break;
                default:
                    throw new ArgumentException("unknown argument " + args[i]);
            }
        }

        long count = (long)(rate * seconds);
        long rcvbufBefore = RcvbufErrors();
        (long sent, double achieved, long received, double cpuMicros, bool batched) = cli is null
            ? InProcess(rate, count, senders, events)
            : External(cli, rate, count, senders, events);
        long lost = sent - received;
        Console.WriteLine("| target rate | senders | achieved send rate | sent | received | lost | kernel RcvbufErrors | receiver CPU per datagram | recvmmsg |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        Console.WriteLine($"| {rate:N0} | {senders} | {achieved:N0} | {sent:N0} | {received:N0} | {lost:N0} | {RcvbufErrors() - rcvbufBefore:N0} | {cpuMicros / Math.Max(1, received):F2} µs | {(batched ? "yes" : "no")} |");
        return lost == 0 ? 0 : 1;
    }

    private static (long Sent, double Achieved, long Received, double CpuMicros, bool Batched) InProcess(int rate, long count, int senders, bool events)
    {
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        using var collector = new XrdMonCollector(new XrdMonCollectorOptions { Events = events, Summaries = true }, Stream.Null);
        var handler = new Handler(collector);
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() => receiver.Run(handler, TimeSpan.FromMilliseconds(200), stop.Token)) { Name = "listen" };
        thread.Start();
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        (long sent, double achieved) = Send(receiver.LocalEndPoint.Port, rate, count, senders);
        long last = -1;
        while (Interlocked.Read(ref handler.Datagrams) != last)
        {
            last = Interlocked.Read(ref handler.Datagrams);
            Thread.Sleep(500);
        }

        stop.Cancel();
        thread.Join();
        self.Refresh();
        return (sent, achieved, handler.Datagrams, (self.TotalProcessorTime - cpuBefore).TotalMicroseconds, receiver.IsBatched);
    }

    private static (long Sent, double Achieved, long Received, double CpuMicros, bool Batched) External(List<string> command, int rate, long count, int senders, bool events)
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var psi = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in command[1..])
        {
            psi.ArgumentList.Add(a);
        }

        foreach (string a in new[] { "xrdmon", "listen", "--udp", $"127.0.0.1:{port}", "--out", "/dev/null" })
        {
            psi.ArgumentList.Add(a);
        }

        if (!events)
        {
            psi.ArgumentList.Add("--summaries");
        }

        using Process listen = Process.Start(psi)!;
        string? ready = listen.StandardError.ReadLine();
        Console.Error.WriteLine("listen: " + ready);
        TimeSpan cpuBefore = listen.TotalProcessorTime;
        (long sent, double achieved) = Send(port, rate, count, senders);
        Thread.Sleep(2000);
        listen.Refresh();
        TimeSpan cpu = listen.TotalProcessorTime - cpuBefore;
        using (Process kill = Process.Start("kill", ["-INT", listen.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            kill.WaitForExit();
        }

        string log = listen.StandardError.ReadToEnd();
        listen.WaitForExit();
        Console.Error.Write(log);
        Match m = DatagramsStat().Match(log);
        long received = m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        return (sent, achieved, received, cpu.TotalMicroseconds, ready?.Contains("recvmmsg", StringComparison.Ordinal) ?? false);
    }

    /// <summary>Starts the sender processes, waits for them, returns the total sent and the summed send rate.</summary>
    private static (long Sent, double Achieved) Send(int port, int rate, long count, int senders)
    {
        var children = new List<Process>();
        for (int k = 0; k < senders; k++)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
            foreach (string a in new[] { typeof(ListenIngestRun).Assembly.Location, "listen-send", port.ToString(CultureInfo.InvariantCulture), (rate / senders).ToString(CultureInfo.InvariantCulture), (count / senders).ToString(CultureInfo.InvariantCulture) })
            {
                psi.ArgumentList.Add(a);
            }

            children.Add(Process.Start(psi)!);
        }

        long sent = 0;
        double achieved = 0;
        foreach (Process child in children)
        {
            string[] f = child.StandardOutput.ReadToEnd().Trim().Split(' ');
            child.WaitForExit();
            child.Dispose();
            long n = long.Parse(f[0], CultureInfo.InvariantCulture);
            sent += n;
            achieved += n / double.Parse(f[1], CultureInfo.InvariantCulture);
        }

        return (sent, achieved);
    }

    private static long RcvbufErrors()
    {
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

    [GeneratedRegex("\"datagrams\":([0-9]+)")]
    private static partial Regex DatagramsStat();

    /// <summary>What <c>xrdmon listen</c>'s handler does per datagram: sender lookup, then the collector.</summary>
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

        public void OnIdle() => collector.FlushOutput();
    }
}
