using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.OpenApi.Tests.Bodies;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests.BodyTests;

/// <summary>The Runtime's <see cref="JsonArrayStreamReader"/> with the generated item readers of bodies.json.</summary>
public class StreamingTests
{
    private static readonly JsonReadFunc<Item> ReadItem = static (ref ApiJsonReader r) => Item.ReadJson(ref r);
    private static readonly JsonReadFunc<long?> ReadNumber = static (ref ApiJsonReader r) => r.TokenType == JsonTokenType.Null ? null : ApiJson.ReadInt64(ref r);
    private static readonly string[] Names = { "a", string.Empty, "quote\"back\\slash", "tab\tnew\nline", "emoji 😀", "\u2028", "[{,}]" };
    private static readonly string[] Spaces = { string.Empty, " ", "\n", "\r\n  ", "\t" };

    /// <summary>A stream handing out at most a random number of bytes per read (sometimes one).</summary>
    private sealed class ChunkedStream(byte[] data, Random rnd, int maxChunk) : Stream
    {
        private int _pos;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _pos; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, data.Length - _pos), rnd.Next(1, maxChunk + 1));
            data.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static List<T> Drain<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        var e = items.GetAsyncEnumerator();
        try
        {
            while (true)
            {
                var next = e.MoveNextAsync();
                if (!(next.IsCompleted ? next.Result : next.AsTask().GetAwaiter().GetResult()))
                {
                    return list;
                }

                list.Add(e.Current);
            }
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static JsonException Fails<T>(string body, JsonReadFunc<T> read, bool nullIsEmpty = false)
        => Assert.Throws<JsonException>(() => Drain(JsonArrayStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), read, nullIsEmpty)));

    private static Item RandomItem(Random rnd) => new()
    {
        Id = rnd.Next(3) == 0 ? long.MinValue + rnd.Next() : rnd.NextInt64(),
        Name = string.Concat(Enumerable.Range(0, rnd.Next(4)).Select(_ => Names[rnd.Next(Names.Length)])) + new string('x', rnd.Next(8) == 0 ? rnd.Next(20_000) : 0),
        Size = rnd.Next(3) == 0 ? null : rnd.Next(),
        Tags = rnd.Next(3) == 0 ? null : Enumerable.Range(0, rnd.Next(5)).Select(i => Names[rnd.Next(Names.Length)]).ToArray(),
    };

    [Fact]
    public void Random_arrays_split_at_random_chunk_boundaries_decode_like_the_buffered_reader()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var items = Enumerable.Range(0, rnd.Next(12)).Select(_ => RandomItem(rnd)).ToList();
            string Ws() => Spaces[rnd.Next(Spaces.Length)];
            var text = new StringBuilder(Ws() + "[" + Ws());
            for (var i = 0; i < items.Count; i++)
            {
                text.Append(i > 0 ? Ws() + "," + Ws() : string.Empty).Append(Encoding.UTF8.GetString(ApiJson.Serialize(items[i])));
            }

            var body = Encoding.UTF8.GetBytes(text.Append(Ws() + "]" + Ws()).ToString());
            var buffered = ApiJson.Parse(body, static (ref ApiJsonReader r) => ApiJson.ReadList(ref r, ReadItem));
            var streamed = Drain(JsonArrayStreamReader.ReadAsync(new ChunkedStream(body, rnd, rnd.Next(2) == 0 ? 7 : 70_000), ReadItem));
            Assert.Equal(buffered.Count, streamed.Count);
            for (var i = 0; i < streamed.Count; i++)
            {
                Assert.Equal(ApiJson.Serialize(buffered[i]), ApiJson.Serialize(streamed[i]));
                Assert.Equal(ApiJson.Serialize(items[i]), ApiJson.Serialize(streamed[i]));
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Nullable_numbers_stream_in_order()
    {
        var rnd = new Random(5);
        var body = Encoding.UTF8.GetBytes("[1,null,-3, 9223372036854775807 ,null]");
        Assert.Equal(new long?[] { 1, null, -3, long.MaxValue, null }, Drain(JsonArrayStreamReader.ReadAsync(new ChunkedStream(body, rnd, 2), ReadNumber)));
        Assert.Empty(Drain(JsonArrayStreamReader.ReadAsync(new MemoryStream("[ ]"u8.ToArray()), ReadNumber)));
        Assert.Empty(Drain(JsonArrayStreamReader.ReadAsync(new MemoryStream("null"u8.ToArray()), ReadNumber, nullIsEmpty: true)));
        Assert.Empty(Drain(JsonArrayStreamReader.ReadAsync(new MemoryStream(), ReadNumber, nullIsEmpty: true)));
    }

    [Theory]
    [InlineData("[1,2,x]", 5)]
    [InlineData("[1,\n 2,\n  tru]", 13)]
    [InlineData("[1 2]", 3)]
    [InlineData("[[1,2}]", 5)]
    public void Invalid_json_names_the_byte_offset_in_the_whole_body(string body, int offset)
    {
        var e = Fails(body, ReadNumber);
        Assert.True(e.Message.Contains("(at byte " + offset + ")", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void Bad_items_and_bad_framing_are_typed_errors()
    {
        var item = Fails("[{\"id\":1,\"name\":\"a\"}, {\"id\":2}]", ReadItem);
        Assert.Contains("item 1 of the array (at byte 22 of the body", item.Message, StringComparison.Ordinal);
        Assert.Contains("name", item.Message, StringComparison.Ordinal);
        Assert.Contains("not a JSON array", Fails("{\"id\":1}", ReadItem).Message, StringComparison.Ordinal);
        foreach (var (body, offset) in new[] { ("[1,2", 4), ("[1,2] x", 6), ("[{\"id\":1,\"name\":\"a\"", 19) })
        {
            var m = Fails(body, ReadNumber).Message;
            Assert.True(m.Contains("(at byte " + offset + ")", StringComparison.Ordinal), m);
        }

        Assert.Contains("empty", Fails(string.Empty, ReadNumber).Message, StringComparison.Ordinal);
        Assert.Contains("(at byte 0)", Fails("null", ReadNumber).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_larger_than_the_limit_is_refused()
    {
        var body = Encoding.UTF8.GetBytes("[\"" + new string('x', 300_000) + "\"]");
        var e = Assert.Throws<JsonException>(() => Drain(JsonArrayStreamReader.ReadAsync(new MemoryStream(body), static (ref ApiJsonReader r) => ApiJson.ReadString(ref r), maxItemBytes: 100_000)));
        Assert.Contains("larger than 100000 bytes", e.Message, StringComparison.Ordinal);
        Assert.Single(Drain(JsonArrayStreamReader.ReadAsync(new MemoryStream(body), static (ref ApiJsonReader r) => ApiJson.ReadString(ref r), maxItemBytes: 400_000)));
    }

    [Fact]
    public async Task Cancellation_stops_the_enumeration()
    {
        using var cts = new CancellationTokenSource();
        var items = JsonArrayStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, 100_000)) + "]")), ReadNumber, cancellationToken: cts.Token);
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in items)
            {
                if (++seen == 10)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.True(seen < 100_000);
    }

    /// <summary>
    /// The bytes this thread allocates while <paramref name="take"/> items are read after a warm-up: the least of three
    /// runs, so a one-time cost of the runtime (a tier-up or on-stack replacement of the loop, a type load) is not
    /// counted as a per-item cost.
    /// </summary>
    private static long Allocated<T>(byte[] body, JsonReadFunc<T> read, int take)
        => Math.Min(AllocatedOnce(body, read, take), Math.Min(AllocatedOnce(body, read, take), AllocatedOnce(body, read, take)));

    private static long AllocatedOnce<T>(byte[] body, JsonReadFunc<T> read, int take)
    {
        var e = JsonArrayStreamReader.ReadAsync(new MemoryStream(body), read).GetAsyncEnumerator();
        for (var i = 0; i < 1000; i++)
        {
            var warm = e.MoveNextAsync();
            Assert.True(warm.IsCompleted && warm.Result);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < take; i++)
        {
            var next = e.MoveNextAsync();
            Assert.True(next.IsCompleted && next.Result);
        }

        var used = GC.GetAllocatedBytesForCurrentThread() - before;
        e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return used;
    }

    [Fact]
    public void Steady_state_allocation_per_item_is_only_the_item()
    {
        const int N = 50_000;
        var numbers = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, N + 2000).Select(i => (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]");
        var numberBytes = Allocated(numbers, ReadNumber, N);
        Assert.True(numberBytes < N / 10, "numbers allocate nothing per item (a constant at most), but " + numberBytes + " bytes were allocated for " + N);

        var one = "{\"id\":1234567,\"name\":\"n\",\"size\":7}";
        var items = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(one, N + 2000)) + "]");
        var single = Encoding.UTF8.GetBytes(one);
        _ = ApiJson.Parse(single, ReadItem);
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = ApiJson.Parse(single, ReadItem);
        var itemBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(itemBytes > 0);
        var perItem = (double)Allocated(items, ReadItem, N) / N;
        Assert.True(perItem <= itemBytes + 1, "streaming allocates " + perItem + " bytes per item; decoding one item alone allocates " + itemBytes);
    }
}
