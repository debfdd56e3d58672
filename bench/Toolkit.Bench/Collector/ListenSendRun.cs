using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace Toolkit.Bench.Collector;

/// <summary>
/// The sender of the <c>listen-ingest</c> measurement, one process of several: <c>listen-send PORT RATE COUNT</c> sends
/// COUNT datagrams of the replayed corpus (16 synthetic servers, each from its own connected socket, each server's
/// datagrams in order) to 127.0.0.1:PORT at RATE datagrams/s, 32 per <c>sendmmsg</c> call, and prints
/// "sent seconds errors userCpuSeconds sysCpuSeconds" (the CPU of the send loop only). Ahead of its schedule it sleeps
/// (<c>nanosleep</c>, so up to the kernel's 50 µs timer slack late, then catching up without pause) rather than
/// spinning: a spinning sender takes the core the receiver needs.
/// </summary>
public static partial class ListenSendRun
{
    private const int Batch = 32;
    private const int Servers = 16;

    public static int Run(string[] args)
    {
        int port = int.Parse(args[0], CultureInfo.InvariantCulture);
        int rate = int.Parse(args[1], CultureInfo.InvariantCulture);
        long count = long.Parse(args[2], CultureInfo.InvariantCulture);
        var corpus = new CollectorCorpus(servers: Servers, datagrams: 100_000);
        byte[] data = GC.AllocateUninitializedArray<byte>(corpus.Data.Length, pinned: true);
        corpus.Data.CopyTo(data, 0);
        nint dataAddress = Marshal.UnsafeAddrOfPinnedArrayElement(data, 0);

        // Each server's datagrams in order, as iovecs into the pinned corpus.
        var perServer = new List<IoVec>[Servers];
        for (int s = 0; s < Servers; s++)
        {
            perServer[s] = [];
        }

        for (int i = 0; i < corpus.Count; i++)
        {
            perServer[corpus.Senders[i]].Add(new IoVec { Base = dataAddress + corpus.Starts[i], Length = (nuint)(corpus.Starts[i + 1] - corpus.Starts[i]) });
        }

        IoVec[][] iovs = new IoVec[Servers][];
        for (int s = 0; s < Servers; s++)
        {
            iovs[s] = GC.AllocateArray<IoVec>(perServer[s].Count, pinned: true);
            perServer[s].CopyTo(iovs[s]);
        }

        var sockets = new Socket[Servers];
        for (int s = 0; s < Servers; s++)
        {
            sockets[s] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            sockets[s].Connect(new IPEndPoint(IPAddress.Loopback, port));
        }

        MMsgHdr[] headers = GC.AllocateArray<MMsgHdr>(Batch, pinned: true);
        nint headersAddress = Marshal.UnsafeAddrOfPinnedArrayElement(headers, 0);
        var next = new int[Servers];
        double ticksPerDatagram = (double)Stopwatch.Frequency / rate;
        bool spin = Environment.GetEnvironmentVariable("LISTEN_SEND_SPIN") == "1";
        using Process self = Process.GetCurrentProcess();
        TimeSpan userStart = self.UserProcessorTime, totalStart = self.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        long sent = 0;
        long errors = 0;
        int server = 0;
        while (sent < count)
        {
            long due = start + (long)(sent * ticksPerDatagram);
            long early = due - Stopwatch.GetTimestamp();
            if (spin)
            {
                // The first version's pacing, kept for A/B runs (LISTEN_SEND_SPIN=1).
                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.SpinWait(8);
                }
            }
            else if (early > 0)
            {
                var wait = new TimeSpec { Nanoseconds = Math.Min(999_999_999, early * 1_000_000_000 / Stopwatch.Frequency) };
                _ = NanoSleep(in wait, 0);
            }

            int n = (int)Math.Min(Batch, count - sent);
            IoVec[] own = iovs[server];
            for (int k = 0; k < n; k++)
            {
                headers[k] = new MMsgHdr { Iov = Marshal.UnsafeAddrOfPinnedArrayElement(own, next[server]), IovLength = 1 };
                next[server] = (next[server] + 1) % own.Length;
            }

            int done = 0;
            while (done < n)
            {
                int r = SendMmsg(sockets[server].SafeHandle, headersAddress + (done * Marshal.SizeOf<MMsgHdr>()), (uint)(n - done), 0);
                if (r < 0)
                {
                    // ICMP port unreachable from an earlier datagram, or no buffer space: this datagram is not sent.
                    errors++;
                    done++;
                    continue;
                }

                done += r;
                sent += r;
            }

            server = (server + 1) % Servers;
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        self.Refresh();
        TimeSpan user = self.UserProcessorTime - userStart, total = self.TotalProcessorTime - totalStart;

        // The kernel read the corpus through raw addresses: the pinned array must stay alive until here.
        GC.KeepAlive(data);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sent} {seconds:F4} {errors} {user.TotalSeconds:F4} {(total - user).TotalSeconds:F4}"));
        foreach (Socket s in sockets)
        {
            s.Dispose();
        }

        return 0;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in TimeSpec request, nint remaining);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMmsg(SafeHandle socket, nint headers, uint count, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public nint Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct MMsgHdr
    {
        [FieldOffset(0)]
        public nint Name;
        [FieldOffset(8)]
        public uint NameLength;
        [FieldOffset(16)]
        public nint Iov;
        [FieldOffset(24)]
        public nuint IovLength;
        [FieldOffset(56)]
        public uint Length;
    }
}
