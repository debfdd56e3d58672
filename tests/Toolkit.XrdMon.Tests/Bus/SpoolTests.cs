using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Toolkit.XrdMon.Bus;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>The shovel's spool: order across memory and disk, the bound, uncommitted batches, restarts.</summary>
public sealed class SpoolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("toolkit-spooltest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] M(int i) => Encoding.ASCII.GetBytes("message " + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));

    private static List<int> Drain(XrdMonSpool spool, int batch)
    {
        var got = new List<int>();
        while (true)
        {
            IReadOnlyList<byte[]> b = spool.TakeBatch(batch);
            if (b.Count == 0)
            {
                return got;
            }

            got.AddRange(b.Select(m => int.Parse(Encoding.ASCII.GetString(m)[8..], System.Globalization.CultureInfo.InvariantCulture)));
            spool.Commit();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Messages_come_out_in_order_across_memory_and_small_disk_segments(int batch)
    {
        using var spool = new XrdMonSpool(_dir, maxMemoryMessages: 10, segmentBytes: 100);
        for (int i = 0; i < 300; i++)
        {
            Assert.True(spool.Enqueue(M(i)));
        }

        Assert.Equal(300, spool.Depth);
        Assert.Equal(290, spool.DiskRecords);
        Assert.Equal(Enumerable.Range(0, 300), Drain(spool, batch));
        Assert.Equal(0, spool.Depth);
        Assert.Empty(Directory.EnumerateFiles(_dir));
    }

    [Fact]
    public void An_uncommitted_batch_is_taken_again_and_new_messages_queue_behind_it()
    {
        using var spool = new XrdMonSpool(_dir, maxMemoryMessages: 3, segmentBytes: 64);
        for (int i = 0; i < 10; i++)
        {
            spool.Enqueue(M(i));
        }

        var first = spool.TakeBatch(4).ToList();
        spool.Enqueue(M(10));
        Assert.Equal(first, spool.TakeBatch(4));
        spool.Commit();
        Assert.Equal(Enumerable.Range(3, 8), Drain(spool, 2));
    }

    [Fact]
    public void Past_the_disk_bound_messages_are_dropped_and_counted()
    {
        using var spool = new XrdMonSpool(_dir, maxMemoryMessages: 5, maxDiskBytes: 10 * (4 + 12));
        int kept = 0;
        for (int i = 0; i < 100; i++)
        {
            kept += spool.Enqueue(M(i)) ? 1 : 0;
        }

        Assert.Equal(15, kept);
        Assert.Equal(85, spool.Dropped);
        Assert.Equal(Enumerable.Range(0, 15), Drain(spool, 4));
    }

    [Fact]
    public void A_memory_only_spool_drops_once_memory_is_full()
    {
        using var spool = new XrdMonSpool(null, maxMemoryMessages: 4);
        for (int i = 0; i < 6; i++)
        {
            spool.Enqueue(M(i));
        }

        Assert.Equal(2, spool.Dropped);
        Assert.Equal(Enumerable.Range(0, 4), Drain(spool, 10));
    }

    [Fact]
    public void Reopening_replays_memory_first_then_disk_and_skips_what_was_committed()
    {
        using (var spool = new XrdMonSpool(_dir, maxMemoryMessages: 5, segmentBytes: 80))
        {
            for (int i = 0; i < 40; i++)
            {
                spool.Enqueue(M(i));
            }

            // Commit the memory part and part of the disk part, take one more batch without committing it.
            Assert.Equal(Enumerable.Range(0, 5), spool.TakeBatch(5).Select((_, k) => k));
            spool.Commit();
            Assert.Equal(3, spool.TakeBatch(3).Count);
            spool.Commit();
            spool.TakeBatch(2);
            for (int i = 40; i < 45; i++)
            {
                spool.Enqueue(M(i));
            }
        }

        using (var again = new XrdMonSpool(_dir, maxMemoryMessages: 5, segmentBytes: 80))
        {
            Assert.Equal(37, again.Depth);
            Assert.Equal(Enumerable.Range(8, 37), Drain(again, 6));
        }
    }

    [Fact]
    public void Memory_left_at_shutdown_is_written_ahead_of_the_disk_segments()
    {
        using (var spool = new XrdMonSpool(_dir, maxMemoryMessages: 5))
        {
            for (int i = 0; i < 12; i++)
            {
                spool.Enqueue(M(i));
            }
        }

        using var again = new XrdMonSpool(_dir, maxMemoryMessages: 5);
        Assert.Equal(Enumerable.Range(0, 12), Drain(again, 5));
    }

    [Fact]
    public void A_record_cut_short_by_a_crash_is_truncated_away()
    {
        using (var spool = new XrdMonSpool(_dir, maxMemoryMessages: 1))
        {
            for (int i = 0; i < 5; i++)
            {
                spool.Enqueue(M(i));
            }

            spool.Flush();
            spool.TakeBatch(1);
            spool.Commit();
        }

        string seg = Directory.EnumerateFiles(_dir, "*.seg").OrderBy(f => f, StringComparer.Ordinal).Last();
        using (var fs = new FileStream(seg, FileMode.Append))
        {
            fs.Write([0, 0, 0, 50, 1, 2, 3]);
        }

        using var again = new XrdMonSpool(_dir, maxMemoryMessages: 1);
        Assert.Equal(Enumerable.Range(1, 4), Drain(again, 3));
    }
}
