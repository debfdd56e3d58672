using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Toolkit.Bench.BenchFts;
using Toolkit.Runtime.Http;

namespace Toolkit.Bench.OpenApi;

/// <summary>
/// Decode and encode a ~10 MB FTS3-like job listing (10,000 jobs): the OpenAPI generator's Utf8JsonReader/Writer
/// code against System.Text.Json reflection serialization of equivalent hand-written classes.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OpenApiJsonBenchmarks
{
    private static readonly JsonSerializerOptions Reflection = new();

    private readonly ArrayBufferWriter<byte> _buffer = new(16 << 20);
    private Utf8JsonWriter _writer = null!;
    private byte[] _json = [];
    private IReadOnlyList<Job> _generated = [];
    private List<ReflectionJob> _reflection = [];

    /// <summary>How many jobs the listing holds.</summary>
    [Params(10_000)]
    public int Jobs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _json = JobCorpus.Create(Jobs);
        _writer = new Utf8JsonWriter(_buffer);
        _generated = DecodeGenerated();
        _reflection = DecodeReflection();
        if (_generated.Count != Jobs || _reflection.Count != Jobs || _generated[Jobs - 1].Files.Count != _reflection[Jobs - 1].Files.Count)
        {
            throw new InvalidOperationException("the two decoders disagree");
        }

        // The generated writer must produce what its reader accepts, with the same jobs.
        EncodeGenerated();
        var again = ApiJson.Parse(_buffer.WrittenSpan, ReadJobs);
        var mid = Jobs / 2;
        if (again.Count != Jobs || again[mid].JobId != _generated[mid].JobId || again[mid].Files.Count != _generated[mid].Files.Count
            || again[mid].SubmitTime != _reflection[mid].SubmitTime.ToUniversalTime() || again[mid].Files[0] with { } != _generated[mid].Files[0])
        {
            throw new InvalidOperationException("generated round trip failed");
        }

        Console.WriteLine("// corpus: " + Jobs + " jobs, " + _json.Length + " bytes");
    }

    private static IReadOnlyList<Job> ReadJobs(ref Utf8JsonReader reader)
        => ApiJson.ReadList(ref reader, static (ref Utf8JsonReader r) => Job.ReadJson(ref r));

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public List<ReflectionJob> DecodeReflection() => JsonSerializer.Deserialize<List<ReflectionJob>>(_json, Reflection)!;

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public IReadOnlyList<Job> DecodeGenerated() => ApiJson.Parse(_json, ReadJobs);

    /// <summary>The floor: one Utf8JsonReader pass over the document, no objects made.</summary>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int ReaderOnly()
    {
        var reader = new Utf8JsonReader(_json);
        var n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }

    // Both encoders write into the same reused buffer and writer: the figures are the encoding work, not the copy
    // of a 10 MB result array.
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public long EncodeReflection()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        JsonSerializer.Serialize(_writer, _reflection, Reflection);
        return _writer.BytesCommitted;
    }

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public long EncodeGenerated()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        ApiJson.WriteList(_writer, _generated, static (w, job) => job.WriteJson(w));
        _writer.Flush();
        return _writer.BytesCommitted;
    }
}
