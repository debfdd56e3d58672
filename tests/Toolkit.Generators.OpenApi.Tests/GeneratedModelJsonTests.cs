using System;
using System.Collections.Generic;
using System.Text.Json;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// Runtime's JSON reader and writer (tested on their own in tests/Toolkit.Runtime.Tests/Json) driven by generated
/// models: the FTS3 job model and the petstore test model generated into this project.
/// </summary>
public class GeneratedModelJsonTests
{
    [Fact]
    public void Encoding_models_into_a_reused_writer_and_a_bare_reader_pass_allocate_nothing()
    {
        var json = """
            [{"job_id":"ac4ba2be-1835-46e6-9a4e-2f1c8a0c1d00","job_state":"FINISHED","vo_name":"dteam","user_dn":"/DC=ch/DC=cern/CN=Robot \"x\"",
              "submit_time":"2026-11-22T11:08:22","job_finished":"2026-11-22T11:09:01.25","priority":3,"retry":-1,"cancel_job":false,
              "job_metadata":{"issuer":"rucio","n":[1,2.5,null]},"reason":"caf\u00e9 \ud83d\ude00",
              "files":[{"file_id":4000000001,"file_state":"FINISHED","source_surl":"davs://a.example.org:2880/dteam/f","throughput":12.375,"start_time":"2026-11-22T11:08:30Z"}]}]
            """u8.ToArray();
        var jobs = ApiJson.Parse(json, static (ref ApiJsonReader r) => ApiJson.ReadList(ref r, static (ref ApiJsonReader r2) => Toolkit.Fts3.Job.ReadJson(ref r2)));
        Assert.Equal("caf\u00e9 \U0001F600", jobs[0].Reason);
        using var writer = new ApiJsonWriter(1 << 16);
        long sink = 0;
        EncodeRounds(writer, jobs, ref sink);
        ReadRounds(json, ref sink);

        // Steady state, as the struct readers' allocation test: one clean window out of five.
        var windows = new long[5];
        for (var w = 0; w < windows.Length; w++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            EncodeRounds(writer, jobs, ref sink);
            ReadRounds(json, ref sink);
            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (windows[w] == 0)
            {
                break;
            }
        }

        Assert.True(Array.IndexOf(windows, 0L) >= 0, "every window allocated: " + string.Join(", ", windows) + " bytes");
        Assert.NotEqual(0, sink);
        Assert.Equal(jobs, ApiJson.Parse(writer.WrittenSpan, static (ref ApiJsonReader r) => ApiJson.ReadList(ref r, static (ref ApiJsonReader r2) => Toolkit.Fts3.Job.ReadJson(ref r2))), JobsByEncoding.Instance);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void EncodeRounds(ApiJsonWriter writer, IReadOnlyList<Toolkit.Fts3.Job> jobs, ref long sink)
    {
        for (var round = 0; round < 200; round++)
        {
            writer.Reset();
            ApiJson.WriteList(writer, jobs, static (w, j) => j.WriteJson(w));
            sink += writer.BytesWritten;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void ReadRounds(byte[] json, ref long sink)
    {
        for (var round = 0; round < 200; round++)
        {
            var r = new ApiJsonReader(json);
            while (r.Read())
            {
                if (r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var v))
                {
                    sink += v;
                }
                else if (r.TokenType == JsonTokenType.PropertyName && r.ValueTextEquals("job_state"u8))
                {
                    sink++;
                }
            }
        }
    }

    private sealed class JobsByEncoding : IEqualityComparer<IReadOnlyList<Toolkit.Fts3.Job>>
    {
        public static readonly JobsByEncoding Instance = new();

        public bool Equals(IReadOnlyList<Toolkit.Fts3.Job>? x, IReadOnlyList<Toolkit.Fts3.Job>? y)
            => x is not null && y is not null && Enc(x).AsSpan().SequenceEqual(Enc(y));

        public int GetHashCode(IReadOnlyList<Toolkit.Fts3.Job> obj) => obj.Count;

        private static byte[] Enc(IReadOnlyList<Toolkit.Fts3.Job> jobs)
            => ApiJson.Serialize(jobs, static (w, list) => ApiJson.WriteList(w, list, static (w2, j) => j.WriteJson(w2)));
    }

    [Fact]
    public void Models_meet_System_Text_Json_through_ReadFrom_and_WriteTo()
    {
        var json = "{\"outer\": [{\"id\": 7, \"name\": \"rex \\\"the\\\" dog\", \"tag\": \"t\"}], \"after\": 1}"u8.ToArray();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        reader.Read();
        reader.Read();
        reader.Read();
        var pet = ApiJson.ReadFrom<Toolkit.OpenApi.Tests.Pets.Pet>(ref reader);
        Assert.Equal(7, pet.Id);
        Assert.Equal("rex \"the\" dog", pet.Name);
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        reader.Read();
        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("pet");
            ApiJson.WriteTo(w, pet);
            w.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal("rex \"the\" dog", doc.RootElement.GetProperty("pet").GetProperty("name").GetString());

        var e = Assert.Throws<JsonException>(() => ReadPetFrom("{\"id\": \"seven\", \"name\": \"x\"}"u8.ToArray()));
        Assert.Contains("at byte", e.Message, StringComparison.Ordinal);
    }

    private static Toolkit.OpenApi.Tests.Pets.Pet ReadPetFrom(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return ApiJson.ReadFrom<Toolkit.OpenApi.Tests.Pets.Pet>(ref reader);
    }
}
