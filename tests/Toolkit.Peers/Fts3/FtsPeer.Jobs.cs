using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Toolkit.Peers.Fts3;

public sealed partial class FtsPeer
{
    private static readonly string[] JobAttributes =
    {
        "job_id", "job_state", "job_type", "cancel_job", "source_se", "dest_se", "submit_host", "user_dn", "cred_id", "vo_name", "reason",
        "submit_time", "job_finished", "priority", "max_time_in_queue", "destination_spacetoken", "source_spacetoken", "internal_job_params",
        "dst_file_report", "overwrite_flag", "copy_pin_lifetime", "verify_checksum", "bring_online", "archive_timeout", "target_qos",
        "job_metadata", "retry", "retry_delay", "os_project_id",
    };

    private static readonly string[] OverwriteFlags = { "overwrite", "overwrite_on_retry", "overwrite_hop", "overwrite_when_only_on_disk" };

    // ---------------------------------------------------------------- test hooks
    public JsonObject? GetJob(string id)
    {
        lock (_lock)
        {
            return _jobs.FirstOrDefault(j => (string?)j["job_id"] == id)?.DeepClone().AsObject();
        }
    }

    public IReadOnlyList<JsonObject> GetFiles(string id)
    {
        lock (_lock)
        {
            return _files.TryGetValue(id, out var f) ? f.Select(x => x.DeepClone().AsObject()).ToList() : new List<JsonObject>();
        }
    }

    public void SetState(string id, string jobState, string? fileState = null)
    {
        lock (_lock)
        {
            var job = _jobs.First(j => (string?)j["job_id"] == id);
            job["job_state"] = jobState;
            job["job_finished"] = JobTerminal.Contains(jobState) ? Timestamp(DateTime.UtcNow) : null;
            foreach (var f in _files[id])
            {
                f["file_state"] = fileState ?? jobState;
            }
        }
    }

    /// <summary>Adds a job of another user directly (as if submitted elsewhere).</summary>
    public string AddForeignJob(string userDn, string vo, string state = "SUBMITTED")
    {
        var id = Guid.NewGuid().ToString();
        lock (_lock)
        {
            var job = NewJobObject(id, userDn, vo, "0000000000000000", "N", state, "https://a.example.org", "https://b.example.org");
            _jobs.Add(job);
            _files[id] = new List<JsonObject> { NewFile(id, 0, state, "https://a.example.org/f", "https://b.example.org/f", vo, null, null, null) };
        }

        return id;
    }

    // ---------------------------------------------------------------- input parsing (lib/helpers/misc.py)
    private static async Task<JsonObject> InputAsDict(HttpContext ctx, bool exactJson = false)
    {
        var ct = ctx.Request.ContentType;
        var isJson = exactJson ? ct == "application/json" : (ct?.StartsWith("application/json", StringComparison.Ordinal) == true || ctx.Request.Method == "PUT");
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        if (isJson)
        {
            try
            {
                return JsonNode.Parse(text) as JsonObject ?? throw new PeerError(400, "Badly formatted JSON request");
            }
            catch (JsonException)
            {
                throw new PeerError(400, "Badly formatted JSON request");
            }
        }

        // Form (or the query string when the content type is not exactly JSON for the strict routes).
        var result = new JsonObject();
        if (ct?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true)
        {
            foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                result[Uri.UnescapeDataString(kv[0].Replace('+', ' '))] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : string.Empty;
            }
        }

        foreach (var q in ctx.Request.Query)
        {
            result[q.Key] ??= q.Value.ToString();
        }

