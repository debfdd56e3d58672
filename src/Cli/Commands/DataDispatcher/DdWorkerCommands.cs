using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Spectre.Console;
using Toolkit.DataDispatcher;

namespace Toolkit.Cli;

/// <summary><c>toolkit dd worker next|done|failed|reserved|id</c> and <c>toolkit dd rse list|show|set-available</c>.</summary>
internal static class DdWorkerCommands
{
    /// <summary>Exit code of <c>worker next</c> when no file came within the timeout.</summary>
    public const int ExitTimeout = ExitCodes.WorkerTimeout;

    /// <summary>Exit code of <c>worker next</c> when the project has ended.</summary>
    public const int ExitProjectEnded = ExitCodes.ProjectEnded;

    private static readonly Option<string?> WorkerId = new("--worker-id") { Description = "Worker id (default: ./.data_dispatcher_worker_id, created if missing)" };

    public static Command Create()
    {
        var worker = new Command("worker", "Reserve and release files as a worker");
        worker.Subcommands.Add(CreateNext());
        worker.Subcommands.Add(CreateDone());
        worker.Subcommands.Add(CreateFailed());
        worker.Subcommands.Add(CreateReserved());
        worker.Subcommands.Add(CreateId());
        return worker;
    }

    private static Command CreateNext()
    {
        var id = new Argument<string>("PROJECT_ID") { Description = "Project id" };
        var timeout = new Option<string?>("--timeout", "-t") { Description = "Give up after this long without a file (seconds or 90m/2h; default: wait until the project ends)" };
        var stagger = new Option<double>("--stagger") { Description = "Random delay of up to this many seconds before the first request (default 10)", DefaultValueFactory = _ => 10 };
        var cpuSite = new Option<string?>("--cpu-site", "-c") { Description = "CPU site for replica proximity (default DEFAULT)" };
        var cmd = new Command("next", $"Reserve the next file; prints its DID (exit {ExitTimeout}: timed out, try later; exit {ExitProjectEnded}: the project has ended)") { id, timeout, stagger, cpuSite, WorkerId };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse, parse.GetValue(WorkerId));
            var result = await client.NextFileAsync(DdContext.ProjectId(parse.GetValue(id)!), new NextFileOptions
            {
                CpuSite = parse.GetValue(cpuSite),
                Timeout = parse.GetValue(timeout) is { } t ? TimeSpan.FromSeconds(Timeouts.ParseSeconds(t)) : null,
                Stagger = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(stagger))),
            }, ct).ConfigureAwait(false);
            switch (result)
            {
                case NextFileResult.Reserved r:
                    if (DdContext.IsJson(parse))
                    {
                        DdContext.WriteJson(r.Handle.WriteJson);
                    }
                    else
                    {
                        Console.WriteLine(r.Handle.Did);
                        foreach (var rep in r.Handle.ReplicasByProximity())
                        {
                            Console.WriteLine("  " + rep.Rse + " " + rep.Url + (rep.Proximity is { } p ? " proximity=" + p.ToString(CultureInfo.InvariantCulture) : string.Empty));
                        }
                    }

                    return 0;
                case NextFileResult.TimedOut:
                    Result(parse, "timeout", null);
                    return ExitTimeout;
                case NextFileResult.ProjectEnded e:
                    Result(parse, "done", e.Reason);
                    return ExitProjectEnded;
                default:
                    throw new InvalidOperationException("unexpected next_file result");
            }
        }));
        return cmd;
    }

    private static void Result(ParseResult parse, string result, string? reason)
    {
        if (!DdContext.IsJson(parse))
        {
            Console.WriteLine(result);
            return;
        }

        DdContext.WriteJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("result", result);
            if (reason is not null)
            {
                w.WriteString("reason", reason);
            }

            w.WriteEndObject();
        });
    }

    private static Command CreateDone()
    {
        var id = new Argument<string>("PROJECT_ID") { Description = "Project id" };
        var did = new Argument<string>("DID") { Description = "The file (namespace:name)" };
        var cmd = new Command("done", "Mark a reserved file done") { id, did, WorkerId };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse, parse.GetValue(WorkerId));
            var h = await client.FileDoneAsync(DdContext.ProjectId(parse.GetValue(id)!), parse.GetValue(did)!, cancellationToken: ct).ConfigureAwait(false);
            PrintHandle(parse, h);
            return 0;
        }));
        return cmd;
    }

    private static Command CreateFailed()
    {
        var id = new Argument<string>("PROJECT_ID") { Description = "Project id" };
        var did = new Argument<string>("DID") { Description = "The file (namespace:name)" };
        var final = new Option<bool>("--final", "-f") { Description = "Do not retry the file: mark it failed for good" };
        var cmd = new Command("failed", "Mark a reserved file failed (back to the queue unless --final)") { id, did, final, WorkerId };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse, parse.GetValue(WorkerId));
            var h = await client.FileFailedAsync(DdContext.ProjectId(parse.GetValue(id)!), parse.GetValue(did)!, retry: !parse.GetValue(final), cancellationToken: ct).ConfigureAwait(false);
            PrintHandle(parse, h);
            return 0;
        }));
        return cmd;
    }

    private static void PrintHandle(ParseResult parse, Handle h)
    {
        if (DdContext.IsJson(parse))
        {
            DdContext.WriteJson(h.WriteJson);
        }
        else
        {
            Console.WriteLine(h.Did + ": " + h.State.Value);
        }
    }

    private static Command CreateReserved()
    {
        var id = new Argument<string>("PROJECT_ID") { Description = "Project id" };
        var cmd = new Command("reserved", "List the files this worker holds") { id, WorkerId };
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse, parse.GetValue(WorkerId));
            var hs = await client.ReservedHandlesAsync(DdContext.ProjectId(parse.GetValue(id)!), cancellationToken: ct).ConfigureAwait(false);
            if (DdContext.IsJson(parse))
            {
                DdContext.WriteJsonList(hs, (w, h) => h.WriteJson(w));
            }
            else
            {
                foreach (var h in hs)
                {
                    Console.WriteLine(h.Did);
                }
            }

            return 0;
        }));
        return cmd;
    }

    private static Command CreateId()
    {
        var newId = new Option<bool>("--new", "-n") { Description = "Generate a new worker id (or set the given one) and store it" };
        var value = new Argument<string?>("WORKER_ID") { Description = "The id to set with --new", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("id", "Show (or set with --new) the worker id kept in ./.data_dispatcher_worker_id") { newId, value };
        cmd.SetAction((parse, ct) => DdContext.Run(() =>
        {
            using var client = DdContext.Client(parse);
            var id = parse.GetValue(newId) ? client.NewWorkerId(parse.GetValue(value)) : client.WorkerId;
            Console.WriteLine(id);
            return System.Threading.Tasks.Task.FromResult(0);
        }));
        return cmd;
    }
}

