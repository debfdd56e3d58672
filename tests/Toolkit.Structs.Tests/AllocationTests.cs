using System;
using System.Linq;
using Toolkit.Generated.XrdMon;

namespace Toolkit.Structs.Tests;

/// <summary>The read path allocates nothing: walking every record of the real captures.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void WalkingEveryRecordOfTheCapturesAllocatesNothing()
    {
        var datagrams = TestData.AllDatagrams().ToArray();
        long checksum = 0;

        // Warm up (JIT, static initialisers).
        foreach (var d in datagrams)
        {
            checksum += WalkOne(d);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 20; round++)
        {
            foreach (var d in datagrams)
            {
                checksum += WalkOne(d);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static long WalkOne(byte[] d)
    {
        if (!PacketReader.TryRead(d, out var p, out _))
        {
            throw new InvalidOperationException("real datagram failed to decode");
        }

        return Walk.Packet(p);
    }
}