        return result;
    }

    // ---------------------------------------------------------------- jobs
    private async Task<int> Jobs(HttpContext ctx, Caller c, string[] seg, string method)
    {
        NeedTransfer(c);
        if (seg.Length == 1)
        {
            return method switch
            {
                "GET" => await Json(ctx, ListJobs(ctx, c)),
                "POST" or "PUT" => await Json(ctx, Submit(c, await InputAsDict(ctx))),
                _ => throw new PeerError(405, "Method Not Allowed"),
            };
        }

        if (seg.Length == 2 && seg[1] == "all" && method == "DELETE")
        {
            if (!c.IsRoot && !c.Config)
            {
                throw new PeerError(403, "Not enough permissions");
            }

            return await Json(ctx, CancelWhere(_ => true));
        }

        if (seg.Length == 3 && seg[1] == "vo" && method == "DELETE")
        {
            if (!c.IsRoot && !c.Config)
            {
                throw new PeerError(403, "Not enough permissions");
            }

            return await Json(ctx, CancelWhere(j => (string?)j["vo_name"] == seg[2]));
        }

        var ids = seg[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (seg.Length == 2)
        {
            JsonObject? modification = method == "POST" ? await InputAsDict(ctx) : null;
            if (method is not ("GET" or "DELETE" or "POST"))
            {
                throw new PeerError(405, "Method Not Allowed");
            }

            var fileFields = ctx.Request.Query["files"].ToString();
            var items = new List<JsonObject>();
            var failures = 0;
            foreach (var id in ids)
            {
                try
                {
                    var job = method switch
                    {
                        "GET" => GetOne(c, id, fileFields),
                        "DELETE" => CancelOne(c, id),
                        _ => Modify(c, id, modification!),
                    };
                    items.Add(job);
                }
                catch (PeerError e)
                {
                    if (ids.Length == 1)
                    {
                        throw;
                    }

                    failures++;
                    items.Add(new JsonObject { ["job_id"] = id, ["http_status"] = e.Status.ToString(CultureInfo.InvariantCulture) + " " + Reason(e.Status), ["http_message"] = e.Message });
                }
            }

            if (ids.Length == 1)
            {
                return await Json(ctx, items[0]);
            }

            return await Json(ctx, new JsonArray(items.Select(i => (JsonNode?)i).ToArray()), failures > 0 ? 207 : 200);
        }

        var jobId = ids[0];
        if (seg.Length == 3 && seg[2] == "files" && method == "GET")
        {
            JsonArray list;
            lock (_lock)
            {
                Visible(c, jobId);
                list = new JsonArray(_files[jobId].Select(f => (JsonNode?)f.DeepClone()).ToArray());
            }

            return await Json(ctx, list);
        }

        if (seg.Length == 4 && seg[2] == "files" && method == "DELETE")
        {
            return await Json(ctx, CancelFiles(c, jobId, seg[3]));
        }

        if (seg.Length == 5 && seg[2] == "files" && seg[4] == "retries" && method == "GET")
        {
            lock (_lock)
            {
                Visible(c, jobId);
                if (!long.TryParse(seg[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var fid) || !_files[jobId].Any(f => (long?)f["file_id"] == fid))
                {
                    throw new PeerError(404, "No file with the id " + seg[3] + " has been found in the job " + jobId);
                }
            }

            return await Json(ctx, new JsonArray());
        }

        if (seg.Length == 3 && seg[2] == "dm" && method == "GET")
        {
            lock (_lock)
            {
                Visible(c, jobId);
            }

            return await Json(ctx, new JsonArray());
        }

        if (seg.Length == 3 && method == "GET")
        {
            JsonNode? value;
            lock (_lock)
            {
                var job = Visible(c, jobId);
                if (!job.ContainsKey(seg[2]))
                {
                    throw new PeerError(404, "No such field");
                }

                value = job[seg[2]]?.DeepClone();
            }

            return await Json(ctx, value);
        }

        throw new PeerError(404, "Not Found");
    }

    private JsonObject Visible(Caller c, string id)
    {
        var job = _jobs.FirstOrDefault(j => (string?)j["job_id"] == id) ?? throw new PeerError(404, "No job with the id " + id + " has been found");
        var mine = (string?)job["user_dn"] == c.UserDn || c.Vos.Contains((string?)job["vo_name"] ?? string.Empty) || c.IsRoot || c.Config;
        if (!mine)
        {
            throw new PeerError(403, "Not enough permissions to check the job \"" + id + "\"");
        }

        return job;
    }

    private JsonObject GetOne(Caller c, string id, string fileFields)
    {
        lock (_lock)
        {
            var job = Visible(c, id);
            if (AdvanceOnPoll)
            {
                var next = (string?)job["job_state"] switch { "SUBMITTED" => "ACTIVE", "ACTIVE" => "FINISHED", _ => null };
                if (next is not null)
                {
                    job["job_state"] = next;
                    job["job_finished"] = next == "FINISHED" ? Timestamp(DateTime.UtcNow) : null;
                    foreach (var f in _files[id])
                    {
                        f["file_state"] = next;
                        if (next == "FINISHED")
                        {
                            f["throughput"] = 12.5;
                            f["finish_time"] = Timestamp(DateTime.UtcNow);
                        }
                    }
                }
            }

            var copy = job.DeepClone().AsObject();
            copy["http_status"] = "200 Ok";
            if (fileFields.Length > 0)
            {
                var fields = fileFields.Split(',');
                copy["files"] = new JsonArray(_files[id].Select(f =>
                {
                    var p = new JsonObject();
                    foreach (var name in fields.Where(f.ContainsKey))
                    {
                        p[name] = f[name]?.DeepClone();
                    }

                    return (JsonNode?)p;
                }).ToArray());
            }

            return copy;
        }
    }

    private JsonObject CancelOne(Caller c, string id)
    {
        lock (_lock)
        {
            var job = Visible(c, id);
            var state = (string?)job["job_state"] ?? string.Empty;
            var copy = job.DeepClone().AsObject();
            if (JobTerminal.Contains(state))
            {
                copy["http_status"] = "304 Not Modified";
                copy["http_message"] = "The job is in a terminal state";
                return copy;
            }

            CancelJob(job);
            copy = job.DeepClone().AsObject();
            copy["http_status"] = "200 Ok";
            return copy;
        }
    }

    private void CancelJob(JsonObject job)
    {
        var id = (string)job["job_id"]!;
        job["job_state"] = "CANCELED";
        job["cancel_job"] = true;
        job["reason"] = "Job canceled by the user";
        job["job_finished"] = Timestamp(DateTime.UtcNow);
        foreach (var f in _files[id].Where(f => !FileTerminal.Contains((string?)f["file_state"] ?? string.Empty)))
        {
            f["file_state"] = "CANCELED";
            f["reason"] = "Job canceled by the user";
            f["finish_time"] = Timestamp(DateTime.UtcNow);
        }
    }

    private JsonObject Modify(Caller c, string id, JsonObject body)
    {
        lock (_lock)
        {
            var job = Visible(c, id);
            if (body["params"]?["priority"] is not JsonValue pv || !pv.TryGetValue<int>(out var priority))
            {
                throw new PeerError(400, "No priority specified");
            }

            job["priority"] = Math.Clamp(priority, 1, 5);
            var copy = job.DeepClone().AsObject();
            copy["http_status"] = "200 Ok";
            return copy;
        }
    }

    private JsonNode CancelFiles(Caller c, string jobId, string fileIds)
    {
        lock (_lock)
        {
            var job = Visible(c, jobId);
            if ((string?)job["job_type"] != "N")
            {
                throw new PeerError(400, "Multihop or reuse jobs must be cancelled at once (" + (string?)job["job_type"] + ")");
            }

            var results = new List<string>();
            foreach (var raw in fileIds.Split(','))
            {
                var fid = long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : -1;
                var file = _files[jobId].FirstOrDefault(f => (long?)f["file_id"] == fid);
                if (file is null)
                {
                    results.Add("File does not belong to the job");
                    continue;
                }

                var state = (string?)file["file_state"] ?? string.Empty;
                if (FileTerminal.Contains(state))
                {
                    results.Add(state);
                    continue;
                }

                file["file_state"] = "CANCELED";
                file["reason"] = "Canceled by the user";
                results.Add("CANCELED");
            }

            var states = _files[jobId].Select(f => (string?)f["file_state"] ?? string.Empty).ToList();
            if (states.All(FileTerminal.Contains))
            {
                job["job_state"] = states.All(s => s == "CANCELED") ? "CANCELED" : states.All(s => s == "FINISHED") ? "FINISHED" : states.Any(s => s == "FINISHED") ? "FINISHEDDIRTY" : "FAILED";
                job["job_finished"] = Timestamp(DateTime.UtcNow);
            }

            return results.Count == 1 ? JsonValue.Create(results[0]) : new JsonArray(results.Select(r => (JsonNode?)r).ToArray());
        }
    }

    private JsonObject CancelWhere(Func<JsonObject, bool> predicate)
    {
        lock (_lock)
        {
            var jobs = _jobs.Where(j => predicate(j) && !JobTerminal.Contains((string?)j["job_state"] ?? string.Empty)).ToList();
            var files = jobs.Sum(j => _files[(string)j["job_id"]!].Count(f => !FileTerminal.Contains((string?)f["file_state"] ?? string.Empty)));
            foreach (var j in jobs)
            {
                CancelJob(j);
            }

            return new JsonObject { ["affected_files"] = files, ["affected_dm"] = 0, ["affected_jobs"] = jobs.Count };
        }
    }

    private JsonArray ListJobs(HttpContext ctx, Caller c)
    {
        var q = ctx.Request.Query;
        string? Q(string name) => q.TryGetValue(name, out var v) && v.ToString().Length > 0 ? v.ToString() : null;
        var userDn = Q("user_dn");
        var vo = Q("vo_name");
        var dlg = Q("dlg_id");
        if (dlg is not null && dlg != c.DlgId && !c.Config)
        {
            throw new PeerError(403, "The provided delegation id does not match your delegation id");
        }

        if (userDn is not null && userDn != c.UserDn && !c.Config)
        {
            throw new PeerError(400, "The provided DN and delegation id do not correspond");
        }

        if (!c.Config && !c.Token && !c.IsRoot)
        {
            vo = c.Vos[0];
        }

        var limitText = Q("limit");
        int? limit = null;
        if (limitText is not null)
        {
            if (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) || l < 0 || l > 500)
            {
                throw new PeerError(400, "Limit must be between 0 and 500");
            }

            limit = l;
        }

        var states = Q("state_in")?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        TimeSpan? window = null;
        if (Q("time_window") is { } tw)
        {
            var parts = tw.Split(':');
            if (!int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) || (parts.Length > 1 && !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            {
                throw new PeerError(400, "Wrong time window format");
            }

            window = TimeSpan.FromHours(h) + (parts.Length > 1 ? TimeSpan.FromMinutes(int.Parse(parts[1], CultureInfo.InvariantCulture)) : TimeSpan.Zero);
        }

        var fields = Q("fields")?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        lock (_lock)
        {
            IEnumerable<JsonObject> jobs = _jobs;
            if (states is null)
            {
                jobs = jobs.Where(j => j["job_finished"] is null);
            }
            else
            {
                var now = DateTime.UtcNow;
                jobs = jobs.Where(j => states.Contains((string?)j["job_state"]) && (window is null || limit is not null || j["job_finished"] is null
                    || DateTime.ParseExact((string)j["job_finished"]!, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) >= now - window.Value));
            }

            jobs = jobs.Where(j => (userDn is null || (string?)j["user_dn"] == userDn) && (vo is null || (string?)j["vo_name"] == vo)
                && (dlg is null || (string?)j["cred_id"] == dlg) && (Q("source_se") is not { } s || (string?)j["source_se"] == s) && (Q("dest_se") is not { } d || (string?)j["dest_se"] == d));
            jobs = jobs.OrderByDescending(j => (string?)j["submit_time"], StringComparer.Ordinal);
            if (limit is { } lim)
            {
                jobs = jobs.Take(lim);
            }

            return new JsonArray(jobs.Select(j =>
            {
                if (fields is null)
                {
                    return (JsonNode?)j.DeepClone();
                }

                var p = new JsonObject();
                foreach (var f in fields.Where(j.ContainsKey))
                {
                    p[f] = j[f]?.DeepClone();
                }

                return p;
            }).ToArray());
        }
    }

    // ---------------------------------------------------------------- submission (lib/JobBuilder.py)
    private JsonObject Submit(Caller c, JsonObject input)
    {
        if (c.Method == "certificate")
        {
            if (!Credentials.TryGetValue(c.DlgId!, out var cred))
            {
                throw new PeerError(419, "No delegation found for " + c.DlgId);
            }

            var left = cred.TerminationTime - DateTime.UtcNow;
            if (left < TimeSpan.Zero)
            {
                throw new PeerError(419, "The delegated credentials expired " + ((int)-left.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " seconds ago (" + c.DlgId + ")");
            }

            if (left < TimeSpan.FromHours(1))
            {
                throw new PeerError(419, "The delegated credentials has less than one hour left (" + c.DlgId + ")");
            }
        }

        if (input.ContainsKey("delete"))
        {
            throw new PeerError(405, "Deletion jobs are no longer supported by FTS");
        }

        if (input["files"] is not JsonArray files || files.Count == 0)
        {
            throw new PeerError(400, "No transfers or namespace operations specified");
        }

        var p = input["params"] as JsonObject ?? new JsonObject();
        bool B(string name) => p[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        int I(string name, int def)
        {
            if (p[name] is null)
            {
                return def;
            }

            if (p[name] is JsonValue v && v.TryGetValue<int>(out var i))
            {
                return i;
            }

            if (p[name] is JsonValue s && s.TryGetValue<string>(out var t) && int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }

            throw new PeerError(400, "Invalid value within the request: " + name + " must be an integer");
        }

        string? S(string name) => p[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        // Overwrite flags (mutually exclusive, except overwrite_hop + overwrite_when_only_on_disk).
        var set = OverwriteFlags.Where(B).ToList();
        if (set.Count > 1 && !(set.Count == 2 && set.Contains("overwrite_hop") && set.Contains("overwrite_when_only_on_disk")))
        {
            throw new PeerError(400, "Invalid value within the request: only one overwrite flag can be set (" + string.Join(", ", set) + ")");
        }

        var multihop = B("multihop");
        if (B("overwrite_hop") && !multihop)
        {
            throw new PeerError(400, "Invalid value within the request: overwrite_hop requires multihop");
        }

        var archiveTimeout = I("archive_timeout", -1);
        if (B("overwrite_when_only_on_disk") && archiveTimeout <= 0)
        {
            throw new PeerError(400, "Invalid value within the request: overwrite_when_only_on_disk requires archive_timeout > 0");
        }

        var bringOnline = I("bring_online", -1);
        var copyPin = I("copy_pin_lifetime", -1);
        var verify = p["verify_checksum"];
        string verifyFlag;
        var anyChecksum = files.Any(f => f?["checksum"] is JsonValue);
        if (verify is null)
        {
            verifyFlag = anyChecksum ? "t" : "n";
        }
        else if (verify is JsonValue vb && vb.TryGetValue<bool>(out var vbool))
        {
            verifyFlag = vbool ? "b" : anyChecksum ? "t" : "n";
        }
        else if (verify is JsonValue vs && vs.TryGetValue<string>(out var vstr) && vstr is "source" or "target" or "both" or "none")
        {
            verifyFlag = vstr[..1];
        }
        else
        {
            throw new PeerError(400, "Invalid value within the request: verify_checksum (" + verify.ToJsonString() + ")");
        }

        if (p["job_metadata"] is { } jm && jm.ToJsonString().Length > 2048)
        {
            throw new PeerError(400, "Invalid value within the request: job_metadata is longer than 2048 bytes");
        }

        var tokens = c.Token;
        var withSource = files.Count(f => f?["source_tokens"] is JsonArray);
        var withDestination = files.Count(f => f?["destination_tokens"] is JsonArray);
        if ((withSource != 0 && withSource != files.Count) || (withDestination != 0 && withDestination != files.Count))
        {
            throw new PeerError(400, "Invalid value within the request: source_tokens and destination_tokens must be given for all files or for none");
        }

        if (tokens && (archiveTimeout > 0 || bringOnline > 0))
        {
            throw new PeerError(400, "Invalid value within the request: tokens can not be used with archive_timeout or bring_online");
        }

        var jobType = multihop ? "H" : B("reuse") ? "Y" : "N";
        var initial = bringOnline > 0 || copyPin > 0 ? "STAGING" : S("target_qos") is not null ? "QOS_TRANSITION" : "SUBMITTED";
        var transfers = new List<(string Src, string Dst, JsonObject File)>();
        foreach (var f in files)
        {
            if (f is not JsonObject fo || fo["sources"] is not JsonArray srcs || fo["destinations"] is not JsonArray dsts || srcs.Count == 0 || dsts.Count == 0)
            {
                throw new PeerError(400, "Invalid value within the request: a file needs sources and destinations");
            }

            if (fo["scitag"] is JsonValue sv && sv.TryGetValue<int>(out var scitag) && (scitag < 65 || scitag > 65535))
            {
                throw new PeerError(400, "Invalid value within the request: SciTag value " + scitag.ToString(CultureInfo.InvariantCulture) + " is not in [65, 65535]");
            }

            if (fo["metadata"] is { } fm && fm.ToJsonString().Length > 4096)
            {
                throw new PeerError(400, "Invalid value within the request: file metadata is longer than 4096 bytes");
            }

            if (srcs.Count > 1 && jobType == "N")
            {
                jobType = "R";
            }

            foreach (var s in srcs)
            {
                foreach (var d in dsts)
                {
                    CheckUrl((string?)s ?? string.Empty);
                    CheckUrl((string?)d ?? string.Empty);
                    transfers.Add(((string)s!, (string)d!, fo));
                }
            }
        }

        var vo = c.Vos[0];
        string id;
        var generator = S("id_generator") ?? "standard";
        if (generator == "deterministic")
        {
            var sid = S("sid") ?? throw new PeerError(400, "Invalid value within the request: a deterministic job id needs a sid");
            id = Uuid5(Uuid5(BaseId, vo), sid).ToString();
        }
        else
        {
            id = Guid.NewGuid().ToString();
        }

        lock (_lock)
        {
            if (_jobs.Any(j => (string?)j["job_id"] == id))
            {
                throw new PeerError(409, "The job " + id + " already exists");
            }

            // Banned storages.
            var onHold = false;
            foreach (var (src, dst, _) in transfers)
            {
                foreach (var se in new[] { Se(src), Se(dst) })
                {
                    var ban = _bannedSe.FirstOrDefault(b => (string?)b["se"] == se && ((string?)b["vo"] is null || (string?)b["vo"] == vo));
                    if (ban is null)
                    {
                        continue;
                    }

                    if ((string?)ban["status"] == "WAIT_AS")
                    {
                        onHold = true;
                    }
                    else
                    {
                        throw new PeerError(403, se + " is banned");
                    }
                }
            }

            var job = NewJobObject(id, c.UserDn, vo, c.DlgId ?? string.Empty, jobType, initial, Se(transfers[0].Src), Se(transfers[0].Dst));
            var internalParams = new List<string>();
            if (p["nostreams"] is not null)
            {
                internalParams.Add("nostreams:" + I("nostreams", 0).ToString(CultureInfo.InvariantCulture));
            }

            if (p["timeout"] is not null)
            {
                internalParams.Add("timeout:" + I("timeout", 0).ToString(CultureInfo.InvariantCulture));
            }

            if (p["buffer_size"] is not null)
            {
                internalParams.Add("buffersize:" + I("buffer_size", 0).ToString(CultureInfo.InvariantCulture));
            }

            if (B("strict_copy"))
            {
                internalParams.Add("strict");
            }

            if (B("s3alternate"))
            {
                internalParams.Add("s3alternate");
            }

            var overwrite = B("overwrite") ? "Y" : B("overwrite_on_retry") ? "R" : B("overwrite_hop") && B("overwrite_when_only_on_disk") ? "M" : B("overwrite_when_only_on_disk") ? "D" : B("overwrite_hop") ? "Q" : "N";
            var metadata = p["job_metadata"]?.DeepClone() as JsonObject ?? new JsonObject();
            metadata["auth_method"] = c.Method;
            job["priority"] = Math.Clamp(I("priority", 3), 1, 5);
            job["internal_job_params"] = internalParams.Count == 0 ? null : string.Join(",", internalParams);
            job["overwrite_flag"] = overwrite;
            job["verify_checksum"] = verifyFlag;
            job["bring_online"] = bringOnline;
            job["copy_pin_lifetime"] = copyPin;
            job["archive_timeout"] = archiveTimeout;
            job["retry"] = I("retry", 0);
            job["retry_delay"] = I("retry_delay", 0);
            job["job_metadata"] = metadata;
            job["dst_file_report"] = B("dst_file_report");
            job["source_spacetoken"] = S("source_spacetoken") ?? string.Empty;
            job["destination_spacetoken"] = S("destination_spacetoken") ?? S("spacetoken") ?? string.Empty;
            job["target_qos"] = S("target_qos");
            var list = new List<JsonObject>();
            for (var i = 0; i < transfers.Count; i++)
            {
                var (src, dst, fo) = transfers[i];
                var state = onHold ? (initial == "STAGING" ? "ON_HOLD_STAGING" : "ON_HOLD") : (jobType is "R" or "H") && i > 0 ? "NOT_USED" : tokens && fo["source_tokens"] is null ? "TOKEN_PREP" : initial;
                list.Add(NewFile(id, i, state, src, dst, vo, fo, (string?)fo["checksum"] ?? "ADLER32", fo["filesize"] is JsonValue fs && fs.TryGetValue<long>(out var size) ? size : null));
            }

            _jobs.Add(job);
            _files[id] = list;
        }

        return new JsonObject { ["job_id"] = id };
    }

    private static void CheckUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || string.IsNullOrEmpty(u.Scheme) || !url.Contains("://", StringComparison.Ordinal))
        {
            throw new PeerError(400, "Invalid value within the request: Missing scheme (" + url + ")");
        }

        if (u.Scheme == "file")
        {
            throw new PeerError(400, "Invalid value within the request: Can not transfer local files (" + url + ")");
        }

        if (string.IsNullOrEmpty(u.Host))
        {
            throw new PeerError(400, "Invalid value within the request: Missing host (" + url + ")");
        }

        if (u.AbsolutePath is "" or "/")
        {
            throw new PeerError(400, "Invalid value within the request: Missing path (" + url + ")");
        }
    }

    private static string Se(string url)
    {
        var u = new Uri(url);
        return u.Scheme + "://" + u.Host;
    }

    private JsonObject NewJobObject(string id, string userDn, string vo, string credId, string type, string state, string sourceSe, string destSe)
    {
        var job = new JsonObject();
        foreach (var a in JobAttributes)
        {
            job[a] = null;
        }

        job["job_id"] = id;
        job["job_state"] = state;
        job["job_type"] = type;
        job["cancel_job"] = false;
        job["source_se"] = sourceSe;
        job["dest_se"] = destSe;
        job["submit_host"] = "fts-peer.localhost";
        job["user_dn"] = userDn;
        job["cred_id"] = credId;
        job["vo_name"] = vo;
        job["reason"] = null;
        job["submit_time"] = Timestamp(DateTime.UtcNow);
        job["priority"] = 3;
        job["dst_file_report"] = false;
        job["overwrite_flag"] = "N";
        job["verify_checksum"] = "n";
        job["copy_pin_lifetime"] = -1;
        job["bring_online"] = -1;
        job["archive_timeout"] = -1;
        job["retry"] = 0;
        job["retry_delay"] = 0;
        job["source_spacetoken"] = string.Empty;
        job["destination_spacetoken"] = string.Empty;
        return job;
    }

    private JsonObject NewFile(string jobId, int index, string state, string src, string dst, string vo, JsonObject? spec, string? checksum, long? filesize) => new()
    {
        ["file_id"] = _nextFileId++,
        ["file_index"] = index,
        ["job_id"] = jobId,
        ["hashed_id"] = (long)(uint)(src + dst).GetHashCode(StringComparison.Ordinal) % 65535,
        ["file_state"] = state,
        ["file_state_initial"] = state,
        ["source_surl"] = src,
        ["dest_surl"] = dst,
        ["source_se"] = Se(src),
        ["dest_se"] = Se(dst),
        ["dest_surl_uuid"] = null,
        ["vo_name"] = vo,
        ["priority"] = 3,
        ["transfer_host"] = null,
        ["staging_host"] = null,
        ["reason"] = null,
        ["recoverable"] = false,
        ["filesize"] = filesize ?? 0,
        ["user_filesize"] = filesize ?? 0,
        ["checksum"] = checksum,
        ["start_time"] = null,
        ["finish_time"] = null,
        ["staging_start"] = null,
        ["staging_finished"] = null,
        ["archive_start_time"] = null,
        ["archive_finish_time"] = null,
        ["internal_file_params"] = null,
        ["pid"] = null,
        ["tx_duration"] = null,
        ["throughput"] = null,
        ["retry"] = 0,
        ["file_metadata"] = spec?["metadata"]?.DeepClone(),
        ["staging_metadata"] = spec?["staging_metadata"]?.DeepClone(),
        ["archive_metadata"] = spec?["archive_metadata"]?.DeepClone(),
        ["selection_strategy"] = (string?)spec?["selection_strategy"] ?? "auto",
        ["bringonline_token"] = null,
        ["log_file"] = null,
        ["log_debug"] = null,
        ["activity"] = (string?)spec?["activity"] ?? "default",
        ["scitag"] = spec?["scitag"]?.DeepClone(),
        ["src_token_id"] = null,
        ["dst_token_id"] = null,
    };

    // ---------------------------------------------------------------- banning (controllers/banning.py)
    private bool IsDnBanned(string dn)
    {
        lock (_lock)
        {
            return _bannedDn.Any(b => (string?)b["dn"] == dn);
        }
    }

    private async Task<int> Ban(HttpContext ctx, Caller c, string what, string method)
    {
        NeedConfig(c);
        if (what == "se")
        {
            switch (method)
            {
                case "GET":
                {
                    JsonArray list;
                    lock (_lock)
                    {
                        list = new JsonArray(_bannedSe.Select(b => (JsonNode?)b.DeepClone()).ToArray());
                    }

                    return await Json(ctx, list);
                }

                case "POST":
                {
                    // Exact comparison: "application/json; charset=utf-8" falls back to form/query parsing.
                    var input = await InputAsDict(ctx, exactJson: true);
                    var storage = (string?)(input["storage"] as JsonValue) ?? throw new PeerError(400, "Missing storage parameter");
                    var status = ((string?)(input["status"] as JsonValue) ?? "cancel").ToUpperInvariant();
                    var allowSubmit = input["allow_submit"] is JsonValue av && (av.TryGetValue<bool>(out var ab) ? ab : string.Equals((string?)av, "true", StringComparison.OrdinalIgnoreCase));
                    if (status is not ("CANCEL" or "WAIT"))
                    {
                        throw new PeerError(400, "status can only be cancel or wait");
                    }

                    if (status == "CANCEL" && allowSubmit)
                    {
                        throw new PeerError(400, "allow_submit and status = CANCEL can not be combined");
                    }

                    var vo = (string?)(input["vo_name"] as JsonValue);
                    var stored = status == "WAIT" && allowSubmit ? "WAIT_AS" : status;
                    JsonArray result;
                    lock (_lock)
                    {
                        _bannedSe.RemoveAll(b => (string?)b["se"] == storage);
                        _bannedSe.Add(new JsonObject { ["se"] = storage, ["message"] = (string?)(input["message"] as JsonValue), ["addition_time"] = Timestamp(DateTime.UtcNow), ["admin_dn"] = c.UserDn, ["vo"] = vo, ["status"] = stored });
                        var affected = _jobs.Where(j => !JobTerminal.Contains((string?)j["job_state"] ?? string.Empty) && (vo is null || (string?)j["vo_name"] == vo)
                            && _files[(string)j["job_id"]!].Any(f => (string?)f["source_se"] == storage || (string?)f["dest_se"] == storage)).ToList();
                        foreach (var j in affected)
                        {
                            if (status == "CANCEL")
                            {
                                CancelJob(j);
                            }
                            else
                            {
                                foreach (var f in _files[(string)j["job_id"]!].Where(f => (string?)f["file_state"] == "SUBMITTED"))
                                {
                                    f["file_state"] = "ON_HOLD";
                                }
                            }
                        }

                        result = new JsonArray(affected.Select(j => (JsonNode?)(string?)j["job_id"]).ToArray());
                    }

                    return await Json(ctx, result);
                }

                case "DELETE":
                {
                    var storage = ctx.Request.Query["storage"].ToString();
                    if (storage.Length == 0)
                    {
                        throw new PeerError(400, "Missing storage parameter");
                    }

                    lock (_lock)
                    {
                        _bannedSe.RemoveAll(b => (string?)b["se"] == storage);
                        foreach (var f in _files.Values.SelectMany(x => x).Where(f => (string?)f["file_state"] is "ON_HOLD" or "ON_HOLD_STAGING" && ((string?)f["source_se"] == storage || (string?)f["dest_se"] == storage)))
                        {
                            f["file_state"] = (string?)f["file_state"] == "ON_HOLD" ? "SUBMITTED" : "STAGING";
                        }
                    }

                    ctx.Response.StatusCode = 204;
                    return 204;
                }
            }
        }
        else if (what == "dn")
        {
            switch (method)
            {
                case "GET":
                {
                    JsonArray list;
                    lock (_lock)
                    {
                        list = new JsonArray(_bannedDn.Select(b => (JsonNode?)b.DeepClone()).ToArray());
                    }

                    return await Json(ctx, list);
                }

                case "POST":
                {
                    var input = await InputAsDict(ctx, exactJson: true);
                    var dn = (string?)(input["user_dn"] as JsonValue) ?? throw new PeerError(400, "Missing user_dn parameter");
                    if (dn == c.UserDn)
                    {
                        throw new PeerError(409, "You can not ban yourself");
                    }

                    JsonArray result;
                    lock (_lock)
                    {
                        _bannedDn.RemoveAll(b => (string?)b["dn"] == dn);
                        _bannedDn.Add(new JsonObject { ["dn"] = dn, ["message"] = (string?)(input["message"] as JsonValue), ["addition_time"] = Timestamp(DateTime.UtcNow), ["admin_dn"] = c.UserDn, ["status"] = "CANCEL" });
                        var affected = _jobs.Where(j => (string?)j["user_dn"] == dn && !JobTerminal.Contains((string?)j["job_state"] ?? string.Empty)).ToList();
                        foreach (var j in affected)
                        {
                            CancelJob(j);
                        }

                        result = new JsonArray(affected.Select(j => (JsonNode?)(string?)j["job_id"]).ToArray());
                    }

                    return await Json(ctx, result);
                }

                case "DELETE":
                {
                    var dn = ctx.Request.Query["user_dn"].ToString();
                    if (dn.Length == 0)
                    {
                        throw new PeerError(400, "Missing user_dn parameter");
                    }

                    lock (_lock)
                    {
                        _bannedDn.RemoveAll(b => (string?)b["dn"] == dn);
                    }

                    ctx.Response.StatusCode = 204;
                    return 204;
                }
            }
        }

        throw new PeerError(404, "Not Found");
    }
}
