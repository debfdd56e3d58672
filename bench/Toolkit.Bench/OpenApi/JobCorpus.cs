using System;
using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Toolkit.Bench.OpenApi;

/// <summary>A deterministic FTS3-like job listing: a JSON array of jobs, each with a few files (about 1.1 KB per job).</summary>
public static class JobCorpus
{
    private static readonly string[] JobStates = { "SUBMITTED", "ACTIVE", "FINISHED", "FAILED", "FINISHEDDIRTY", "CANCELED" };
    private static readonly string[] FileStates = { "SUBMITTED", "ACTIVE", "FINISHED", "FAILED", "NOT_USED" };
    private static readonly string[] Vos = { "atlas", "cms", "dteam", "lhcb", "dune" };
    private static readonly string[] Ses = { "https://eosatlas.cern.ch", "davs://dcache.example.org:2880", "root://xrootd.example.net:1094", "gsiftp://se.example.ac.uk" };

    /// <summary>Builds the listing with <paramref name="jobs"/> jobs.</summary>
    /// <param name="jobs">How many jobs.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] Create(int jobs)
    {
        var rnd = new Random(20261201);
        var buffer = new ArrayBufferWriter<byte>(jobs * 1200);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            var t0 = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < jobs; i++)
            {
                var bytes = new byte[16];
                rnd.NextBytes(bytes);
                var submit = t0.AddSeconds(rnd.Next(0, 30 * 86400));
                var state = JobStates[rnd.Next(JobStates.Length)];
                var finished = state is "FINISHED" or "FAILED" or "FINISHEDDIRTY" or "CANCELED";
                var vo = Vos[rnd.Next(Vos.Length)];
                w.WriteStartObject();
                w.WriteString("job_id", new Guid(bytes));
                w.WriteString("job_state", state);
                w.WriteString("job_type", rnd.Next(4) == 0 ? "Y" : "N");
                w.WriteString("user_dn", "/DC=ch/DC=cern/OU=Users/CN=user" + rnd.Next(1000).ToString(CultureInfo.InvariantCulture) + "/CN=Robot");
                w.WriteString("vo_name", vo);
                w.WriteString("cred_id", Convert.ToHexString(bytes, 0, 8).ToLowerInvariant());
                w.WriteString("submit_time", Ts(submit));
                w.WriteString("submit_host", "fts-" + rnd.Next(1, 9).ToString(CultureInfo.InvariantCulture) + ".cern.ch");
                if (finished)
                {
                    w.WriteString("job_finished", Ts(submit.AddSeconds(rnd.Next(60, 7200))));
                }
                else
                {
                    w.WriteNull("job_finished");
                }

                w.WriteNumber("priority", rnd.Next(1, 6));
                w.WriteNull("max_time_in_queue");
                w.WriteNull("source_space_token");
                w.WriteString("space_token", vo.ToUpperInvariant() + "DATADISK");
                w.WriteBoolean("overwrite_flag", rnd.Next(2) == 0);
                w.WriteString("verify_checksum", "b");
                if (state == "FAILED")
                {
                    w.WriteString("reason", "One or more files failed. Please have a look at the details for more information");
                }
                else
                {
                    w.WriteString("reason", "");
                }

                w.WriteBoolean("cancel_job", false);
                w.WriteNumber("retry", rnd.Next(0, 4));
                w.WriteNumber("retry_delay", 0);
                w.WriteNumber("copy_pin_lifetime", -1);
                w.WriteNumber("bring_online", -1);
                if (i % 5 == 0)
                {
                    w.WriteString("internal_job_params", "nostreams:1,timeout:3600");
                }
                else
                {
                    w.WriteNull("internal_job_params");
                }
                if (i % 10 == 0)
                {
                    w.WriteStartObject("job_metadata");
                    w.WriteString("issuer", "rucio");
                    w.WriteString("multi_sources", "false");
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("job_metadata");
                }

                w.WriteStartArray("files");
                var files = rnd.Next(4) == 0 ? 2 : 1;
                for (var f = 0; f < files; f++)
                {
                    var src = Ses[rnd.Next(Ses.Length)];
                    var dst = Ses[rnd.Next(Ses.Length)];
                    var path = "/" + vo + "/data26/" + rnd.Next(0x10000).ToString("x4", CultureInfo.InvariantCulture) + "/DAOD." + rnd.Next(10_000_000).ToString(CultureInfo.InvariantCulture) + "._000" + f.ToString(CultureInfo.InvariantCulture) + ".root";
                    w.WriteStartObject();
                    w.WriteNumber("file_id", 4_000_000_000L + (i * 4L) + f);
                    w.WriteString("file_state", FileStates[rnd.Next(FileStates.Length)]);
                    w.WriteString("source_surl", src + path);
                    w.WriteString("dest_surl", dst + path);
                    w.WriteString("source_se", src);
                    w.WriteString("dest_se", dst);
                    w.WriteNumber("filesize", (long)rnd.Next(1, int.MaxValue) * 4);
                    w.WriteString("checksum", "ADLER32:" + rnd.Next().ToString("x8", CultureInfo.InvariantCulture));
                    w.WriteNumber("throughput", Math.Round(rnd.NextDouble() * 500, 3));
                    w.WriteString("start_time", Ts(submit.AddSeconds(rnd.Next(1, 60))));
                    if (finished)
                    {
                        w.WriteString("finish_time", Ts(submit.AddSeconds(rnd.Next(60, 7200))));
                    }
                    else
                    {
                        w.WriteNull("finish_time");
                    }

                    w.WriteNull("reason");
                    w.WriteNumber("retry", 0);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>FTS3 writes timestamps without an offset (they are UTC).</summary>
    private static string Ts(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
