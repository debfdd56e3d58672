using System;
using System.Buffers.Binary;

namespace Toolkit.Generated.Monitoring;

/// <summary>The 8-byte header that starts every XRootD monitoring datagram.</summary>
/// <param name="Code">Packet type character (<c>=</c> <c>d</c> <c>i</c> <c>p</c> <c>u</c> <c>U</c> <c>x</c> <c>t</c> <c>r</c> <c>f</c> <c>g</c>).</param>
/// <param name="Pseq">Packet sequence number (wraps 255 to 0).</param>
/// <param name="Plen">Total packet length, header included.</param>
/// <param name="Stod">Unix time the server started.</param>
public readonly record struct XrdMonHeader(byte Code, byte Pseq, ushort Plen, int Stod)
{
    /// <summary>Size of the header in bytes.</summary>
    public const int Size = 8;

    /// <summary>Reads the header; false when fewer than 8 bytes are given.</summary>
    /// <param name="datagram">The datagram.</param>
    /// <param name="header">The header.</param>
    /// <returns>True when the datagram is long enough.</returns>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out XrdMonHeader header)
    {
        if (datagram.Length < Size)
        {
            header = default;
            return false;
        }

        header = new XrdMonHeader(
            datagram[0],
            datagram[1],
            BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]),
            BinaryPrimitives.ReadInt32BigEndian(datagram[4..]));
        return true;
    }

    /// <summary>True for the map packet codes (<c>= d i p u U x</c>).</summary>
    public bool IsMap => Code is (byte)'=' or (byte)'d' or (byte)'i' or (byte)'p' or (byte)'u' or (byte)'U' or (byte)'x';
}
