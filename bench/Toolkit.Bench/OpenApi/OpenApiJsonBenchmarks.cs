using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Toolkit.Bench.BenchFts;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Bench.OpenApi;

/// <summary>
/// Decode and encode a ~10 MB FTS3-like job listing (10,000 jobs): the OpenAPI generator's code (on ApiJsonReader
/// and ApiJsonWriter) against System.Text.Json reflection serialization of equivalent hand-written classes.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OpenApiJsonBenchmarks
{
    private static readonly JsonSerializerOptions Reflection = new();

    private readonly ArrayBufferWriter<byte> _buffer = new(16 << 20);
    private readonly ApiJsonWriter _apiWriter = new(16 << 20);
    private Utf8JsonWriter _writer = null!;
    private byte[] _json = [];
    private IReadOnlyList<Job> _generated = [];
    private List<ReflectionJob> _reflection = [];

    /// <summary>How many jobs the listing holds.</summary>
    [Params(10_000)]
    public int Jobs { get; set; }

    /// <summary>
    /// <c>compact</c>: no white space (what System.Text.Json and our writer produce); <c>python</c>: ", " and ": "
    /// between tokens, as Python's <c>json.dumps</c> writes by default (FTS3, Data Dispatcher).
    /// </summary>
    [Params("compact", "python")]
    public string Layout { get; set; } = "compact";

    [GlobalSetup]
    public void Setup()
    {
        _json = JobCorpus.Create(Jobs);
        if (Layout == "python")
        {
            _json = Toolkit.TestSupport.PythonJson.Spaced(_json);
        }

        // The options System.Text.Json itself uses when it serializes to bytes: no structural validation.
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _generated = DecodeGenerated();
        _reflection = DecodeReflection();
        if (_generated.Count != Jobs || _reflection.Count != Jobs || _generated[Jobs - 1].Files.Count != _reflection[Jobs - 1].Files.Count)
        {
            throw new InvalidOperationException("the two decoders disagree");
        }

        // The generated writer must produce what its reader accepts, with the same jobs.
        EncodeGenerated();
        var again = ApiJson.Parse(_apiWriter.WrittenSpan, ReadJobs);
        var mid = Jobs / 2;
        if (again.Count != Jobs || again[mid].JobId != _generated[mid].JobId || again[mid].Files.Count != _generated[mid].Files.Count
            || again[mid].SubmitTime != _reflection[mid].SubmitTime.ToUniversalTime() || again[mid].Files[0] with { } != _generated[mid].Files[0])
        {
            throw new InvalidOperationException("generated round trip failed");
        }

        Console.WriteLine("// corpus: " + Jobs + " jobs, " + _json.Length + " bytes");
    }

    private static IReadOnlyList<Job> ReadJobs(ref ApiJsonReader reader)
        => ApiJson.ReadList(ref reader, static (ref ApiJsonReader r) => Job.ReadJson(ref r));

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public List<ReflectionJob> DecodeReflection() => JsonSerializer.Deserialize<List<ReflectionJob>>(_json, Reflection)!;

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public IReadOnlyList<Job> DecodeGenerated() => ApiJson.Parse(_json, ReadJobs);

    /// <summary>A floor: one Utf8JsonReader pass over the document, no objects made.</summary>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int Utf8JsonReaderOnly() => TokenFloors.Utf8JsonReaderTokens(_json);

    /// <summary>The same floor for the reader generated code uses: one ApiJsonReader pass, no objects made.</summary>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int ApiJsonReaderOnly() => TokenFloors.ApiJsonReaderTokens(_json);

    // Both encoders write into a reused buffer: the figures are the encoding work, not the copy of a 10 MB result.
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
        _apiWriter.Reset();
        ApiJson.WriteList(_apiWriter, _generated, static (w, job) => job.WriteJson(w));
        return _apiWriter.BytesWritten;
    }
}
