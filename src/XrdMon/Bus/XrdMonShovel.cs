using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Toolkit.Runtime.Metrics;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// The shoveler: every datagram handed to <see cref="Offer(ReadOnlySpan{byte}, IPAddress, int)"/> becomes one shoveler message (<see cref="ShovelerMessage"/>)
/// in a <see cref="XrdMonSpool"/>; a publisher task sends the spool to a broker exchange in batches with publisher
/// confirms and removes a batch only once the broker confirmed all of it, so an outage loses nothing up to the
/// spool's bound. Messages are persistent; the routing key is the sender's shard number (with
/// <see cref="XrdMonShovelOptions.Shards"/>), the <c>remote</c> text, or empty. <see cref="Offer(ReadOnlySpan{byte}, IPAddress, int)"/> is called from one receive thread.
/// </summary>
public sealed partial class XrdMonShovel : IDisposable
{
    private readonly XrdMonShovelOptions _options;
    private readonly XrdMonSpool _spool;
    private readonly TextWriter _log;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<(IPAddress, int), string> _remotes = [];
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);
    private volatile bool _connected;

    /// <summary>Creates a shovel.</summary>
    /// <param name="options">Broker, exchange and batching.</param>
    /// <param name="spool">Where messages wait for the broker.</param>
    /// <param name="log">Where connection changes are logged (never with credentials).</param>
    public XrdMonShovel(XrdMonShovelOptions options, XrdMonSpool spool, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(log);
        _options = options;
        _spool = spool;
        _log = log;
    }

    /// <summary>Datagrams offered.</summary>
    public long Datagrams => Interlocked.Read(ref _datagrams);

    /// <summary>Bytes of the datagrams offered.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Datagrams that failed the optional header check (<see cref="XrdMonShovelOptions.Verify"/>).</summary>
    public long Invalid => Interlocked.Read(ref _invalid);

    /// <summary>Messages confirmed by the broker.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages the broker refused (nack): their batch is sent again.</summary>
    public long Nacked => Interlocked.Read(ref _nacked);

    /// <summary>Connections opened after the first.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>True while a confirmed channel is open.</summary>
    public bool Connected => _connected;

    /// <summary>Time from a batch's first publish to its last confirm.</summary>
    public LatencyHistogram PublishLatency { get; } = new();

    /// <summary>The spool.</summary>
    public XrdMonSpool Spool => _spool;

    private long _datagrams, _bytes, _invalid, _published, _nacked, _reconnects;

    /// <summary>Registers this shovel's metrics (<c>xrdmon_shovel_*</c>).</summary>
    /// <param name="registry">The registry.</param>
    public void AddMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Counter("xrdmon_shovel_datagrams_total", "UDP datagrams received", () => Datagrams);
        registry.Counter("xrdmon_shovel_bytes_total", "UDP payload bytes received", () => Bytes);
        registry.Counter("xrdmon_shovel_invalid_total", "datagrams failing the header check (--verify)", () => Invalid);
        registry.Counter("xrdmon_shovel_published_total", "messages confirmed by the broker", () => Published);
        registry.Counter("xrdmon_shovel_nacked_total", "messages refused by the broker (sent again)", () => Nacked);
        registry.Counter("xrdmon_shovel_reconnects_total", "broker connections after the first", () => Reconnects);
        registry.Counter("xrdmon_shovel_spool_dropped_total", "messages dropped because the spool was full", () => _spool.Dropped);
        registry.Gauge("xrdmon_shovel_spool_depth", "messages waiting for the broker (memory and disk)", () => _spool.Depth);
        registry.Gauge("xrdmon_shovel_spool_disk_bytes", "bytes of spool segment files", () => _spool.DiskBytes);
        registry.Gauge("xrdmon_shovel_connected", "1 while a confirmed channel to the broker is open", () => _connected ? 1 : 0);
        registry.Histogram("xrdmon_shovel_publish_latency_seconds", "time from a batch's publish to the broker's last confirm", PublishLatency);
    }

    /// <summary>Spools one datagram as a shoveler message.</summary>
    /// <param name="datagram">The datagram.</param>
    /// <param name="address">Its sender address.</param>
    /// <param name="port">Its sender port.</param>
    /// <returns>False when the datagram was not kept (failed verification, or the spool is full).</returns>
    public bool Offer(ReadOnlySpan<byte> datagram, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        Interlocked.Increment(ref _datagrams);
        Interlocked.Add(ref _bytes, datagram.Length);
        if (_options.Verify && !Verify(datagram))
        {
            Interlocked.Increment(ref _invalid);
            return false;
        }

        if (!_remotes.TryGetValue((address, port), out string? remote))
        {
            remote = ShovelerMessage.JoinHostPort(_options.IpMap.Map(address), port);
            if (_remotes.Count < 65536)
            {
                _remotes[(address, port)] = remote;
            }
        }

        return Offer(datagram, remote);
    }

    /// <summary>Spools one datagram under an already mapped and joined <c>remote</c> text.</summary>
    /// <param name="datagram">The datagram.</param>
    /// <param name="remote">The <c>remote</c> member.</param>
    /// <returns>False when the spool is full.</returns>
    public bool Offer(ReadOnlySpan<byte> datagram, string remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        // A spool entry is the routing key, a newline, then the message (JSON never holds a raw newline).
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(datagram.Length * 4 / 3 + 2 * remote.Length + 64);
        string key = _options.Shards > 0 ? XrdMonShards.Key(XrdMonShards.Of(remote, _options.Shards))
            : _options.RoutingKey switch { ShovelRoutingKey.None => string.Empty, _ => remote };
        int keyBytes = Encoding.UTF8.GetBytes(key, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(key.Length) + 1));
        buffer.Advance(keyBytes);
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        ShovelerMessage.Write(buffer, remote, _options.Version, datagram);
        bool kept = _spool.Enqueue(buffer.WrittenSpan.ToArray());
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }

        return kept;
    }

    /// <summary>The shoveler's header check: at least 8 bytes, and <c>plen</c> equal to the length (or an XML summary).</summary>
    /// <param name="datagram">The datagram.</param>
    /// <returns>Whether it passes.</returns>
    public static bool Verify(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 8 && (datagram[0] == (byte)'<' || ((datagram[2] << 8) | datagram[3]) == datagram.Length);

    /// <summary>Publishes the spool until cancelled, reconnecting with back-off; on cancellation, publishes what is left for up to <paramref name="drain"/>.</summary>
    /// <param name="endpoint">The broker.</param>
    /// <param name="cancellationToken">Stops the publisher.</param>
    /// <param name="drain">How long to keep publishing the spool after cancellation.</param>
    /// <returns>A task that ends when the publisher stopped.</returns>
    public async Task RunAsync(AmqpEndpoint endpoint, CancellationToken cancellationToken, TimeSpan drain = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var drainStop = new CancellationTokenSource();
        using CancellationTokenRegistration reg = cancellationToken.Register(() => drainStop.CancelAfter(drain));
        TimeSpan backoff = TimeSpan.FromMilliseconds(250);
        bool first = true;
        while (!drainStop.IsCancellationRequested)
        {
            if (cancellationToken.IsCancellationRequested && _spool.Depth == 0)
            {
                return;
            }

            try
            {
                await using IConnection connection = await endpoint.ConnectAsync("toolkit xrdmon shovel", drainStop.Token).ConfigureAwait(false);
                await using IChannel channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), drainStop.Token).ConfigureAwait(false);
                if (_options.DeclareExchange)
                {
                    await channel.ExchangeDeclareAsync(_options.Exchange, _options.ExchangeType, durable: true, autoDelete: false, cancellationToken: drainStop.Token).ConfigureAwait(false);
                }

                if (!first)
                {
                    Interlocked.Increment(ref _reconnects);
                }

                first = false;
                _connected = true;
                _log.WriteLine($"xrdmon shovel: connected to {endpoint.Redacted}, exchange '{_options.Exchange}'");
                backoff = TimeSpan.FromMilliseconds(250);
                await PublishLoopAsync(channel, cancellationToken, drainStop.Token).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested && _spool.Depth == 0)
                {
                    await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (drainStop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _connected = false;
                string text = endpoint.Describe(e);
                if (_logged.Add(e.GetType().Name))
                {
                    _log.WriteLine($"xrdmon shovel: broker {endpoint.Redacted} unavailable ({text}); spooling, retrying every few seconds");
                }
            }
            finally
            {
                _connected = false;
            }

            if (await BackOffAsync(backoff, drainStop.Token).ConfigureAwait(false) is not { } next)
            {
                return;
            }

            backoff = next;
        }
    }

    /// <summary>Nothing to send: flushes the spool's memory queue and waits up to 100 ms for new datagrams (any transport).</summary>
    private async Task IdleAsync(CancellationToken stop)
    {
        _spool.Flush();
        try
        {
            await _wake.WaitAsync(TimeSpan.FromMilliseconds(100), stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the publish loop drains what is left.
        }
    }

    /// <summary>Waits before the next connection attempt; the next back-off (doubled, at most 5 s), or null when stopping.</summary>
    private static async Task<TimeSpan?> BackOffAsync(TimeSpan backoff, CancellationToken stop)
    {
        try
        {
            await Task.Delay(backoff, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return TimeSpan.FromMilliseconds(Math.Min(5000, backoff.TotalMilliseconds * 2));
    }

    /// <summary>A spool entry is the routing key, a newline, then the message body.</summary>
    private static (string Key, ReadOnlyMemory<byte> Body) SplitEntry(byte[] entry)
    {
        int nl = entry.AsSpan().IndexOf((byte)'\n');
        return (Encoding.UTF8.GetString(entry, 0, nl), entry.AsMemory(nl + 1));
    }

    private async Task PublishLoopAsync(IChannel channel, CancellationToken stop, CancellationToken drainStop)
    {
        var props = new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/json" };
        var pending = new List<Task>(_options.BatchSize);
        while (!drainStop.IsCancellationRequested)
        {
            IReadOnlyList<byte[]> batch = _spool.TakeBatch(_options.BatchSize);
            if (batch.Count == 0)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                if (!channel.IsOpen)
                {
                    throw new IOException("the broker closed the channel: " + channel.CloseReason?.ReplyText);
                }

                await IdleAsync(stop).ConfigureAwait(false);
                continue;
            }

            long start = Stopwatch.GetTimestamp();
            pending.Clear();
            foreach (byte[] entry in batch)
            {
                var (key, body) = SplitEntry(entry);
                pending.Add(channel.BasicPublishAsync(_options.Exchange, key, mandatory: false, props, body, drainStop).AsTask());
            }

            int nacked = 0;
            Exception? failure = null;
            foreach (Task t in pending)
            {
                try
                {
                    await t.ConfigureAwait(false);
                }
                catch (RabbitMQ.Client.Exceptions.PublishException)
                {
                    nacked++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failure ??= e;
                }
            }

            if (failure is not null)
            {
                throw failure;
            }

            if (nacked > 0)
            {
                // The broker refused part of the batch: send it all again (consumers see duplicates, never gaps).
                Interlocked.Add(ref _nacked, nacked);
                continue;
            }

            PublishLatency.Observe(Stopwatch.GetElapsedTime(start));
            Interlocked.Add(ref _published, batch.Count);
            _spool.Commit();
        }
    }

    /// <summary>Releases the wake-up signal (the spool is the caller's to dispose).</summary>
    public void Dispose() => _wake.Dispose();
}

/// <summary>What a shovel message's routing key is.</summary>
public enum ShovelRoutingKey
{
    /// <summary>The <c>remote</c> text (per-server affinity through a consistent-hash exchange).</summary>
    Remote,

    /// <summary>Empty, as the OSG shoveler publishes.</summary>
    None,
}

/// <summary>Options of <see cref="XrdMonShovel"/>.</summary>
public sealed class XrdMonShovelOptions
{
    /// <summary>The exchange to publish to.</summary>
    public required string Exchange { get; init; }

    /// <summary>Its type when declared: <c>direct</c> with <see cref="Shards"/>; <c>x-consistent-hash</c> (the broker plugin) hashes the routing key itself.</summary>
    public string ExchangeType { get; init; } = "direct";

    /// <summary>With S &gt; 0 the routing key is the sender's shard (<see cref="XrdMonShards"/>), for the collectors' shard queues on a direct exchange.</summary>
    public int Shards { get; init; }

    /// <summary>Declare the exchange (durable) on connect; false when it is managed elsewhere.</summary>
    public bool DeclareExchange { get; init; } = true;

    /// <summary>The routing key of each message.</summary>
    public ShovelRoutingKey RoutingKey { get; init; } = ShovelRoutingKey.Remote;

    /// <summary>The <c>version</c> member of each message.</summary>
    public string Version { get; init; } = "toolkit";

    /// <summary>Sender address mapping.</summary>
    public ShovelerIpMap IpMap { get; init; } = new();

    /// <summary>Drop datagrams failing the shoveler's header check (as its <c>verify</c> option).</summary>
    public bool Verify { get; init; }

    /// <summary>Messages published before waiting for their confirms.</summary>
    public int BatchSize { get; init; } = 256;
}
