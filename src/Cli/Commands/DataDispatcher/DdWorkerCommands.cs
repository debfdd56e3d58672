using System;
using System.CommandLine;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.DataDispatcher;

namespace Toolkit.Cli;

/// <summary><c>toolkit dd worker next|done|failed|reserved|id</c>.</summary>
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
        cmd.SetAction((parse, ct) => NextAsync(
            new DdWorkerNextOptions(DdContext.Global(parse), parse.GetValue(id)!, parse.GetValue(timeout), parse.GetValue(stagger), parse.GetValue(cpuSite), parse.GetValue(WorkerId)), CliConsole.System(), ct));
        return cmd;
    }

    /// <summary><c>dd worker next</c>: 0 with a file, <see cref="ExitTimeout"/> or <see cref="ExitProjectEnded"/> without.</summary>
    public static Task<int> NextAsync(DdWorkerNextOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global, o.WorkerId);
        var result = await client.NextFileAsync(DdContext.ProjectId(o.ProjectId), new NextFileOptions
        {
            CpuSite = o.CpuSite,
            Timeout = o.Timeout is { } t ? TimeSpan.FromSeconds(Timeouts.ParseSeconds(t)) : null,
            Stagger = TimeSpan.FromSeconds(Math.Max(0, o.StaggerSeconds)),
        }, ct).ConfigureAwait(false);
        switch (result)
        {
            case NextFileResult.Reserved r:
                if (o.Global.Json)
                {
                    DdContext.WriteJson(console, r.Handle.WriteJson);
                }
                else
                {
                    console.Out.WriteLine(DdContext.Plain(r.Handle.Did));
                    foreach (var rep in r.Handle.ReplicasByProximity())
                    {
                        console.Out.WriteLine("  " + DdContext.Plain(rep.Rse) + " " + DdContext.Plain(rep.Url) + (rep.Proximity is { } p ? " proximity=" + p.ToString(CultureInfo.InvariantCulture) : string.Empty));
                    }
                }

                return ExitCodes.Ok;
            case NextFileResult.TimedOut:
                Result(o.Global, console, "timeout", null);
                return ExitTimeout;
            case NextFileResult.ProjectEnded e:
                Result(o.Global, console, "done", e.Reason);
                return ExitProjectEnded;
            default:
                throw new InvalidOperationException("unexpected next_file result");
        }
    });

    private static void Result(DdGlobalOptions g, CliConsole console, string result, string? reason)
    {
        if (!g.Json)
        {
            console.Out.WriteLine(result);
            return;
        }

        DdContext.WriteJson(console, w =>
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
        cmd.SetAction((parse, ct) => DoneAsync(new DdWorkerFileOptions(DdContext.Global(parse), parse.GetValue(id)!, parse.GetValue(did)!, WorkerId: parse.GetValue(WorkerId)), CliConsole.System(), ct));
        return cmd;
    }

    /// <summary><c>dd worker done</c>.</summary>
    public static Task<int> DoneAsync(DdWorkerFileOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global, o.WorkerId);
        PrintHandle(o.Global, console, await client.FileDoneAsync(DdContext.ProjectId(o.ProjectId), o.Did, cancellationToken: ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    private static Command CreateFailed()
    {
        var id = new Argument<string>("PROJECT_ID") { Description = "Project id" };
        var did = new Argument<string>("DID") { Description = "The file (namespace:name)" };
        var final = new Option<bool>("--final", "-f") { Description = "Do not retry the file: mark it failed for good" };
        var cmd = new Command("failed", "Mark a reserved file failed (back to the queue unless --final)") { id, did, final, WorkerId };
        cmd.SetAction((parse, ct) => FailedAsync(new DdWorkerFileOptions(DdContext.Global(parse), parse.GetValue(id)!, parse.GetValue(did)!, parse.GetValue(final), parse.GetValue(WorkerId)), CliConsole.System(), ct));
        return cmd;
    }

    /// <summary><c>dd worker failed</c>.</summary>
    public static Task<int> FailedAsync(DdWorkerFileOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global, o.WorkerId);
        PrintHandle(o.Global, console, await client.FileFailedAsync(DdContext.ProjectId(o.ProjectId), o.Did, retry: !o.Final, cancellationToken: ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    private static void PrintHandle(DdGlobalOptions g, CliConsole console, Handle h)
    {
        if (g.Json)
        {
            DdContext.WriteJson(console, h.WriteJson);
        }
        else
        {
            console.Out.WriteLine(DdContext.Plain(h.Did) + ": " + DdContext.Plain(h.State.Value));
        }
    }

    private static Command CreateReserved()
    {
        var id = new Argument<string>("PROJECT_ID") { Description = "Project id" };
        var cmd = new Command("reserved", "List the files this worker holds") { id, WorkerId };
        cmd.SetAction((parse, ct) => ReservedAsync(new DdWorkerReservedOptions(DdContext.Global(parse), parse.GetValue(id)!, parse.GetValue(WorkerId)), CliConsole.System(), ct));
        return cmd;
    }

    /// <summary><c>dd worker reserved</c>.</summary>
    public static Task<int> ReservedAsync(DdWorkerReservedOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global, o.WorkerId);
        var hs = await client.ReservedHandlesAsync(DdContext.ProjectId(o.ProjectId), cancellationToken: ct).ConfigureAwait(false);
        if (o.Global.Json)
        {
            DdContext.WriteJsonList(console, hs, (w, h) => h.WriteJson(w));
        }
        else
        {
            foreach (var h in hs)
            {
                console.Out.WriteLine(DdContext.Plain(h.Did));
            }
        }

        return ExitCodes.Ok;
    });

    private static Command CreateId()
    {
        var newId = new Option<bool>("--new", "-n") { Description = "Generate a new worker id (or set the given one) and store it" };
        var value = new Argument<string?>("WORKER_ID") { Description = "The id to set with --new", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("id", "Show (or set with --new) the worker id kept in ./.data_dispatcher_worker_id") { newId, value };
        cmd.SetAction(parse => Id(new DdWorkerIdOptions(DdContext.Global(parse), parse.GetValue(newId), parse.GetValue(value)), CliConsole.System()));
        return cmd;
    }

    /// <summary><c>dd worker id</c>.</summary>
    public static int Id(DdWorkerIdOptions o, CliConsole console) => CliErrors.Run(console.Error, () =>
    {
        using var client = DdContext.Client(o.Global);
        console.Out.WriteLine(o.New ? client.NewWorkerId(o.Value) : client.WorkerId);
        return ExitCodes.Ok;
    });
}
