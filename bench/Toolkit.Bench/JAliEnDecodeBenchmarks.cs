using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Toolkit.JAliEn;

namespace Toolkit.Bench;

/// <summary>
/// Decoding a 100,000-row <c>find -f</c> reply (every field the server sends, all as strings, 39 MB): the generated
/// <see cref="FindEntry"/> rows read by <see cref="AlienReplyReader"/> in one Utf8JsonReader pass, against
/// System.Text.Json's <see cref="JsonDocument"/> (parse only, and parse then read every value as a string, which is
/// what a typed client built on it would at least do).
/// </summary>
[MemoryDiagnoser]
public class JAliEnDecodeBenchmarks
{
    private byte[] _reply = Array.Empty<byte>();

    /// <summary>Rows in the reply.</summary>
    [Params(100_000)]
    public int Rows { get; set; }

    /// <summary>Builds the reply once.</summary>
    [GlobalSetup]
    public void Setup() => _reply = FindReply(Rows);

    /// <summary>A <c>find -f</c> reply of <paramref name="rows"/> rows shaped like the server's (spec section 7).</summary>
    /// <param name="rows">The row count.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public static byte[] FindReply(int rows)
    {
        var sb = new StringBuilder(rows * 600);
        sb.Append("{\"metadata\":{\"exitcode\":\"0\",\"error\":\"\",\"user\":\"jdoe\",\"currentdir\":\"/alice/cern.ch/user/j/jdoe/\"},\"results\":[");
        for (var i = 0; i < rows; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append("{\"lfn\":\"/alice/sim/2024/LHC24a1/")
                .Append(n).Append("/AO2D.root\",\"name\":\"AO2D.root\",\"dir\":\"").Append(i / 100).Append("\",\"type\":\"f\",\"perm\":\"755\",\"owner\":\"aliprod\",\"gowner\":\"aliprod\",\"size\":\"")
                .Append(1_000_000L + i).Append("\",\"ctime\":\"").Append(1_700_000_000_000L + i).Append("\",\"md5\":\"d41d8cd98f00b204e9800998ecf8427e\",\"guid\":\"")
                .Append(new Guid(i, 0x4b8e, 0x11ee, 0x9c, 0x4f, 0x02, 0x42, 0xac, 0x13, 0x00, 0x02).ToString()).Append("\",\"jobid\":\"").Append(3_000_000_000L + i)
                .Append("\",\"expiretime\":\"\",\"replicated\":\"0\",\"broken\":\"0\",\"aclId\":\"\",\"entryId\":\"").Append(i).Append("\",\"guidtime\":\"18B4E5F4A20\"}");
        }

        sb.Append("]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Typed rows through the generated reader.</summary>
    /// <returns>The row count.</returns>
    [Benchmark(Baseline = true)]
    public int ToolkitTypedRows() => AlienReplyReader.Read<FindEntry>(_reply, "find").Rows.Count;

    /// <summary>JsonDocument.Parse, nothing read.</summary>
    /// <returns>The row count.</returns>
    [Benchmark]
    public int JsonDocumentParseOnly()
    {
        using var doc = JsonDocument.Parse(_reply);
        return doc.RootElement.GetProperty("results").GetArrayLength();
    }

    /// <summary>JsonDocument.Parse, then every value of every row read as a string.</summary>
    /// <returns>A checksum of the lengths.</returns>
    [Benchmark]
    public long JsonDocumentParseAndReadStrings()
    {
        using var doc = JsonDocument.Parse(_reply);
        long total = 0;
        foreach (var row in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            foreach (var p in row.EnumerateObject())
            {
                total += p.Value.GetString()!.Length;
            }
        }

        return total;
    }
}
