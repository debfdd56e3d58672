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
/// ApiTransport.ReadBodyAsync, the one bounded body reader: the whole body, exactly, whether or not it announces its
/// length or tells the truth about it, bounded by the limit with a typed error, in a pooled buffer (no array of the
/// body's size per call).
/// </summary>
public sealed class ReadBodyTests
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
    [InlineData(16)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(65_536)]
    [InlineData(300_000)]
    public async Task The_body_is_the_whole_body_with_or_without_a_length(int length)
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
    public async Task A_body_longer_or_shorter_than_announced_is_returned_as_it_came_and_the_limit_holds()
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
        using var chunked = Response(Body(200_000), null);
        await Assert.ThrowsAsync<ResponseTooLargeException>(() => ApiTransport.ReadBodyAsync(chunked, 100_000, null, CancellationToken.None));
    }

    [Fact]
    public async Task Too_large_names_the_url_the_limit_the_announced_length_and_the_option()
    {
        var options = new ApiClientOptions { MaxResponseBytes = 100_000, MaxResponseBytesOptionName = "FtsOptions.MaxResponseBytes" };
        using var announced = Response(Body(10), 200_000);
        announced.RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://fts.example.org:8446/jobs?x=1");
        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => ApiTransport.ReadBodyAsync(announced, options, CancellationToken.None));
        Assert.Equal(HttpRequestError.ConfigurationLimitExceeded, e.HttpRequestError);
        Assert.Equal(100_000, e.Limit);
        Assert.Equal(200_000, e.ContentLength);
        Assert.Equal(announced.RequestMessage.RequestUri, e.RequestUri);
        Assert.Contains("FtsOptions.MaxResponseBytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("fts.example.org", e.Message, StringComparison.Ordinal);

        // Counted while streaming: no announced length in the error.
        using var chunked = Response(Body(200_000), null);
        var counted = await Assert.ThrowsAsync<ResponseTooLargeException>(() => ApiTransport.ReadBodyAsync(chunked, options, CancellationToken.None));
        Assert.Null(counted.ContentLength);
        Assert.Equal(100_000, counted.Limit);
    }

    [Fact]
    public async Task A_body_that_breaks_off_is_a_typed_network_error()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BrokenStream()) };
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => ApiTransport.ReadBodyAsync(response, 1 << 20, null, CancellationToken.None));
        Assert.Equal(HttpRequestError.ResponseEnded, e.HttpRequestError);
        Assert.Contains("broke off", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_decodes_the_body_as_utf8()
    {
        var text = "grüße, 世界";
        using var response = Response(System.Text.Encoding.UTF8.GetBytes(text), null);
        using var body = await ApiTransport.ReadBodyAsync(response, 1 << 20, null, CancellationToken.None);
        Assert.Equal(text, ApiTransport.Text(body));
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

    /// <summary>A stream whose connection breaks after a few bytes.</summary>
    private sealed class BrokenStream : Stream
    {
        private bool _given;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given)
            {
                throw new IOException("connection reset");
            }

            _given = true;
            buffer[offset] = (byte)'{';
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
