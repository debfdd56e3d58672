using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Toolkit.Peers.DataDispatcher;

public sealed partial class DataDispatcherPeer
{
    private async Task DataRouteAsync(HttpContext ctx, string route)
    {
        switch (route)
        {
            case "version":
                await Text(ctx, 200, Version);
                return;
            case "probe":
                await Text(ctx, 200, "OK");
                return;
            case "create_project":
                await CreateProjectAsync(ctx);
                return;
            case "copy_project":
                await CopyProjectAsync(ctx);
                return;
            case "delete_project":
            {
                var u = RequireUser(ctx);
                lock (_db)
                {
                    var p = FindProject(ProjectIdParam(ctx));
                    RequireOwner(u, p);
                    _projects.Remove(p.Id);
                }

                await Json(ctx, w => w.WriteNullValue());
                return;
            }

            case "cancel_project":
            case "activate_project":
            {
                var u = RequireUser(ctx);
                PeerProject p;
                lock (_db)
                {
                    p = FindProject(ProjectIdParam(ctx));
                    RequireOwner(u, p);
                    if (route == "cancel_project")
                    {
                        p.State = "cancelled";
                        p.Ended = Now;
                    }
                    else
                    {
                        p.State = "active";
                        p.Ended = null;
                    }
                }

                await WriteProjectAsync(ctx, p, true, route == "cancel_project");
                return;
            }

            case "restart_handles":
                await RestartHandlesAsync(ctx);
                return;
            case "project":
            {
                PeerProject p;
                lock (_db)
                {
                    p = FindProject(ProjectIdParam(ctx));
                }

                await WriteProjectAsync(ctx, p, Yes(Q(ctx, "with_files"), true), Yes(Q(ctx, "with_replicas"), true));
                return;
            }

            case "projects":
                await ListProjectsAsync(ctx);
                return;
            case "search_projects":
                await SearchProjectsAsync(ctx);
                return;
            case "next_file":
                await NextFileAsync(ctx);
                return;
            case "release":
                await ReleaseAsync(ctx);
                return;
            case "handles":
            {
                List<PeerHandle> list;
                lock (_db)
                {
                    var p = FindProject(ProjectIdParam(ctx));
                    var state = Q(ctx, "state");
                    var notState = Q(ctx, "not_state");
                    list = p.Handles.Where(h => (state is null || h.State == state) && (notState is null || h.State != notState)).ToList();
                }

                var withReplicas = Yes(Q(ctx, "with_replicas"), false);
                await Json(ctx, w =>
                {
                    w.WriteStartArray();
                    lock (_db)
                    {
                        foreach (var h in list)
                        {
                            WriteHandle(w, ProjectIdParam(ctx), h, withReplicas, null);
                        }
                    }

                    w.WriteEndArray();
                });
                return;
            }

            case "rses":
                await Json(ctx, w =>
                {
                    w.WriteStartArray();
                    lock (_db)
                    {
                        foreach (var r in _rses.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
                        {
                            WriteRse(w, r);
                        }
                    }

                    w.WriteEndArray();
                });
                return;
            case "get_rse":
            {
                PeerRse r;
                lock (_db)
                {
                    r = _rses.TryGetValue(Required(ctx, "name"), out var x) ? x : throw new HttpError(404, "RSE not found");
                }

                await Json(ctx, w => WriteRse(w, r));
                return;
            }

            case "set_rse_availability":
            {
                var u = RequireUser(ctx);
                if (!u.IsAdmin)
                {
                    throw new HttpError(403, "Not authorized");
                }

                PeerRse r;
                lock (_db)
                {
                    r = _rses.TryGetValue(Required(ctx, "name"), out var x) ? x : throw new HttpError(404, "RSE not found");
                    r.IsAvailable = Required(ctx, "available") == "yes";
                }

                await Json(ctx, w => WriteRse(w, r));
                return;
            }

            default:
                await Text(ctx, 404, "Not found");
                return;
        }
    }

    private async Task CreateProjectAsync(HttpContext ctx)
    {
        var u = RequireUser(ctx);
        var body = await BodyJson(ctx);
        var handles = new List<PeerHandle>();
        foreach (var f in body.GetProperty("files").EnumerateArray())
        {
            string ns, name, attrs = "{}";
            if (f.ValueKind == JsonValueKind.String)
            {
                var s = f.GetString()!;
                var i = s.IndexOf(':', StringComparison.Ordinal);
                if (i < 0)
                {
                    throw new HttpError(400, "Bad file specification: " + s);
                }

                (ns, name) = (s[..i], s[(i + 1)..]);
            }
            else if (f.ValueKind == JsonValueKind.Object && f.TryGetProperty("namespace", out var n) && f.TryGetProperty("name", out var nm))
            {
                (ns, name) = (n.GetString()!, nm.GetString()!);
                if (f.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object)
                {
                    attrs = a.GetRawText();
                }
            }
            else
            {
                throw new HttpError(400, "Bad file specification: " + f.GetRawText());
            }

            handles.Add(new PeerHandle { Namespace = ns, Name = name, AttributesJson = attrs, Order = System.Threading.Interlocked.Increment(ref _order) });
        }

        PeerProject p;
        lock (_db)
        {
            p = new PeerProject
            {
                Id = _nextProjectId++,
                Owner = u.Name,
                Created = Now,
                AttributesJson = body.TryGetProperty("project_attributes", out var pa) && pa.ValueKind == JsonValueKind.Object ? pa.GetRawText() : "{}",
                Query = body.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null,
                WorkerTimeout = Seconds(body, "worker_timeout", null),
                IdleTimeout = Seconds(body, "idle_timeout", null),
            };
            AddList(body, "users", p.Users);
            AddList(body, "roles", p.Roles);
            p.Handles.AddRange(handles);
            EnsureReplicas(p);
            _projects[p.Id] = p;
        }

        await WriteProjectAsync(ctx, p, true, false);
    }

    private async Task CopyProjectAsync(HttpContext ctx)
    {
        var u = RequireUser(ctx);
        var body = await BodyJson(ctx);
        PeerProject copy;
        lock (_db)
        {
            var src = FindProject(body.GetProperty("project_id").GetInt64());
            var projectAttrs = Merge(src.AttributesJson, body, "project_attributes");
            copy = new PeerProject
            {
                Id = _nextProjectId++,
                Owner = u.Name,
                Created = Now,
                AttributesJson = projectAttrs,
                Query = src.Query,
                WorkerTimeout = Seconds(body, "worker_timeout", src.WorkerTimeout),
                IdleTimeout = Seconds(body, "idle_timeout", src.IdleTimeout),
            };
            copy.Users.AddRange(src.Users);
            copy.Roles.AddRange(src.Roles);
            foreach (var h in src.Handles)
            {
                copy.Handles.Add(new PeerHandle { Namespace = h.Namespace, Name = h.Name, AttributesJson = Merge(h.AttributesJson, body, "file_attributes"), Order = System.Threading.Interlocked.Increment(ref _order) });
            }

            _projects[copy.Id] = copy;
        }

        await WriteProjectAsync(ctx, copy, true, false);
    }

    private async Task RestartHandlesAsync(HttpContext ctx)
    {
        var u = RequireUser(ctx);
        var body = await BodyJson(ctx);
        PeerProject p;
        lock (_db)
        {
            p = FindProject(body.GetProperty("project_id").GetInt64());
            RequireOwner(u, p);
            IEnumerable<PeerHandle> selected;
            if (body.TryGetProperty("handles", out var hs) && hs.ValueKind == JsonValueKind.Array)
            {
                var dids = hs.EnumerateArray().Select(x => x.GetString()).ToHashSet(StringComparer.Ordinal);
                selected = p.Handles.Where(h => dids.Contains(h.Did));
            }
            else
            {
                var states = new[] { "done", "failed", "reserved", "initial" }
                    .Where(s => body.TryGetProperty(s, out var v) && v.ValueKind == JsonValueKind.True).ToHashSet(StringComparer.Ordinal);
                selected = p.Handles.Where(h => states.Contains(h.State));
            }

            var any = false;
            foreach (var h in selected.ToList())
            {
                h.State = "initial";
                h.WorkerId = null;
                h.ReservedSince = null;
                any = true;
            }

            if (any && p.State != "active")
            {
                p.State = "active";
                p.Ended = null;
            }
        }

        await WriteProjectAsync(ctx, p, true, false);
    }

    private async Task ListProjectsAsync(HttpContext ctx)
    {
        var u = RequireUser(ctx);
        var owner = Q(ctx, "owner") ?? u.Name;
        var state = Q(ctx, "state");
        var notState = Q(ctx, "not_state");
        Dictionary<string, string>? attrs = null;
        if (Q(ctx, "attributes") is { Length: > 0 } a)
        {
            using var doc = JsonDocument.Parse(a);
            attrs = doc.RootElement.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetRawText(), StringComparer.Ordinal);
        }

        List<PeerProject> list;
        lock (_db)
        {
            list = _projects.Values
                .Where(p => owner == "all" || p.Owner == owner)
                .Where(p => state is null || state == "all" || p.State == state)
                .Where(p => notState is null || p.State != notState)
                .Where(p => attrs is null || MatchesAttributes(p, attrs))
                .OrderBy(p => p.Id).ToList();
        }

        await WriteProjectsAsync(ctx, list, Yes(Q(ctx, "with_handles"), true), Yes(Q(ctx, "with_replicas"), true));
    }

