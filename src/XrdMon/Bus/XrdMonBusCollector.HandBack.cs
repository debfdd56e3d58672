using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Toolkit.XrdMon.Bus;

/// <summary>Giving shards taken over as a standby back to their owner.</summary>
public sealed partial class XrdMonBusCollector
{
    /// <summary>Consumer tags that delivered a message since the last hand-back check (gate held).</summary>
    private readonly HashSet<string> _deliveredTags = new(StringComparer.Ordinal);
    private long _handBacks;

    /// <summary>Standby shards handed back (cancelled and subscribed again at the end of the line).</summary>
    public long HandBacks => Interlocked.Read(ref _handBacks);

    /// <summary>
    /// Every <see cref="XrdMonBusCollectorOptions.HandBackInterval"/>: for each standby shard that delivered messages
    /// (so this collector is its active consumer: its owner died), flush and acknowledge what has its output (messages whose datagrams wait for a reorder gap stay held), cancel the
    /// subscription and subscribe again. A single-active-consumer queue then goes to the next consumer in line: the
    /// owner if it came back (it subscribed before this new subscription), else this collector again, which keeps its
    /// state. RabbitMQ 3.10 ignores consumer priorities on such queues, so this is how a restarted owner gets its
    /// shards back. The owner starts the moved servers with the state it has (unresolved records are counted).
    /// </summary>
    private async Task HandBackAsync(IChannel channel, AsyncEventingBasicConsumer consumer, Dictionary<string, string> standbyTags, CancellationToken cancellationToken)
    {
        var held = new List<(string Tag, string Queue)>();
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (KeyValuePair<string, string> t in standbyTags)
            {
                if (_deliveredTags.Contains(t.Key))
                {
                    held.Add((t.Key, t.Value));
                }
            }

            _deliveredTags.Clear();
            if (held.Count > 0)
            {
                await FlushAndAckAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }

        foreach ((string tag, string queue) in held)
        {
            await channel.BasicCancelAsync(tag, noWait: false, cancellationToken).ConfigureAwait(false);
            standbyTags.Remove(tag);
            standbyTags[await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false)] = queue;
            Interlocked.Increment(ref _handBacks);
        }
    }
}
