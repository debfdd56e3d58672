using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace Toolkit.XrdMon.Bus;

// The queue topology: shard queue names, which are this collector's, and their declaration.
public sealed partial class XrdMonBusCollector
{
    /// <summary>The queues this collector consumes: its own shards first, then the standby ones.</summary>
    /// <returns>(own, standby) queue names.</returns>
    public (List<string> Own, List<string> Standby) Queues()
    {
        var own = new List<string>();
        var standby = new List<string>();
        if (_options.Shards <= 0)
        {
            own.Add(_options.Queue);
            return (own, standby);
        }

        for (int s = 0; s < _options.Shards; s++)
        {
            (s % _options.Collectors == _options.Index ? own : standby).Add(ShardQueue(_options.Queue, s));
        }

        return (own, standby);
    }

    /// <summary>The name of shard <paramref name="shard"/> of queue <paramref name="queue"/>.</summary>
    /// <param name="queue">The base name.</param>
    /// <param name="shard">The shard.</param>
    /// <returns><c>queue.shard</c>.</returns>
    public static string ShardQueue(string queue, int shard) => queue + "." + shard.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Task DeclareAsync(IChannel channel, CancellationToken cancellationToken) => DeclareTopologyAsync(channel, _options, cancellationToken);

    /// <summary>
    /// Declares the exchange (when set), the queue or shard queues (durable; shards single-active-consumer) and their
    /// bindings (weight 1 each on a consistent-hash exchange). Idempotent; the collector does it on every connect.
    /// </summary>
    /// <param name="channel">An open channel.</param>
    /// <param name="options">The names and shard count.</param>
    /// <param name="cancellationToken">Cancels the declarations.</param>
    /// <returns>A task.</returns>
    public static async Task DeclareTopologyAsync(IChannel channel, XrdMonBusCollectorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Exchange is not null)
        {
            await channel.ExchangeDeclareAsync(options.Exchange, options.ExchangeType, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var args = new Dictionary<string, object?> { ["x-single-active-consumer"] = true };
        string BindingKey(int shard) => options.ExchangeType switch
        {
            "x-consistent-hash" => "1",
            "direct" when options.Shards > 0 => XrdMonShards.Key(shard),
            _ => "#",
        };
        var queues = new List<string>();
        if (options.Shards <= 0)
        {
            queues.Add(options.Queue);
        }

        for (int s = 0; s < options.Shards; s++)
        {
            queues.Add(ShardQueue(options.Queue, s));
        }

        for (int i = 0; i < queues.Count; i++)
        {
            string q = queues[i];
            await channel.QueueDeclareAsync(q, durable: true, exclusive: false, autoDelete: false, arguments: options.Shards > 0 ? args : null, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (options.Exchange is not null)
            {
                await channel.QueueBindAsync(q, options.Exchange, BindingKey(i), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
