using System;
using System.IO;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests.Uftp;

/// <summary>The framing and cipher layers allocate nothing per block once warmed up (buffers are pooled or owned).</summary>
public sealed class UftpAllocationTests
{
    private static readonly byte[] Batch = UftpFixture.RandomBytes(UftpDataChannel.BatchBlocks * UftpFrame.MaxBlockSize, 9);

    [Theory]
    [InlineData(UftpCipherAlgorithm.None)]
    [InlineData(UftpCipherAlgorithm.Aes)]
    [InlineData(UftpCipherAlgorithm.Blowfish)]
    public void Encoding_frames_through_the_cipher_allocates_nothing_per_block(UftpCipherAlgorithm algorithm)
    {
        var enc = algorithm == UftpCipherAlgorithm.None ? null : UftpEncryption.Generate(algorithm);
        var sink = new CountingSink();
        using var lane = new DataLane(sink, null, 1, write: true, enc, compress: false);
        for (uint i = 0; i < 10; i++)
        {
            lane.WriteFrames(Batch, i * 64, 4); // warm-up (JIT tiering)
        }

        uint next = 10;
        long allocated = SteadyState(() =>
        {
            for (int n = 0; n < 20; n++, next++)
            {
                lane.WriteFrames(Batch, next * 64, 4);
            }
        });
        Assert.True(sink.Bytes > 20 * Batch.Length / 4, "frames were written: " + sink.Bytes);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(UftpCipherAlgorithm.None)]
    [InlineData(UftpCipherAlgorithm.Aes)]
    [InlineData(UftpCipherAlgorithm.Blowfish)]
    public void Decoding_frames_through_the_cipher_allocates_nothing_per_block(UftpCipherAlgorithm algorithm)
    {
        var enc = algorithm == UftpCipherAlgorithm.None ? null : UftpEncryption.Generate(algorithm);
        var wire = new MemoryStream();
        using (var w = new DataLane(wire, null, 1, write: true, enc, compress: false))
        {
            for (uint i = 0; i < 70; i++)
            {
                w.WriteFrames(Batch, i * 64, 4);
            }

            w.CompleteWrite();
        }

        using var lane = new DataLane(new MemoryStream(wire.ToArray()), null, 1, write: false, enc, compress: false);
        var target = new byte[Batch.Length];
        var sizes = new int[UftpDataChannel.BatchBlocks];
        for (uint i = 0; i < 10; i++)
        {
            Assert.Equal(64, lane.ReadFrames(target, i * 64, 4, sizes)); // warm-up (JIT tiering)
        }

        uint next = 10;
        int blocks = 0;
        long allocated = SteadyState(() =>
        {
            for (int n = 0; n < 20 && next < 70; n++, next++)
            {
                blocks += lane.ReadFrames(target, next * 64, 4, sizes);
            }
        });
        Assert.True(blocks >= 20 * 64, "blocks were read: " + blocks);
        Assert.Equal(0, allocated);
        var (offset, length) = UftpFrame.Chunk(UftpFrame.MaxBlockSize, 4, 1);
        Assert.True(target.AsSpan(offset, length).SequenceEqual(Batch.AsSpan(offset, length)));
    }

    /// <summary>
    /// The bytes <paramref name="run"/> allocates once warm: the least of three measured runs, so that a one-off
    /// allocation of the runtime during one of them (tiered recompilation, a pool's first growth on a busy machine)
    /// is not counted as a per-block one. A layer that allocates per block allocates in every run and still fails.
    /// </summary>
    private static long SteadyState(Action run)
    {
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            run();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }

    private sealed class CountingSink : Stream
    {
        public long Bytes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Bytes;

        public override long Position { get => Bytes; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Bytes += count;

        public override void Write(ReadOnlySpan<byte> buffer) => Bytes += buffer.Length;
    }
}
