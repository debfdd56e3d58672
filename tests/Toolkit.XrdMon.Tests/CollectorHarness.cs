using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Tests;

/// <summary>A collector writing into memory, with a settable clock and helpers to read its events back.</summary>
internal sealed class CollectorHarness : IDisposable
{
    private readonly MemoryStream _out = new();

    public CollectorHarness(XrdMonCollectorOptions? options = null)
    {
        Collector = new XrdMonCollector(options ?? new XrdMonCollectorOptions(), _out, Log);
        Collector.RegisterSender("192.0.2.1:1094");
        Collector.RegisterSender("192.0.2.2:1094");
    }

    public XrdMonCollector Collector { get; }

    public StringWriter Log { get; } = new();

    public long Now { get; set; } = TimeSpan.FromDays(1).Ticks;

    public CollectorHarness Feed(int sender, params byte[][] datagrams)
    {
        foreach (byte[] d in datagrams)
        {
            Collector.Process(d, sender, Now);
        }

        return this;
    }

    public CollectorHarness Feed(params byte[][] datagrams) => Feed(0, datagrams);

    public List<JsonElement> Events()
    {
        Collector.FlushOutput();
        return Encoding.UTF8.GetString(_out.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    public List<JsonElement> Events(string kind) => Events().Where(e => e.GetProperty("event").GetString() == kind).ToList();

    /// <summary>Asserts the documented identities between the counters.</summary>
    public static void AssertCountersAddUp(XrdMonCollector c)
    {
        XrdMonCollectorCounters k = c.Counters;
        SequenceCounters s = c.SequenceTotals();
        Assert.Equal(k.Datagrams, k.Rejected + s.Received);
        Assert.Equal(s.Received, s.Delivered + s.Duplicates + s.Late + c.Pending);
        Assert.Equal(s.Delivered, k.Decoded + k.DecodeErrors);
        Assert.True(k.Rejected + k.DecodeErrors <= k.ErrorsByReason.Values.Sum());
    }

    public void Dispose() => Collector.Dispose();
}
