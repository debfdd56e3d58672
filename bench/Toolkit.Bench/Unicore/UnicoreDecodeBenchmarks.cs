using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Toolkit.Runtime.Json;
using Toolkit.Unicore;

namespace Toolkit.Bench.Unicore;

/// <summary>
/// Decoding UNICORE replies with the generated models against a System.Text.Json <see cref="JsonDocument"/> walk that
/// reads the same fields: the properties of 1,000 jobs (as a JSON array of job documents) and a directory listing of
/// 10,000 entries (<c>GET .../files/dir</c>, the <c>content</c> map).
/// </summary>
[MemoryDiagnoser]
public class UnicoreDecodeBenchmarks
{
    private byte[] _jobs = null!;
    private byte[] _listing = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jobs = JobsBody(1_000);
        _listing = ListingBody(10_000);
        if (GeneratedJobs().Count != 1_000 || DocumentJobs().Count != 1_000 || GeneratedJobs()[999].Status != JobStatus.Successful
            || GeneratedListing().Content!.Count != 10_000 || DocumentListing().Count != 10_000)
        {
            throw new InvalidOperationException("the decoders disagree");
        }
    }

    [Benchmark]
    public IReadOnlyList<JobProperties> GeneratedJobs()
        => ApiJson.Parse(_jobs, static (ref ApiJsonReader r) => ApiJson.ReadList(ref r, static (ref ApiJsonReader r2) => JobProperties.ReadJson(ref r2)));

    [Benchmark]
    public List<(string Status, string Name, string Owner, string Self)> DocumentJobs()
    {
        using var doc = JsonDocument.Parse(_jobs);
        var result = new List<(string, string, string, string)>(doc.RootElement.GetArrayLength());
        foreach (var j in doc.RootElement.EnumerateArray())
        {
            result.Add((j.GetProperty("status").GetString()!, j.GetProperty("name").GetString()!, j.GetProperty("owner").GetString()!,
                j.GetProperty("_links").GetProperty("self").GetProperty("href").GetString()!));
        }

        return result;
    }

    [Benchmark]
    public Toolkit.Unicore.FileInfo GeneratedListing() => ApiJson.Parse<Toolkit.Unicore.FileInfo>(_listing);

    [Benchmark]
    public List<(string Path, bool IsDirectory, long Size, string Permissions)> DocumentListing()
    {
        using var doc = JsonDocument.Parse(_listing);
        var result = new List<(string, bool, long, string)>();
        foreach (var e in doc.RootElement.GetProperty("content").EnumerateObject())
        {
            result.Add((e.Name, e.Value.GetProperty("isDirectory").GetBoolean(), e.Value.GetProperty("size").GetInt64(), e.Value.GetProperty("permissions").GetString()!));
        }

        return result;
    }

    private static byte[] JobsBody(int n)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < n; i++)
        {
            string id = new Guid(i, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8).ToString();
            string self = "https://unicore.example.org:8080/DEMO-SITE/rest/core/jobs/" + id;
            sb.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture,
                $$$"""{"status":"SUCCESSFUL","statusMessage":"","name":"job-{{{i}}}","owner":"UID=demouser","queue":"batch","submissionTime":"2026-12-01T10:00:00+0100","terminationTime":"2026-12-01T10:05:00+0100","currentTime":"2026-12-01T11:00:00+0100","exitCode":"0","log":["RUNNING","SUCCESSFUL"],"tags":["demo","run{{{i % 10}}}"],"acl":[],"_links":{"self":{"href":"{{{self}}}"},"action:abort":{"href":"{{{self}}}/actions/abort"},"action:restart":{"href":"{{{self}}}/actions/restart"},"workingDirectory":{"href":"https://unicore.example.org:8080/DEMO-SITE/rest/core/storages/{{{id}}}-uspace""").Append("\"}}}");
        }

        return Encoding.UTF8.GetBytes(sb.Append(']').ToString());
    }

    private static byte[] ListingBody(int n)
    {
        var sb = new StringBuilder("""{"isDirectory":true,"size":0,"owner":"demouser","group":"users","permissions":"rwx","content":{""");
        for (int i = 0; i < n; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture,
                $$$"""
                "/data/file-{{{i:D6}}}.dat":{"isDirectory":{{{(i % 50 == 0 ? "true" : "false")}}},"size":{{{i * 4096L}}},"lastAccessed":"2026-12-01T10:00:00+0100","owner":"demouser","group":"users","permissions":"rw-","metadata":{}}
                """);
        }

        return Encoding.UTF8.GetBytes(sb.Append("}}").ToString());
    }
}
