namespace Toolkit.Runtime.Capture;

/// <summary>What is wrong with a capture container at a given byte offset.</summary>
public enum CaptureErrorKind
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The file ends inside a 4-byte length prefix.</summary>
    TruncatedLength = 1,

    /// <summary>The file ends before the number of datagram bytes the length prefix announced.</summary>
    TruncatedDatagram = 2,

    /// <summary>The length prefix is larger than any UDP datagram can be (65535 bytes).</summary>
    LengthTooLarge = 3,
}
