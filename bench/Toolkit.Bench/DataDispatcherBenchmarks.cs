using System;
using System.Globalization;
using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using Toolkit.DataDispatcher;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Bench;

/// <summary>Data Dispatcher client hot paths: decoding project and next_file answers, replica ranking, the token library.</summary>
[MemoryDiagnoser]
public class DataDispatcherBenchmarks
{
    private byte[] _project = [];
    private byte[] _nextFile = [];
    private Handle _handle = null!;
    private TokenLibrary _library = null!;
    private string _dir = "";

    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder("{\"project_id\":42,\"owner\":\"alice\",\"state\":\"active\",\"retry_count\":null,\"attributes\":{\"campaign\":\"bench\"},\"created_timestamp\":1764547200.5,\"ended_timestamp\":null,\"active\":true,\"query\":null,\"worker_timeout\":3600,\"idle_timeout\":259200,\"users\":[],\"roles\":[],\"file_handles\":[");
        for (var i = 0; i < 1000; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"project_id\":42,\"namespace\":\"dune\",\"name\":\"file{i:D5}.root\",\"state\":\"initial\",\"worker_id\":null,\"attempts\":0,\"attributes\":{{\"run\":{i}}},\"reserved_since\":null,\"replicas\":{{\"FNAL_DCACHE\":{{\"name\":\"file{i:D5}.root\",\"namespace\":\"dune\",\"path\":\"/pnfs/dune/file{i:D5}.root\",\"rse\":\"FNAL_DCACHE\",\"url\":\"root://fndca1.fnal.gov:1094//pnfs/dune/file{i:D5}.root\",\"urls\":[\"root://fndca1.fnal.gov:1094//pnfs/dune/file{i:D5}.root\"],\"preference\":0,\"available\":true,\"rse_available\":true}}}}}}");
        }

        _project = Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
        var replicas = new StringBuilder();
        for (var r = 0; r < 10; r++)
        {
            replicas.Append(r == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"\"RSE_{r}\":{{\"name\":\"f.root\",\"namespace\":\"dune\",\"path\":\"/p/f.root\",\"rse\":\"RSE_{r}\",\"url\":\"root://se{r}.example.org//p/f.root\",\"urls\":[],\"preference\":{(r * 7) % 10},\"proximity\":{(r * 7) % 10},\"available\":true,\"rse_available\":true}}");
        }

        _nextFile = Encoding.UTF8.GetBytes("{\"handle\":{\"project_id\":42,\"namespace\":\"dune\",\"name\":\"f.root\",\"state\":\"reserved\",\"worker_id\":\"a1b2c3d4\",\"attempts\":1,\"attributes\":{},\"reserved_since\":1764547200.25,\"replicas\":{" + replicas + "},\"project_attributes\":{\"campaign\":\"bench\"}},\"reason\":\"reserved\",\"retry\":false}");
        _handle = ApiJson.Parse(_nextFile, NextFileReply.ReadJson).Handle!;
        _dir = Directory.CreateTempSubdirectory("dd-bench-").FullName;
        _library = new TokenLibrary(Path.Combine(_dir, ".token_library"));
        for (var i = 0; i < 20; i++)
        {
            // Unsigned JWT-shaped tokens that expire in a day.
            var claims = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"sub\":\"u" + i + "\",\"exp\":" + DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() + "}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            _library.Set("https://dd" + i + ".example.org/dd/data", "eyJhbGciOiJIUzI1NiJ9." + claims + ".c2ln");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, true);

    [Benchmark]
    public int DecodeProject1000Handles() => ApiJson.Parse(_project, Project.ReadJson).FileHandles!.Count;

    [Benchmark]
    public bool DecodeNextFileReply() => ApiJson.Parse(_nextFile, NextFileReply.ReadJson).Handle is not null;

    [Benchmark]
    public int RankReplicas() => _handle.ReplicasByProximity().Count;

    [Benchmark]
    public int LoadTokenLibrary() => _library.Load().Count;
}
