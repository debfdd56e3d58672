namespace Toolkit.Generated.Monitoring;

/// <summary>Why and where a datagram failed to decode.</summary>
/// <param name="Offset">Byte offset in the datagram of the part that failed.</param>
/// <param name="Reason">What is wrong (a fixed text; no allocation).</param>
public readonly record struct XrdMonDecodeError(int Offset, string Reason);
