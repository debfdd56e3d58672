using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Tests;

public class ReorderBufferTests
{
    private struct ListSink(List<int> into) : IDatagramSink
    {
        public void OnDatagram(ReadOnlySpan<byte> datagram) => into.Add(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(datagram));
    }

    private static byte[] Packet(int serial)
    {
        var b = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b, serial);
        return b;
    }

    [Fact]
    public void In_order_stream_wraps_255_to_0_without_loss()
    {
        var got = new List<int>();
        var sink = new ListSink(got);
        using var buf = new PseqReorderBuffer(8);
        for (int i = 0; i < 1000; i++)
        {
            buf.Offer((byte)(i + 250), Packet(i), ref sink);
        }

        Assert.Equal(Enumerable.Range(0, 1000), got);
        Assert.Equal(0, buf.Counters.Lost);
        Assert.Equal(0, buf.Counters.Duplicates);
    }

    [Fact]
    public void Swapped_pair_is_reordered_and_a_duplicate_dropped()
    {
        var got = new List<int>();
        var sink = new ListSink(got);
        using var buf = new PseqReorderBuffer(4);
        buf.Offer(254, Packet(0), ref sink);
        buf.Offer(0, Packet(2), ref sink);   // ahead across the wrap
        buf.Offer(255, Packet(1), ref sink);
        buf.Offer(255, Packet(1), ref sink); // duplicate of a delivered one
        buf.Offer(0, Packet(2), ref sink);
        Assert.Equal(new[] { 0, 1, 2 }, got);
        Assert.Equal(2, buf.Counters.Duplicates);
        Assert.Equal(1, buf.Counters.Reordered);
    }

    [Fact]
    public void Gap_beyond_the_window_is_counted_as_loss_and_a_late_packet_dropped()
    {
        var got = new List<int>();
        var sink = new ListSink(got);
        using var buf = new PseqReorderBuffer(2);
        buf.Offer(10, Packet(10), ref sink);
        buf.Offer(12, Packet(12), ref sink);
        buf.Offer(13, Packet(13), ref sink);
        Assert.Equal(new[] { 10 }, got);
        buf.Offer(14, Packet(14), ref sink);   // window of 2 overflows: 11 is given up
        Assert.Equal(new[] { 10, 12, 13, 14 }, got);
        Assert.Equal(1, buf.Counters.Lost);
        buf.Offer(11, Packet(11), ref sink);
        Assert.Equal(1, buf.Counters.Late);
        Assert.Equal(0, buf.Counters.Duplicates);
    }

    [Fact]
    public void Any_shuffle_within_the_window_comes_out_in_order_and_counters_add_up()
    {
        Prop.ForAll(
            Gen.Choose(1, 32).Select(w => w).ToArbitrary(),
            Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (window, seed) =>
            {
                var rnd = new Random(seed);
                int n = 600;
                // Displace each packet by less than the window: a local shuffle.
                // The first packet seen fixes the start of the stream, so it stays first.
                int[] order = Enumerable.Range(1, n - 1).OrderBy(i => i + rnd.Next(0, window)).Prepend(0).ToArray();
                var got = new List<int>();
                var sink = new ListSink(got);
                using var buf = new PseqReorderBuffer(window);
                int offered = 0;
                foreach (int i in order)
                {
                    buf.Offer((byte)i, Packet(i), ref sink);
                    offered++;
                    if (rnd.Next(10) == 0)
                    {
                        buf.Offer((byte)i, Packet(i), ref sink); // duplicate
                        offered++;
                    }
                }

                buf.Flush(ref sink);
                var c = buf.Counters;
                Assert.Equal(offered, c.Received);
                Assert.Equal(c.Received, c.Delivered + c.Duplicates + c.Late + buf.Pending);
                Assert.Equal(Enumerable.Range(0, n), got);
                Assert.Equal(0, c.Lost);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Random_sequence_numbers_never_break_the_invariants()
    {
        Prop.ForAll(
            Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).ToArbitrary(),
            Gen.Choose(0, 127).ToArbitrary(),
            (seqs, window) =>
            {
                var got = new List<int>();
                var sink = new ListSink(got);
                using var buf = new PseqReorderBuffer(window);
                foreach (byte s in seqs)
                {
                    buf.Offer(s, Packet(s), ref sink);
                    Assert.True(buf.Pending <= window);
                }

                var c = buf.Counters;
                Assert.Equal(seqs.Length, c.Received);
                Assert.Equal(c.Received, c.Delivered + c.Duplicates + c.Late + buf.Pending);
                buf.Flush(ref sink);
                Assert.Equal(0, buf.Pending);
                Assert.Equal(c.Received, c.Delivered + c.Duplicates + c.Late);
                Assert.Equal(got.Count, c.Delivered);
            }).QuickCheckThrowOnFailure();
    }
}
