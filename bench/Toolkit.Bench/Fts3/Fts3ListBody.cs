using System;
using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Toolkit.Bench.Fts3;

/// <summary>
/// A <c>GET /jobs</c> body of N jobs shaped like fts-rest's (every t_job attribute, offset-less UTC timestamps,
/// nulls where a real job has them), made from a fixed seed so every run decodes the same bytes.
/// </summary>
public static class Fts3ListBody
{
    private static readonly string[] States = { "SUBMITTED", "ACTIVE", "READY", "STAGING", "FINISHED", "FAILED", "FINISHEDDIRTY", "CANCELED" };
    private static readonly string[] Vos = { "atlas", "cms", "lhcb", "dteam", "dune" };

    public static byte[] Create(int jobs, int seed = 20261122)
    {
        var rnd = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>(jobs * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            var t0 = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < jobs; i++)
            {
                var state = States[rnd.Next(States.Length)];
                var vo = Vos[rnd.Next(Vos.Length)];
                var submit = t0.AddSeconds(rnd.Next(0, 86_400));
                var terminal = state is "FINISHED" or "FAILED" or "FINISHEDDIRTY" or "CANCELED";
                w.WriteStartObject();
                w.WriteString("job_id", new Guid(rnd.Next(), (short)rnd.Next(), (short)rnd.Next(), 1, 2, 3, 4, 5, 6, 7, 8).ToString());
                w.WriteString("job_state", state);
                w.WriteString("job_type", rnd.Next(10) == 0 ? "R" : "N");
                w.WriteBoolean("cancel_job", state == "CANCELED");
                w.WriteString("source_se", "davs://eos" + vo + ".cern.ch");
                w.WriteString("dest_se", "root://storage" + rnd.Next(100).ToString(CultureInfo.InvariantCulture) + ".example.org");
                w.WriteString("submit_host", "fts3-" + vo + "-01.cern.ch");
                w.WriteString("user_dn", "/DC=ch/DC=cern/OU=Organic Units/OU=Users/CN=user" + rnd.Next(500).ToString(CultureInfo.InvariantCulture) + "/CN=123456/CN=Robot: " + vo + " data transfers");
                w.WriteString("cred_id", rnd.NextInt64().ToString("x16", CultureInfo.InvariantCulture));
                w.WriteString("vo_name", vo);
                if (state is "FAILED" or "FINISHEDDIRTY")
                {
                    w.WriteString("reason", "TRANSFER [5] DESTINATION OVERWRITE Destination file exists and overwrite is not enabled");
                }
                else
                {
                    w.WriteNull("reason");
                }

                w.WriteString("submit_time", submit.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                if (terminal)
                {
                    w.WriteString("job_finished", submit.AddSeconds(rnd.Next(10, 7200)).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                }
                else
                {
                    w.WriteNull("job_finished");
                }

                w.WriteNumber("priority", rnd.Next(1, 6));
                w.WriteNull("max_time_in_queue");
                w.WriteString("destination_spacetoken", string.Empty);
                w.WriteString("source_spacetoken", string.Empty);
                w.WriteString("internal_job_params", "nostreams:1");
                w.WriteBoolean("dst_file_report", false);
                w.WriteString("overwrite_flag", rnd.Next(2) == 0 ? "N" : "Y");
                w.WriteNumber("copy_pin_lifetime", -1);
                w.WriteString("verify_checksum", "t");
                w.WriteNumber("bring_online", -1);
                w.WriteNumber("archive_timeout", -1);
                w.WriteNull("target_qos");
                w.WriteStartObject("job_metadata");
                w.WriteString("auth_method", "certificate");
                w.WriteNumber("request_id", rnd.Next());
                w.WriteEndObject();
                w.WriteNumber("retry", rnd.Next(-1, 4));
                w.WriteNumber("retry_delay", 0);
                w.WriteNull("os_project_id");
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
