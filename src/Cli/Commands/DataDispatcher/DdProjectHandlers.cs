using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using Toolkit.DataDispatcher;
using Toolkit.Runtime.Json;

namespace Toolkit.Cli;

/// <summary>The <c>toolkit dd project</c> commands as methods over typed options.</summary>
internal static class DdProjectHandlers
{
    /// <summary><c>dd project create</c>: prints the new project's id.</summary>
    public static Task<int> CreateAsync(DdProjectCreateOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        var names = new List<string>();
        if (o.FileList is { } list)
        {
            var lines = list == "-" ? ReadAllLines(console.In) : File.ReadAllLines(list);
            names.AddRange(lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        }

        names.AddRange(o.Dids);
        if (names.Count == 0)
        {
            throw new FormatException("no files: give DIDs or --file-list");
        }

        var idle = o.IdleTimeout;
        var request = new CreateProjectRequest
        {
            Files = names.Select(FileSpec.FromDid).ToList(),
            ProjectAttributes = DdContext.Attributes(o.Attributes),
            CommonAttributes = DdContext.Attributes(o.FileAttributes),
            Query = o.Query,
            WorkerTimeout = o.WorkerTimeout is { } wt && wt is not ("none" or "None") ? TimeSpan.FromSeconds(Timeouts.ParseSeconds(wt)) : null,
            IdleTimeout = idle is null ? DataDispatcherClient.DefaultIdleTimeout : idle is "none" or "None" ? null : TimeSpan.FromSeconds(Timeouts.ParseSeconds(idle)),
            Users = o.Users?.ToArray() ?? [],
        };
        using var client = DdContext.Client(o.Global);
        var p = await client.CreateProjectAsync(request, ct).ConfigureAwait(false);
        if (o.Global.Json)
        {
            DdContext.WriteJson(console, p.WriteJson);
        }
        else
        {
            console.Out.WriteLine(p.ProjectId.ToString(CultureInfo.InvariantCulture));
        }

        return ExitCodes.Ok;
    });

    private static string[] ReadAllLines(TextReader reader)
    {
        var lines = new List<string>();
        while (reader.ReadLine() is { } l)
        {
            lines.Add(l);
        }

        return lines.ToArray();
    }

    /// <summary><c>dd project show</c>, or with <c>--watch</c> its progress until the project ends.</summary>
    public static Task<int> ShowAsync(DdProjectShowOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        var pid = DdContext.ProjectId(o.ProjectId);
        using var client = DdContext.Client(o.Global);
        if (o.Watch)
        {
            return await Watch(client, pid, TimeSpan.FromSeconds(Math.Max(0.05, o.IntervalSeconds)), o.Global.Json, console, ct).ConfigureAwait(false);
        }

        var p = await client.GetProjectAsync(pid, withFiles: true, withReplicas: o.Replicas, ct).ConfigureAwait(false)
            ?? throw new DataDispatcherNotFoundException("project " + pid.ToString(CultureInfo.InvariantCulture) + " not found");
        if (o.Global.Json)
        {
            DdContext.WriteJson(console, p.WriteJson);
            return ExitCodes.Ok;
        }

        var ansi = DdContext.Ansi(console);
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Project ID", p.ProjectId.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("Owner", DdContext.Esc(p.Owner));
        grid.AddRow("State", DdContext.Esc(p.State.Value));
        grid.AddRow("Created", DdContext.Time(p.CreatedTimestamp));
        grid.AddRow("Ended", DdContext.Time(p.EndedTimestamp));
        grid.AddRow("Worker timeout", DdContext.Seconds(p.WorkerTimeout));
        grid.AddRow("Idle timeout", DdContext.Seconds(p.IdleTimeout));
        grid.AddRow("Query", DdContext.Esc(p.Query));
        grid.AddRow("Attributes", DdContext.Esc(p.Attributes?.ToString() ?? "{}"));
        ansi.Write(grid);
        DdContext.Counts(ansi, p);
        if (o.Files || o.Replicas)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("DID", "state", "worker", "attempts", "replicas");
            foreach (var h in p.FileHandles ?? [])
            {
                table.AddRow(DdContext.Esc(h.Did), DdContext.Esc(h.State.Value), DdContext.Esc(h.WorkerId), (h.Attempts ?? 0).ToString(CultureInfo.InvariantCulture),
                    DdContext.Esc(string.Join(" ", h.ReplicasByProximity().Select(r => r.Rse))));
            }

            ansi.Write(table);
        }

