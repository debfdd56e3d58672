using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Toolkit.XrdMon.Bus;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>shovel → real rabbitmq-server → sharded collectors, with the broker and a collector failing mid-stream.</summary>
[Collection("rabbit")]
public sealed class BrokerTests
{
    private readonly RabbitBroker broker;

    public BrokerTests(RabbitBroker broker)
    {
        this.broker = broker;
        broker.EnsureRunning();
    }

    private static List<byte[]> Capture() => [.. TestData.Datagrams("origin"), .. TestData.Datagrams("proxy")];

    private static List<string> Union(BusPipeline p) =>
        p.Collectors.SelectMany(c => BusPipeline.Normalised(c.Output.ToArray())).OrderBy(x => x, StringComparer.Ordinal).ToList();

    private static HashSet<string> Senders(CollectorRun c) =>
        Encoding.UTF8.GetString(c.Output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("server").GetProperty("sender").GetString()!).ToHashSet();

    [Fact]
    public async Task Three_hundred_servers_through_shovel_broker_and_three_collectors_give_the_single_collectors_summaries()
    {
        await using var p = new BusPipeline(broker, "e2e", collectors: 3);
        p.OpenSenders(300);
        List<byte[]> capture = Capture();
        await p.SendAsync(capture, 0, capture.Count);
        await p.DrainAsync(TimeSpan.FromSeconds(90));

        List<string> reference = p.ReferenceSummaries();
        Assert.NotEmpty(reference);
        Assert.Equal(300 * capture.Count, p.Shovel.Published);
        Assert.Equal(p.Sent.Count, p.Collectors.Sum(c => c.Bus.Messages));
        Assert.Equal(reference, Union(p));
        Assert.All(p.Collectors, c => Assert.True(c.Bus.Messages > 0, "every collector owns shards"));
        Assert.All(p.Collectors, c => Assert.Equal(0, c.Bus.Collector.SequenceTotals().Lost));
        // Affinity: a server's summaries all come from one collector.
        var owners = p.Collectors.Select(Senders).ToList();
        Assert.Equal(300, owners.Sum(o => o.Count));
        Assert.Equal(300, owners.SelectMany(o => o).Distinct().Count());

        // WLCG records: one per summary under the routed prefix, its unique_id the summary's record_id.
        var recordIds = reference.Select(r => r.Split(';')[0]).ToHashSet();
        var wlcg = p.Collectors.SelectMany(c => Encoding.UTF8.GetString(c.Wlcg.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(reference.Count(r => r.Contains("lfn=\"/up/", StringComparison.Ordinal)), wlcg.Count);
        Assert.All(wlcg, w => Assert.Contains("record_id=\"" + w.GetProperty("unique_id").GetString() + "\"", recordIds));
        Assert.Equal(wlcg.Count, wlcg.Select(w => w.GetProperty("unique_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Broker_killed_mid_stream_and_restarted_the_spool_replays_and_nothing_is_lost_or_duplicated()
    {
        string spool = Directory.CreateTempSubdirectory("toolkit-spool-").FullName;
        try
        {
            // Standby only after 60 s: both collectors reconnect to the restarted broker well within that, so each gets
            // its own shards back (a standby taking them over would rebuild state: the failover test covers that).
            await using var p = new BusPipeline(broker, "crash", collectors: 2, spoolDir: spool, standbyDelay: TimeSpan.FromSeconds(60));
            p.OpenSenders(40);
            List<byte[]> capture = Capture();
            await p.SendAsync(capture, 0, 40);
            await BusPipeline.WaitUntilAsync(() => p.Shovel.Published > 0, TimeSpan.FromSeconds(30), "first publishes");

            broker.Kill();
            await BusPipeline.WaitUntilAsync(() => !p.Shovel.Connected, TimeSpan.FromSeconds(30), "the shovel to notice");
            await p.SendAsync(capture, 40, capture.Count);
            // Everything sent while the broker was down waits in the spool, past the memory part on disk.
            Assert.True(p.Spool.Depth > 0);
            Assert.True(p.Spool.DiskRecords > 0, "the spool spilled to disk");
            long publishedBefore = p.Shovel.Published;

            broker.Start();
            await p.DrainAsync(TimeSpan.FromSeconds(120));
            Assert.True(p.Shovel.Published > publishedBefore);
            Assert.Equal(0, p.Spool.Dropped);
            Assert.True(p.Shovel.Reconnects >= 1);
            List<string> reference = p.ReferenceSummaries(), got = Union(p);
            string counts = $"reference {reference.Count}, got {got.Count}, published {p.Shovel.Published}, sent {p.Sent.Count}, consumed {p.Collectors.Sum(c => c.Bus.Messages)}, redelivered {p.Collectors.Sum(c => c.Bus.Redelivered)}, "
                + string.Join("; ", p.Collectors.Select(c => { var s = c.Bus.Collector.SequenceTotals(); return $"lost {s.Lost} dup {s.Duplicates} late {s.Late} unresolved {c.Bus.Collector.Counters.Unresolved}"; }));
            Assert.True(reference.Count == got.Count, counts);
            string diff = string.Join("\n", reference.Except(got).Take(2)) + "\n----\n" + string.Join("\n", got.Except(reference).Take(2));
            Assert.True(reference.SequenceEqual(got), counts + "\n" + diff);
            Assert.DoesNotContain(broker.Password, p.ShovelLog.ToString(), StringComparison.Ordinal);
            Assert.Contains("unavailable", p.ShovelLog.ToString(), StringComparison.Ordinal);
            Assert.All(p.Collectors, c => Assert.DoesNotContain(broker.Password, c.Log.ToString(), StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    [Fact]
    public async Task A_killed_collectors_shards_move_to_a_standby_and_the_loss_is_counted()
    {
        await using var p = new BusPipeline(broker, "failover", collectors: 2);
        p.OpenSenders(60);
        List<byte[]> capture = Capture();
        // Half of every server's stream goes to its owner, which then dies without flushing or acknowledging.
        await p.SendAsync(capture, 0, 50);
        await Task.Delay(2500); // past the standby delay: both collectors are standby for each other's shards
        await BusPipeline.WaitUntilAsync(() => p.Collectors.Sum(c => c.Bus.Messages) >= p.Sent.Count, TimeSpan.FromSeconds(60), "the first half to arrive");
        CollectorRun dead = p.Collectors[1];
        HashSet<string> deadServers = [.. Senders(dead)];
        long deadMessages = dead.Bus.Messages;
        await dead.KillAsync();

        CollectorRun survivor = p.Collectors[0];

        // The survivor stalls once for 3 s with up to 1,900 messages still to come (a loaded machine's scheduler does
        // this at random): the shovel's spool and the survivor's client then hold messages that no queue count shows.
        long stallAt = p.Shovel.Published - dead.Bus.Acked + (capture.Count - 50) * 60 - 1900;
        int stalled = 0;
        survivor.Bus.Processed = _ =>
        {
            if (survivor.Bus.Unacked == 0 && survivor.Bus.Messages >= stallAt && Interlocked.Exchange(ref stalled, 1) == 0)
            {
                Thread.Sleep(3000);
            }
        };
        await p.SendAsync(capture, 50, capture.Count);
        // Drained means: the shovel published everything, and every published message was either acknowledged by the
        // dead collector or handed to the survivor's handler (its own, and the dead one's unacknowledged ones again). The
        // broker's queue counts alone are not enough: messages still in the shovel's spool, or delivered to the survivor's
        // client and not yet dispatched, are in no queue count, and stopping then lost the summaries of the stream's tail
        // (the CI failure of this test at the Superset assertion).
        await BusPipeline.WaitUntilAsync(() => p.Spool.Depth == 0 && p.Shovel.Published >= p.Sent.Count, TimeSpan.FromSeconds(60), "the shovel to publish everything");
        await BusPipeline.WaitUntilAsync(() => dead.Bus.Acked + survivor.Bus.Messages >= p.Shovel.Published, TimeSpan.FromSeconds(60), "the survivor to process every message");
        await BusPipeline.WaitUntilAsync(() => p.QueuedAsync().GetAwaiter().GetResult() == 0, TimeSpan.FromSeconds(60), "the queues to drain");
        await survivor.StopAsync();

        Assert.Equal(1, stalled);
        Assert.True(deadMessages > 0);
        // The survivor took the dead collector's shards: it now has every server.
        Assert.Equal(60, Senders(survivor).Count);
        // The shards moved without their state: the survivor could not resolve what the dead one had learnt, and says so.
        Assert.True(survivor.Bus.Collector.Counters.Unresolved > 0, "unresolved records are counted");
        // Every file access of the reference still has a summary (by its idempotent record id), none invented.
        var referenceIds = p.ReferenceSummaries().Select(r => r.Split(';')[0]).ToHashSet();
        var gotIds = Union(p).Select(r => r.Split(';')[0]).ToHashSet();
        Assert.Superset(referenceIds, gotIds);
        Assert.Subset(referenceIds, gotIds);
    }

    [Fact]
    public async Task A_message_whose_datagram_waits_for_a_gap_is_not_acknowledged_so_a_crash_does_not_lose_it()
    {
        // The origin capture without f-stream packet 3: packets 4 and 5 (with closes) wait in the f-stream reorder buffer for it.
        const string name = "held";
        const string remote = "192.0.2.50:1094";
        List<byte[]> origin = TestData.Datagrams("origin");
        int gap = origin.FindIndex(d => d[0] == (byte)'f' && d[1] == 3);
        List<byte[]> stream = [.. origin.Take(gap), .. origin.Skip(gap + 1)];
        int waitFrom = stream.FindIndex(d => d[0] == (byte)'f' && d[1] == 4);
        int held = stream.Count - waitFrom;
        Assert.True(held > 1);

        await BusPipeline.DeclareAsync(broker, name);
        (IConnection conn, IChannel ch) = await broker.OpenAsync();
        string queue = XrdMonBusCollector.ShardQueue(name, XrdMonShards.Of(remote, BusPipeline.Shards));
        foreach (byte[] d in stream)
        {
            await ch.BasicPublishAsync(string.Empty, queue, ShovelerMessage.Encode(remote, "t", d));
        }

        await ch.DisposeAsync();
        await conn.DisposeAsync();

        // The first collector gets everything, writes and acknowledges what has output, and dies.
        var first = new CollectorRun(broker, name, 0, 1);
        var second = (CollectorRun?)null;
        try
        {
            await BusPipeline.WaitUntilAsync(() => first.Bus.Messages == stream.Count && first.Bus.Acked >= waitFrom, TimeSpan.FromSeconds(30), "the first collector to process and acknowledge");
            await BusPipeline.WaitUntilAsync(() => first.Bus.Acked == stream.Count || (first.Bus.Acked == waitFrom && first.Bus.Unacked == held), TimeSpan.FromSeconds(30), "the acknowledgements to settle");
            Assert.Equal(waitFrom, first.Bus.Acked);
            await first.KillAsync();

            // The next one gets the held messages again and writes their accesses when it stops (the gap is given up).
            second = new CollectorRun(broker, name, 0, 1);
            await BusPipeline.WaitUntilAsync(() => second.Bus.Messages >= held, TimeSpan.FromSeconds(30), "the held messages to be redelivered");
            await second.StopAsync();
            Assert.Equal(held, second.Bus.Messages);
            Assert.Equal(held, second.Bus.Redelivered);
            Assert.Equal(held, second.Bus.Acked);

            var reference = new MemoryStream();
            using (var tap = new XrdMonRecordTapStream(reference, null))
            using (var c = new Collector.XrdMonCollector(BusPipeline.Options(), tap))
            {
                int id = c.RegisterSender(remote);
                foreach (byte[] d in stream)
                {
                    c.Process(d, id, 1);
                }

                c.Flush();
            }

            var expected = BusPipeline.Normalised(reference.ToArray()).Select(r => r.Split(';')[0]).ToHashSet();
            var got = BusPipeline.Normalised([.. first.Output.ToArray(), .. second.Output.ToArray()]).Select(r => r.Split(';')[0]).ToHashSet();
            Assert.NotEmpty(BusPipeline.Normalised(second.Output.ToArray()));
            Assert.Equal(expected.Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
        }
        finally
        {
            await first.StopAsync();
            if (second is not null)
            {
                await second.StopAsync();
            }
        }
    }

    [Fact]
    public async Task Malformed_broker_messages_are_counted_logged_once_per_kind_and_never_stop_the_consumer()
    {
        await using var p = new BusPipeline(broker, "garbage", collectors: 1);
        (IConnection conn, IChannel ch) = await broker.OpenAsync();
        string queue = XrdMonBusCollector.ShardQueue("garbage", 0);
        var bad = new (string Body, ShovelerMessageError Kind)[]
        {
            ("not json at all", ShovelerMessageError.NotJson),
            ("{\"remote\":\"192.0.2.1:1094\",\"version\":\"x\"}", ShovelerMessageError.MissingField),
            ("{\"remote\":\"192.0.2.1:1094\",\"data\":\"@@@not base64@@@\"}", ShovelerMessageError.BadBase64),
            ("{\"remote\":\"192.0.2.1:1094\",\"data\":\"" + Convert.ToBase64String(new byte[70000]) + "\"}", ShovelerMessageError.Oversized),
        };
        foreach ((string body, _) in bad)
        {
            for (int i = 0; i < 3; i++)
            {
                await ch.BasicPublishAsync(string.Empty, queue, Encoding.UTF8.GetBytes(body));
            }
        }

        // A good message after the bad ones is still processed.
        byte[] good = ShovelerMessage.Encode("192.0.2.7:1094", "2.0", TestData.Datagrams("origin")[0]);
        await ch.BasicPublishAsync(string.Empty, queue, good);
        await ch.DisposeAsync();
        await conn.DisposeAsync();

        CollectorRun c = p.Collectors[0];
        await BusPipeline.WaitUntilAsync(() => c.Bus.Messages >= 13, TimeSpan.FromSeconds(30), "all messages");
        await c.StopAsync();
        foreach ((_, ShovelerMessageError kind) in bad)
        {
            Assert.Equal(3, c.Bus.Malformed(kind));
            Assert.Single(c.Log.ToString().Split('\n'), l => l.Contains("(" + ShovelerMessage.Name(kind) + ",", StringComparison.Ordinal));
        }

        Assert.Equal(1, c.Bus.Collector.Counters.Datagrams);
        // Acknowledged after output, also when the stop came while the collector was still subscribing to its shards.
        Assert.True(c.Bus.Acked == 13, $"acknowledged {c.Bus.Acked} of 13 messages; collector log:\n{c.Log}");
    }

    [Fact]
    public async Task A_restarted_collector_gets_its_shards_back_from_the_standby_that_held_them()
    {
        await using var p = new BusPipeline(broker, "handback", collectors: 2, handBack: TimeSpan.FromSeconds(1));
        var survivors = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        p.Collectors[0].Bus.Processed = r => survivors.TryAdd(r, 0);
        p.OpenSenders(40);
        List<byte[]> capture = Capture();
        await p.SendAsync(capture, 0, 20);
        await Task.Delay(2500); // past the standby delay
        await BusPipeline.WaitUntilAsync(() => p.Collectors.Sum(c => c.Bus.Messages) >= p.Sent.Count, TimeSpan.FromSeconds(60), "the first part to arrive");
        await p.Collectors[1].KillAsync();
        CollectorRun survivor = p.Collectors[0];
        await p.SendAsync(capture, 20, 40);
        await BusPipeline.WaitUntilAsync(() => p.QueuedAsync().GetAwaiter().GetResult() == 0, TimeSpan.FromSeconds(60), "the survivor to take the shards");
        Assert.Equal(40, survivors.Count);

        // The owner comes back: the standby hands its shards back within a hand-back interval of traffic.
        var back = new CollectorRun(broker, "handback", 1, 2, handBack: TimeSpan.FromSeconds(1));
        var theirs = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        back.Bus.Processed = r => theirs.TryAdd(r, 0);
        try
        {
            await BusPipeline.WaitUntilAsync(() => back.Log.ToString().Contains("xrdmon collect: consuming", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the owner to subscribe");
            // Traffic in small steps over several hand-back intervals (a hand-back needs messages on the held shards).
            for (int d = 40; back.Bus.Messages == 0; d++)
            {
                Assert.True(d < 40 + 200, "the owner got no messages");
                await p.SendAsync(capture, d % capture.Count, d % capture.Count + 1);
                await Task.Delay(150);
            }

            await BusPipeline.WaitUntilAsync(() => p.QueuedAsync().GetAwaiter().GetResult() - back.Bus.Unacked == 0, TimeSpan.FromSeconds(60), "the queues to drain");
            await back.StopAsync();
            Assert.True(survivor.Bus.HandBacks > 0);
            Assert.NotEmpty(theirs);
            // Only servers of the owner's shards (shard mod 2 = 1) reached it.
            Assert.All(theirs.Keys, r => Assert.Equal(1, XrdMonShards.Of(r, BusPipeline.Shards) % 2));
        }
        finally
        {
            await back.StopAsync();
        }
    }
}
