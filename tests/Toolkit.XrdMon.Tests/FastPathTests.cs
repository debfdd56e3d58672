using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// The generated fast path (IsValidFixed, used by Validate for fixed-size array elements and nested records) must
/// accept exactly what the full validator accepts; found by enumerating the registry.
/// </summary>
public sealed class FastPathTests
{
    private static readonly List<StructRecordInfo> Checked = StructRegistry.All.Where(i => i.IsValidFixed is not null).ToList();

    [Fact]
    public void FixedSizeRecordsHaveAFastCheck()
    {
        Assert.All(Checked, i => Assert.True(i.FixedSize > 0, i.Name));
        Assert.Contains(Checked, i => i.Name == nameof(TraceEntry) && i.IsUnion && i.FixedSize == 16);
        Assert.Contains(Checked, i => i.Name == nameof(FstatTod));
        Assert.DoesNotContain(StructRegistry.All, i => i.Name == nameof(FstatClose) && i.FixedSize is not null);
    }

    [Fact]
    public void FastCheckAgreesWithValidateOnRandomAndMutatedRecords()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            foreach (var info in Checked)
            {
                var size = info.FixedSize!.Value;
                byte[] bytes;
                if (random.Next(3) == 0)
                {
                    bytes = new byte[size];
                    random.NextBytes(bytes);
                }
                else
                {
                    bytes = info.Write(info.Generate(random));
                    Assert.Equal(size, bytes.Length);
                    var flips = random.Next(0, 3);
                    for (var i = 0; i < flips; i++)
                    {
                        var bit = random.Next(bytes.Length * 8);
                        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                    }
                }

                // Trailing bytes must not matter to either.
                var data = bytes.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => (byte)random.Next(256))).ToArray();
                var expected = info.TryRead(data, out _, out _);
                Assert.True(expected == info.IsValidFixed!(data), info.Name + ": fast check disagrees with Validate on " + Convert.ToHexString(data));
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void NestedFixedRecordStillReportsTheExactError()
    {
        // f-stream TOD (a nested fixed-size record on the fast path) with recSize 0: the error names the field.
        var f = RobustnessTests.RealDatagrams.First(x => x[0] == 'f').ToArray();
        f[8 + 2] = 0;
        f[8 + 3] = 0;
        Assert.False(PacketReader.TryRead(f, out _, out var error));
        Assert.Equal((nameof(FstatTod), "recSize", 8 + 2), (error.Record, error.Field, error.Offset));

        // recSize 32: in range, but the TOD has 24 bytes of content.
        f = RobustnessTests.RealDatagrams.First(x => x[0] == 'f').ToArray();
        f[8 + 3] = 32;
        Assert.False(PacketReader.TryRead(f, out _, out error));
        Assert.Equal((nameof(FstatTod), "record size does not match its content", 8 + 24), (error.Record, error.Reason, error.Offset));
    }
}
