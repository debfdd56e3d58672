using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance.Buffers;
using Toolkit.Runtime.Json;

namespace Toolkit.Bench.Json;

/// <summary>
/// Issue 11 item 6: does <c>CommunityToolkit.HighPerformance</c>'s <see cref="StringPool"/> beat the string table of
/// <see cref="ApiJson.ReadString"/> (a lossy, lock-free, direct-mapped table of short ASCII values)? One operation
/// reads every string of a JSON array shaped like FTS3 job listings: values that repeat (VO names, states, DNs,
/// storage endpoints, activities, hosts) mixed with values that do not (job ids, file paths), each string taken
/// from the reader the way generated models take it.
/// </summary>
[MemoryDiagnoser]
public class StringTableBenchmarks
{
    private byte[] _json = [];

    /// <summary>Strings in the document.</summary>
    [Params(10_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] repeated =
        [
            "dteam", "atlas", "cms", "lhcb", "alice", "FINISHED", "FAILED", "ACTIVE", "SUBMITTED", "CANCELED", "default",
            "express", "Data Consolidation", "Production Input", "User Subscriptions", "ADLER32", "adler32", "both", "Y", "N",
            "/DC=ch/DC=cern/OU=Organic Units/OU=Users/CN=ddmadmin/CN=531497/CN=Robot: ATLAS Data Management",
            "/DC=org/DC=terena/DC=tcs/C=DE/O=Karlsruhe Institute of Technology/CN=Test User",
            "davs://eosatlas.cern.ch:443", "root://xrootd.example.org:1094", "srm://srm.grid.sara.nl:8443", "https://dcache.kit.edu:2880",
            "fts3-atlas.cern.ch", "fts3-devel.cern.ch", "TRANSFER_ERROR", "SOURCE", "DESTINATION", "globus_ftp_client",
        ];
        var random = new Random(42);
        var values = new List<string>(Count);
        for (int i = 0; i < Count; i++)
        {
            // About three strings in four repeat; the rest are unique (job ids, file paths), as in a job listing.
            values.Add((i % 4) switch
            {
                0 => random.Next(2) == 0
                    ? NewGuid(random).ToString()
                    : "/atlas/rucio/data18_13TeV/" + random.Next().ToString("x8", CultureInfo.InvariantCulture) + ".root",
                _ => repeated[random.Next(repeated.Length)],
            });
        }

        _json = JsonSerializer.SerializeToUtf8Bytes(values);
    }

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>Our table (what generated models use today).</summary>
    [Benchmark(Baseline = true)]
    public int ApiJsonStringTable()
    {
        var reader = new ApiJsonReader(_json);
        reader.Read();
        int length = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            length += ApiJson.ReadString(ref reader).Length;
        }

        return length;
    }

    /// <summary><see cref="StringPool.Shared"/> on the UTF-8 bytes of each value.</summary>
    [Benchmark]
    public int StringPoolGetOrAdd()
    {
        var reader = new ApiJsonReader(_json);
        reader.Read();
        int length = 0;
        var pool = StringPool.Shared;
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            length += pool.GetOrAdd(reader.ValueSpan, Encoding.UTF8).Length;
        }

        return length;
    }

    /// <summary>No sharing: a new string for every value.</summary>
    [Benchmark]
    public int NewStringEachTime()
    {
        var reader = new ApiJsonReader(_json);
        reader.Read();
        int length = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            length += Encoding.UTF8.GetString(reader.ValueSpan).Length;
        }

        return length;
    }
}
