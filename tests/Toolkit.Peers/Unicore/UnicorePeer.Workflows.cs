using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Toolkit.Peers.Unicore;

public sealed partial class UnicorePeer
{
    private readonly ConcurrentDictionary<string, PeerWorkflow> _workflows = new(StringComparer.Ordinal);

    private string W(string relative) => new Uri(BaseUrl, WorkflowPrefix + (relative.Length > 0 ? "/" + relative : string.Empty)).ToString();

    /// <summary>
    /// The workflow service: a description with <c>activities</c> (START, JOB with a <c>job</c> description, HOLD)
    /// and <c>transitions</c> (from → to, run in order from START). HOLD waits for <c>actions/continue</c>.
    /// </summary>
    private async Task WorkflowRouteAsync(HttpContext ctx, Caller caller, string rest)
    {
        var user = RequireUser(caller);
        var seg = rest.Length == 0 ? Array.Empty<string>() : rest.Split('/');
        var method = ctx.Request.Method;
        switch (seg)
        {
            case [] when method == "GET":
                await WriteJsonAsync(ctx, new JsonObject
                {
                    ["workflows"] = new JsonArray(_workflows.Values.Where(w => w.Owner == user).OrderBy(w => w.Created).Select(w => (JsonNode?)W(w.Id)).ToArray()),
                    ["_links"] = Links(("self", W(string.Empty))),
                });
                return;
            case [] when method == "POST":
                {
                    var body = await ReadJsonAsync(ctx) as JsonObject ?? throw new HttpError(400, "A workflow description must be a JSON object");
                    var steps = Plan(body, out var errors);
                    if (errors.Count > 0)
                    {
                        ctx.Response.StatusCode = 400;
                        await WriteJsonAsync(ctx, new JsonObject { ["errorMessage"] = "Workflow description is invalid: " + string.Join("; ", errors), ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)e).ToArray()), ["status"] = 400 }, 400);
                        return;
                    }

