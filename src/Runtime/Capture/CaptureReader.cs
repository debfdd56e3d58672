using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;

namespace Toolkit.Runtime.Capture;

/// <summary>
/// Streaming reader of a capture container. Reads through one pooled buffer, so datagrams are handed out as
/// memory slices that stay valid only until the next call; no allocation per datagram.
/// </summary>
public sealed class CaptureReader : IDisposable
{
    private const int BufferSize = 1 << 20;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _consumed;

    /// <summary>Creates a reader.</summary>
    /// <param name="stream">The container stream (read sequentially).</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open when this reader is disposed.</param>
    public CaptureReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>Byte offset, in the container, of the next frame.</summary>
    public long Offset => _consumed;

    /// <summary>Byte offset, in the container, of the datagram last returned (its first byte, after the prefix).</summary>
    public long DatagramOffset { get; private set; }

    /// <summary>Number of datagrams returned so far (= 0-based index of the next one).</summary>
    public long Index { get; private set; }

    /// <summary>Reads the next datagram.</summary>
    /// <param name="datagram">The datagram; valid until the next call.</param>
    /// <returns>False at a clean end of the container.</returns>
    /// <exception cref="CaptureFormatException">The container ends inside a frame or a length prefix is impossible.</exception>
    public bool TryRead(out ReadOnlyMemory<byte> datagram)
    {
        datagram = default;
        if (!Fill(CaptureFormat.PrefixLength))
        {
            int left = _end - _start;
            if (left == 0)
            {
                return false;
            }

            throw new CaptureFormatException(CaptureErrorKind.TruncatedLength, _consumed, Index, -1, left);
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start, CaptureFormat.PrefixLength));
        if (length > CaptureFormat.MaxDatagramLength)
        {
            throw new CaptureFormatException(CaptureErrorKind.LengthTooLarge, _consumed, Index, length, _end - _start);
        }

        int frame = CaptureFormat.PrefixLength + (int)length;
        if (!Fill(frame))
        {
            throw new CaptureFormatException(CaptureErrorKind.TruncatedDatagram, _consumed, Index, length, _end - _start);
        }

        datagram = new ReadOnlyMemory<byte>(_buffer, _start + CaptureFormat.PrefixLength, (int)length);
        DatagramOffset = _consumed + CaptureFormat.PrefixLength;
        _start += frame;
        _consumed += frame;
        Index++;
        return true;
    }

    /// <summary>Returns the pooled buffer and closes the stream unless told to leave it open.</summary>
    public void Dispose()
    {
        if (_buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Makes at least <paramref name="needed"/> bytes available at <c>_start</c>; false when the stream ends first.</summary>
    private bool Fill(int needed)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        while (_end - _start < needed)
        {
            if (_eof)
            {
                return false;
            }

            if (_buffer.Length - _start < needed)
            {
                // Move the partial frame to the front to make room for the rest.
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                _eof = true;
            }

            _end += n;
        }

        return true;
    }
}
