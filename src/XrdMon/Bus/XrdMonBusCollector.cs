using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Toolkit.Runtime.Metrics;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// A collector fed from a broker: consumes shoveler messages (ours or the OSG shoveler's), runs them through one
/// <see cref="XrdMonCollector"/> and writes its JSON lines and WLCG records. Delivery is at least once: a batch of
/// messages is acknowledged only after the output it produced is flushed (and WLCG records are confirmed).
/// <para>
/// Sharding: with <see cref="XrdMonBusCollectorOptions.Shards"/> S &gt; 0 the queues <c>Q.0</c> .. <c>Q.S-1</c> are
/// bound to a direct exchange with keys <c>0</c> .. <c>S-1</c>, and the shovel routes each sender to its shard
/// (<see cref="XrdMonShards"/>), so each server always lands on one shard. Every
/// queue is single-active-consumer: collector I of N subscribes first to its own shards (s mod N = I) and, after a
/// delay, to all the others as a standby. When a collector goes away the broker moves each of its shards to a
/// standby, with its unacknowledged messages. State is rebuilt, not handed over: the new owner starts with empty
/// maps for those servers, so records that refer to dictids the old owner learnt come out marked unresolved and
/// counted in <c>unresolved</c>; nothing is silently merged.
/// </para>
/// </summary>
public sealed partial class XrdMonBusCollector : IDisposable
{
    private const int MaxSenders = 65536;
    private readonly XrdMonBusCollectorOptions _options;
    private readonly XrdMonCollector _collector;
    private readonly XrdMonRecordTapStream _tap;
    private readonly WlcgExchangeSink? _wlcgExchange;
    private readonly TextWriter _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _datagram = new byte[ShovelerMessage.MaxDatagram + 3];
    private readonly Dictionary<string, int> _senders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);
    private readonly long[] _malformed = new long[5];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly XrdMonCollectorMetrics _metrics = new();
    private IChannel? _channel;
    private ulong _lastTag;
    private int _unacked;

    // The last delivery tag after which no datagram waited in a reorder buffer, and how many of the unacknowledged
    // messages it covers: only those may be acknowledged (a datagram still waiting for a gap has produced no output).
    private ulong _safeTag;
    private int _safe;
    private long _gapFlushes;
    private long _lastData;
    private long _lastExpire;
    private long _messages, _redelivered, _acked, _reconnects;
    private bool _disposed;
    private volatile bool _aborted;

    /// <summary>Creates a bus collector.</summary>
    /// <param name="options">Queues, sharding and acknowledgement.</param>
    /// <param name="collectorOptions">The collector's options.</param>
    /// <param name="output">Where the JSON lines go (null: nowhere).</param>
    /// <param name="wlcgFile">Where WLCG records go as JSON lines, unless <see cref="XrdMonBusCollectorOptions.WlcgExchange"/> is set (null: none).</param>
    /// <param name="log">Where the first problem of each kind is logged.</param>
    public XrdMonBusCollector(XrdMonBusCollectorOptions options, XrdMonCollectorOptions collectorOptions, Stream? output, Stream? wlcgFile, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        _options = options;
        _log = log;
        IWlcgSink? sink = null;
        if (options.WlcgExchange is not null)
        {
            sink = _wlcgExchange = new WlcgExchangeSink(options.WlcgExchange);
        }
        else if (wlcgFile is not null)
        {
            sink = new WlcgFileSink(wlcgFile);
        }

        _tap = new XrdMonRecordTapStream(output, sink, options.Wlcg, options.HostNames);
        _collector = new XrdMonCollector(collectorOptions, _tap, log);
    }

    /// <summary>The collector (touch it only when <see cref="RunAsync"/> is not running).</summary>
    public XrdMonCollector Collector => _collector;

    /// <summary>Broker messages received.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Messages the broker marked as redelivered.</summary>
    public long Redelivered => Interlocked.Read(ref _redelivered);

    /// <summary>Messages acknowledged.</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Messages processed on the current channel and not acknowledged yet.</summary>
    public int Unacked => Volatile.Read(ref _unacked);

    /// <summary>
    /// Times the reorder buffers' gaps were given up early (counted as lost) because the messages held back from
    /// acknowledgement, while some of their datagrams waited for a gap, reached half the prefetch window.
    /// </summary>
    public long GapFlushes => Interlocked.Read(ref _gapFlushes);

    /// <summary>Connections after the first.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Malformed messages of one kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The count.</returns>
    public long Malformed(ShovelerMessageError kind) => Interlocked.Read(ref _malformed[(int)kind]);

    /// <summary>Summaries written.</summary>
    public long Summaries => _tap.Summaries;

    /// <summary>WLCG records made.</summary>
    public long WlcgRecords => _tap.WlcgRecords;

    /// <summary>Called on the consuming thread after each datagram was processed, with its <c>remote</c> (benchmarks).</summary>
    public Action<string>? Processed { get; set; }

    /// <summary>Registers <c>xrdmon_collect_*</c> metrics.</summary>
    /// <param name="registry">The registry.</param>
    public void AddMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _metrics.Register(registry, "xrdmon_collect");
        registry.Counter("xrdmon_collect_messages_total", "broker messages received", () => Messages);
        registry.Counter("xrdmon_collect_redelivered_total", "broker messages marked redelivered", () => Redelivered);
        registry.Counter("xrdmon_collect_acked_total", "broker messages acknowledged after their output was flushed", () => Acked);
        registry.Counter("xrdmon_collect_reconnects_total", "broker connections after the first", () => Reconnects);
        foreach (ShovelerMessageError kind in new[] { ShovelerMessageError.NotJson, ShovelerMessageError.MissingField, ShovelerMessageError.BadBase64, ShovelerMessageError.Oversized })
        {
            registry.Counter("xrdmon_collect_malformed_" + ShovelerMessage.Name(kind) + "_total", "malformed broker messages: " + ShovelerMessage.Name(kind).Replace('_', ' '), () => Malformed(kind));
        }

        registry.Counter("xrdmon_collect_wlcg_records_total", "WLCG GenericFileMonitoring records made", () => WlcgRecords);
        registry.Counter("xrdmon_collect_gap_flushes_total", "reorder gaps given up early so that held-back messages could be acknowledged", () => GapFlushes);
        registry.Counter("xrdmon_collect_handbacks_total", "standby shards handed back to the broker (the owner, if subscribed, takes them)", () => HandBacks);
        registry.Counter("xrdmon_collect_dropped_vo_total", "file accesses dropped by the filter: VO in --drop-vo", () => _tap.DroppedVo);
        registry.Counter("xrdmon_collect_dropped_path_prefix_total", "file accesses dropped by the filter: path under --drop-path-prefix", () => _tap.DroppedPathPrefix);
        if (_options.HostNames is { } dns)
        {
            registry.Counter("xrdmon_collect_dns_hits_total", "reverse DNS answers from the cache", () => dns.Hits);
            registry.Counter("xrdmon_collect_dns_misses_total", "reverse DNS names not known yet (address written)", () => dns.Misses);
            registry.Counter("xrdmon_collect_dns_lookups_total", "reverse DNS lookups started", () => dns.Lookups);
            registry.Counter("xrdmon_collect_dns_resolved_total", "reverse DNS lookups that gave a name", () => dns.Resolved);
            registry.Counter("xrdmon_collect_dns_failed_total", "reverse DNS lookups without a name", () => dns.Failed);
            registry.Counter("xrdmon_collect_dns_timeouts_total", "reverse DNS lookups that timed out", () => dns.Timeouts);
            registry.Counter("xrdmon_collect_dns_skipped_total", "reverse DNS lookups not started (too many waiting)", () => dns.Skipped);
            registry.Gauge("xrdmon_collect_dns_cache_entries", "addresses in the reverse DNS cache", () => dns.Count);
            registry.Gauge("xrdmon_collect_dns_in_flight", "reverse DNS lookups running or waiting", () => dns.InFlight);
        }
    }

    /// <summary>Consumes until cancelled, reconnecting with back-off; flushes and acknowledges on the way out.</summary>
    /// <param name="endpoint">The broker.</param>
    /// <param name="cancellationToken">Stops consuming.</param>
    /// <returns>A task.</returns>
    public async Task RunAsync(AmqpEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        TimeSpan backoff = TimeSpan.FromMilliseconds(250);
        bool first = true;
        while (!cancellationToken.IsCancellationRequested && !_aborted)
        {
            try
            {
                await using IConnection connection = await endpoint.ConnectAsync("toolkit xrdmon collect", cancellationToken).ConfigureAwait(false);
                await using IChannel channel = await connection.CreateChannelAsync(null, cancellationToken).ConfigureAwait(false);
                IChannel? publish = null;
                if (_wlcgExchange is not null)
                {
                    publish = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
                    await publish.ExchangeDeclareAsync(_wlcgExchange.Exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    if (!first)
                    {
                        Interlocked.Increment(ref _reconnects);
                    }

                    first = false;
                    await ConsumeAsync(endpoint, channel, publish, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromMilliseconds(250);
                }
                finally
                {
                    if (publish is not null)
                    {
                        await publish.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (_logged.Add("broker:" + e.GetType().Name))
                {
                    _log.WriteLine($"xrdmon collect: broker {endpoint.Redacted} unavailable ({endpoint.Describe(e)}); retrying");
                }
            }

            try
            {
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromMilliseconds(Math.Min(5000, backoff.TotalMilliseconds * 2));
        }

        if (_aborted)
        {
            return;
        }

        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _collector.Flush();
            await _tap.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            _metrics.Refresh(_collector);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ConsumeAsync(AmqpEndpoint endpoint, IChannel channel, IChannel? publish, CancellationToken cancellationToken)
    {
        await DeclareAsync(channel, cancellationToken).ConfigureAwait(false);
        await channel.BasicQosAsync(0, _options.Prefetch, global: false, cancellationToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += OnMessageAsync;
        (List<string> own, List<string> standby) = Queues();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        _channel = channel;
        _unacked = 0;
        _safe = 0;
        _gate.Release();
        _wlcgExchange?.Attach(publish);
        long standbyAt = _clock.Elapsed.Ticks + _options.StandbyDelay.Ticks;
        bool standbyDone = standby.Count == 0;
        long handBackAt = long.MaxValue;
        var standbyTags = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            try
            {
                foreach (string q in own)
                {
                    await channel.BasicConsumeAsync(q, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
                }

                _log.WriteLine($"xrdmon collect: consuming {string.Join(", ", own)} on {endpoint.Redacted}" + (standby.Count > 0 ? $" (standby for {standby.Count} more shards)" : string.Empty));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped while subscribing: the first queues may already have delivered messages, and those are
                // still flushed and acknowledged below (a stop must not leave processed messages to be redelivered).
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_options.AckInterval, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (_aborted)
                {
                    return;
                }

                if (!channel.IsOpen)
                {
                    throw new IOException("the broker closed the channel: " + channel.CloseReason?.ReplyText);
                }

                if (!standbyDone && _clock.Elapsed.Ticks >= standbyAt)
                {
                    try
                    {
                        foreach (string q in standby)
                        {
                            standbyTags[await channel.BasicConsumeAsync(q, autoAck: false, consumer, cancellationToken).ConfigureAwait(false)] = q;
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }

                    standbyDone = true;
                    handBackAt = _clock.Elapsed.Ticks + _options.HandBackInterval.Ticks;
                }
                else if (standbyDone && _options.HandBackInterval > TimeSpan.Zero && _clock.Elapsed.Ticks >= handBackAt)
                {
                    await HandBackAsync(channel, consumer, standbyTags, cancellationToken).ConfigureAwait(false);
                    handBackAt = _clock.Elapsed.Ticks + _options.HandBackInterval.Ticks;
                }

                // Not cancellable: a stop must still end with the flush and acknowledgement below.
                await TickAsync().ConfigureAwait(false);
            }

            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                // Stopping: give up the gaps, so that every datagram received has its output before the last acknowledgement.
                _collector.Flush();
                MarkSafe();
                await FlushAndAckAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            _channel = null;
            _unacked = 0;
            _safe = 0;
            _gate.Release();
            _wlcgExchange?.Attach(null);
        }
    }

    private async Task OnMessageAsync(object sender, BasicDeliverEventArgs ea)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(((AsyncEventingBasicConsumer)sender).Channel, _channel))
            {
                return;
            }

            Interlocked.Increment(ref _messages);
            if (ea.Redelivered)
            {
                Interlocked.Increment(ref _redelivered);
            }

            ShovelerMessageError error = ShovelerMessage.TryRead(ea.Body.Span, out string remote, _datagram, out int length);
            if (error != ShovelerMessageError.None)
            {
                Interlocked.Increment(ref _malformed[(int)error]);
                if (_logged.Add("message:" + ShovelerMessage.Name(error)))
                {
                    _log.WriteLine($"xrdmon collect: malformed broker message ({ShovelerMessage.Name(error)}, {ea.Body.Length} bytes, delivery {ea.DeliveryTag}); counted and skipped, further ones of this kind are only counted");
                }
            }
            else
            {
                if (!_senders.TryGetValue(remote, out int id))
                {
                    id = _senders.Count < MaxSenders ? _collector.RegisterSender(remote) : _collector.RegisterSender("(other senders)");
                    if (_senders.Count < MaxSenders)
                    {
                        _senders.Add(remote, id);
                    }
                }

                long now = _clock.Elapsed.Ticks;
                _lastData = now;
                _collector.Process(_datagram.AsSpan(0, length), id, now);
                Processed?.Invoke(remote);
            }

            _lastTag = ea.DeliveryTag;
            _deliveredTags.Add(ea.ConsumerTag);
            _unacked++;
            if (_collector.PendingBytes == 0)
            {
                MarkSafe();
            }
            else if (_unacked - _safe >= HoldLimit)
            {
                // Datagrams have waited for their gaps through half the prefetch window: the broker would soon stop
                // delivering. Give the gaps up (counted as lost), so that everything received has its output and can be
                // acknowledged.
                _collector.Flush();
                Interlocked.Increment(ref _gapFlushes);
                MarkSafe();
            }

            if (_safe >= _options.AckEvery)
            {
                await FlushAndAckAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task TickAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            long now = _clock.Elapsed.Ticks;
            if (now - _lastData > _options.IdleFlush.Ticks && _collector.PendingBytes > 0)
            {
                // Nothing arrived for a while: give up on missing datagrams (as xrdmon listen does).
                _collector.Flush();
                MarkSafe();
            }

            if (now - _lastExpire > TimeSpan.TicksPerMinute)
            {
                _collector.Expire(now);
                _lastExpire = now;
            }

            await FlushAndAckAsync(CancellationToken.None).ConfigureAwait(false);
            _metrics.Refresh(_collector);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Unacknowledged messages held back (some datagram of theirs waits for a gap) before the gaps are given up.</summary>
    private int HoldLimit => Math.Max(_options.AckEvery, _options.Prefetch == 0 ? 4 * _options.AckEvery : _options.Prefetch / 2);

    /// <summary>Every message received so far has had all its datagrams delivered out of the reorder buffers (gate held).</summary>
    private void MarkSafe()
    {
        _safeTag = _lastTag;
        _safe = _unacked;
    }

    /// <summary>
    /// Flushes output (and WLCG confirms), then acknowledges every message up to the last one whose datagrams all left
    /// the reorder buffers (gate held). A message whose datagram still waits for a gap is not acknowledged: a crash would
    /// otherwise lose it (nothing written, nothing redelivered).
    /// </summary>
    private async Task FlushAndAckAsync(CancellationToken cancellationToken)
    {
        _collector.FlushOutput();
        await _tap.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_safe > 0 && _channel is { IsOpen: true } ch)
        {
            await ch.BasicAckAsync(_safeTag, multiple: true, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _acked, _safe);
            _unacked -= _safe;
            _safe = 0;
        }
    }

    /// <summary>
    /// Simulates a crash: closes the consuming channel without flushing or acknowledging, so the broker hands the
    /// unacknowledged messages and the shards to the standbys; <see cref="RunAsync"/> then returns without flushing.
    /// </summary>
    /// <returns>A task.</returns>
    public async Task AbortAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _aborted = true;
            if (_channel is { } ch)
            {
                _channel = null;
                await ch.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes the collector's counters (<c>{"event":"stats",...}</c>) plus the bus counters to <paramref name="log"/>.</summary>
    /// <param name="log">Where.</param>
    public void WriteStats(TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var ms = new MemoryStream();
        _collector.WriteStats(ms);
        log.Write(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
        log.WriteLine($"{{\"event\":\"bus_stats\",\"messages\":{Messages},\"redelivered\":{Redelivered},\"acked\":{Acked},\"reconnects\":{Reconnects},\"not_json\":{Malformed(ShovelerMessageError.NotJson)},\"missing_field\":{Malformed(ShovelerMessageError.MissingField)},\"bad_base64\":{Malformed(ShovelerMessageError.BadBase64)},\"oversized\":{Malformed(ShovelerMessageError.Oversized)},\"wlcg_records\":{WlcgRecords},\"dropped_vo\":{_tap.DroppedVo},\"dropped_path_prefix\":{_tap.DroppedPathPrefix}}}");
    }

    /// <summary>Flushes and releases the collector (after an abort: releases without flushing).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_aborted)
        {
            _collector.Dispose();
        }

        _gate.Dispose();
    }
}
