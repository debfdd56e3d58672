using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Toolkit.Peers.Unicore;

public sealed partial class UnicorePeer
{
    /// <summary>Applications the peer's IDB knows: name/version → command line.</summary>
    private static readonly Dictionary<string, string> Applications = new(StringComparer.Ordinal) { ["Date/1.0"] = "date", ["Bash shell/5.0"] = "/bin/sh" };

    private static readonly HashSet<string> JobKeys = new(StringComparer.Ordinal)
    {
        "Name", "Executable", "ApplicationName", "ApplicationVersion", "Arguments", "Environment", "Parameters", "Imports", "Exports", "Stdin", "Stdout", "Stderr",
        "Resources", "Project", "Job type", "Login node", "BSS file", "User precommand", "User postcommand", "Umask", "Notification", "Tags", "haveClientStageIn",
        "RunUserPrecommandOnLoginNode", "UserPrecommandIgnoreNonZeroExitCode", "RunUserPostcommandOnLoginNode", "UserPostcommandIgnoreNonZeroExitCode",
    };

    private readonly ConcurrentDictionary<string, PeerJob> _jobs = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> JobIds => _jobs.Keys.ToList();

    internal static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + t.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal);

    private string U(string relative) => new Uri(BaseUrl, SitePrefix + "/" + relative).ToString();

    private async Task SiteRouteAsync(HttpContext ctx, Caller caller, string rest)
    {
        var seg = rest.Length == 0 ? Array.Empty<string>() : rest.Split('/');
        var method = ctx.Request.Method;
        switch (seg)
        {
            case [] when method == "GET":
                await WriteJsonAsync(ctx, SiteInfo(caller));
                return;
            case ["jobs"] when method == "GET":
                await ListJobsAsync(ctx, RequireUser(caller));
                return;
            case ["jobs"] when method == "POST":
                await SubmitAsync(ctx, RequireUser(caller), await ReadJsonAsync(ctx));
                return;
            case ["jobs", var id] when method == "GET":
                await WriteJsonAsync(ctx, Filter(JobFor(id, caller).Properties(this), ctx));
                return;
            case ["jobs", var id] when method == "DELETE":
                {
                    var job = JobFor(id, caller);
                    job.Kill();
                    _jobs.TryRemove(id, out _);
                    TryDelete(job.Dir);
                    ctx.Response.StatusCode = 204;
                    return;
                }

            case ["jobs", var id, "details"] when method == "GET":
                await WriteJsonAsync(ctx, new JsonObject { ["bssID"] = JobFor(id, caller).Pid.ToString(CultureInfo.InvariantCulture), ["queue"] = "local" });
                return;
            case ["jobs", var id, "actions", var action] when method == "POST":
                await JobActionAsync(ctx, JobFor(id, caller), action);
                return;
            case ["storages", ..] or ["transfers", ..]:
                await StorageRouteAsync(ctx, caller, seg);
                return;
            default:
                throw new HttpError(seg.Length > 0 && seg[0] is "jobs" or "storages" or "transfers" ? 405 : 404, "No such resource or method: " + method + " " + SitePrefix + "/" + rest);
        }
    }

    private JsonObject SiteInfo(Caller caller)
    {
        var client = new JsonObject
        {
            ["dn"] = caller.Dn,
            ["role"] = new JsonObject { ["selected"] = caller.Role, ["availableRoles"] = new JsonArray(caller.IsAnonymous ? "anonymous" : "user") },
        };
        if (!caller.IsAnonymous)
        {
            client["xlogin"] = new JsonObject { ["UID"] = caller.Uid, ["availableUIDs"] = new JsonArray(caller.User, "nobody"), ["group"] = caller.Group, ["availableGroups"] = new JsonArray("users", "hpc") };
        }

        return new JsonObject
        {
            ["client"] = client,
            ["server"] = new JsonObject { ["dn"] = "CN=UNICOREX,O=UNICORE,C=EU", ["version"] = "10.1.0-peer" },
            ["_links"] = Links(("self", U(string.Empty).TrimEnd('/')), ("jobs", U("jobs")), ("storages", U("storages")), ("transfers", U("transfers")), ("factories", U("factories"))),
        };
    }

    private static JsonNode Filter(JsonObject props, HttpContext ctx)
    {
        var fields = ctx.Request.Query["fields"].ToString();
        if (fields.Length == 0)
        {
            return props;
        }

        var wanted = fields.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var o = new JsonObject();
        foreach (var (k, v) in props)
        {
            if (wanted.Contains(k))
            {
                o[k] = v?.DeepClone();
            }
        }

        return o;
    }

    private PeerJob JobFor(string id, Caller caller)
    {
        var user = RequireUser(caller);
        if (!_jobs.TryGetValue(id, out var job))
        {
            throw new HttpError(404, "Job '" + id + "' not found");
        }

        if (job.Owner != user)
        {
            throw new HttpError(403, "Access denied: job '" + id + "' belongs to another user");
        }

        return job;
    }

    private async Task ListJobsAsync(HttpContext ctx, string user)
    {
        var all = _jobs.Values.Where(j => j.Owner == user).OrderBy(j => j.Created).ToList();
        var tags = ctx.Request.Query["tags"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (tags.Length > 0)
        {
            all = all.Where(j => tags.All(j.Tags.Contains)).ToList();
        }

        int offset = int.TryParse(ctx.Request.Query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        int num = int.TryParse(ctx.Request.Query["num"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 200;
        var page = all.Skip(offset).Take(num).Select(j => (JsonNode?)U("jobs/" + j.Id)).ToArray();
        var links = Links(("self", U("jobs")));
        if (offset + num < all.Count)
        {
            links["next"] = new JsonObject { ["href"] = U("jobs") + "?offset=" + (offset + num) + "&num=" + num };
        }

        if (offset > 0)
        {
            links["previous"] = new JsonObject { ["href"] = U("jobs") + "?offset=" + Math.Max(0, offset - num) + "&num=" + num };
        }

        await WriteJsonAsync(ctx, new JsonObject { ["jobs"] = new JsonArray(page), ["_links"] = links });
    }

    private async Task SubmitAsync(HttpContext ctx, string user, JsonNode body)
    {
        if (body is not JsonObject d)
        {
            throw new HttpError(400, "A job description must be a JSON object");
        }

        foreach (var (k, _) in d)
        {
            if (!JobKeys.Contains(k))
            {
                throw new HttpError(400, "Invalid job description: unknown element '" + k + "'");
            }
        }

        string command = Command(d);
        var job = new PeerJob(Guid.NewGuid().ToString(), user, Path.Combine(Root, "jobs"), d, command);
        Directory.CreateDirectory(job.Dir);
        _jobs[job.Id] = job;
        StageIn(job, d);
        if (Str(d, "haveClientStageIn") == "true")
        {
            job.Set("READY", "Waiting for the client to start the job (client stage-in)");
        }
        else
        {
            job.Start();
        }

        ctx.Response.Headers.Location = U("jobs/" + job.Id);
        ctx.Response.StatusCode = 201;
        await Task.CompletedTask;
    }

    private static string Command(JsonObject d)
    {
        string? exe = Str(d, "Executable");
        if (exe is null && Str(d, "ApplicationName") is { } app)
        {
            var key = Applications.Keys.FirstOrDefault(k => k.StartsWith(app + "/", StringComparison.Ordinal) && (Str(d, "ApplicationVersion") is not { } v || k == app + "/" + v));
            exe = key is null ? throw new HttpError(400, "Invalid job description: no application '" + app + "' (version " + (Str(d, "ApplicationVersion") ?? "any") + ") on this site") : Applications[key];
        }

        if (exe is null)
        {
            throw new HttpError(400, "Invalid job description: neither 'Executable' nor 'ApplicationName' is given");
        }

        var args = d["Arguments"] switch
        {
            null => new List<string>(),
            JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new HttpError(400, "Invalid job description: 'Arguments' must be a list of strings")).ToList(),
            _ => throw new HttpError(400, "Invalid job description: 'Arguments' must be a list"),
        };
        return string.Join(" ", args.Prepend(exe));
    }

    internal static string? Str(JsonObject o, string key) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        _ => throw new HttpError(400, "Invalid job description: '" + key + "' must be a string"),
    };

    private static void StageIn(PeerJob job, JsonObject d)
    {
        if (d["Imports"] is not JsonArray imports)
        {
            return;
        }

        foreach (var imp in imports.OfType<JsonObject>())
        {
            var to = Str(imp, "To") ?? throw new HttpError(400, "Invalid job description: an import without 'To'");
            var from = Str(imp, "From") ?? throw new HttpError(400, "Invalid job description: an import without 'From'");
            var target = SafePath(job.Dir, to);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (from.StartsWith("inline://", StringComparison.Ordinal))
            {
                File.WriteAllText(target, imp["Data"] is JsonArray lines ? string.Join("\n", lines.Select(l => l?.GetValue<string>())) : Str(imp, "Data") ?? string.Empty);
            }
            else
            {
                throw new HttpError(400, "Invalid job description: the peer stages in only inline:// data, not '" + from + "'");
            }
        }
    }

    private async Task JobActionAsync(HttpContext ctx, PeerJob job, string action)
    {
        await ReadJsonAsync(ctx);
        switch (action)
        {
            case "start" when job.Status == "READY":
                job.Start();
                break;
            case "start":
                throw new HttpError(409, "Job is not waiting for a start (status " + job.Status + ")");
            case "abort":
                job.Abort();
                break;
            case "restart" when job.IsFinal:
                job.Start();
                break;
            case "restart":
                throw new HttpError(409, "Job can only be restarted when it is finished (status " + job.Status + ")");
            default:
                throw new HttpError(404, "No such action: " + action);
        }

        await WriteJsonAsync(ctx, new JsonObject());
    }

    internal static string SafePath(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative.TrimStart('/')));
        var rootFull = Path.GetFullPath(root);
        if (full != rootFull && !full.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new HttpError(403, "Access denied: '" + relative + "' is outside the storage");
        }

        return full;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
