using System;
using System.IO;

namespace Toolkit.XrdMon.Bus;

/// <summary>Timeouts and heart-beats of a <see cref="StompConnection"/>.</summary>
public sealed class StompOptions
{
    /// <summary>TCP connect, TLS handshake and CONNECT → CONNECTED, together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The heart-beat this client offers to send and asks to receive (0: none).</summary>
    public TimeSpan HeartBeat { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a frame write may take.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest frame accepted from the broker.</summary>
    public int MaxFrame { get; init; } = 1 << 20;
}

/// <summary>The broker answered with an ERROR frame.</summary>
/// <param name="message">Its <c>message</c> header and body.</param>
public sealed class StompErrorException(string message) : IOException(message);