    private async Task SearchProjectsAsync(HttpContext ctx)
    {
        var body = await BodyJson(ctx);
        var query = body.GetProperty("query").GetString() ?? "";
        var owner = body.TryGetProperty("owner", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        var state = body.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;

        // The MQL subset the tests use: "name = value [and name = value ...]" (values as JSON or bare words).
        var conditions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var term in query.Split(" and ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var i = term.IndexOf('=', StringComparison.Ordinal);
            if (i <= 0)
            {
                throw new HttpError(400, "Query syntax error: " + term);
            }

            var value = term[(i + 1)..].Trim();
            if (value.StartsWith('\'') && value.EndsWith('\''))
            {
                value = JsonSerializer.Serialize(value[1..^1]);
            }
            else
            {
                try
                {
                    using var doc = JsonDocument.Parse(value);
                    value = doc.RootElement.GetRawText();
                }
                catch (JsonException)
                {
                    value = JsonSerializer.Serialize(value);
                }
            }

            conditions[term[..i].Trim()] = value;
        }

        List<PeerProject> list;
        lock (_db)
        {
            list = _projects.Values
                .Where(p => owner is null || p.Owner == owner)
                .Where(p => state is null || p.State == state)
                .Where(p => MatchesAttributes(p, conditions))
                .OrderBy(p => p.Id).ToList();
        }

        var withHandles = body.TryGetProperty("with_handles", out var wh) && wh.ValueKind == JsonValueKind.True;
        var withReplicas = body.TryGetProperty("with_replicas", out var wr) && wr.ValueKind == JsonValueKind.True;
        await WriteProjectsAsync(ctx, list, withHandles, withReplicas);
    }

    private async Task NextFileAsync(HttpContext ctx)
    {
        var u = RequireUser(ctx);
        var id = ProjectIdParam(ctx);
        var workerId = Required(ctx, "worker_id");
        var cpuSite = Q(ctx, "cpu_site") ?? "DEFAULT";
        PeerHandle? reserved = null;
        string reason;
        bool retry;
        lock (_db)
        {
            var p = FindProject(id);
            if (!u.IsAdmin && u.Name != p.Owner && !p.Users.Contains(u.Name) && !p.Roles.Intersect(u.Roles).Any())
            {
                throw new HttpError(403, "Not authorized");
            }

            if (p.State == "abandoned")
            {
                p.State = "active";
            }

            if (p.State != "active")
            {
                throw new HttpError(400, "Inactive project. State=" + p.State);
            }

            reserved = p.Handles
                .Where(h => h.State == "initial" && (p.IsVirtual || AvailableReplicas(h).Any()))
                .OrderBy(h => h.Attempts).ThenBy(h => h.Order)
                .FirstOrDefault();
            if (reserved is not null)
            {
                reserved.State = "reserved";
                reserved.WorkerId = workerId;
                reserved.Attempts++;
                reserved.ReservedSince = Now;
                (reason, retry) = ("reserved", false);
            }
            else if (p.Handles.All(h => h.State is "done" or "failed"))
            {
                (reason, retry) = ("project inactive", false);
            }
            else
            {
                (reason, retry) = ("retry", true);
            }
        }

        await Json(ctx, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("handle");
            if (reserved is null)
            {
                w.WriteNullValue();
            }
            else
            {
                lock (_db)
                {
                    WriteHandle(w, id, reserved, true, cpuSite, _projects[id].AttributesJson, availableOnly: !_projects[id].IsVirtual, noReplicas: _projects[id].IsVirtual);
                }
            }

            w.WriteString("reason", reason);
            w.WriteBoolean("retry", retry);
            w.WriteEndObject();
        });
    }

