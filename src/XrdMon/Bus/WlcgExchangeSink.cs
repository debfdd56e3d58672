using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// WLCG records published to an exchange (persistent, JSON) on a channel with publisher confirms. Records wait in
/// memory until <see cref="FlushAsync"/> has them all confirmed; while no channel is attached (the broker is away)
/// they keep waiting, and a failed flush keeps them for the next one, so a record is published at least once.
/// </summary>
/// <param name="exchange">The exchange.</param>
internal sealed class WlcgExchangeSink(string exchange) : IWlcgSink
{
    private readonly List<byte[]> _pending = [];
    private IChannel? _channel;

    public string Exchange => exchange;

    public void Attach(IChannel? channel) => _channel = channel;

    public void Add(ReadOnlySpan<byte> record) => _pending.Add(record.ToArray());

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        IChannel channel = _channel ?? throw new InvalidOperationException("no broker channel for the WLCG records");
        var props = new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/json" };
        var tasks = new List<Task>(_pending.Count);
        foreach (byte[] r in _pending)
        {
            tasks.Add(channel.BasicPublishAsync(exchange, string.Empty, mandatory: false, props, r, cancellationToken).AsTask());
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        _pending.Clear();
    }
}
