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
/// <c>listen-ingest RATE [--seconds S] [--senders N] [--events] [--warmup N] [--sockets N] [--cli COMMAND...]</c>: with <c>--cli</c>, the receiver
/// is the real CLI (COMMAND, for example <c>dotnet src/Cli/bin/Release/net10.0/toolkit.dll</c>, gets
/// <c>xrdmon listen --udp 127.0.0.1:PORT --summaries --out /dev/null</c> appended; stopped with SIGINT, and its stats
/// line gives the count received); without it, the same receive loop and collector in this process. Loss = sent −
/// received, and the kernel's RcvbufErrors delta is shown next to it. Before the measured phase, <c>--warmup N</c>
/// (default 200,000) datagrams are sent at up to 100,000/s so that the receiver's code is compiled (tier 1) and its
/// start-up is done: the receiver CPU per datagram is then the steady state a long-running <c>listen</c> has.
/// </summary>
public static partial class ListenIngestRun
{
    public static int Run(string[] args)
    {
        int rate = int.Parse(args[0], CultureInfo.InvariantCulture);
        double seconds = 3;
        int senders = 2;
        bool events = false;
        long warmup = 200_000;
        int sockets = 1;
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
                case "--warmup":
                    warmup = long.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--sockets":
                    sockets = int.Parse(args[++i], CultureInfo.InvariantCulture);
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
        var rcvbuf = new long[2];
        (long sent, double achieved, long received, double cpuMicros, bool batched) = cli is null
            ? InProcess(rate, count, senders, events, warmup, sockets, rcvbuf)
            : External(cli, rate, count, senders, events, warmup, sockets, rcvbuf);
        long lost = sent - received;
        Console.Error.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}; net.core.rmem_max {File.ReadAllText("/proc/sys/net/core/rmem_max").Trim()}; warm-up {warmup:N0} datagrams, RcvbufErrors during warm-up {rcvbuf[0]:N0}");
        Console.WriteLine("| target rate | senders | achieved send rate | sent | received | lost | kernel RcvbufErrors | receiver CPU per datagram | recvmmsg |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        Console.WriteLine($"| {rate:N0} | {senders} | {achieved:N0} | {sent:N0} | {received:N0} | {lost:N0} | {RcvbufErrors() - rcvbuf[1]:N0} | {cpuMicros / Math.Max(1, received):F2} µs | {(batched ? "yes" : "no")} |");
        return lost == 0 ? 0 : 1;
    }

