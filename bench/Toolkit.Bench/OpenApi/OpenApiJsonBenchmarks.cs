using System;
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
        _generated = DecodeGenerated();
        _reflection = DecodeReflection();
        if (_generated.Count != Jobs || _reflection.Count != Jobs || _generated[Jobs - 1].Files.Count != _reflection[Jobs - 1].Files.Count)
        {
            throw new InvalidOperationException("the two decoders disagree");
        }

        // The generated writer must produce what its reader accepts, with the same jobs.
        var again = ApiJson.Parse(EncodeGenerated(), ReadJobs);
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

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public byte[] EncodeReflection() => JsonSerializer.SerializeToUtf8Bytes(_reflection, Reflection);

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public byte[] EncodeGenerated() => ApiJson.Serialize(_generated, static (w, list) => ApiJson.WriteList(w, list, static (w1, job) => job.WriteJson(w1)));
}
