using System;

namespace Toolkit.XrdMon.Streams;

/// <summary>Receives datagrams released in sequence order by a <see cref="PseqReorderBuffer"/>.</summary>
public interface IDatagramSink
{
    /// <summary>Handles one datagram; the span is only valid during the call.</summary>
    /// <param name="datagram">The datagram bytes.</param>
    void OnDatagram(ReadOnlySpan<byte> datagram);
}