    private async Task ReleaseAsync(HttpContext ctx)
    {
        var u = RequireUser(ctx);
        var handleId = Required(ctx, "handle_id");
        var failed = Required(ctx, "failed") == "yes";
        var retry = Yes(Q(ctx, "retry"), true);
        var workerId = Required(ctx, "worker_id");
        var parts = handleId.Split(':', 3);
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
        {
            throw new HttpError(400, "Invalid handle_id");
        }

        PeerHandle h;
        lock (_db)
        {
            var p = FindProject(id);
            RequireOwner(u, p);
            h = p.Handles.FirstOrDefault(x => x.Namespace == parts[1] && x.Name == parts[2]) ?? throw new HttpError(404, "Handle not found or was not reserved");
            if (h.WorkerId != workerId)
            {
                throw new HttpError(403, "Not authorized: wrong worker_id");
            }

            if (h.State != "reserved")
            {
                throw new HttpError(404, "Handle not found or was not reserved");
            }

            h.State = !failed ? "done" : retry ? "initial" : "failed";
            h.WorkerId = null;
            h.ReservedSince = null;
            Releases.Enqueue(new PeerRelease(id, h.Did, workerId, !failed ? "done" : retry ? "retry" : "failed"));
            if (p.State == "abandoned")
            {
                p.State = "active";
            }

            if (p.State == "active" && p.Handles.All(x => x.State is "done" or "failed"))
            {
                p.State = p.Handles.Any(x => x.State == "failed") ? "failed" : "done";
                p.Ended = Now;
            }
        }

        await Json(ctx, w =>
        {
            lock (_db)
            {
                WriteHandle(w, id, h, false, null);
            }
        });
    }

