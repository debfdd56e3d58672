namespace Toolkit.Runtime.Capture;

/// <summary>
/// Constants of the capture container: a plain concatenation of frames, each a <c>u32</c> big-endian length
/// <c>N</c> followed by the <c>N</c> bytes of one UDP datagram, in arrival order, with no file header.
/// </summary>
public static class CaptureFormat
{
    /// <summary>Size of the length prefix in bytes.</summary>
    public const int PrefixLength = 4;

    /// <summary>The largest datagram a frame may hold (the UDP maximum; XRootD's <c>plen</c> is a u16).</summary>
    public const int MaxDatagramLength = 65535;
}
