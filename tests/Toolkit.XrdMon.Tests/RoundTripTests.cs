using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// read(write(m)) == m and write(read(b)) == b for every record type of the schema, found by enumerating the
/// generated registry (a new record in the schema is covered without touching this file).
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> RecordNames()
    {
        var data = new TheoryData<string>();
        foreach (var r in StructRegistry.All)
        {
            data.Add(r.Name);
        }

        return data;
    }

    [Fact]
    public void RegistryListsEveryStructAndUnion()
    {
        var names = StructRegistry.All.Select(r => r.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var expected in new[] { "Header", "Packet", "TracePacket", "TraceEntry", "TraceReadu", "RedirectRecord", "FstatClose", "FstatOpen", "GStreamPacket", "ServerIdentPacket", "UserActivityPacket" })
        {
            Assert.Contains(expected, names);
        }

        Assert.True(StructRegistry.All.Single(r => r.Name == "Packet").IsUnion);
        Assert.Equal(typeof(FstatClose), StructRegistry.All.Single(r => r.Name == "FstatClose").ModelType);
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void ModelRoundTripsThroughBytes(string name)
    {
        var info = StructRegistry.All.Single(r => r.Name == name);
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var model = info.Generate(new Random(seed));
            Assert.IsAssignableFrom(info.ModelType, model);
            var bytes = info.Write(model);

            // read(write(m)) == m
            var back = info.Read(bytes);
            Assert.Equal(model, back);
            Assert.True(info.TryRead(bytes, out var tried, out var error), error.ToString());
            Assert.Equal(model, tried);

            // write(read(b)) == b
            Assert.Equal(bytes, info.Write(back));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void DerivedFieldsAreComputedByTheWriter()
    {
        var close = new FstatClose
        {
            FileId = 7,
            Xfr = new FstatTransfer { ReadBytes = 1, ReadvBytes = 2, WriteBytes = 3 },
            Ops = new FstatOps { Reads = 1 },
            Ssq = new FstatSsq { ReadSquares = 1.5 },
        };
        var bytes = close.ToArray();
        Assert.Equal(112, bytes.Length);
        var r = FstatCloseReader.Read(bytes);
        Assert.Equal(112, r.RecSize);
        Assert.True(r.HasOps);
        Assert.True(r.HasSsq);
        Assert.Equal(1.5, r.Ssq.ReadSquares);

        var redirect = new RedirectRecord { Operation = RedirectOperation.Stat, Type = 9, Port = 1094, Target = ByteString.FromString("h:/p\0\0\0\0") };
        var rb = redirect.ToArray();
        Assert.Equal(16, rb.Length);
        Assert.Equal(1, RedirectRecordReader.Read(rb).Dent);
        Assert.Equal(0x9D, rb[0]);

        var packet = new TracePacket { Pseq = 3, Stod = 5, Entries = ValueArray.Create<TraceEntry>(new TraceWindow { Sid = 42 }, new TraceClose { ReadShift = 2, ReadTotal = 3 }) };
        var pb = packet.ToArray();
        Assert.Equal(8 + 32, pb.Length);
        var pr = PacketReader.Read(pb);
        Assert.Equal(40, pr.Plen);
        Assert.Equal(PacketCode.Trace, pr.Code);
        Assert.Equal(2, pr.AsTracePacket().Entries.Count());
        Assert.Equal(12UL, TraceCloseReader.Read(pb.AsSpan(24, 16)).ReadBytes);

        // A derived value that does not fit is refused, not silently truncated.
        var tooLong = new RedirectRecord { Type = 8, Target = ByteString.CopyFrom(new byte[256 * 8]) };
        Assert.Throws<ArgumentException>(() => tooLong.ToArray());
        var notAligned = new RedirectRecord { Type = 8, Target = ByteString.CopyFrom(new byte[5]) };
        Assert.Throws<ArgumentException>(() => notAligned.ToArray());
        var wrongFixed = new TraceAppId { AppId = ByteString.FromString("short") };
        Assert.Throws<ArgumentException>(() => wrongFixed.ToArray());
    }
}