        return ExitCodes.Ok;
    });

    private static async Task<int> Watch(DataDispatcherClient client, long pid, TimeSpan interval, bool json, CliConsole console, CancellationToken ct)
    {
        async Task<Project> Get() => await client.GetProjectAsync(pid, withFiles: true, withReplicas: false, ct).ConfigureAwait(false)
            ?? throw new DataDispatcherNotFoundException("project " + pid.ToString(CultureInfo.InvariantCulture) + " not found");

        if (json)
        {
            // One JSON line per refresh, for scripts.
            while (true)
            {
                var p = await Get().ConfigureAwait(false);
                JsonOutput.WriteLine(console.Out, w => WatchLine(w, p));
                if (p.State != ProjectState.Active)
                {
                    return ExitCodes.Ok;
                }

                await Task.Delay(interval, ct).ConfigureAwait(false);
            }
        }

        var ansi = DdContext.Ansi(console);
        var first = await Get().ConfigureAwait(false);
        await ansi.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var total = Math.Max(1, first.FileHandles?.Count ?? 0);
                var done = ctx.AddTask("done", maxValue: total);
                var failed = ctx.AddTask("failed", maxValue: total);
                var reserved = ctx.AddTask("reserved", maxValue: total);
                var p = first;
                while (true)
                {
                    var hs = p.FileHandles ?? [];
                    done.Value = hs.Count(h => h.State == HandleState.Done);
                    failed.Value = hs.Count(h => h.State == HandleState.Failed);
                    reserved.Value = hs.Count(h => h.State == HandleState.Reserved);
                    if (p.State != ProjectState.Active)
                    {
                        break;
                    }

                    await Task.Delay(interval, ct).ConfigureAwait(false);
                    p = await Get().ConfigureAwait(false);
                }

                first = p;
            }).ConfigureAwait(false);
        ansi.MarkupLine("Project " + pid.ToString(CultureInfo.InvariantCulture) + " " + DdContext.Esc(first.State.Value));
        DdContext.Counts(ansi, first);
        return ExitCodes.Ok;
    }

    /// <summary>One line of <c>project show --watch --json</c>: the project's state and counts.</summary>
    private static void WatchLine(ApiJsonWriter w, Project p)
    {
        var hs = p.FileHandles ?? [];
        w.WriteStartObject();
        w.WritePropertyName("project_id");
        w.WriteNumberValue(p.ProjectId);
        w.WriteString("state", p.State.Value);
        w.WritePropertyName("total");
        w.WriteNumberValue(hs.Count);
        w.WritePropertyName("done");
        w.WriteNumberValue(hs.Count(h => h.State == HandleState.Done));
        w.WritePropertyName("failed");
        w.WriteNumberValue(hs.Count(h => h.State == HandleState.Failed));
        w.WritePropertyName("reserved");
        w.WriteNumberValue(hs.Count(h => h.State == HandleState.Reserved));
        w.WriteEndObject();
    }

    private static void PrintProjects(DdGlobalOptions g, CliConsole console, IReadOnlyList<Project> projects)
    {
        if (g.Json)
        {
            DdContext.WriteJsonList(console, projects, (w, p) => p.WriteJson(w));
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("id", "owner", "created", "state", "files", "done", "failed", "reserved");
        foreach (var p in projects)
        {
            var hs = p.FileHandles;
            string C(HandleState s) => hs is null ? "" : hs.Count(h => h.State == s).ToString(CultureInfo.InvariantCulture);
            table.AddRow(p.ProjectId.ToString(CultureInfo.InvariantCulture), DdContext.Esc(p.Owner), DdContext.Time(p.CreatedTimestamp), DdContext.Esc(p.State.Value),
                hs?.Count.ToString(CultureInfo.InvariantCulture) ?? "", C(HandleState.Done), C(HandleState.Failed), C(HandleState.Reserved));
        }

        DdContext.Ansi(console).Write(table);
    }

    /// <summary><c>dd project list</c>.</summary>
    public static Task<int> ListAsync(DdProjectListOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global);
        var s = o.State;
        var projects = await client.ListProjectsAsync(new ListProjectsOptions
        {
            Owner = o.Owner,
            State = s is null ? "active" : s == "all" ? null : s,
            NotState = o.NotState ?? (s is null ? "abandoned" : null),
            Attributes = DdContext.Attributes(o.Attributes),
        }, ct).ConfigureAwait(false);
        PrintProjects(o.Global, console, projects);
        return ExitCodes.Ok;
    });

    /// <summary><c>dd project search</c>.</summary>
    public static Task<int> SearchAsync(DdProjectSearchOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global);
        PrintProjects(o.Global, console, await client.SearchProjectsAsync(o.Query, o.Owner, o.State ?? "active", cancellationToken: ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    /// <summary><c>dd project cancel</c>.</summary>
    public static Task<int> CancelAsync(DdProjectIdOptions o, CliConsole console, CancellationToken ct)
        => Simple(o, console, (c, id) => c.CancelProjectAsync(id, ct));

    /// <summary><c>dd project activate</c>.</summary>
    public static Task<int> ActivateAsync(DdProjectIdOptions o, CliConsole console, CancellationToken ct)
        => Simple(o, console, (c, id) => c.ActivateProjectAsync(id, ct));

    private static Task<int> Simple(DdProjectIdOptions o, CliConsole console, Func<DataDispatcherClient, long, Task<Project>> call) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global);
        var p = await call(client, DdContext.ProjectId(o.ProjectId)).ConfigureAwait(false);
        if (o.Global.Json)
        {
            DdContext.WriteJson(console, p.WriteJson);
        }
        else
        {
            console.Out.WriteLine("Project " + p.ProjectId.ToString(CultureInfo.InvariantCulture) + ": " + DdContext.Plain(p.State.Value));
        }

        return ExitCodes.Ok;
    });

    /// <summary><c>dd project copy</c>: prints the new project's id.</summary>
    public static Task<int> CopyAsync(DdProjectCopyOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global);
        var p = await client.CopyProjectAsync(new CopyProjectRequest
        {
            ProjectId = DdContext.ProjectId(o.ProjectId),
            ProjectAttributes = DdContext.Attributes(o.Attributes),
            CommonAttributes = DdContext.Attributes(o.FileAttributes),
            WorkerTimeout = CopyTimeout.Parse(o.WorkerTimeout),
            IdleTimeout = CopyTimeout.Parse(o.IdleTimeout),
        }, ct).ConfigureAwait(false);
        if (o.Global.Json)
        {
            DdContext.WriteJson(console, p.WriteJson);
        }
        else
        {
            console.Out.WriteLine(p.ProjectId.ToString(CultureInfo.InvariantCulture));
        }

        return ExitCodes.Ok;
    });

    /// <summary><c>dd project restart</c>.</summary>
    public static Task<int> RestartAsync(DdProjectRestartOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        var list = o.Dids ?? [];
        if (list.Count == 0 && !o.Done && !o.Failed && !o.Reserved && !o.All)
        {
            throw new FormatException("nothing to restart: give --done, --failed, --reserved, --all or DIDs");
        }

        using var client = DdContext.Client(o.Global);
        var p = await client.RestartHandlesAsync(DdContext.ProjectId(o.ProjectId), o.Done, o.Failed, o.Reserved, o.All, list.ToArray(), ct).ConfigureAwait(false);
        if (o.Global.Json)
        {
            DdContext.WriteJson(console, p.WriteJson);
        }
        else
        {
            console.Out.WriteLine("Project " + p.ProjectId.ToString(CultureInfo.InvariantCulture) + ": " + DdContext.Plain(p.State.Value));
            DdContext.Counts(DdContext.Ansi(console), p);
        }

        return ExitCodes.Ok;
    });
}
