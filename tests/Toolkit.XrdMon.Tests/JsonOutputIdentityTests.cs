using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.XrdMon.Tests.Legacy;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// The byte-writing <see cref="XrdMonJsonWriter"/> writes exactly the bytes the <see cref="System.Text.Json.Utf8JsonWriter"/>
/// implementation it replaced wrote (kept frozen as <see cref="LegacyXrdMonJsonWriter"/>): on the real captures, on
/// damaged copies of them (every escape path, invalid UTF-8, error objects, any double in <c>ssq</c>), and on text of
/// every byte value. And it allocates nothing per record.
/// </summary>
public sealed class JsonOutputIdentityTests
{
    private static readonly byte[][] Origin = TestData.Datagrams("origin").ToArray();
    private static readonly byte[][] Proxy = TestData.Datagrams("proxy").ToArray();
    private static readonly byte[][] All = [.. Origin, .. Proxy];

    [Fact]
    public void The_whole_real_capture_decodes_to_the_same_bytes_as_before()
    {
        foreach (byte[][] capture in new[] { Origin, Proxy })
        {
            (byte[] before, long beforeRecords) = Legacy(capture);
            (byte[] after, long afterRecords) = Current(capture);
            Assert.True(before.Length > 10_000, "the capture produced too little output to compare");
            Assert.Equal(beforeRecords, afterRecords);
            AssertSameBytes(before, after);
        }
    }

    [Fact]
    public void Output_larger_than_the_buffer_is_the_same_bytes_as_before()
    {
        byte[][] many = Enumerable.Repeat(All, 40).SelectMany(x => x).ToArray();
        AssertSameBytes(Legacy(many).Json, Current(many).Json);
    }

    [Fact]
    public void Damaged_real_datagrams_decode_to_the_same_bytes_as_before()
    {
        Prop.ForAll(
            Gen.Choose(0, All.Length - 1).ToArbitrary(),
            Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 1 << 16), ArbMap.Default.GeneratorFor<byte>())).ToArbitrary(),
            (index, edits) =>
            {
                byte[] d = (byte[])All[index].Clone();
                foreach ((int at, byte value) in edits)
                {
                    d[8 + (at % Math.Max(1, d.Length - 8)) % (d.Length - 8)] = value;
                }

                AssertSameBytes(Legacy([d]).Json, Current([d]).Json);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_double_in_a_close_record_is_written_as_before()
    {
        byte[][] closes = All.Where(d => d[0] == (byte)'f' && d.Length > 120).ToArray();
        Assert.NotEmpty(closes);
        Prop.ForAll(
            Gen.Choose(0, closes.Length - 1).ToArbitrary(),
            Gen.Choose(0, 1 << 16).ToArbitrary(),
            Gen.Zip(ArbMap.Default.GeneratorFor<double>(), ArbMap.Default.GeneratorFor<long>()).ToArbitrary(),
            (index, slot, values) =>
            {
                (double value, long bits) = values;
                byte[] d = (byte[])closes[index].Clone();
                int at = 8 + ((slot * 8) % (d.Length - 16));
                BinaryPrimitives.WriteDoubleBigEndian(d.AsSpan(at), value);
                byte[] e = (byte[])closes[index].Clone();
                BinaryPrimitives.WriteInt64BigEndian(e.AsSpan(at), bits);
                AssertSameBytes(Legacy([d, e]).Json, Current([d, e]).Json);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Text_of_every_byte_value_is_escaped_as_before()
    {
        var datagrams = new System.Collections.Generic.List<byte[]>();
        for (int b = 0; b < 256; b++)
        {
            datagrams.Add(PathMap([(byte)'/', (byte)b, (byte)'x']));
            datagrams.Add(PathMap([(byte)b]));
        }

        datagrams.Add(PathMap(Encoding.UTF8.GetBytes("/é/ü/\u2028/\U0001F600/\uFEFF/<a&b>'`+/\u00AD/\u0378")));
        datagrams.Add(PathMap([0xC3, 0x28, (byte)'/', 0xF0, 0x9F, 0x98]));
        datagrams.Add(Packets.Map('u', 1, 1, 7, Packets.UserId("bob"), "&p=gsi&n=b\"o\\b&h=h\u00e9&I=6&\u00e9\u00e9=1&x\u0001y=2&I=six"));
        datagrams.Add(Packets.GStream(2, 1, 'P', "{\"a\":1}  \n not json \"quoted\"\n[1,2]\n{\"b\":\u00e9}\n\t\n"));
        AssertSameBytes(Legacy(datagrams).Json, Current(datagrams).Json);
    }

    [Fact]
    public void Writing_records_allocates_nothing_in_steady_state()
    {
        using var writer = new XrdMonJsonWriter(Stream.Null);
        long index = 0;
        for (int round = 0; round < 20; round++)
        {
            foreach (byte[] d in All)
            {
                writer.WriteDatagram(index++, d);
            }
        }

        // As AllocationTests: the runtime may allocate while tiering the code up; a writer that allocates per record
        // does so in every window.
        var windows = new long[5];
        for (int w = 0; w < windows.Length; w++)
        {
            long records = writer.Records;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 20; round++)
            {
                foreach (byte[] d in All)
                {
                    writer.WriteDatagram(index++, d);
                }
            }

            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(writer.Records - records > 20 * 1000, "too few records in a window");
            if (windows[w] == 0)
            {
                break;
            }
        }

        Assert.True(windows.Contains(0), "every window allocated: " + string.Join(", ", windows) + " bytes");
        Assert.Equal(0, writer.Errors);
    }

    private static byte[] PathMap(byte[] path)
    {
        byte[] user = Encoding.UTF8.GetBytes(Packets.UserId("alice") + "\n");
        byte[] d = Packets.Header('d', 3, 1_700_000_000, 4 + user.Length + path.Length);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(8), 42);
        user.CopyTo(d, 12);
        path.CopyTo(d, 12 + user.Length);
        return d;
    }

    private static (byte[] Json, long Records) Legacy(System.Collections.Generic.IEnumerable<byte[]> datagrams)
    {
        var ms = new MemoryStream();
        using var w = new LegacyXrdMonJsonWriter(ms);
        long i = 0;
        foreach (byte[] d in datagrams)
        {
            w.WriteDatagram(i++, d);
        }

        w.Flush();
        return (ms.ToArray(), w.Records);
    }

    private static (byte[] Json, long Records) Current(System.Collections.Generic.IEnumerable<byte[]> datagrams)
    {
        var ms = new MemoryStream();
        using var w = new XrdMonJsonWriter(ms);
        long i = 0;
        foreach (byte[] d in datagrams)
        {
            w.WriteDatagram(i++, d);
        }

        w.Flush();
        return (ms.ToArray(), w.Records);
    }

    private static void AssertSameBytes(byte[] expected, byte[] actual)
    {
        int n = Math.Min(expected.Length, actual.Length);
        int first = 0;
        while (first < n && expected[first] == actual[first])
        {
            first++;
        }

        if (first == n && expected.Length == actual.Length)
        {
            return;
        }

        int from = Math.Max(0, first - 120);
        string Show(byte[] b) => Encoding.UTF8.GetString(b, from, Math.Min(b.Length - from, 240));
        Assert.Fail($"output differs at byte {first} of {expected.Length} (before) / {actual.Length} (after)\nbefore: {Show(expected)}\nafter:  {Show(actual)}");
    }
}
