using System;
using System.Collections.Generic;
using System.IO;
using Toolkit.Runtime.Capture;

namespace Toolkit.Bench.XrdMon;

/// <summary>The real run1 captures (origin + proxy), repeated to about 200,000 datagrams.</summary>
public sealed class XrdMonCorpus
{
    public const int TargetDatagrams = 200_000;

    public XrdMonCorpus()
    {
        var one = new List<byte[]>();
        foreach (string f in new[] { "origin.xrdmon", "proxy.xrdmon" })
        {
            byte[] data = File.ReadAllBytes(Find(f));
            var r = new CaptureSpanReader(data);
            while (r.TryRead(out ReadOnlySpan<byte> d))
            {
                one.Add(d.ToArray());
            }
        }

        var all = new List<byte[]>(TargetDatagrams + one.Count);
        var ms = new MemoryStream();
        using (var w = new CaptureWriter(ms, leaveOpen: true))
        {
            while (all.Count < TargetDatagrams)
            {
                foreach (byte[] d in one)
                {
                    all.Add(d);
                    w.Write(d);
                }
            }
        }

        Datagrams = all.ToArray();
        Container = ms.ToArray();
        foreach (byte[] d in Datagrams)
        {
            Bytes += d.Length;
        }
    }

    /// <summary>Every datagram as its own array.</summary>
    public byte[][] Datagrams { get; }

    /// <summary>The same datagrams as one capture container.</summary>
    public byte[] Container { get; }

    /// <summary>Total datagram bytes (prefixes excluded).</summary>
    public long Bytes { get; }

    /// <summary>Finds a run1 capture in testdata/ above the benchmark binaries.</summary>
    public static string Find(string name)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            string candidate = Path.Combine(dir, "testdata", "xrdmon", "run1", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new FileNotFoundException($"testdata/xrdmon/run1/{name} not found above {AppContext.BaseDirectory}");
    }
}
