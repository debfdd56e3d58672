using System;
using System.Buffers.Binary;

namespace Toolkit.Runtime.Capture;

/// <summary>
/// Allocation-free walker over a capture container held in memory. Each <see cref="TryRead"/> hands out the next
/// datagram as a slice of the input.
/// </summary>
public ref struct CaptureSpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;
    private long _index;

    /// <summary>Creates a reader over a whole container.</summary>
    /// <param name="data">The container bytes.</param>
    public CaptureSpanReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        _index = 0;
        Error = CaptureErrorKind.None;
    }

    /// <summary>Byte offset of the next frame.</summary>
    public readonly int Offset => _offset;

    /// <summary>Number of datagrams read so far (= index of the next one).</summary>
    public readonly long Index => _index;

    /// <summary>Set when <see cref="TryRead"/> stopped on a malformed frame; <see cref="CaptureErrorKind.None"/> at a clean end.</summary>
    public CaptureErrorKind Error { get; private set; }

    /// <summary>Reads the next datagram.</summary>
    /// <param name="datagram">The datagram bytes (a slice of the input).</param>
    /// <returns>False at the end of the data or on a malformed frame (then <see cref="Error"/> says which and <see cref="Offset"/> where).</returns>
    public bool TryRead(out ReadOnlySpan<byte> datagram)
    {
        datagram = default;
        if (Error != CaptureErrorKind.None)
        {
            return false;
        }

        int left = _data.Length - _offset;
        if (left == 0)
        {
            return false;
        }

        if (left < CaptureFormat.PrefixLength)
        {
            Error = CaptureErrorKind.TruncatedLength;
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(_offset, CaptureFormat.PrefixLength));
        if (length > CaptureFormat.MaxDatagramLength)
        {
            Error = CaptureErrorKind.LengthTooLarge;
            return false;
        }

        if (left - CaptureFormat.PrefixLength < (int)length)
        {
            Error = CaptureErrorKind.TruncatedDatagram;
            return false;
        }

        datagram = _data.Slice(_offset + CaptureFormat.PrefixLength, (int)length);
        _offset += CaptureFormat.PrefixLength + (int)length;
        _index++;
        return true;
    }

    /// <summary>Builds the typed exception describing <see cref="Error"/> at the current offset.</summary>
    /// <returns>The exception (not thrown).</returns>
    public readonly CaptureFormatException CreateException()
    {
        int left = _data.Length - _offset;
        long declared = left >= CaptureFormat.PrefixLength
            ? BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(_offset, CaptureFormat.PrefixLength))
            : -1;
        return new CaptureFormatException(Error, _offset, _index, declared, left);
    }
}
