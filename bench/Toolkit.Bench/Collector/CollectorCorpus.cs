using System;
using System.Collections.Generic;
using System.IO;
using Toolkit.Bench.XrdMon;
using Toolkit.TestSupport;

namespace Toolkit.Bench.Collector;

/// <summary>
/// The real run1 captures replayed by <see cref="XrdMonReplay"/> as many synthetic servers with dictid churn and
/// restarts, pre-generated into one buffer so a benchmark measures the collector only.
/// </summary>
public sealed class CollectorCorpus
{
    public CollectorCorpus(int servers, int datagrams)
    {
        byte[][][] captures = [XrdMonReplay.ReadCapture(XrdMonCorpus.Find("origin.xrdmon")), XrdMonReplay.ReadCapture(XrdMonCorpus.Find("proxy.xrdmon"))];
        var replay = new XrdMonReplay(captures, servers);
        var data = new MemoryStream();
        var starts = new int[datagrams + 1];
        var senders = new int[datagrams];
        var scratch = new byte[65536];
        for (int i = 0; i < datagrams; i++)
        {
            starts[i] = (int)data.Length;
            int n = replay.Next(scratch, out senders[i]);
            data.Write(scratch, 0, n);
        }

        starts[datagrams] = (int)data.Length;
        Data = data.ToArray();
        Starts = starts;
        Senders = senders;
        Servers = servers;
    }

    public byte[] Data { get; }

    public int[] Starts { get; }

    public int[] Senders { get; }

    public int Servers { get; }

    public int Count => Senders.Length;

    public ReadOnlySpan<byte> this[int i] => Data.AsSpan(Starts[i], Starts[i + 1] - Starts[i]);
}
