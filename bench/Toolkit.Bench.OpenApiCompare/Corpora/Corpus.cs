using System;
using System.Globalization;
using System.Text;

namespace Toolkit.Bench.OpenApiCompare.Corpora;

/// <summary>The bodies every generator decodes: the same bytes for all four.</summary>
public static class Corpus
{
    /// <summary>The FTS3-like listing of <see cref="Toolkit.Bench.OpenApi.JobCorpus"/>, compact or Python-spaced.</summary>
    public static byte[] Jobs(int jobs, bool python)
    {
        var json = Toolkit.Bench.OpenApi.JobCorpus.Create(jobs);
        return python ? Toolkit.TestSupport.PythonJson.Spaced(json) : json;
    }

    /// <summary>A Data Dispatcher project with its file handles and one replica each (as DataDispatcherBenchmarks).</summary>
    public static byte[] Project(int handles)
    {
        var sb = new StringBuilder("{\"project_id\":42,\"owner\":\"alice\",\"state\":\"active\",\"retry_count\":null,\"attributes\":{\"campaign\":\"bench\"},\"created_timestamp\":1764547200.5,\"ended_timestamp\":null,\"active\":true,\"query\":null,\"worker_timeout\":3600,\"idle_timeout\":259200,\"users\":[],\"roles\":[],\"file_handles\":[");
        for (var i = 0; i < handles; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"project_id\":42,\"namespace\":\"dune\",\"name\":\"file{i:D5}.root\",\"state\":\"initial\",\"worker_id\":null,\"attempts\":0,\"attributes\":{{\"run\":{i}}},\"reserved_since\":null,\"replicas\":{{\"FNAL_DCACHE\":{{\"name\":\"file{i:D5}.root\",\"namespace\":\"dune\",\"path\":\"/pnfs/dune/file{i:D5}.root\",\"rse\":\"FNAL_DCACHE\",\"url\":\"root://fndca1.fnal.gov:1094//pnfs/dune/file{i:D5}.root\",\"urls\":[\"root://fndca1.fnal.gov:1094//pnfs/dune/file{i:D5}.root\"],\"preference\":0,\"available\":true,\"rse_available\":true}}}}}}");
        }

        return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
    }

    /// <summary>A petstore listing: ids, names, and a tag on two pets in three.</summary>
    public static byte[] Pets(int pets)
    {
        var rnd = new Random(20261202);
        string[] tags = ["dog", "cat", "bird", "fish"];
        var sb = new StringBuilder("[");
        for (var i = 0; i < pets; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"id\":{1_000_000 + i},\"name\":\"pet {rnd.Next(100_000)}\"");
            if (i % 3 != 0)
            {
                sb.Append(",\"tag\":\"").Append(tags[rnd.Next(tags.Length)]).Append('"');
            }

            sb.Append('}');
        }

        return Encoding.UTF8.GetBytes(sb.Append(']').ToString());
    }
}
