using System;
using System.IO;
using Toolkit.XrdMon;
using Toolkit.XrdMon.Collector;

namespace Toolkit.Fuzz;

/// <summary>
/// The generated XrdMon readers through the registry (<c>XrdMonRecords.Dispatch</c>, via the JSON writer) and the
/// collector's stream layer, on one datagram. Neither may throw: bad datagrams are error objects and counters.
/// </summary>
internal static class XrdMonTarget
{
    public static void Run(byte[] datagram)
    {
        using (var writer = new XrdMonJsonWriter(Stream.Null))
        {
            writer.WriteDatagram(0, datagram);
            writer.Flush();
        }

        using var collector = new XrdMonCollector(new XrdMonCollectorOptions(), Stream.Null, TextWriter.Null);
        var sender = collector.RegisterSender("fuzz");

        // The same datagram twice (a duplicate), then split in two at its middle (two senders' worth of damage).
        collector.Process(datagram, sender, TimeSpan.FromDays(1).Ticks);
        collector.Process(datagram, sender, TimeSpan.FromDays(1).Ticks + 1);
        var half = datagram.Length / 2;
        collector.Process(datagram.AsSpan(half), sender, TimeSpan.FromDays(2).Ticks);
        collector.Process(datagram.AsSpan(0, half), sender, TimeSpan.FromDays(3).Ticks);
        collector.FlushOutput();
        collector.WriteStats(Stream.Null);
    }
}
