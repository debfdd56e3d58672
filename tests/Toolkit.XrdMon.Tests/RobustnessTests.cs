using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon.Tests;

/// <summary>Random bytes, truncations and bit flips may only decode or fail with the typed error.</summary>
public sealed class RobustnessTests
{
    private static readonly List<byte[]> Real = TestData.AllDatagrams().ToList();

    internal static IReadOnlyList<byte[]> RealDatagrams => Real;

    /// <summary>Decodes fully (every nested record, every text view) and returns whether it succeeded.</summary>
    internal static bool DecodeEverything(ReadOnlySpan<byte> data)
    {
        if (!PacketReader.TryRead(data, out var p, out var error))
        {
            Assert.True(error.IsError);
            Assert.InRange(error.Offset, 0, data.Length);
            Assert.NotEmpty(error.Record);
            Assert.NotEmpty(error.Reason);
            var copy = data.ToArray();
            var ex = Assert.Throws<BinaryFormatException>(() => Packet.Read(copy));
            Assert.Equal(error, ex.Error);
            return false;
        }

        Walk.Packet(p);
        var model = p.ToModel();
        Assert.Equal(p.Bytes.ToArray(), model.ToArray());
        return true;
    }

    [Fact]
    public void RandomBytesDecodeOrFailTyped()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (bytes.Length > 0)
            {
                bytes[0] = (byte)"=dipuUxtrfgZ"[random.Next(12)];
            }

            if (bytes.Length >= 4 && random.Next(2) == 0)
            {
                bytes[2] = (byte)(bytes.Length >> 8);
                bytes[3] = (byte)bytes.Length;
            }

            DecodeEverything(bytes);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void EveryRecordTypeSurvivesRandomBytes()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            foreach (var info in StructRegistry.All)
            {
                if (info.TryRead(bytes, out var model, out var error))
                {
                    Assert.NotNull(model);
                }
                else
                {
                    Assert.True(error.IsError);
                    Assert.Equal(info.Name.Length > 0, error.Record.Length > 0);
                    Assert.Throws<BinaryFormatException>(() => info.Read(bytes));
                }
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void EveryTruncationOfEveryRealDatagramIsHandled()
    {
        foreach (var d in Real)
        {
            for (var n = 0; n < d.Length; n++)
            {
                // plen still claims the full length, so every proper prefix is an error.
                Assert.False(DecodeEverything(d.AsSpan(0, n)));
            }
        }
    }

    [Fact]
    public void BitFlipsOfRealDatagramsDecodeOrFailTyped()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var d = (byte[])Real[random.Next(Real.Count)].Clone();
            var flips = random.Next(1, 4);
            for (var i = 0; i < flips; i++)
            {
                var bit = random.Next(d.Length * 8);
                d[bit / 8] ^= (byte)(1 << (bit % 8));
            }

            DecodeEverything(d);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TrailingBytesAfterPlenAreIgnored()
    {
        var d = Real[0].Concat(new byte[] { 1, 2, 3 }).ToArray();
        Assert.True(PacketReader.TryRead(d, out var p, out _));
        Assert.Equal(Real[0].Length, p.Size);
    }

    [Fact]
    public void TypedErrorsNameRecordFieldAndOffset()
    {
        // f-stream record with recSize 4 (< 8): rejected, not looped over.
        var f = Real.First(x => x[0] == 'f').ToArray();
        f[8 + 24 + 2] = 0;
        f[8 + 24 + 3] = 4;
        Assert.False(PacketReader.TryRead(f, out _, out var error));
        Assert.Equal(8 + 24 + 2, error.Offset);
        Assert.Equal("recSize", error.Field);

        // r-stream server word must be 0xF0.
        var r = Real.First(x => x[0] == 'r').ToArray();
        r[8] = 0xF1;
        Assert.False(PacketReader.TryRead(r, out _, out error));
        Assert.Equal(("RedirectServerId", "type", 8), (error.Record, error.Field, error.Offset));

        // Redirect text longer than the packet.
        r = Real.First(x => x[0] == 'r').ToArray();
        r[16 + 8 + 1] = 200;
        Assert.False(PacketReader.TryRead(r, out _, out error));
        Assert.Equal(("RedirectRecord", "target"), (error.Record, error.Field));

        // A t-stream packet whose plen is not 8 + 16n.
        var t = Real.First(x => x[0] == 't').Take(8 + 16 + 5).ToArray();
        t[2] = 0;
        t[3] = (byte)t.Length;
        Assert.False(PacketReader.TryRead(t, out _, out error));
        // The second entry has only 5 of its 16 bytes: the error is where the data ran out.
        Assert.Equal(8 + 16 + 5, error.Offset);
        Assert.Equal("truncated", error.Reason);
        Assert.Contains("offset 29", error.ToString(), StringComparison.Ordinal);
    }
}
