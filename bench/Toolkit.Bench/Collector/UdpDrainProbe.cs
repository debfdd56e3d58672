using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using Toolkit.Runtime.Udp;

namespace Toolkit.Bench.Collector;

/// <summary>
/// The receive path alone, without senders competing for the CPU: <c>udp-drain-probe [ROUNDS] [DATAGRAMS]</c> queues
/// DATAGRAMS datagrams of the replay corpus (default 40,000) in a <see cref="UdpDatagramReceiver"/>'s socket, then
/// drains them (full <c>recvmmsg</c> batches) into a handler that reads every byte, and measures the receiving
/// thread's user and system CPU of the drain (<c>getrusage(RUSAGE_THREAD)</c>). Prints the median and least of
/// ROUNDS rounds (default 20) after 3 unmeasured ones, in µs per datagram.
/// </summary>
public static partial class UdpDrainProbe
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        int perRound = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40_000;
        var corpus = new CollectorCorpus(servers: 16, datagrams: 100_000);
        using var receiver = new UdpDatagramReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Connect(receiver.LocalEndPoint);
        var user = new List<double>();
        var sys = new List<double>();
        var handler = new Reader();
        int next = 0;
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        for (int r = 0; r < rounds + 3; r++)
        {
            for (int i = 0; i < perRound; i++)
            {
                sender.Send(corpus.Data.AsSpan(corpus.Starts[next], corpus.Starts[next + 1] - corpus.Starts[next]));
                next = (next + 1) % corpus.Count;
            }

            handler.Count = 0;
            (double u0, double s0) = ThreadCpu();
            receiver.Run(handler, TimeSpan.FromMilliseconds(100), stopped.Token);
            (double u1, double s1) = ThreadCpu();
            if (handler.Count != perRound)
            {
                Console.Error.WriteLine($"round {r}: {handler.Count} of {perRound} received (the receive buffer overflowed: lower DATAGRAMS)");
                return 1;
            }

            if (r >= 3)
            {
                user.Add((u1 - u0) / perRound);
                sys.Add((s1 - s0) / perRound);
            }
        }

        user.Sort();
        sys.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drain {perRound:N0} queued datagrams × {rounds} rounds, {(double)receiver.Counters.Datagrams / receiver.Counters.Batches:F1} per recvmmsg; per datagram: user median {user[rounds / 2]:F3} µs (least {user[0]:F3}), sys median {sys[rounds / 2]:F3} µs (least {sys[0]:F3}); checksum {handler.Sum}"));
        return 0;
    }

    private static (double UserMicros, double SysMicros) ThreadCpu()
    {
        Span<long> usage = stackalloc long[18];
        _ = GetRusage(1, ref MemoryMarshal.GetReference(usage));
        return ((usage[0] * 1e6) + usage[1], (usage[2] * 1e6) + usage[3]);
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, ref long usage);

    private sealed class Reader : IUdpDatagramHandler
    {
        public int Count;
        public long Sum;

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender)
        {
            // Touch every byte, as a decoder would (a vectorised search that finds nothing).
            Sum += datagram.Length + datagram.IndexOfAnyInRange((byte)0xFE, (byte)0xFE);
            Count++;
        }

        public void OnIdle()
        {
        }
    }
}
