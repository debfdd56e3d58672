using System;
using System.Net;

namespace Toolkit.Runtime.Udp;

/// <summary>Handles datagrams received by a <see cref="UdpDatagramReceiver"/>.</summary>
public interface IUdpDatagramHandler
{
    /// <summary>Handles one datagram. Both arguments are reused by the receiver after the call returns.</summary>
    /// <param name="datagram">The datagram bytes.</param>
    /// <param name="sender">The sender's socket address.</param>
    void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender);

    /// <summary>Called when no datagram arrived for one poll interval (a chance to flush or report).</summary>
    void OnIdle();
}
