using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Toolkit.XrdMon.Bus;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>The STOMP transport against the real rabbitmq-server's rabbitmq_stomp plugin.</summary>
[Collection("rabbit")]
public sealed class StompBrokerTests
{
    private readonly RabbitBroker broker;

    public StompBrokerTests(RabbitBroker broker)
    {
        this.broker = broker;
        broker.EnsureRunning();
    }

    /// <summary>Connects, retrying while the plugin's listener is still starting.</summary>
    private async Task<StompConnection> ConnectAsync(StompEndpoint endpoint)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await StompConnection.ConnectAsync(endpoint, new StompOptions { HeartBeat = TimeSpan.FromSeconds(1) }, CancellationToken.None);
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    [Fact]
    public async Task Sends_are_receipted_persistent_and_readable_on_the_amqp_side_and_heart_beats_keep_the_link()
    {
        (IConnection conn, IChannel ch) = await broker.OpenAsync();
        await ch.QueueDeclareAsync("stomp-direct", durable: true, exclusive: false, autoDelete: false);
        await using (StompConnection stomp = await ConnectAsync(new StompEndpoint(broker.StompUrl)))
        {
            Assert.Equal(TimeSpan.FromSeconds(1), stomp.SendHeartBeat);
            Assert.True(stomp.ReceiveHeartBeat >= TimeSpan.FromSeconds(1));
            Assert.StartsWith("RabbitMQ", stomp.Server, StringComparison.Ordinal);
            byte[] body = ShovelerMessage.Encode("192.0.2.7:1094", "toolkit-test", TestData.Datagrams("origin")[0]);
            Task receipt = await stomp.SendAsync("/amq/queue/stomp-direct", body, [new("content-type", "application/json"), new("persistent", "true")], CancellationToken.None);
            await receipt.WaitAsync(TimeSpan.FromSeconds(10));
            // Idle for several heart-beat periods: both sides' heart-beats keep the connection open.
            await Task.Delay(3500);
            Assert.True(stomp.IsOpen, stomp.Failure?.ToString());
            receipt = await stomp.SendAsync("/amq/queue/stomp-direct", body, null, CancellationToken.None);
            await receipt.WaitAsync(TimeSpan.FromSeconds(10));
            await stomp.DisconnectAsync(TimeSpan.FromSeconds(10));

            BasicGetResult? got = await ch.BasicGetAsync("stomp-direct", autoAck: true);
            Assert.NotNull(got);
            Assert.Equal(body, got.Body.ToArray());
            Assert.Equal("application/json", got.BasicProperties.ContentType);
            Assert.Equal(DeliveryModes.Persistent, got.BasicProperties.DeliveryMode);
            Assert.Equal(ShovelerMessageError.None, ShovelerMessage.TryRead(got.Body.Span, out string remote, new byte[65536], out int length));
            Assert.Equal("192.0.2.7:1094", remote);
            Assert.Equal(TestData.Datagrams("origin")[0].Length, length);
            Assert.NotNull(await ch.BasicGetAsync("stomp-direct", autoAck: true));
        }

        await ch.DisposeAsync();
        await conn.DisposeAsync();
    }

    [Fact]
    public async Task A_refused_login_is_an_error_frame_whose_text_holds_no_password()
    {
        const string wrong = "wrong-password-123";
        var endpoint = new StompEndpoint($"stomp://tk:{wrong}@127.0.0.1:{broker.StompPort}/");
        await ConnectAsync(new StompEndpoint(broker.StompUrl)).ContinueWith(t => t.Result.DisposeAsync().AsTask()).Unwrap(); // the listener is up
        var e = await Assert.ThrowsAsync<StompErrorException>(() => StompConnection.ConnectAsync(endpoint, null, CancellationToken.None));
        Assert.DoesNotContain(wrong, endpoint.Describe(e), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shovel_over_stomp_to_sharded_amqp_collectors_gives_the_single_collectors_summaries()
    {
        await using var p = new BusPipeline(broker, "stomp-e2e", collectors: 2, stomp: true);
        p.OpenSenders(40);
        List<byte[]> capture = [.. TestData.Datagrams("origin"), .. TestData.Datagrams("proxy")];
        await p.SendAsync(capture, 0, capture.Count);
        await p.DrainAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(p.Sent.Count, p.Shovel.Published);
        Assert.Equal(p.Sent.Count, p.Collectors.Sum(c => c.Bus.Messages));
        List<string> reference = p.ReferenceSummaries();
        Assert.NotEmpty(reference);
        List<string> got = p.Collectors.SelectMany(c => BusPipeline.Normalised(c.Output.ToArray())).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Equal(reference, got);
        Assert.All(p.Collectors, c => Assert.True(c.Bus.Messages > 0, "the STOMP routing keys reached every collector's shards"));
        Assert.Contains("(STOMP", p.ShovelLog.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(broker.Password, p.ShovelLog.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_killed_under_the_stomp_shovel_the_spool_replays_after_the_restart_and_nothing_is_lost()
    {
        string spool = Directory.CreateTempSubdirectory("toolkit-stomp-spool-").FullName;
        try
        {
            await using var p = new BusPipeline(broker, "stomp-crash", collectors: 1, spoolDir: spool, stomp: true);
            p.OpenSenders(20);
            List<byte[]> capture = [.. TestData.Datagrams("origin"), .. TestData.Datagrams("proxy")];
            await p.SendAsync(capture, 0, 30);
            await BusPipeline.WaitUntilAsync(() => p.Shovel.Published > 0, TimeSpan.FromSeconds(30), "first publishes");

            broker.Kill();
            await BusPipeline.WaitUntilAsync(() => !p.Shovel.Connected, TimeSpan.FromSeconds(40), "the shovel to notice (heart-beats or a failed send)");
            await p.SendAsync(capture, 30, capture.Count);
            Assert.True(p.Spool.Depth > 0);
            long publishedBefore = p.Shovel.Published;

            broker.Start();
            await p.DrainAsync(TimeSpan.FromSeconds(120));
            Assert.True(p.Shovel.Published > publishedBefore);
            Assert.True(p.Shovel.Reconnects >= 1);
            Assert.Equal(0, p.Spool.Dropped);
            List<string> reference = p.ReferenceSummaries();
            List<string> got = p.Collectors.SelectMany(c => BusPipeline.Normalised(c.Output.ToArray())).OrderBy(x => x, StringComparer.Ordinal).ToList();
            Assert.Equal(reference, got);
            Assert.Contains("unavailable", p.ShovelLog.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(broker.Password, p.ShovelLog.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }
}
