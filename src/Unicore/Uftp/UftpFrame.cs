using System;
using System.Buffers.Binary;
using System.Globalization;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// The 16-byte header uftpd and the Java client (JPARSS) put before every chunk of a multi-stream transfer:
/// big-endian <c>magic 0xCEBF (u16), stream index (u16), sequence number (u32), block size (u32), chunk length (u32)</c>.
/// Each block of at most <see cref="MaxBlockSize"/> bytes is split over the n streams: stream i carries
/// <c>size / n</c> bytes from offset <c>i * (size / n)</c>, the last stream also the remainder.
/// </summary>
public readonly record struct UftpFrame(ushort StreamIndex, uint Sequence, uint BlockSize, uint ChunkLength)
{
    /// <summary>The header length.</summary>
    public const int HeaderLength = 16;

    /// <summary>The magic number.</summary>
    public const ushort Magic = 0xCEBF;

    /// <summary>The block size uftpd uses with more than one stream (kept for the Java parallel socket implementation).</summary>
    public const int MaxBlockSize = 16384;

    /// <summary>The chunk of block <paramref name="blockSize"/> that stream <paramref name="index"/> of <paramref name="streams"/> carries.</summary>
    /// <param name="blockSize">The block size.</param>
    /// <param name="streams">The number of streams.</param>
    /// <param name="index">The stream index.</param>
    /// <returns>The offset in the block and the length.</returns>
    public static (int Offset, int Length) Chunk(int blockSize, int streams, int index)
    {
        int chunk = blockSize / streams;
        int length = index == streams - 1 ? blockSize - (index * chunk) : chunk;
        return (index * chunk, length);
    }

    /// <summary>Writes the header.</summary>
    /// <param name="destination">At least 16 bytes.</param>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], StreamIndex);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], BlockSize);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], ChunkLength);
    }

    /// <summary>Reads and checks a header against what stream <paramref name="index"/> of <paramref name="streams"/> expects next.</summary>
    /// <param name="source">The 16 header bytes.</param>
    /// <param name="streams">The number of streams.</param>
    /// <param name="index">The stream the header came from.</param>
    /// <param name="expectedSequence">The sequence number expected.</param>
    /// <param name="offset">The header's byte offset in its stream (for the error).</param>
    /// <returns>The header.</returns>
    /// <exception cref="UftpDataException">Wrong magic, stream index, sequence number, block size or chunk length.</exception>
    public static UftpFrame Read(ReadOnlySpan<byte> source, int streams, int index, uint expectedSequence, long offset)
    {
        if (source.Length < HeaderLength)
        {
            throw new UftpDataException(index, offset, "truncated frame header (" + source.Length.ToString(CultureInfo.InvariantCulture) + " of 16 bytes)");
        }

        ushort magic = BinaryPrimitives.ReadUInt16BigEndian(source);
        if (magic != Magic)
        {
            throw new UftpDataException(index, offset, "wrong frame magic 0x" + magic.ToString("X4", CultureInfo.InvariantCulture) + " (expected 0xCEBF)");
        }

        var frame = new UftpFrame(
            BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]));
        if (frame.StreamIndex != index)
        {
            throw new UftpDataException(index, offset + 2, "frame names stream " + frame.StreamIndex.ToString(CultureInfo.InvariantCulture) + " on stream " + index.ToString(CultureInfo.InvariantCulture));
        }

        if (frame.Sequence != expectedSequence)
        {
            throw new UftpDataException(index, offset + 4, "wrong sequence number " + frame.Sequence.ToString(CultureInfo.InvariantCulture) + " (expected " + expectedSequence.ToString(CultureInfo.InvariantCulture) + ")");
        }

        if (frame.BlockSize > MaxBlockSize)
        {
            throw new UftpDataException(index, offset + 8, "block size " + frame.BlockSize.ToString(CultureInfo.InvariantCulture) + " exceeds " + MaxBlockSize.ToString(CultureInfo.InvariantCulture));
        }

        var (_, length) = Chunk((int)frame.BlockSize, streams, index);
        if (frame.ChunkLength != (uint)length)
        {
            throw new UftpDataException(index, offset + 12, "chunk length " + frame.ChunkLength.ToString(CultureInfo.InvariantCulture) + " does not match block size " + frame.BlockSize.ToString(CultureInfo.InvariantCulture) + " over " + streams.ToString(CultureInfo.InvariantCulture) + " streams (expected " + length.ToString(CultureInfo.InvariantCulture) + ")");
        }

        return frame;
    }
}
