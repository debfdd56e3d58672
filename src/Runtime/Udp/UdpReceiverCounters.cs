namespace Toolkit.Runtime.Udp;

/// <summary>Counters of a <see cref="UdpDatagramReceiver"/>; written by the receiving thread only.</summary>
public sealed class UdpReceiverCounters
{
    /// <summary>Datagrams received.</summary>
    public long Datagrams { get; internal set; }

    /// <summary>Receive system calls that returned datagrams (with <c>recvmmsg</c>, <see cref="Datagrams"/> / this is the mean batch).</summary>
    public long Batches { get; internal set; }

    /// <summary>Payload bytes received.</summary>
    public long Bytes { get; internal set; }

    /// <summary>Socket errors that did not stop the receiver (for example ICMP-induced connection resets).</summary>
    public long SocketErrors { get; internal set; }
}
