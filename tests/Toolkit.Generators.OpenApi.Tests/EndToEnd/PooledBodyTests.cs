using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.OpenApi.Tests.Pets;
using Toolkit.Runtime.Http;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// A generated client decodes a success body from a pooled buffer: a call allocates the decoded values and the HTTP
/// objects, not an array of the body's size; a body that does not match the schema still reaches the ApiException,
/// as a bounded copy.
/// </summary>
public sealed class PooledBodyTests
{
    /// <summary>Answers every request with the same bytes, synchronously (so a whole call runs on the calling thread).</summary>
    private sealed class FixedHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(Send(request, cancellationToken));

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }
    }

    private static PetstoreClient Client(byte[] body)
        => new(new HttpClient(new FixedHandler(body)), new PetstoreClientOptions { BaseAddress = new Uri("http://pets.test/v1") });

    [Fact]
    public void A_call_allocates_less_than_its_body()
    {
        // Two pets and a megabyte of white space after them: the decoded values are tiny, the body is not.
        const int Padding = 1 << 20;
        var json = "[{\"id\":1,\"name\":\"rex\"},{\"id\":2,\"name\":\"tom\",\"tag\":\"cat\"}]" + new string(' ', Padding);
        var client = Client(Encoding.UTF8.GetBytes(json));
        long least = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var task = client.ListPetsAsync();
            Assert.True(task.IsCompletedSuccessfully);
#pragma warning disable xUnit1031 // completed above
            var pets = task.Result;
#pragma warning restore xUnit1031
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(2, pets.Count);
            Assert.Equal("cat", pets[1].Tag);
        }

        // Kept as an array, the body alone would be 1 MiB per call; pooled, a call is the request, the response
        // objects and two pets (a few kilobytes).
        Assert.InRange(least, 0, 32 << 10);
    }

    [Fact]
    public async Task A_body_that_does_not_match_keeps_a_bounded_copy_in_the_exception()
    {
        var small = Encoding.UTF8.GetBytes("[{\"id\":\"one\",\"name\":\"rex\"}]");
        var e = await Assert.ThrowsAsync<ApiException>(() => Client(small).ListPetsAsync());
        Assert.Contains("does not match the schema", e.Message, StringComparison.Ordinal);
        Assert.Equal(small, e.Details.RawBody.ToArray());

        // Larger than the copy kept: the first MaxKeptBodyBytes bytes, and the message still names the offset.
        var large = Encoding.UTF8.GetBytes("[{\"id\":1,\"name\":\"rex\"}" + new string(' ', ApiTransport.MaxKeptBodyBytes) + ",{\"id\":true}]");
        e = await Assert.ThrowsAsync<ApiException>(() => Client(large).ListPetsAsync());
        Assert.Equal(ApiTransport.MaxKeptBodyBytes, e.Details.RawBody.Length);
        Assert.Equal(large.AsSpan(0, ApiTransport.MaxKeptBodyBytes).ToArray(), e.Details.RawBody.ToArray());
        Assert.Contains("at byte", e.Message, StringComparison.Ordinal);
    }
}
