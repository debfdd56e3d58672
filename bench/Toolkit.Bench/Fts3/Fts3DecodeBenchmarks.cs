using System.Collections.Generic;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Toolkit.Fts3;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Bench.Fts3;

/// <summary>
/// Decoding a <c>GET /jobs</c> answer of 10,000 jobs (about 9 MB): the generated ApiJsonReader code of
/// <c>Job.ReadJson</c> against System.Text.Json reflection over an equivalent class.
/// </summary>
[MemoryDiagnoser]
public class Fts3DecodeBenchmarks
{
    private static readonly JsonSerializerOptions Reflection = new();

    private byte[] _body = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Fts3ListBody.Create(10_000);

        // Same count and same content both ways, or the comparison is meaningless.
        var generated = GeneratedDecode();
        var reflected = ReflectionDecode();
        if (generated.Count != 10_000 || reflected.Count != 10_000 || generated[9_999].JobId != reflected[9_999].JobId
            || generated[42].SubmitTime!.Value.UtcDateTime != reflected[42].SubmitTime)
        {
            throw new System.InvalidOperationException("the two decoders disagree");
        }
    }

    [Benchmark(Baseline = true)]
    public IReadOnlyList<Job> GeneratedDecode()
        => ApiJson.Parse(_body, static (ref ApiJsonReader r) => ApiJson.ReadList(ref r, static (ref ApiJsonReader r2) => Job.ReadJson(ref r2)));

#pragma warning disable IL2026, IL3050 // the point of the comparison: reflection-based System.Text.Json
    [Benchmark]
    public List<JobDto> ReflectionDecode() => JsonSerializer.Deserialize<List<JobDto>>(_body, Reflection)!;
#pragma warning restore IL2026, IL3050
}
