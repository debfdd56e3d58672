using System;
using System.Buffers.Binary;
using System.IO;

namespace Toolkit.Runtime.Capture;

/// <summary>Writes datagrams in the capture container format (u32 big-endian length + bytes, repeated).</summary>
public sealed class CaptureWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _prefix = new byte[CaptureFormat.PrefixLength];

    /// <summary>Creates a writer.</summary>
    /// <param name="stream">Destination stream.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open when this writer is disposed.</param>
    public CaptureWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Number of datagrams written.</summary>
    public long Count { get; private set; }

    /// <summary>Number of bytes written, prefixes included.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Appends one datagram.</summary>
    /// <param name="datagram">The datagram bytes (at most <see cref="CaptureFormat.MaxDatagramLength"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The datagram is longer than a UDP datagram can be.</exception>
    public void Write(ReadOnlySpan<byte> datagram)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(datagram.Length, CaptureFormat.MaxDatagramLength, nameof(datagram));
        BinaryPrimitives.WriteUInt32BigEndian(_prefix, (uint)datagram.Length);
        _stream.Write(_prefix);
        _stream.Write(datagram);
        Count++;
        BytesWritten += CaptureFormat.PrefixLength + datagram.Length;
    }

    /// <summary>Flushes the underlying stream.</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Flushes and closes the stream unless told to leave it open.</summary>
    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
