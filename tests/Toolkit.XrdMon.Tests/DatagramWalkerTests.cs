using System;
using System.Collections.Generic;
using System.IO;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;
using Toolkit.Runtime.Capture;

namespace Toolkit.XrdMon.Tests;

public class DatagramWalkerTests
{
    private static readonly List<byte[]> Corpus = LoadCorpus();

    private static List<byte[]> LoadCorpus()
    {
        var list = new List<byte[]>();
        foreach (string f in new[] { "run1/origin.xrdmon", "run1/proxy.xrdmon" })
        {
            byte[] data = TestData.Bytes(f);
            var r = new CaptureSpanReader(data);
            while (r.TryRead(out ReadOnlySpan<byte> d))
            {
                list.Add(d.ToArray());
            }
        }

        return list;
    }

    [Fact]
    public void Every_real_datagram_decodes()
    {
        var v = new XrdMonRecordCounter();
        foreach (byte[] d in Corpus)
        {
            Assert.True(XrdMonRecords.Dispatch(d, ref v, out DecodeError e), XrdMonRecords.Describe(e));
        }

        Assert.Equal(1966 + 185, v.Records);
    }

    [Fact]
    public void Walking_the_real_captures_allocates_nothing()
    {
        byte[] data = TestData.Bytes("run1/origin.xrdmon");
        long records = Walk(data); // warm up (JIT)
        // Steady state: the runtime may allocate on this thread while it tiers the code up, but a read path that
        // allocates does so in every window; at least one of five windows of 20 walks must be clean.
        var windows = new List<long>();
        int walks = 1;
        while (windows.Count < 5 && !windows.Contains(0))
        {
            windows.Add(Measure(data, ref records));
            walks += 20;
        }

        Assert.True(windows.Contains(0), "every window allocated: " + string.Join(", ", windows) + " bytes");
        Assert.Equal(walks * 1966, records);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        static long Measure(byte[] data, ref long records)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                records += Walk(data);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        static long Walk(byte[] data)
        {
            var v = new XrdMonRecordCounter();
            var r = new CaptureSpanReader(data);
            while (r.TryRead(out ReadOnlySpan<byte> d))
            {
                XrdMonRecords.Dispatch(d, ref v, out _);
            }

            return v.Records;
        }
    }

    [Fact]
    public void Random_bytes_only_decode_or_fail_with_a_reason()
    {
        Prop.ForAll(
            Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).ToArbitrary(),
            Gen.Elements<byte>((byte)'=', (byte)'d', (byte)'u', (byte)'t', (byte)'r', (byte)'f', (byte)'g', (byte)'x', (byte)'?').ToArbitrary(),
            (bytes, code) =>
            {
                if (bytes.Length > 0)
                {
                    bytes[0] = code;
                }

                if (bytes.Length >= 4)
                {
                    bytes[2] = (byte)(bytes.Length >> 8);
                    bytes[3] = (byte)bytes.Length;
                }

                Check(bytes);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Truncations_and_bit_flips_of_real_datagrams_only_decode_or_fail_with_a_reason()
    {
        var rnd = new Random(1234);
        int failures = 0;
        foreach (byte[] d in Corpus)
        {
            for (int cut = 0; cut < d.Length; cut += Math.Max(1, d.Length / 40))
            {
                failures += Check(d.AsSpan(0, cut).ToArray()) ? 0 : 1;
            }

            for (int k = 0; k < 60; k++)
            {
                byte[] m = (byte[])d.Clone();
                int flips = 1 + rnd.Next(4);
                for (int f = 0; f < flips; f++)
                {
                    m[rnd.Next(m.Length)] ^= (byte)(1 << rnd.Next(8));
                }

                failures += Check(m) ? 0 : 1;
            }
        }

        Assert.True(failures > 0); // the mutations do hit the error paths
    }

    /// <summary>Walks with a counting visitor and with the JSON writer; returns whether it decoded.</summary>
    private static bool Check(byte[] bytes)
    {
        var v = new XrdMonRecordCounter();
        bool ok = XrdMonRecords.Dispatch(bytes, ref v, out DecodeError e);
        if (!ok)
        {
            Assert.False(string.IsNullOrEmpty(e.Reason));
            Assert.InRange(e.Offset, 0, Math.Max(0, bytes.Length));
        }

        using var json = new XrdMonJsonWriter(Stream.Null);
        Assert.Equal(ok, json.WriteDatagram(0, bytes));
        return ok;
    }
}