                    var wf = new PeerWorkflow(Guid.NewGuid().ToString(), user, Str(body, "name") ?? "UNICORE_Workflow", steps);
                    _workflows[wf.Id] = wf;
                    wf.Run = Task.Run(() => RunWorkflowAsync(wf));
                    ctx.Response.Headers.Location = W(wf.Id);
                    ctx.Response.StatusCode = 201;
                    return;
                }

            case [var id, ..] when !_workflows.TryGetValue(id, out var w) || w.Owner != user:
                throw new HttpError(404, "Workflow '" + seg[0] + "' not found");
            case [var id] when method == "GET":
                await WriteJsonAsync(ctx, _workflows[id].Properties(this));
                return;
            case [var id] when method == "DELETE":
                _workflows[id].Cancel.Cancel();
                _workflows.TryRemove(id, out _);
                ctx.Response.StatusCode = 204;
                return;
            case [var id, "jobs"] when method == "GET":
                await WriteJsonAsync(ctx, new JsonObject { ["jobs"] = new JsonArray(_workflows[id].Jobs.Select(j => (JsonNode?)U("jobs/" + j)).ToArray()), ["_links"] = Links(("self", W(id + "/jobs"))) });
                return;
            case [var id, "actions", "abort"] when method == "POST":
                await ReadJsonAsync(ctx);
                // Like the real server, the action has taken effect when the reply comes: the next GET says ABORTED.
                _workflows[id].Set("ABORTED", "Aborted by the user");
                _workflows[id].Cancel.Cancel();
                await WriteJsonAsync(ctx, new JsonObject());
                return;
            case [var id, "actions", "continue" or "resume"] when method == "POST":
                {
                    var wf = _workflows[id];
                    var vars = await ReadJsonAsync(ctx) as JsonObject ?? new JsonObject();
                    if (wf.Status != "HELD")
                    {
                        throw new HttpError(409, "Workflow is not held (status " + wf.Status + ")");
                    }

                    foreach (var (k, v) in vars)
                    {
                        wf.Variables[k] = v?.ToString() ?? string.Empty;
                    }

                    // The status leaves HELD before the reply, so a client that polls right after resuming never sees the old HELD.
                    if (!wf.Set("RUNNING", string.Empty, onlyFrom: "HELD"))
                    {
                        throw new HttpError(409, "Workflow is not held (status " + wf.Status + ")");
                    }

                    wf.Resume.Release();
                    await WriteJsonAsync(ctx, new JsonObject());
                    return;
                }

            default:
                throw new HttpError(404, "No such resource or method: " + method + " " + WorkflowPrefix + "/" + rest);
        }
    }

    private static List<(string Id, string Type, JsonObject? Job)> Plan(JsonObject body, out List<string> errors)
    {
        errors = new List<string>();
        var result = new List<(string, string, JsonObject?)>();
        if (body["activities"] is not JsonArray activities)
        {
            errors.Add("'activities' must be a list");
            return result;
        }

        var byId = new Dictionary<string, (string Type, JsonObject? Job)>(StringComparer.Ordinal);
        foreach (var a in activities)
        {
            if (a is not JsonObject o || Str(o, "id") is not { } id)
            {
                errors.Add("every activity needs an 'id'");
                continue;
            }

            var type = Str(o, "type") ?? "JOB";
            if (type is not ("START" or "JOB" or "HOLD"))
            {
                errors.Add("activity '" + id + "': unknown type '" + type + "'");
            }
            else if (type == "JOB" && o["job"] is not JsonObject)
            {
                errors.Add("activity '" + id + "': a JOB activity needs a 'job' object");
            }

            if (!byId.TryAdd(id, (type, o["job"] as JsonObject)))
            {
                errors.Add("activity '" + id + "' is defined twice");
            }
        }

        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in (body["transitions"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
        {
            if (Str(t, "from") is not { } from || Str(t, "to") is not { } to || !byId.ContainsKey(from) || !byId.ContainsKey(to))
            {
                errors.Add("a transition must name two defined activities ('from', 'to')");
                continue;
            }

            next[from] = to;
        }

        var order = next.Count == 0 ? byId.Keys.ToList() : new List<string>();
        if (next.Count > 0)
        {
            var start = byId.Keys.FirstOrDefault(k => !next.ContainsValue(k)) ?? byId.Keys.First();
            for (var cur = start; cur is not null && order.Count <= byId.Count; cur = next.GetValueOrDefault(cur))
            {
                order.Add(cur);
            }
        }

        result.AddRange(order.Select(id => (id, byId[id].Type, byId[id].Job)));
        return result;
    }

    private async Task RunWorkflowAsync(PeerWorkflow wf)
    {
        var ct = wf.Cancel.Token;
        try
        {
            foreach (var (id, type, job) in wf.Steps)
            {
                ct.ThrowIfCancellationRequested();
                if (type == "HOLD")
                {
                    wf.Set("HELD", "Held at activity '" + id + "'");
                    await wf.Resume.WaitAsync(ct);
                    wf.Set("RUNNING", string.Empty);
                }
                else if (type == "JOB")
                {
                    var desc = (JsonObject)job!.DeepClone();
                    var pj = new PeerJob(Guid.NewGuid().ToString(), wf.Owner, Path.Combine(Root, "jobs"), desc, Command(desc));
                    Directory.CreateDirectory(pj.Dir);
                    _jobs[pj.Id] = pj;
                    wf.Jobs.Add(pj.Id);
                    StageIn(pj, desc);
                    pj.Start();
                    using (ct.Register(pj.Abort))
                    {
                        await pj.Finished.WaitAsync(ct);
                    }

                    if (pj.ExitCode != 0)
                    {
                        wf.Set("FAILED", "Activity '" + id + "' failed: job exit code " + pj.ExitCode);
                        return;
                    }
                }
            }

            wf.Set("SUCCESSFUL", string.Empty);
        }
        catch (OperationCanceledException)
        {
            wf.Set("ABORTED", "Aborted by the user");
        }
        catch (HttpError e)
        {
            wf.Set("FAILED", e.Message);
        }
    }

    private sealed class PeerWorkflow(string id, string owner, string name, List<(string Id, string Type, JsonObject? Job)> steps)
    {
        public string Id => id;

        public string Owner => owner;

        public DateTimeOffset Created { get; } = DateTimeOffset.Now;

        public List<(string Id, string Type, JsonObject? Job)> Steps => steps;

        public ConcurrentBag<string> Jobs { get; } = new();

        public ConcurrentDictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

        public SemaphoreSlim Resume { get; } = new(0);

        public CancellationTokenSource Cancel { get; } = new();

        public Task Run { get; set; } = Task.CompletedTask;

        public string Status { get; private set; } = "RUNNING";

        public string StatusMessage { get; private set; } = string.Empty;

        private readonly object _gate = new();

        /// <summary>Moves to <paramref name="status"/> unless the workflow already ended (a final state never changes).</summary>
        public bool Set(string status, string message, string? onlyFrom = null)
        {
            lock (_gate)
            {
                if (Status is "SUCCESSFUL" or "FAILED" or "ABORTED" || (onlyFrom is not null && Status != onlyFrom))
                {
                    return false;
                }

                Status = status;
                StatusMessage = message;
                return true;
            }
        }

        public JsonObject Properties(UnicorePeer peer)
        {
            var self = peer.W(Id);
            var vars = new JsonObject();
            foreach (var (k, v) in Variables)
            {
                vars[k] = v;
            }

            return new JsonObject
            {
                ["status"] = Status,
                ["statusMessage"] = StatusMessage,
                ["name"] = name,
                ["submissionTime"] = Time(Created),
                ["parameters"] = vars,
                ["tags"] = new JsonArray(),
                ["_links"] = Links(("self", self), ("jobs", self + "/jobs"), ("action:continue", self + "/actions/continue"), ("action:abort", self + "/actions/abort")),
            };
        }
    }
}
