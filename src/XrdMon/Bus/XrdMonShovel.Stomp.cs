using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.XrdMon.Bus;

/// <summary>The shovel's STOMP transport: the same spool, batches and at-least-once rule, with receipts for confirms.</summary>
public sealed partial class XrdMonShovel
{
    private static readonly KeyValuePair<string, string>[] StompHeaders = [new("content-type", "application/json"), new("persistent", "true")];

    /// <summary>
    /// The STOMP destination of a message: a destination without a leading <c>/</c> is a topic (<c>/topic/NAME</c>, as the
    /// OSG shoveler's <c>stomp.topic</c>); RabbitMQ's <c>/exchange/NAME</c> without a routing key gets the message's
    /// routing key (its shard with <see cref="XrdMonShovelOptions.Shards"/>) appended; any other destination is used as it is.
    /// </summary>
    /// <param name="destination">The configured destination.</param>
    /// <param name="routingKey">The message's routing key.</param>
    /// <returns>The destination header.</returns>
    public static string StompDestination(string destination, string routingKey)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.StartsWith('/'))
        {
            return "/topic/" + destination;
        }

        if (destination.StartsWith("/exchange/", StringComparison.Ordinal) && destination.IndexOf('/', "/exchange/".Length) < 0 && routingKey.Length > 0)
        {
            return destination + "/" + routingKey;
        }

        return destination;
    }

    /// <summary>Publishes the spool to a STOMP destination until cancelled, reconnecting with back-off; every message is a SEND with a receipt, and a batch leaves the spool only when all its receipts came.</summary>
    /// <param name="endpoint">The broker.</param>
    /// <param name="destination">The destination (see <see cref="StompDestination"/>).</param>
    /// <param name="cancellationToken">Stops the publisher.</param>
    /// <param name="drain">How long to keep publishing the spool after cancellation.</param>
    /// <param name="options">Timeouts and heart-beats (null: defaults).</param>
    /// <returns>A task that ends when the publisher stopped.</returns>
    public async Task RunAsync(StompEndpoint endpoint, string destination, CancellationToken cancellationToken, TimeSpan drain = default, StompOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(destination);
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

            StompConnection? connection = null;
            try
            {
                connection = await StompConnection.ConnectAsync(endpoint, options, drainStop.Token).ConfigureAwait(false);
                if (!first)
                {
                    Interlocked.Increment(ref _reconnects);
                }

                first = false;
                _connected = true;
                _log.WriteLine($"xrdmon shovel: connected to {endpoint.Redacted} (STOMP{(connection.Server is null ? string.Empty : ", " + connection.Server)}), destination '{destination}'");
                backoff = TimeSpan.FromMilliseconds(250);
                await StompPublishLoopAsync(connection, destination, cancellationToken, drainStop.Token).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested && _spool.Depth == 0)
                {
                    await connection.DisconnectAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
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
                if (_logged.Add("stomp:" + e.GetType().Name))
                {
                    _log.WriteLine($"xrdmon shovel: broker {endpoint.Redacted} unavailable ({endpoint.Describe(e)}); spooling, retrying every few seconds");
                }
            }
            finally
            {
                _connected = false;
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (await BackOffAsync(backoff, drainStop.Token).ConfigureAwait(false) is not { } next)
            {
                return;
            }

            backoff = next;
        }
    }

    private async Task StompPublishLoopAsync(StompConnection connection, string destination, CancellationToken stop, CancellationToken drainStop)
    {
        var receipts = new List<Task>(_options.BatchSize);
        while (!drainStop.IsCancellationRequested)
        {
            IReadOnlyList<byte[]> batch = _spool.TakeBatch(_options.BatchSize);
            if (batch.Count == 0)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                if (!connection.IsOpen)
                {
                    throw connection.Failure ?? new System.IO.IOException("the STOMP connection closed");
                }

                await IdleAsync(stop).ConfigureAwait(false);
                continue;
            }

            long start = Stopwatch.GetTimestamp();
            receipts.Clear();
            foreach (byte[] entry in batch)
            {
                var (key, body) = SplitEntry(entry);
                receipts.Add(await connection.SendAsync(StompDestination(destination, key), body, StompHeaders, drainStop).ConfigureAwait(false));
            }

            // A batch is done when every receipt came; otherwise the connection failed and the batch is sent again on the next one.
            await Task.WhenAll(receipts).WaitAsync(TimeSpan.FromSeconds(30), drainStop).ConfigureAwait(false);
            PublishLatency.Observe(Stopwatch.GetElapsedTime(start));
            Interlocked.Add(ref _published, batch.Count);
            _spool.Commit();
        }
    }
}
