using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;

namespace Toolkit.Runtime.Tests.Http;

/// <summary>
/// ApiTransport.ReadBytesAsync: the whole body, exactly, whether or not it announces its length or tells the truth
/// about it, bounded by the limit, and (with a Content-Length) read into one array of that size without growing copies.
/// </summary>
public sealed class ReadBytesTests
{
    private static byte[] Body(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 31)).ToArray();

    private static HttpResponseMessage Response(byte[] body, long? announced)
    {
        var content = new StreamContent(new TrickleStream(body));
        content.Headers.ContentLength = announced;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(300_000)]
    public async Task The_whole_body_comes_back_with_or_without_a_length(int length)
    {
        var body = Body(length);
        using var announced = Response(body, length);
        Assert.Equal(body, await ApiTransport.ReadBytesAsync(announced, 1 << 20, null, CancellationToken.None));
        using var chunked = Response(body, null);
        Assert.Equal(body, await ApiTransport.ReadBytesAsync(chunked, 1 << 20, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_body_longer_or_shorter_than_announced_is_returned_as_it_came()
    {
        var body = Body(100_000);
        using var longer = Response(body, 40_000);
        Assert.Equal(body, await ApiTransport.ReadBytesAsync(longer, 1 << 20, null, CancellationToken.None));
        using var shorter = Response(body, 150_000);
        Assert.Equal(body, await ApiTransport.ReadBytesAsync(shorter, 1 << 20, null, CancellationToken.None));
    }

    [Fact]
    public async Task More_than_the_limit_is_refused_even_when_the_length_lied()
    {
        using var lying = Response(Body(200_000), 50_000);
        await Assert.ThrowsAsync<ResponseTooLargeException>(() => ApiTransport.ReadBytesAsync(lying, 100_000, null, CancellationToken.None));
        using var chunked = Response(Body(200_000), null);
        await Assert.ThrowsAsync<ResponseTooLargeException>(() => ApiTransport.ReadBytesAsync(chunked, 100_000, null, CancellationToken.None));
    }

    [Fact]
    public void A_body_with_a_length_is_read_into_one_array_of_that_size()
    {
        const int Length = 1 << 20;
        var body = Body(Length);
        for (var round = 0; round < 2; round++)
        {
            using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
            var before = GC.GetAllocatedBytesForCurrentThread();
            // ByteArrayContent's stream completes synchronously, so the whole read runs on this thread (and the task
            // is complete when it returns: nothing blocks).
            var task = ApiTransport.ReadBytesAsync(response, 4 << 20, null, CancellationToken.None);
            Assert.True(task.IsCompletedSuccessfully);
#pragma warning disable xUnit1031 // completed above
            var read = task.Result;
#pragma warning restore xUnit1031
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(Length, read.Length);
            if (round == 1)
            {
                // The body array and a few small objects; growing a MemoryStream and copying it out costs 3x the body.
                Assert.InRange(allocated, Length, Length + (8 << 10));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(65_536)]
    [InlineData(300_000)]
    public async Task The_pooled_body_is_the_whole_body_with_or_without_a_length(int length)
    {
        // 16 and 65,536 fill a rented buffer exactly (a power of two): the end is found without growing.
        var body = Body(length);
        using var announced = Response(body, length);
        using (var read = await ApiTransport.ReadBodyAsync(announced, 1 << 20, null, CancellationToken.None))
        {
            Assert.Equal(body, read.Span.ToArray());
        }

        using var chunked = Response(body, null);
        var pooled = await ApiTransport.ReadBodyAsync(chunked, 1 << 20, null, CancellationToken.None);
        Assert.Equal(length, pooled.Length);
        Assert.Equal(body, pooled.ToArray());
        Assert.Equal(body.AsSpan(0, Math.Min(length, 10)).ToArray(), pooled.ToArray(10));
        pooled.Dispose();
        pooled.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pooled.Span.Length);
    }

    [Fact]
    public async Task The_pooled_body_longer_or_shorter_than_announced_or_over_the_limit()
    {
        var body = Body(100_000);
        using var longer = Response(body, 40_000);
        using (var read = await ApiTransport.ReadBodyAsync(longer, 1 << 20, null, CancellationToken.None))
        {
            Assert.Equal(body, read.Span.ToArray());
        }

        // Exactly a power of two announced, more sent: the probe's bytes are kept.
        using var past = Response(body, 65_536);
        using (var read = await ApiTransport.ReadBodyAsync(past, 1 << 20, null, CancellationToken.None))
        {
            Assert.Equal(body, read.Span.ToArray());
        }

        using var shorter = Response(body, 150_000);
        using (var read = await ApiTransport.ReadBodyAsync(shorter, 1 << 20, null, CancellationToken.None))
        {
            Assert.Equal(body, read.Span.ToArray());
        }

        using var lying = Response(Body(200_000), 50_000);
        await Assert.ThrowsAsync<ResponseTooLargeException>(() => ApiTransport.ReadBodyAsync(lying, 100_000, null, CancellationToken.None));
        using var lyingAtTheEdge = Response(Body(65_536 + 100), 65_536);
        await Assert.ThrowsAsync<ResponseTooLargeException>(() => ApiTransport.ReadBodyAsync(lyingAtTheEdge, 65_536 + 50, null, CancellationToken.None));
        using var announcedTooMuch = Response(Body(10), 200_000);
        await Assert.ThrowsAsync<ResponseTooLargeException>(() => ApiTransport.ReadBodyAsync(announcedTooMuch, 100_000, null, CancellationToken.None));
    }

    [Fact]
    public void A_pooled_body_allocates_no_array_of_its_size()
    {
        const int Length = 1 << 20;
        var body = Body(Length);
        var least = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
            var before = GC.GetAllocatedBytesForCurrentThread();
            var task = ApiTransport.ReadBodyAsync(response, 4 << 20, null, CancellationToken.None);
            Assert.True(task.IsCompletedSuccessfully);
#pragma warning disable xUnit1031 // completed above
            using var read = task.Result;
#pragma warning restore xUnit1031
            Assert.Equal(Length, read.Length);
            read.Dispose();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        // The buffer comes back to the pool each round; what is left is the stream and a few small objects.
        Assert.InRange(least, 0, 8 << 10);
    }

    /// <summary>A non-seekable stream that gives at most 7,000 bytes per read, as a network stream does.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 7_000), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset, n));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
