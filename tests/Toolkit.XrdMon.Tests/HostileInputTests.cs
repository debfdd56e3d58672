using System;
using System.IO;
using System.Linq;
using static Toolkit.XrdMon.Tests.Packets;

namespace Toolkit.XrdMon.Tests;

/// <summary>Hostile datagrams (issue 17, minor items): what is ignored is counted, never silently dropped.</summary>
public class HostileInputTests
{
    private const int Stod = 1_700_000_000;

    private static byte[] Padded(byte[] datagram, int extra) => datagram.Concat(Enumerable.Repeat((byte)0xAB, extra)).ToArray();

    [Fact]
    public void A_datagram_longer_than_its_plen_is_counted_by_the_collector()
    {
        using var plain = new CollectorHarness();
        plain.Feed(Ident(0, Stod), PathMap(1, Stod, 5, "bob", "/a"));
        using var padded = new CollectorHarness();
        padded.Feed(Padded(Ident(0, Stod), 10), PathMap(1, Stod, 5, "bob", "/a"));

        Assert.Equal(0, plain.Collector.Counters.LongerThanPlen);
        Assert.Equal(1, padded.Collector.Counters.LongerThanPlen);
        Assert.Equal(plain.Events().Select(e => e.GetRawText()), padded.Events().Select(e => e.GetRawText()));
        CollectorHarness.AssertCountersAddUp(padded.Collector);

        var stats = new MemoryStream();
        padded.Collector.WriteStats(stats);
        Assert.Contains("\"longer_than_plen\":1", System.Text.Encoding.UTF8.GetString(stats.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_datagram_longer_than_its_plen_is_counted_by_the_json_writer()
    {
        using var writer = new XrdMonJsonWriter(new MemoryStream());
        Assert.True(writer.WriteDatagram(0, Ident(0, Stod)));
        Assert.Equal(0, writer.LongerThanPlen);
        writer.WriteDatagram(1, Padded(Ident(1, Stod), 3));
        Assert.Equal(1, writer.LongerThanPlen);
    }
}
