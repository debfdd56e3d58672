using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Toolkit.OpenApi.Tests.Bodies;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests.BodyTests;

/// <summary>
/// Multipart bodies built by the generated client, parsed back with ASP.NET's <see cref="MultipartReader"/> (an
/// independent parser) and compared with the parts record.
/// </summary>
public class MultipartTests
{
    private static readonly string[] Words = { string.Empty, "a", "Grüße", "quote\"d", "line\nbreak\r\n", "--", "emoji 😀", "\u2028", "semi;colon=1" };

    /// <summary>Keeps the request body and answers 200 with an empty <c>Received</c>.</summary>
    private sealed class Capture : HttpMessageHandler
    {
        public byte[] Body { get; private set; } = Array.Empty<byte>();

        public string? ContentType { get; private set; }

        public long? Length { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            ContentType = request.Content!.Headers.TryGetValues("Content-Type", out var v) ? v.Single() : null;
            Length = request.Content.Headers.ContentLength;
            Body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"parts\":[]}", Encoding.UTF8, "application/json") };
        }
    }

    private sealed record Seen(string Name, string? FileName, string? ContentType, string? Checksum, byte[] Body);

    private static List<Seen> Parse(Capture capture)
    {
        var mt = MediaTypeHeaderValue.Parse(capture.ContentType);
        Assert.Equal("multipart/form-data", mt.MediaType.Value);
        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(mt.Boundary).Value!, new MemoryStream(capture.Body));
        var parts = new List<Seen>();
        while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
        {
            var cd = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            Assert.Equal("form-data", cd.DispositionType.Value);
            using var ms = new MemoryStream();
            section.Body.CopyTo(ms);
            parts.Add(new Seen(HeaderUtilities.RemoveQuotes(cd.Name).Value!, cd.FileName.HasValue ? HeaderUtilities.RemoveQuotes(cd.FileName).Value : null, section.ContentType, section.Headers!.TryGetValue("X-Checksum", out var c) ? c.ToString() : null, ms.ToArray()));
        }

        return parts;
    }

    private static string Escaped(string s) => s.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static byte[] RandomBytes(Random rnd, int max)
    {
        var b = new byte[rnd.Next(max)];
        rnd.NextBytes(b);
        return b;
    }

    [Fact]
    public void Random_parts_encode_to_what_an_independent_parser_reads_back()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            string W() => string.Concat(Enumerable.Range(0, rnd.Next(3)).Select(_ => Words[rnd.Next(Words.Length)]));
            var file = RandomBytes(rnd, 3000);
            var fileName = rnd.Next(4) == 0 ? null : W() + ".pdf";
            var attachments = Enumerable.Range(0, rnd.Next(3)).Select(_ => RandomBytes(rnd, 200)).ToArray();
            var parts = new UploadDocumentParts
            {
                Title = W(),
                Count = rnd.Next(2) == 0 ? null : rnd.NextInt64(long.MinValue, long.MaxValue),
                Ratio = rnd.Next(2) == 0 ? null : (rnd.NextDouble() - 0.5) * Math.Pow(10, rnd.Next(-300, 300)),
                Draft = rnd.Next(3) switch { 0 => (bool?)null, 1 => true, _ => false },
                Level = rnd.Next(3) switch { 0 => (Level?)null, 1 => Level.Low, _ => new Level(W()) },
                File = rnd.Next(2) == 0 ? new ApiFilePart(file, fileName) : new ApiFilePart(new MemoryStream(file), fileName, rnd.Next(2) == 0 ? null : "image/png"),
                FileXChecksum = "sum-" + rnd.Next(),
                Attachments = rnd.Next(3) == 0 ? null : attachments.Select((a, i) => new ApiFilePart(a, "att" + i)).ToArray(),
                Tags = rnd.Next(3) == 0 ? null : Enumerable.Range(0, rnd.Next(4)).Select(_ => W()).ToArray(),
                Meta = rnd.Next(2) == 0 ? null : new Meta { Kind = W(), Pages = rnd.Next(2) == 0 ? null : rnd.Next() },
                History = rnd.Next(2) == 0 ? null : Enumerable.Range(0, rnd.Next(3)).Select(_ => new Meta { Kind = W() }).ToArray(),
                Checksum = rnd.Next(2) == 0 ? null : RandomBytes(rnd, 40),
                Note = rnd.Next(2) == 0 ? null : W(),
            };
            var capture = new Capture();
            var client = new BodiesClient(new HttpClient(capture), new BodiesClientOptions { BaseAddress = new Uri("http://127.0.0.1/") });
            _ = client.UploadDocumentAsync(parts).GetAwaiter().GetResult();

            var expected = new List<Seen>();
            void Text(string name, string? value, string? ct = null)
            {
                if (value is not null)
                {
                    expected.Add(new Seen(name, null, ct, null, Encoding.UTF8.GetBytes(value)));
                }
            }

            Text("title", parts.Title);
            Text("count", parts.Count?.ToString(CultureInfo.InvariantCulture));
            Text("ratio", parts.Ratio?.ToString("R", CultureInfo.InvariantCulture));
            Text("draft", parts.Draft is { } d ? (d ? "true" : "false") : null);
            Text("level", parts.Level?.ToString());
            expected.Add(new Seen("file", Escaped(fileName ?? "file"), parts.File.ContentType ?? "application/pdf", parts.FileXChecksum, file));
            foreach (var (a, i) in (parts.Attachments is null ? Array.Empty<byte[]>() : attachments).Select((a, i) => (a, i)))
            {
                expected.Add(new Seen("attachments", "att" + i, "application/octet-stream", null, a));
            }

            foreach (var t in parts.Tags ?? Array.Empty<string>())
            {
                Text("tags", t);
            }

            expected.Add(new Seen("meta", null, "application/vnd.meta+json", null, parts.Meta is null ? "null"u8.ToArray() : ApiJson.Serialize(parts.Meta)));
            foreach (var h in parts.History ?? Array.Empty<Meta>())
            {
                expected.Add(new Seen("history", null, "application/json", null, ApiJson.Serialize(h)));
            }

            Text("checksum", parts.Checksum is null ? null : Convert.ToBase64String(parts.Checksum));
            Text("note", parts.Note, "text/markdown");

            var seen = Parse(capture);
            Assert.Equal(expected.Count, seen.Count);
            for (var i = 0; i < seen.Count; i++)
            {
                Assert.Equal(expected[i] with { Body = Array.Empty<byte>() }, seen[i] with { Body = Array.Empty<byte>() });
                Assert.Equal(expected[i].Body, seen[i].Body);
            }

            Assert.Equal(capture.Body.Length, capture.Length ?? capture.Body.Length);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_boundary_is_a_token_and_part_headers_cannot_be_injected()
    {
        var content = new ApiMultipartContent();
        var ct = content.Headers.GetValues("Content-Type").Single();
        Assert.Matches("^multipart/form-data; boundary=toolkit-[0-9a-f]{32}$", ct);
        Assert.NotEqual(ct, new ApiMultipartContent().Headers.GetValues("Content-Type").Single());
        Assert.Equal("multipart/form-data; boundary=\"a b:c\"", new ApiMultipartContent("multipart/form-data", "a b:c").Headers.GetValues("Content-Type").Single());
        Assert.Throws<ArgumentException>(() => new ApiMultipartContent("multipart/form-data", new string('a', 71)));
        Assert.Throws<ArgumentException>(() => new ApiMultipartContent("multipart/form-data", "ends with space "));
        Assert.Throws<ArgumentException>(() => new ApiMultipartContent("multipart/form-data", "no\"quotes"));
        Assert.Throws<ArgumentException>(() => content.AddText("a", "b", headers: new[] { new KeyValuePair<string, string?>("X-A", "1\r\nX-Injected: 2") }));
        Assert.Throws<ArgumentException>(() => content.AddText("a", "b", headers: new[] { new KeyValuePair<string, string?>("X A", "1") }));
        Assert.Throws<ArgumentException>(() => content.AddText("a", "b", "text/plain\r\nX-Injected: 1"));
        Assert.Equal(0, content.Count);
    }

    [Fact]
    public async Task Names_are_escaped_as_RFC_7578_and_the_HTML_form_encoding_do()
    {
        var content = new ApiMultipartContent("multipart/form-data", "B");
        content.AddText("a\"b\r\nc", "v");
        content.AddFile("f", new ApiFilePart(new byte[] { 65 }, "ü\".txt"));
        var text = Encoding.UTF8.GetString(await content.ReadAsByteArrayAsync());
        Assert.Equal(
            "--B\r\nContent-Disposition: form-data; name=\"a%22b%0D%0Ac\"\r\n\r\nv\r\n"
            + "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"ü%22.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nA\r\n--B--\r\n",
            text);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), content.Headers.ContentLength);
    }
}