    private static (long Sent, double Achieved, long Received, double CpuMicros, bool Batched) InProcess(int rate, long count, int senders, bool events, long warmup, int sockets, long[] rcvbuf)
    {
        var options = new XrdMonCollectorOptions { Events = events, Summaries = true };
        using var listener = new XrdMonUdpListener(new IPEndPoint(IPAddress.Loopback, 0), options, Stream.Null, null, sockets);
        Console.Error.WriteLine($"listen: {sockets} socket(s), receive buffer granted {listener.ReceiveBufferSize:N0} bytes");
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() => listener.Run(TimeSpan.FromMilliseconds(200), null, stop.Token)) { Name = "listen" };
        thread.Start();
        using Process self = Process.GetCurrentProcess();
        rcvbuf[0] = RcvbufErrors();
        long warm = warmup > 0 ? Send(listener.Port, Math.Min(rate, 100_000), warmup, senders).Sent : 0;
        WaitQuiet(listener);
        rcvbuf[1] = RcvbufErrors();
        rcvbuf[0] = rcvbuf[1] - rcvbuf[0];
        long before = listener.Datagrams, batchesBefore = listener.ReceiveBatches;
        self.Refresh();
        TimeSpan cpuBefore = self.TotalProcessorTime, userBefore = self.UserProcessorTime;
        (long sent, double achieved) = Send(listener.Port, rate, count, senders);
        WaitQuiet(listener);
        self.Refresh();
        TimeSpan cpu = self.TotalProcessorTime - cpuBefore;
        UserShare(self.UserProcessorTime - userBefore, cpu, listener.Datagrams - before);
        long batches = listener.ReceiveBatches - batchesBefore;
        Console.Error.WriteLine($"receive system calls {batches:N0}: {(listener.Datagrams - before) / (double)Math.Max(1, batches):F1} datagrams per call");
        stop.Cancel();
        thread.Join();
        Console.Error.WriteLine($"warm-up: sent {warm:N0}, received {before:N0}");
        return (sent, achieved, listener.Datagrams - before, cpu.TotalMicroseconds, listener.IsBatched);
    }

    /// <summary>Prints the receiver's user and system (kernel) CPU per datagram of the measured phase.</summary>
    private static void UserShare(TimeSpan user, TimeSpan total, long received) =>
        Console.Error.WriteLine($"receiver CPU per datagram: {user.TotalMicroseconds / Math.Max(1, received):F2} µs user + {(total - user).TotalMicroseconds / Math.Max(1, received):F2} µs sys");

    /// <summary>Waits until the receiver's count stops moving (the senders have finished and the queue is drained).</summary>
    private static void WaitQuiet(XrdMonUdpListener listener)
    {
        long last = -1;
        while (listener.Datagrams != last)
        {
            last = listener.Datagrams;
            Thread.Sleep(500);
        }
    }

    private static (long Sent, double Achieved, long Received, double CpuMicros, bool Batched) External(List<string> command, int rate, long count, int senders, bool events, long warmup, int sockets, long[] rcvbuf)
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

        psi.ArgumentList.Add("--sockets");
        psi.ArgumentList.Add(sockets.ToString(CultureInfo.InvariantCulture));
        using Process listen = Process.Start(psi)!;
        string? ready = listen.StandardError.ReadLine();
        Console.Error.WriteLine("listen: " + ready);

        // The warm-up received is its sent count less the kernel's RcvbufErrors during it (printed): the measured
        // count is the stats line's total minus that.
        rcvbuf[0] = RcvbufErrors();
        long warm = warmup > 0 ? Send(port, Math.Min(rate, 100_000), warmup, senders).Sent : 0;
        Thread.Sleep(2000);
        rcvbuf[1] = RcvbufErrors();
        rcvbuf[0] = rcvbuf[1] - rcvbuf[0];
        listen.Refresh();
        TimeSpan cpuBefore = listen.TotalProcessorTime, userBefore = listen.UserProcessorTime;
        (long sent, double achieved) = Send(port, rate, count, senders);
        Thread.Sleep(2000);
        listen.Refresh();
        TimeSpan cpu = listen.TotalProcessorTime - cpuBefore, user = listen.UserProcessorTime - userBefore;
        using (Process kill = Process.Start("kill", ["-INT", listen.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            kill.WaitForExit();
        }

        string log = listen.StandardError.ReadToEnd();
        listen.WaitForExit();
        Console.Error.Write(log);
        Match m = DatagramsStat().Match(log);
        long received = m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - (warm - rcvbuf[0]) : -1;
        UserShare(user, cpu, received);
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
        double achieved = 0, user = 0, sys = 0;
        foreach (Process child in children)
        {
            string[] f = child.StandardOutput.ReadToEnd().Trim().Split(' ');
            child.WaitForExit();
            child.Dispose();
            long n = long.Parse(f[0], CultureInfo.InvariantCulture);
            sent += n;
            achieved += n / double.Parse(f[1], CultureInfo.InvariantCulture);
            user += double.Parse(f[3], CultureInfo.InvariantCulture);
            sys += double.Parse(f[4], CultureInfo.InvariantCulture);
        }

        Console.Error.WriteLine($"senders: {sent:N0} sent at {achieved:N0}/s; sender CPU per datagram (send loops): {user * 1e6 / Math.Max(1, sent):F2} µs user + {sys * 1e6 / Math.Max(1, sent):F2} µs sys");
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
}
