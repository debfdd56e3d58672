using System;
using System.Collections.Generic;
using System.IO;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Runtime.Capture;

namespace Toolkit.XrdMon.Tests;

public class CaptureContainerTests
{
    [Theory]
    [InlineData("run1/origin.xrdmon", 99)]
    [InlineData("run1/proxy.xrdmon", 16)]
    public void Real_captures_hold_the_documented_number_of_datagrams(string file, int expected)
    {
        byte[] data = TestData.Bytes(file);
        var span = new CaptureSpanReader(data);
        int n = 0;
        while (span.TryRead(out ReadOnlySpan<byte> d))
        {
            Assert.True(d.Length >= 8);
            n++;
        }

        Assert.Equal(CaptureErrorKind.None, span.Error);
        Assert.Equal(expected, n);

        using var reader = new CaptureReader(new MemoryStream(data));
        int m = 0;
        while (reader.TryRead(out ReadOnlyMemory<byte> d))
        {
            Assert.Equal(d.Span[0], data[(int)reader.DatagramOffset]);
            m++;
        }

        Assert.Equal(expected, m);
        Assert.Equal(data.Length, reader.Offset);
    }

    [Fact]
    public void Truncation_reports_the_frame_offset_and_kind()
    {
        byte[] data = TestData.Bytes("run1/origin.xrdmon");
        int firstFrame = 4 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data);

        // Cut inside the second frame's datagram.
        var cut = data.AsSpan(0, firstFrame + 10).ToArray();
        var ex = Assert.Throws<CaptureFormatException>(() => Drain(cut));
        Assert.Equal(CaptureErrorKind.TruncatedDatagram, ex.Kind);
        Assert.Equal(firstFrame, ex.Offset);
        Assert.Equal(1, ex.Index);
        Assert.Contains($"byte {firstFrame}", ex.Message, StringComparison.Ordinal);

        // Cut inside the second frame's length prefix.
        cut = data.AsSpan(0, firstFrame + 2).ToArray();
        ex = Assert.Throws<CaptureFormatException>(() => Drain(cut));
        Assert.Equal(CaptureErrorKind.TruncatedLength, ex.Kind);
        Assert.Equal(firstFrame, ex.Offset);

        var span = new CaptureSpanReader(cut);
        Assert.True(span.TryRead(out _));
        Assert.False(span.TryRead(out _));
        Assert.Equal(CaptureErrorKind.TruncatedLength, span.Error);
        Assert.Equal(firstFrame, span.CreateException().Offset);
    }

    [Fact]
    public void Impossible_length_is_a_typed_error()
    {
        byte[] bad = [0x00, 0x01, 0x00, 0x00, 1, 2, 3];
        var ex = Assert.Throws<CaptureFormatException>(() => Drain(bad));
        Assert.Equal(CaptureErrorKind.LengthTooLarge, ex.Kind);
        Assert.Equal(0, ex.Offset);
        Assert.Equal(65536, ex.DeclaredLength);
    }

    [Fact]
    public void Write_then_read_returns_the_same_datagrams_through_a_small_chunked_stream()
    {
        Prop.ForAll(
            Gen.ArrayOf(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())).ToArbitrary(),
            datagrams =>
            {
                var ms = new MemoryStream();
                using (var w = new CaptureWriter(ms, leaveOpen: true))
                {
                    foreach (byte[] d in datagrams)
                    {
                        w.Write(d);
                    }
                }

                ms.Position = 0;
                var read = new List<byte[]>();
                using var r = new CaptureReader(new ChunkedStream(ms.ToArray(), 3));
                while (r.TryRead(out ReadOnlyMemory<byte> d))
                {
                    read.Add(d.ToArray());
                }

                Assert.Equal(datagrams.Length, read.Count);
                for (int i = 0; i < read.Count; i++)
                {
                    Assert.Equal(datagrams[i], read[i]);
                }
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Large_datagrams_spanning_buffer_refills_survive()
    {
        var ms = new MemoryStream();
        var w = new CaptureWriter(ms, leaveOpen: true);
        var rnd = new Random(5);
        var sent = new List<byte[]>();
        for (int i = 0; i < 60; i++)
        {
            var d = new byte[rnd.Next(0, 65536)];
            rnd.NextBytes(d);
            sent.Add(d);
            w.Write(d);
        }

        w.Dispose();
        using var r = new CaptureReader(new ChunkedStream(ms.ToArray(), 70000));
        int k = 0;
        while (r.TryRead(out ReadOnlyMemory<byte> d))
        {
            Assert.True(d.Span.SequenceEqual(sent[k++]));
        }

        Assert.Equal(sent.Count, k);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CaptureWriter(new MemoryStream()).Write(new byte[65536]));
    }

    private static void Drain(byte[] data)
    {
        using var r = new CaptureReader(new MemoryStream(data));
        while (r.TryRead(out _))
        {
        }
    }

    /// <summary>A stream that returns at most a few bytes per read, to exercise refills.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
