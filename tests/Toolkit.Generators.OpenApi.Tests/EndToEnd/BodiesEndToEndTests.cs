using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.OpenApi.Tests.Bodies;
using Toolkit.Runtime.Http;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>Generated streaming and multipart operations of bodies.json against <see cref="BodiesServer"/> (Kestrel).</summary>
public class BodiesEndToEndTests(BodiesServer server) : IClassFixture<BodiesServer>
{
    private BodiesClient Client() => new(new HttpClient { Timeout = TimeSpan.FromSeconds(60) }, new BodiesClientOptions { BaseAddress = new Uri(server.BaseAddress, "/bodies") });

    [Fact]
    public async Task A_long_listing_streams_every_item_in_order()
    {
        server.ResetListing();
        var n = 0;
        await foreach (var item in Client().ListItemsStreamAsync(count: 50_000))
        {
            Assert.Equal(n, item.Id);
            Assert.Equal("item " + n, item.Name);
            Assert.Equal(n % 3 == 0 ? null : n * 10L, item.Size);
            Assert.Equal(new[] { "t" }, item.Tags);
            n++;
        }

        Assert.Equal(50_000, n);
        Assert.Equal((50_000, false), await server.ListingEnded.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var buffered = await Client().ListItemsAsync(count: 1000);
        Assert.Equal(1000, buffered!.Count);
    }

    [Fact]
    public async Task Abandoning_the_enumeration_releases_the_response()
    {
        server.ResetListing();
        var seen = 0;
        await foreach (var item in Client().ListItemsStreamAsync(count: 5_000_000))
        {
            if (++seen == 10)
            {
                break;
            }
        }

        // The response was disposed, so the connection closed and the server's writes failed long before the end.
        var (written, aborted) = await server.ListingEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(aborted);
        Assert.True(written < 5_000_000);
    }

    [Fact]
    public async Task Cancellation_ends_the_stream()
    {
        server.ResetListing();
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in Client().ListItemsStreamAsync(count: 5_000_000).WithCancellation(cts.Token))
            {
                if (++seen == 100)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.Equal(100, seen);
        Assert.True((await server.ListingEnded.Task.WaitAsync(TimeSpan.FromSeconds(30))).Aborted);
    }

    [Fact]
    public async Task A_bad_item_is_a_typed_error_naming_it_and_its_offset()
    {
        // count -3: twenty items, the sixth of which has a string id.
        var seen = new List<long>();
        var e = await Assert.ThrowsAsync<ApiException>(async () =>
        {
            await foreach (var item in Client().ListItemsStreamAsync(count: -3))
            {
                seen.Add(item.Id);
            }
        });
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, seen);
        var offset = 1 + Enumerable.Range(0, 5).Sum(i => BodiesServer.ItemJson(i).Length + 1);
        Assert.Contains("listItems", e.Message, StringComparison.Ordinal);
        Assert.Contains("item 5 of the array (at byte " + offset + " of the body", e.Message, StringComparison.Ordinal);
        Assert.Equal(200, e.StatusCode);
    }

    [Fact]
    public async Task Empty_statuses_and_errors_behave_as_in_the_buffered_form()
    {
        Assert.Empty(await ToList(Client().ListItemsStreamAsync(count: -1)));
        var e = await Assert.ThrowsAsync<ApiException>(() => ToList(Client().ListItemsStreamAsync(count: -2)));
        Assert.Equal(500, e.StatusCode);
        Assert.Equal("listing failed", e.Message);
        Assert.Equal(new long?[] { 1, null, 3 }, await ToList(Client().ListNumbersStreamAsync()));
    }

    private static async Task<List<T>> ToList<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var i in items)
        {
            list.Add(i);
        }

        return list;
    }

    [Fact]
    public async Task A_multipart_upload_arrives_as_the_parts_the_schema_describes()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\r\n--not-a-boundary\r\n");
        using var attachment = new MemoryStream(new byte[] { 0, 1, 2, 255 });
        var received = await Client().UploadDocumentAsync(new UploadDocumentParts
        {
            Title = "Grüße \"quoted\"",
            Count = 3,
            Draft = false,
            Level = Level.High,
            File = new ApiFilePart(pdf, "report \"v2\".pdf"),
            FileXChecksum = "adler32:01020304",
            Attachments = new[] { new ApiFilePart(attachment, "a.bin", "application/x-a") },
            Tags = new[] { "x", "y" },
            Meta = null,
            History = new[] { new Meta { Kind = "draft", Pages = 2 } },
            Checksum = new byte[] { 1, 2, 3 },
            Note = "# note",
        });
        var parts = received.Parts.Select(p => (p.Name, p.FileName, p.ContentType, p.Checksum, p.Length, p.Text)).ToList();
        Assert.Equal(
            new (string, string?, string?, string?, long, string?)[]
            {
                ("title", null, null, null, Encoding.UTF8.GetByteCount("Grüße \"quoted\""), "Grüße \"quoted\""),
                ("count", null, null, null, 1, "3"),
                ("draft", null, null, null, 5, "false"),
                ("level", null, null, null, 4, "high"),
                ("file", "report %22v2%22.pdf", "application/pdf", "adler32:01020304", pdf.Length, null),
                ("attachments", "a.bin", "application/x-a", null, 4, null),
                ("tags", null, null, null, 1, "x"),
                ("tags", null, null, null, 1, "y"),
                ("meta", null, "application/vnd.meta+json", null, 4, "null"),
                ("history", null, "application/json", null, 26, "{\"kind\":\"draft\",\"pages\":2}"),
                ("checksum", null, null, null, 4, "AQID"),
                ("note", null, "text/markdown", null, 6, "# note"),
            },
            parts);
    }

    [Fact]
    public async Task An_optional_multipart_body_is_sent_only_when_given()
    {
        await Client().PutAvatarAsync(new PutAvatarParts { Image = new ApiFilePart(new byte[] { 1 }), Caption = null });
        var e = await Assert.ThrowsAsync<ApiException>(() => Client().PutAvatarAsync());
        Assert.Equal(415, e.StatusCode);
    }
}