    private static double? Seconds(JsonElement body, string name, double? inherit)
    {
        if (!body.TryGetProperty(name, out var v))
        {
            return inherit;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when v.GetString() == "no timeout" => null,
            JsonValueKind.String when v.GetString() == "default" => inherit,
            JsonValueKind.Null => inherit,
            _ => throw new HttpError(400, "Invalid " + name),
        };
    }

    private static void AddList(JsonElement body, string name, List<string> target)
    {
        if (body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array)
        {
            target.AddRange(v.EnumerateArray().Select(x => x.GetString()!));
        }
    }

    private static string Merge(string originalJson, JsonElement body, string name)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using (var doc = JsonDocument.Parse(originalJson))
        {
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                d[p.Name] = p.Value.GetRawText();
            }
        }

        if (body.TryGetProperty(name, out var over) && over.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in over.EnumerateObject())
            {
                d[p.Name] = p.Value.GetRawText();
            }
        }

        return "{" + string.Join(",", d.Select(kv => JsonSerializer.Serialize(kv.Key) + ":" + kv.Value)) + "}";
    }

    private static bool MatchesAttributes(PeerProject p, Dictionary<string, string> wanted)
    {
        using var doc = JsonDocument.Parse(p.AttributesJson);
        foreach (var kv in wanted)
        {
            if (!doc.RootElement.TryGetProperty(kv.Key, out var v))
            {
                return false;
            }

            using var w = JsonDocument.Parse(kv.Value);
            if (!JsonElement.DeepEquals(v, w.RootElement))
            {
                return false;
            }
        }

        return true;
    }

    private void EnsureReplicas(PeerProject p)
    {
        foreach (var h in p.Handles)
        {
            if (!_replicas.ContainsKey(h.Did))
            {
                _replicas[h.Did] = DefaultReplicaRses.Select(r => new PeerReplica(r, "/data/" + h.Namespace + "/" + h.Name, "root://" + r.ToLowerInvariant() + ".example.org//data/" + h.Namespace + "/" + h.Name)).ToList();
            }
        }
    }

    private IEnumerable<PeerReplica> AvailableReplicas(PeerHandle h)
        => (_replicas.TryGetValue(h.Did, out var list) ? list : [])
            .Where(r => r.Available && _rses.TryGetValue(r.Rse, out var rse) && rse.IsAvailable && rse.IsEnabled);

    /// <summary>proximity_map[cpu][rse], else the cpu map's DEFAULT, else the DEFAULT map's entries, else null.</summary>
    private int? Proximity(string cpuSite, string rse)
    {
        if (_proximity.TryGetValue(cpuSite, out var map) || _proximity.TryGetValue("DEFAULT", out map))
        {
            if (map.TryGetValue(rse, out var v) || map.TryGetValue("DEFAULT", out v))
            {
                return v;
            }
        }

        return null;
    }

    private Task WriteProjectAsync(HttpContext ctx, PeerProject p, bool withFiles, bool withReplicas)
        => Json(ctx, w =>
        {
            lock (_db)
            {
                WriteProject(w, p, withFiles, withReplicas);
            }
        });

    private Task WriteProjectsAsync(HttpContext ctx, List<PeerProject> list, bool withFiles, bool withReplicas)
        => Json(ctx, w =>
        {
            w.WriteStartArray();
            lock (_db)
            {
                foreach (var p in list)
                {
                    WriteProject(w, p, withFiles, withReplicas);
                }
            }

            w.WriteEndArray();
        });

    private void WriteProject(Utf8JsonWriter w, PeerProject p, bool withFiles, bool withReplicas)
    {
        w.WriteStartObject();
        w.WriteNumber("project_id", p.Id);
        w.WriteString("owner", p.Owner);
        w.WriteString("state", p.State);
        w.WriteNull("retry_count");
        w.WritePropertyName("attributes");
        w.WriteRawValue(p.AttributesJson);
        w.WriteNumber("created_timestamp", p.Created);
        WriteNullable(w, "ended_timestamp", p.Ended);
        w.WriteBoolean("active", p.State == "active" && !p.Handles.All(h => h.State is "done" or "failed"));
        if (p.Query is null)
        {
            w.WriteNull("query");
        }
        else
        {
            w.WriteString("query", p.Query);
        }

        WriteNullable(w, "worker_timeout", p.WorkerTimeout);
        WriteNullable(w, "idle_timeout", p.IdleTimeout);
        w.WriteStartArray("users");
        p.Users.ForEach(w.WriteStringValue);
        w.WriteEndArray();
        w.WriteStartArray("roles");
        p.Roles.ForEach(w.WriteStringValue);
        w.WriteEndArray();
        if (withFiles)
        {
            w.WriteStartArray("file_handles");
            foreach (var h in p.Handles)
            {
                WriteHandle(w, p.Id, h, withReplicas, null);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private void WriteHandle(Utf8JsonWriter w, long projectId, PeerHandle h, bool withReplicas, string? cpuSite, string? projectAttributes = null, bool availableOnly = false, bool noReplicas = false)
    {
        w.WriteStartObject();
        w.WriteNumber("project_id", projectId);
        w.WriteString("namespace", h.Namespace);
        w.WriteString("name", h.Name);
        w.WriteString("state", h.State);
        if (h.WorkerId is null)
        {
            w.WriteNull("worker_id");
        }
        else
        {
            w.WriteString("worker_id", h.WorkerId);
        }

        w.WriteNumber("attempts", h.Attempts);
        w.WritePropertyName("attributes");
        w.WriteRawValue(h.AttributesJson);
        WriteNullable(w, "reserved_since", h.ReservedSince);
        if (withReplicas)
        {
            w.WriteStartObject("replicas");
            if (!noReplicas)
            {
                var replicas = availableOnly ? AvailableReplicas(h) : (_replicas.TryGetValue(h.Did, out var l) ? l : []);
                foreach (var r in replicas)
                {
                    var rse = _rses.TryGetValue(r.Rse, out var x) ? x : null;
                    w.WriteStartObject(r.Rse);
                    w.WriteString("name", h.Name);
                    w.WriteString("namespace", h.Namespace);
                    w.WriteString("path", r.Path);
                    w.WriteString("rse", r.Rse);
                    w.WriteString("url", r.Url);
                    w.WriteStartArray("urls");
                    w.WriteStringValue(r.Url);
                    w.WriteEndArray();
                    if (cpuSite is not null)
                    {
                        var prox = Proximity(cpuSite, r.Rse);
                        WriteNullable(w, "preference", prox);
                        WriteNullable(w, "proximity", prox);
                    }
                    else
                    {
                        w.WriteNumber("preference", r.Preference);
                    }

                    w.WriteBoolean("available", r.Available);
                    w.WriteBoolean("rse_available", rse is { IsAvailable: true });
                    w.WriteEndObject();
                }
            }

            w.WriteEndObject();
        }

        if (projectAttributes is not null)
        {
            w.WritePropertyName("project_attributes");
            w.WriteRawValue(projectAttributes);
        }

        w.WriteEndObject();
    }

    private static void WriteRse(Utf8JsonWriter w, PeerRse r)
    {
        w.WriteStartObject();
        w.WriteString("name", r.Name);
        w.WriteString("description", r.Description ?? "");
        w.WriteBoolean("is_available", r.IsAvailable);
        w.WriteBoolean("is_tape", r.IsTape);
        w.WriteString("pin_url", r.PinUrl);
        w.WriteString("poll_url", r.PollUrl);
        w.WriteString("remove_prefix", r.RemovePrefix);
        w.WriteString("add_prefix", r.AddPrefix);
        w.WriteString("pin_prefix", r.PinPrefix);
        w.WriteNumber("preference", r.Preference);
        w.WriteBoolean("is_enabled", r.IsEnabled);
        w.WriteString("type", r.Type);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? v)
    {
        if (v is { } d)
        {
            w.WriteNumber(name, d);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
