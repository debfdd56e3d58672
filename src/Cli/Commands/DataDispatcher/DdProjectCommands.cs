using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using Toolkit.DataDispatcher;

namespace Toolkit.Cli;

/// <summary><c>toolkit dd project create|show|list|search|cancel|activate|copy|restart</c>.</summary>
internal static class DdProjectCommands
{
    public static Command Create()
    {
        var project = new Command("project", "Create, inspect and control projects");
        project.Subcommands.Add(CreateCreate());
        project.Subcommands.Add(CreateShow());
        project.Subcommands.Add(CreateList());
        project.Subcommands.Add(CreateSearch());
        project.Subcommands.Add(Simple("cancel", "Cancel a project", (c, id, ct) => c.CancelProjectAsync(id, ct)));
        project.Subcommands.Add(Simple("activate", "Make an abandoned project active again", (c, id, ct) => c.ActivateProjectAsync(id, ct)));
        project.Subcommands.Add(CreateCopy());
        project.Subcommands.Add(CreateRestart());
        return project;
    }

    private static Argument<string> IdArgument() => new("PROJECT_ID") { Description = "Project id" };

    private static Option<string[]> AttrOption(string name, string description) => new(name) { Description = description, AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };

    private static Command CreateCreate()
    {
        var fileList = new Option<string?>("--file-list", "-l") { Description = "File with one namespace:name per line ('-' for standard input)" };
        var attrs = AttrOption("--attr", "Project attribute NAME=VALUE (VALUE as JSON when it parses, else text); repeatable");
        var fileAttrs = AttrOption("--file-attr", "Attribute NAME=VALUE given to every file; repeatable");
        var workerTimeout = new Option<string?>("--worker-timeout", "-w") { Description = "Worker timeout: seconds or 90m, 2h, 1d (default: none)" };
        var idleTimeout = new Option<string?>("--idle-timeout", "-t") { Description = "Idle timeout: seconds or 90m, 2h, 1d, or 'none' (default: 72h)" };
        var query = new Option<string?>("--query", "-q") { Description = "The MetaCat query the files came from (informational)" };
        var users = new Option<string[]>("--user") { Description = "Another user allowed to reserve files; repeatable", Arity = ArgumentArity.ZeroOrMore };
        var dids = new Argument<string[]>("DID") { Description = "Files as namespace:name", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("create", "Create a project from a file list") { fileList, attrs, fileAttrs, workerTimeout, idleTimeout, query, users, dids };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            var names = new List<string>();
            if (parse.GetValue(fileList) is { } list)
            {
                var lines = list == "-" ? ReadAllLines(Console.In) : File.ReadAllLines(list);
                names.AddRange(lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
            }

            names.AddRange(parse.GetValue(dids) ?? []);

            if (names.Count == 0)
            {
                throw new FormatException("no files: give DIDs or --file-list");
            }

            var idle = parse.GetValue(idleTimeout);
            var request = new CreateProjectRequest
            {
                Files = names.Select(FileSpec.FromDid).ToList(),
                ProjectAttributes = DdContext.Attributes(parse.GetValue(attrs)),
                CommonAttributes = DdContext.Attributes(parse.GetValue(fileAttrs)),
                Query = parse.GetValue(query),
                WorkerTimeout = parse.GetValue(workerTimeout) is { } wt && wt is not ("none" or "None") ? TimeSpan.FromSeconds(Timeouts.ParseSeconds(wt)) : null,
                IdleTimeout = idle is null ? DataDispatcherClient.DefaultIdleTimeout : idle is "none" or "None" ? null : TimeSpan.FromSeconds(Timeouts.ParseSeconds(idle)),
                Users = parse.GetValue(users) ?? [],
            };
            using var client = DdContext.Client(parse);
            var p = await client.CreateProjectAsync(request, ct).ConfigureAwait(false);
            if (DdContext.IsJson(parse))
            {
                DdContext.WriteJson(p.WriteJson);
            }
            else
            {
                Console.WriteLine(p.ProjectId.ToString(CultureInfo.InvariantCulture));
            }

            return 0;
        }));
        return cmd;
    }

    private static string[] ReadAllLines(TextReader reader)
    {
        var lines = new List<string>();
        while (reader.ReadLine() is { } l)
        {
            lines.Add(l);
        }

        return lines.ToArray();
    }

    private static Command CreateShow()
    {
        var id = IdArgument();
        var files = new Option<bool>("--files", "-f") { Description = "List the file handles" };
        var replicas = new Option<bool>("--replicas", "-r") { Description = "List the file handles with their replicas" };
        var watch = new Option<bool>("--watch") { Description = "Show progress (done/failed/reserved of total) until the project ends" };
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes with --watch (default 5)", DefaultValueFactory = _ => 5 };
        var cmd = new Command("show", "Show a project") { id, files, replicas, watch, interval };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            var pid = DdContext.ProjectId(parse.GetValue(id)!);
            using var client = DdContext.Client(parse);
            if (parse.GetValue(watch))
            {
                return await Watch(client, pid, TimeSpan.FromSeconds(Math.Max(0.05, parse.GetValue(interval))), DdContext.IsJson(parse), ct).ConfigureAwait(false);
            }

            var p = await client.GetProjectAsync(pid, withFiles: true, withReplicas: parse.GetValue(replicas), ct).ConfigureAwait(false)
                ?? throw new Toolkit.DataDispatcher.DataDispatcherNotFoundException("project " + pid.ToString(CultureInfo.InvariantCulture) + " not found");
            if (DdContext.IsJson(parse))
            {
                DdContext.WriteJson(p.WriteJson);
                return 0;
            }

            var console = DdContext.Console();
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Project ID", p.ProjectId.ToString(CultureInfo.InvariantCulture));
            grid.AddRow("Owner", DdContext.Esc(p.Owner));
            grid.AddRow("State", DdContext.Esc(p.State.Value));
            grid.AddRow("Created", DdContext.Time(p.CreatedTimestamp));
            grid.AddRow("Ended", DdContext.Time(p.EndedTimestamp));
            grid.AddRow("Worker timeout", DdContext.Seconds(p.WorkerTimeout));
            grid.AddRow("Idle timeout", DdContext.Seconds(p.IdleTimeout));
            grid.AddRow("Query", DdContext.Esc(p.Query));
            grid.AddRow("Attributes", DdContext.Esc(p.Attributes?.GetRawText() ?? "{}"));
            console.Write(grid);
            DdContext.Counts(console, p);
            if (parse.GetValue(files) || parse.GetValue(replicas))
            {
                var table = new Table().Border(TableBorder.Simple).AddColumns("DID", "state", "worker", "attempts", "replicas");
                foreach (var h in p.FileHandles ?? [])
                {
                    table.AddRow(DdContext.Esc(h.Did), DdContext.Esc(h.State.Value), DdContext.Esc(h.WorkerId), (h.Attempts ?? 0).ToString(CultureInfo.InvariantCulture),
                        DdContext.Esc(string.Join(" ", h.ReplicasByProximity().Select(r => r.Rse))));
                }

                console.Write(table);
            }

            return 0;
        }));
        return cmd;
    }

    private static async Task<int> Watch(DataDispatcherClient client, long pid, TimeSpan interval, bool json, CancellationToken ct)
    {
        async Task<Project> Get() => await client.GetProjectAsync(pid, withFiles: true, withReplicas: false, ct).ConfigureAwait(false)
            ?? throw new Toolkit.DataDispatcher.DataDispatcherNotFoundException("project " + pid.ToString(CultureInfo.InvariantCulture) + " not found");

        if (json)
        {
            // One JSON line per refresh, for scripts.
            while (true)
            {
                var p = await Get().ConfigureAwait(false);
                var hs = p.FileHandles ?? [];
                JsonOutput.WriteLine(Console.Out, w => WatchLine(w, p, hs));
                if (p.State != ProjectState.Active)
                {
                    return 0;
                }

                await Task.Delay(interval, ct).ConfigureAwait(false);
            }
        }

        var console = DdContext.Console();
        var first = await Get().ConfigureAwait(false);
        await console.Progress()
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
        console.MarkupLine("Project " + pid.ToString(CultureInfo.InvariantCulture) + " " + DdContext.Esc(first.State.Value));
        DdContext.Counts(console, first);
        return 0;
    }

    /// <summary>One line of <c>project show --watch --json</c>: the project's state and counts.</summary>
    private static void WatchLine(Toolkit.Runtime.Json.ApiJsonWriter w, Project p, IReadOnlyList<Handle> hs)
    {
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

    private static void PrintProjects(ParseResult parse, IReadOnlyList<Project> projects)
    {
        if (DdContext.IsJson(parse))
        {
            DdContext.WriteJsonList(projects, (w, p) => p.WriteJson(w));
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

        DdContext.Console().Write(table);
    }

    private static Command CreateList()
    {
        var owner = new Option<string?>("--owner", "-u") { Description = "Owner ('all' for everyone; default: you)" };
        var state = new Option<string?>("--state", "-s") { Description = "Only this state ('all' for any; default: active)" };
        var notState = new Option<string?>("--not-state", "-n") { Description = "Exclude this state (default: abandoned)" };
        var attrs = AttrOption("--attr", "Only projects with attribute NAME=VALUE; repeatable");
        var cmd = new Command("list", "List projects") { owner, state, notState, attrs };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            var s = parse.GetValue(state);
            var projects = await client.ListProjectsAsync(new ListProjectsOptions
            {
                Owner = parse.GetValue(owner),
                State = s is null ? "active" : s == "all" ? null : s,
                NotState = parse.GetValue(notState) ?? (s is null ? "abandoned" : null),
                Attributes = DdContext.Attributes(parse.GetValue(attrs)),
            }, ct).ConfigureAwait(false);
            PrintProjects(parse, projects);
            return 0;
        }));
        return cmd;
    }

    private static Command CreateSearch()
    {
        var query = new Argument<string>("QUERY") { Description = "Query on project attributes, e.g. \"campaign = 'x' and run = 7\"" };
        var owner = new Option<string?>("--owner", "-u") { Description = "Only this owner's projects" };
        var state = new Option<string?>("--state", "-s") { Description = "Only this state ('all' for any; default: active)" };
        var cmd = new Command("search", "Search projects by attributes") { query, owner, state };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            PrintProjects(parse, await client.SearchProjectsAsync(parse.GetValue(query)!, parse.GetValue(owner), parse.GetValue(state) ?? "active", cancellationToken: ct).ConfigureAwait(false));
            return 0;
        }));
        return cmd;
    }

    private static Command Simple(string name, string description, Func<DataDispatcherClient, long, CancellationToken, Task<Project>> call)
    {
        var id = IdArgument();
        var cmd = new Command(name, description) { id };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            var p = await call(client, DdContext.ProjectId(parse.GetValue(id)!), ct).ConfigureAwait(false);
            if (DdContext.IsJson(parse))
            {
                DdContext.WriteJson(p.WriteJson);
            }
            else
            {
                Console.WriteLine("Project " + p.ProjectId.ToString(CultureInfo.InvariantCulture) + ": " + p.State.Value);
            }

            return 0;
        }));
        return cmd;
    }

    private static Command CreateCopy()
    {
        var id = IdArgument();
        var attrs = AttrOption("--attr", "Project attribute NAME=VALUE to override; repeatable");
        var fileAttrs = AttrOption("--file-attr", "File attribute NAME=VALUE to override; repeatable");
        var workerTimeout = new Option<string?>("--worker-timeout", "-w") { Description = "Seconds or 90m/2h/1d, 'none', or 'default' (the original's)" };
        var idleTimeout = new Option<string?>("--idle-timeout", "-t") { Description = "Seconds or 90m/2h/1d, 'none', or 'default' (the original's)" };
        var cmd = new Command("copy", "Create a new project with the files of an existing one") { id, attrs, fileAttrs, workerTimeout, idleTimeout };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            var p = await client.CopyProjectAsync(new CopyProjectRequest
            {
                ProjectId = DdContext.ProjectId(parse.GetValue(id)!),
                ProjectAttributes = DdContext.Attributes(parse.GetValue(attrs)),
                CommonAttributes = DdContext.Attributes(parse.GetValue(fileAttrs)),
                WorkerTimeout = CopyTimeout.Parse(parse.GetValue(workerTimeout)),
                IdleTimeout = CopyTimeout.Parse(parse.GetValue(idleTimeout)),
            }, ct).ConfigureAwait(false);
            if (DdContext.IsJson(parse))
            {
                DdContext.WriteJson(p.WriteJson);
            }
            else
            {
                Console.WriteLine(p.ProjectId.ToString(CultureInfo.InvariantCulture));
            }

            return 0;
        }));
        return cmd;
    }

    private static Command CreateRestart()
    {
        var id = IdArgument();
        var done = new Option<bool>("--done") { Description = "Restart done files" };
        var failed = new Option<bool>("--failed") { Description = "Restart failed files" };
        var reserved = new Option<bool>("--reserved") { Description = "Restart reserved files" };
        var all = new Option<bool>("--all") { Description = "Restart done, failed and reserved files" };
        var dids = new Argument<string[]>("DID") { Description = "Specific files (namespace:name)", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("restart", "Put files back to the initial state") { id, done, failed, reserved, all, dids };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            var list = parse.GetValue(dids) ?? [];
            if (list.Length == 0 && !parse.GetValue(done) && !parse.GetValue(failed) && !parse.GetValue(reserved) && !parse.GetValue(all))
            {
                throw new FormatException("nothing to restart: give --done, --failed, --reserved, --all or DIDs");
            }

            using var client = DdContext.Client(parse);
            var p = await client.RestartHandlesAsync(DdContext.ProjectId(parse.GetValue(id)!), parse.GetValue(done), parse.GetValue(failed), parse.GetValue(reserved), parse.GetValue(all), list, ct).ConfigureAwait(false);
            if (DdContext.IsJson(parse))
            {
                DdContext.WriteJson(p.WriteJson);
            }
            else
            {
                Console.WriteLine("Project " + p.ProjectId.ToString(CultureInfo.InvariantCulture) + ": " + p.State.Value);
                DdContext.Counts(DdContext.Console(), p);
            }

            return 0;
        }));
        return cmd;
    }
}
