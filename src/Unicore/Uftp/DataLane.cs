using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Net.Sockets;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// One data connection with its layers, outermost first: (framing) → gzip → cipher → socket, as uftpd stacks them.
/// Reads and writes are synchronous with the socket's send/receive timeouts; the channel runs one lane per thread.
/// </summary>
internal sealed class DataLane : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly Socket? _socket;
    private readonly Stream _transport;
    private readonly CipherWriteStream? _cipherWriter;
    private readonly Stream? _cipherLayer;
    private readonly GZipStream? _gzip;
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[UftpFrame.HeaderLength];

    /// <summary>Builds the layers over a transport (a socket's stream, or any stream in tests).</summary>
    public DataLane(Stream transport, Socket? socket, int index, bool write, UftpEncryption? encryption, bool compress)
    {
        _socket = socket;
        _transport = transport;
        Index = index;
        Stream s = transport;
        if (encryption is not null)
        {
            if (write)
            {
                _cipherWriter = new CipherWriteStream(s, encryption.CreateCipher(true));
                s = _cipherLayer = _cipherWriter;
            }
            else
            {
                s = _cipherLayer = new CipherReadStream(s, encryption.CreateCipher(false), index);
            }
        }

        if (compress)
        {
            _gzip = write ? new GZipStream(s, CompressionLevel.Fastest, leaveOpen: true) : new GZipStream(s, CompressionMode.Decompress, leaveOpen: true);
            s = _gzip;
        }

        _stream = new BufferedStream(s, BufferSize);
    }

    public int Index { get; }

    /// <summary>Decoded bytes read or written so far (frame headers included).</summary>
    public long Position { get; private set; }

    /// <summary>The layered stream (buffered).</summary>
    public Stream Stream => _stream;

    /// <summary>Writes raw data (single-stream transfers: no framing).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        _stream.Write(data);
        Position += data.Length;
    }

    /// <summary>Reads raw data (single-stream transfers); 0 at the end.</summary>
    public int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _stream.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new UftpDataException("UFTP data stream " + Index.ToString(CultureInfo.InvariantCulture) + " at byte " + Position.ToString(CultureInfo.InvariantCulture) + ": bad gzip data: " + e.Message, e);
        }

        Position += n;
        return n;
    }

    /// <summary>Writes this lane's frames for <paramref name="batch"/> (blocks of <see cref="UftpFrame.MaxBlockSize"/>).</summary>
    public void WriteFrames(ReadOnlySpan<byte> batch, uint sequence, int streams)
    {
        for (int start = 0; start < batch.Length; start += UftpFrame.MaxBlockSize, sequence++)
        {
            int size = Math.Min(UftpFrame.MaxBlockSize, batch.Length - start);
            var (offset, length) = UftpFrame.Chunk(size, streams, Index);
            new UftpFrame((ushort)Index, sequence, (uint)size, (uint)length).Write(_header);
            _stream.Write(_header);
            _stream.Write(batch.Slice(start + offset, length));
            Position += UftpFrame.HeaderLength + length;
        }
    }

    /// <summary>
    /// Reads up to <paramref name="sizes"/>.Length frames into block slots of <paramref name="batch"/>; returns how many
    /// blocks it read before the stream ended (at a frame boundary).
    /// </summary>
    public int ReadFrames(Span<byte> batch, uint sequence, int streams, Span<int> sizes)
    {
        for (int b = 0; b < sizes.Length; b++, sequence++)
        {
            int got = ReadAtLeast(_header, UftpFrame.HeaderLength);
            if (got == 0)
            {
                return b;
            }

            if (got < UftpFrame.HeaderLength)
            {
                throw new UftpDataException(Index, Position, "the stream ended inside a frame header (" + got.ToString(CultureInfo.InvariantCulture) + " of 16 bytes)");
            }

            var frame = UftpFrame.Read(_header, streams, Index, sequence, Position);
            Position += UftpFrame.HeaderLength;
            var (offset, length) = UftpFrame.Chunk((int)frame.BlockSize, streams, Index);
            var slot = batch.Slice((b * UftpFrame.MaxBlockSize) + offset, length);
            got = ReadAtLeast(slot, length);
            if (got < length)
            {
                throw new UftpDataException(Index, Position + got, "the stream ended inside a chunk (" + got.ToString(CultureInfo.InvariantCulture) + " of " + length.ToString(CultureInfo.InvariantCulture) + " bytes)");
            }

            Position += length;
            sizes[b] = (int)frame.BlockSize;
        }

        return sizes.Length;
    }

    private int ReadAtLeast(Span<byte> buffer, int minimum)
    {
        try
        {
            return _stream.ReadAtLeast(buffer[..minimum], minimum, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new UftpDataException("UFTP data stream " + Index.ToString(CultureInfo.InvariantCulture) + " at byte " + Position.ToString(CultureInfo.InvariantCulture) + ": bad gzip data: " + e.Message, e);
        }
    }

    /// <summary>Ends a write: flushes, writes the gzip trailer and the cipher padding, and half-closes the socket.</summary>
    public void CompleteWrite()
    {
        _stream.Flush();
        _gzip?.Dispose();
        _cipherWriter?.Complete();
        _transport.Flush();
        try
        {
            _socket?.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The peer may have closed already; its reply on the control connection tells.
        }
    }

    /// <summary>Closes the socket (unblocks a reader or writer on another thread).</summary>
    public void Abort() => _socket?.Close(0);

    public void Dispose()
    {
        try
        {
            _stream.Dispose();
            _gzip?.Dispose();
        }
        catch (IOException)
        {
            // An aborted write: what is buffered cannot go anywhere.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _cipherLayer?.Dispose();
            _transport.Dispose();
            _socket?.Dispose();
        }
    }
}
