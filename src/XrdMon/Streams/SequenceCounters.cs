namespace Toolkit.XrdMon.Streams;

/// <summary>
/// Counters of one sequence stream. They add up: <c>Received = Delivered + Duplicates + Late + Pending</c>, where
/// <c>Pending</c> is what the reorder buffer still holds.
/// </summary>
public sealed class SequenceCounters
{
    /// <summary>Datagrams offered.</summary>
    public long Received { get; internal set; }

    /// <summary>Datagrams released to the sink, in order.</summary>
    public long Delivered { get; internal set; }

    /// <summary>Sequence numbers skipped (never seen by the time the window moved past them): UDP loss.</summary>
    public long Lost { get; internal set; }

    /// <summary>Datagrams dropped because their sequence number was already delivered or buffered.</summary>
    public long Duplicates { get; internal set; }

    /// <summary>Datagrams dropped because they arrived after the window had moved past their (lost) sequence number.</summary>
    public long Late { get; internal set; }

    /// <summary>Datagrams that arrived ahead of the expected sequence number and had to wait in the buffer.</summary>
    public long Reordered { get; internal set; }

    /// <summary>Adds another stream's counters to these.</summary>
    /// <param name="other">The counters to add.</param>
    public void Add(SequenceCounters other)
    {
        System.ArgumentNullException.ThrowIfNull(other);
        Received += other.Received;
        Delivered += other.Delivered;
        Lost += other.Lost;
        Duplicates += other.Duplicates;
        Late += other.Late;
        Reordered += other.Reordered;
    }
}