/// <summary>RSE commands.</summary>
internal static class DdRseCommands
{
    public static Command Create()
    {
        var rse = new Command("rse", "Storage elements known to Data Dispatcher");
        var list = new Command("list", "List the RSEs");
        list.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            var rses = await client.ListRsesAsync(ct).ConfigureAwait(false);
            if (DdContext.IsJson(parse))
            {
                DdContext.WriteJsonList(rses, (w, r) => r.WriteJson(w));
                return 0;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("name", "enabled", "available", "tape", "preference", "description");
            foreach (var r in rses)
            {
                table.AddRow(DdContext.Esc(r.Name), YesNo(r.IsEnabled), YesNo(r.IsAvailable), YesNo(r.IsTape), r.Preference?.ToString(CultureInfo.InvariantCulture) ?? "", DdContext.Esc(r.Description));
            }

            DdContext.Console().Write(table);
            return 0;
        }));
        rse.Subcommands.Add(list);

        var name = new Argument<string>("NAME") { Description = "RSE name" };
        var show = new Command("show", "Show one RSE") { name };
        show.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            var r = await client.GetRseAsync(parse.GetValue(name)!, ct).ConfigureAwait(false)
                ?? throw new DataDispatcherNotFoundException("RSE " + parse.GetValue(name) + " not found");
            PrintRse(parse, r);
            return 0;
        }));
        rse.Subcommands.Add(show);

        var name2 = new Argument<string>("NAME") { Description = "RSE name" };
        var value = new Argument<string>("AVAILABLE") { Description = "yes or no" };
        value.AcceptOnlyFromAmong("yes", "no");
        var set = new Command("set-available", "Mark an RSE available or unavailable (admin)") { name2, value };
        set.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            PrintRse(parse, await client.SetRseAvailabilityAsync(parse.GetValue(name2)!, parse.GetValue(value) == "yes", ct).ConfigureAwait(false));
            return 0;
        }));
        rse.Subcommands.Add(set);
        return rse;
    }

    private static string YesNo(bool? b) => b is null ? "" : b.Value ? "yes" : "no";

    private static void PrintRse(ParseResult parse, Rse r)
    {
        if (DdContext.IsJson(parse))
        {
            DdContext.WriteJson(r.WriteJson);
            return;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Name", DdContext.Esc(r.Name));
        grid.AddRow("Description", DdContext.Esc(r.Description));
        grid.AddRow("Enabled", YesNo(r.IsEnabled));
        grid.AddRow("Available", YesNo(r.IsAvailable));
        grid.AddRow("Tape", YesNo(r.IsTape));
        grid.AddRow("Preference", r.Preference?.ToString(CultureInfo.InvariantCulture) ?? "");
        grid.AddRow("Type", DdContext.Esc(r.Type));
        DdContext.Console().Write(grid);
    }
}
