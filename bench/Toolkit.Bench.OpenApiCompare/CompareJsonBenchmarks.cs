using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Toolkit.Bench.OpenApiCompare.Subjects;

namespace Toolkit.Bench.OpenApiCompare;

/// <summary>
/// Decode and encode the same bytes with the code of the four generators, side by side in one run. The baseline is
/// ours, so the Ratio column reads "how many times ours' time or bytes" for the others.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CompareDecodeBenchmarks
{
    private Subject _subject = null!;

    /// <summary>jobs-compact / jobs-python: 10,000 FTS3-like jobs (11.7 MB); dd-project: 1,000 handles; pets: 1,000 pets.</summary>
    [Params("jobs-compact", "jobs-python", "dd-project", "pets")]
    public string Document { get; set; } = "jobs-compact";

    [GlobalSetup]
    public void Setup()
    {
        _subject = Subject.Create(Document);
        _subject.Verify(Subject.Expected(Document));
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public object Ours() => _subject.DecodeOurs();

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public object StjSourceGen() => _subject.DecodeStj();

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public object NSwag() => _subject.DecodeNSwag();

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public object Kiota() => _subject.DecodeKiota();
}

/// <summary>Encode the objects each generator's own decoder made from the same bytes.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CompareEncodeBenchmarks
{
    private Subject _subject = null!;

    /// <summary>The layout does not matter to an encoder, so the jobs are encoded once.</summary>
    [Params("jobs-compact", "dd-project", "pets")]
    public string Document { get; set; } = "jobs-compact";

    [GlobalSetup]
    public void Setup()
    {
        _subject = Subject.Create(Document);
        _subject.Verify(Subject.Expected(Document));
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public long Ours() => _subject.EncodeOurs();

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public long StjSourceGen() => _subject.EncodeStj();

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public long NSwag() => _subject.EncodeNSwag();

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public long Kiota() => _subject.EncodeKiota();
}
