using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using Toolkit.Fts3;
using Toolkit.Runtime.Json;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli;

/// <summary>The <c>toolkit fts</c> commands as methods over typed options (callable from the command line or a shell).</summary>
internal static class FtsHandlers
{
    /// <summary><c>fts info</c>.</summary>
    public static Task<int> InfoAsync(FtsGlobalOptions g, CliConsole console, CancellationToken ct) => WithContext(g, console, async ctx =>
    {
        var info = await ctx.GetEndpointInfoAsync(ct).ConfigureAwait(false);
        var o = console.Out;
        if (g.Json)
        {
            JsonOutput.WriteLine(o, ApiJson.Serialize(info));
            return ExitCodes.Ok;
        }

        o.WriteLine($"endpoint   : {ctx.Endpoint}");
        o.WriteLine($"api        : {V(info.Api)}");
        o.WriteLine($"delegation : {V(info.Delegation)}");
        o.WriteLine($"core       : {(info.Core is { } c ? $"{c.Major}.{c.Minor}.{c.Patch}" : "-")}");
        o.WriteLine($"schema     : {V(info.Schema)}");
        return ExitCodes.Ok;
    });

    /// <summary><c>fts whoami</c>.</summary>
    public static Task<int> WhoAmIAsync(FtsGlobalOptions g, CliConsole console, CancellationToken ct) => WithContext(g, console, async ctx =>
    {
        var who = await ctx.WhoAmIAsync(ct).ConfigureAwait(false);
        var o = console.Out;
        if (g.Json)
        {
            JsonOutput.WriteLine(o, ApiJson.Serialize(who));
            return ExitCodes.Ok;
        }

        o.WriteLine($"User DN       : {S(who.UserDn)}");
        o.WriteLine($"Method        : {S(who.Method)}");
        o.WriteLine($"Delegation id : {S(who.DelegationId)}");
        o.WriteLine($"VOs           : {S(string.Join(", ", who.Vos ?? Array.Empty<string>()))}");
        o.WriteLine($"FQANs         : {S(string.Join(", ", who.VomsCred ?? Array.Empty<string>()))}");
        o.WriteLine($"Level         : {(who.Level is { } lv && lv.TryGetObject(out var l) ? S(string.Join(", ", l.Select(p => p.Key + "=" + p.Value))) : "-")}");
        o.WriteLine($"Root          : {(who.IsRoot == true ? "yes" : "no")}");
        return ExitCodes.Ok;
    });

    /// <summary><c>fts delegate</c>.</summary>
    public static Task<int> DelegateAsync(FtsDelegateOptions d, CliConsole console, CancellationToken ct) => WithContext(d.Global, console, async ctx =>
    {
        var hours = d.LifetimeHours;
        if (!(hours > 0) || hours > 24 * 365)
        {
            throw new FormatException("--lifetime must be a positive number of hours, not " + hours.ToString(CultureInfo.InvariantCulture));
        }

        var id = await ctx.DelegateAsync(TimeSpan.FromHours(hours), d.Force, null, ct).ConfigureAwait(false);
        var info = id.Length == 0 ? null : await ctx.Client.GetDelegationAsync(id, ct).ConfigureAwait(false);
        var o = console.Out;
        if (d.Global.Json)
        {
            if (info is null)
            {
                JsonOutput.WriteLine(o, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("delegation_id", id);
                    w.WriteEndObject();
                });
            }
            else
            {
                JsonOutput.WriteLine(o, ApiJson.Serialize(info));
            }

            return ExitCodes.Ok;
        }

        o.WriteLine(id.Length == 0 ? "Token authentication: nothing to delegate" : $"Delegation id: {S(id)}");
        if (info is not null)
        {
            o.WriteLine($"Expires: {TimeFormats.Table(info.TerminationTime)} UTC");
        }

        return ExitCodes.Ok;
    });

    /// <summary><c>fts submit</c>.</summary>
    public static Task<int> SubmitAsync(FtsSubmitOptions s, CliConsole console, CancellationToken ct) => WithContext(s.Global, console, async ctx =>
    {
        var pairs = s.Urls;
        if (pairs.Count % 2 != 0)
        {
            throw new FormatException("URLs come in SRC DST pairs; got " + pairs.Count.ToString(CultureInfo.InvariantCulture) + " URLs");
        }

        var transfers = new List<TransferFile>();
        for (var i = 0; i < pairs.Count; i += 2)
        {
            transfers.Add(Fts3Jobs.NewTransfer(pairs[i], pairs[i + 1], checksum: s.Checksum ?? "ADLER32"));
        }

        if (s.BulkFile is { } path)
        {
            Submission fromFile;
            try
            {
                fromFile = ApiJson.Parse<Submission>(File.ReadAllBytes(path));
            }
            catch (JsonException e)
            {
                throw new FormatException("bulk file " + path + " is not a submission: " + e.Message, e);
            }

            transfers.AddRange(fromFile.Files.Select(f => f with { Checksum = f.Checksum ?? s.Checksum ?? "ADLER32", SelectionStrategy = f.SelectionStrategy ?? "auto" }));
        }

        if (transfers.Count == 0)
        {
            throw new FormatException("nothing to submit: give SRC DST pairs or -f FILE");
        }

        JsonElement? meta = null;
        if (s.Metadata is { } m)
        {
            try
            {
                using var doc = JsonDocument.Parse(m);
                meta = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new FormatException("--metadata is not JSON: " + e.Message, e);
            }
        }

        var options = new Fts3JobOptions
        {
            VerifyChecksum = s.VerifyChecksum ?? "false",
            Overwrite = s.Overwrite,
            Reuse = s.Reuse ? true : null,
            Priority = s.Priority,
            Retry = s.Retry ?? -1,
            Metadata = meta,
            Sid = s.Sid,
            IdGenerator = s.IdGenerator ?? (s.Sid is null ? Fts3Jobs.StandardIdGenerator : Fts3Jobs.DeterministicIdGenerator),
        };
        var job = Fts3Jobs.NewJob(transfers, options);
        var id = await ctx.SubmitAsync(job, true, ct).ConfigureAwait(false);
        if (s.Global.Json)
        {
            JsonOutput.WriteLine(console.Out, ApiJson.Serialize(new SubmitResult { JobId = id }));
        }
        else
        {
            console.Out.WriteLine(S(id));
        }

        return ExitCodes.Ok;
    });

    /// <summary><c>fts status</c>: once, or with <c>--watch</c> until the job is terminal (exit 0 only when it FINISHED).</summary>
    public static Task<int> StatusAsync(FtsStatusOptions s, CliConsole console, CancellationToken ct) => WithContext(s.Global, console, async ctx =>
    {
        var withFiles = s.Files || s.Watch;
        var delay = TimeSpan.FromSeconds(Math.Max(0.05, s.IntervalSeconds));
        if (s.Watch && !s.Global.Json && !console.IsOutputRedirected)
        {
            return await WatchLive(ctx, s.Job, delay, ct).ConfigureAwait(false);
        }

        var o = console.Out;
        string? last = null;
        while (true)
        {
            var status = await ctx.GetJobStatusAsync(s.Job, withFiles, ct).ConfigureAwait(false);
            var state = status.JobState?.Value ?? "?";
            var terminal = status.JobState is { } js && Fts3Jobs.IsTerminal(js);
            if (s.Global.Json)
            {
                JsonOutput.WriteLine(o, ApiJson.Serialize(status));
            }
            else
            {
                var line = Progress(status);
                if (line != last)
                {
                    o.WriteLine(line);
                    last = line;
                }

                if (s.Files && (terminal || !s.Watch))
                {
                    foreach (var f in status.Files ?? Array.Empty<JobFile>())
                    {
                        o.WriteLine($"  {f.FileId,-10} {S(f.FileState?.Value),-10} {S(f.SourceSurl)} -> {S(f.DestSurl)}{(f.Reason is { Length: > 0 } r ? "  (" + S(r) + ")" : string.Empty)}");
                    }
                }
            }

            if (!s.Watch)
            {
                return ExitCodes.Ok;
            }

            if (terminal)
            {
                return state == "FINISHED" ? ExitCodes.Ok : ExitCodes.Failure;
            }

            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
    });

    /// <summary>
    /// <c>status --watch</c> on a terminal: a live view (<see cref="FtsWatchView"/>) redrawn every interval until the
    /// job is terminal; the last frame stays on screen. Exit 0 only when the job FINISHED.
    /// </summary>
    private static async Task<int> WatchLive(Fts3Context ctx, string id, TimeSpan delay, CancellationToken ct)
    {
        var status = await ctx.GetJobStatusAsync(id, true, ct).ConfigureAwait(false);
        await AnsiConsole.Console.Live(FtsWatchView.Build(status))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async live =>
            {
                while (status.JobState is not { } s || !Fts3Jobs.IsTerminal(s))
                {
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                    status = await ctx.GetJobStatusAsync(id, true, ct).ConfigureAwait(false);
                    live.UpdateTarget(FtsWatchView.Build(status));
                    live.Refresh();
                }
            }).ConfigureAwait(false);
        return status.JobState?.Value == "FINISHED" ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string Progress(Job job)
    {
        var files = job.Files ?? Array.Empty<JobFile>();
        var done = files.Count(f => f.FileState is { } s && Fts3Jobs.IsTerminal(s));
        var finished = files.Count(f => f.FileState?.Value == "FINISHED");
        var bar = files.Count == 0 ? string.Empty : " [" + new string('#', done * 20 / files.Count).PadRight(20, '.') + "] " + finished.ToString(CultureInfo.InvariantCulture) + "/" + files.Count.ToString(CultureInfo.InvariantCulture) + " finished";
        return $"{S(job.JobId)}  {S(job.JobState?.Value)}{bar}";
    }

    /// <summary><c>fts list</c>.</summary>
    public static Task<int> ListAsync(FtsListOptions l, CliConsole console, CancellationToken ct) => WithContext(l.Global, console, async ctx =>
    {
        var states = l.States is { Count: > 0 } given ? given.ToList() : null;
        var jobs = await ctx.ListJobsAsync(l.Dn, l.Vo, states: states, limit: l.Limit, cancellationToken: ct).ConfigureAwait(false);
        if (l.Global.Json)
        {
            JsonOutput.WriteLine(console.Out, ApiJson.Serialize(jobs, static (w, list) => ApiJson.WriteList(w, list, static (w2, j) => j.WriteJson(w2))));
            return ExitCodes.Ok;
        }

        foreach (var j in jobs)
        {
            console.Out.WriteLine($"{S(j.JobId)}  {S(j.JobState?.Value),-13} {S(j.VoName),-16} {(j.SubmitTime is { } t ? TimeFormats.Table(t) : null)}  {S(j.SourceSe)} -> {S(j.DestSe)}");
        }

        return ExitCodes.Ok;
    });

    /// <summary><c>fts cancel</c>: exit 1 when some file could not be canceled.</summary>
    public static Task<int> CancelAsync(FtsCancelOptions c, CliConsole console, CancellationToken ct) => WithContext(c.Global, console, async ctx =>
    {
        var results = await ctx.CancelAsync(c.Job, c.FileIds?.ToArray(), ct).ConfigureAwait(false);
        var o = console.Out;
        foreach (var r in results)
        {
            var what = S(r.FileId is { } f ? r.JobId + " file " + f.ToString(CultureInfo.InvariantCulture) : r.JobId);
            if (c.Global.Json)
            {
                JsonOutput.WriteLine(o, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("job_id", r.JobId);
                    w.WritePropertyName("file_id");
                    if (r.FileId is { } id)
                    {
                        w.WriteNumberValue(id);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }

                    w.WriteString("state", r.State);
                    w.WritePropertyName("already_terminal");
                    w.WriteBooleanValue(r.AlreadyTerminal);
                    w.WriteEndObject();
                });
            }
            else if (r.AlreadyTerminal)
            {
                o.WriteLine($"{what}: already terminal ({S(r.State)})");
            }
            else
            {
                o.WriteLine($"{what}: {S(r.State.Length > 0 ? r.State : r.Message)}");
            }
        }

        return results.Any(r => r.State.Length == 0) ? ExitCodes.Failure : ExitCodes.Ok;
    });

    /// <summary><c>fts ban</c>: prints the ids of the jobs the ban affected.</summary>
    public static Task<int> BanAsync(FtsBanOptions b, CliConsole console, CancellationToken ct) => WithContext(b.Global, console, async ctx =>
    {
        var (se, dn) = OneOf(b.Se, b.Dn);
        var affected = se is not null
            ? await ctx.BanSeAsync(se, b.Status, b.Timeout, b.AllowSubmit, b.Vo, b.Message, ct).ConfigureAwait(false)
            : await ctx.BanDnAsync(dn!, b.Message, ct).ConfigureAwait(false);
        foreach (var id in affected)
        {
            console.Out.WriteLine(S(id));
        }

        return ExitCodes.Ok;
    });

    /// <summary><c>fts unban</c>.</summary>
    public static Task<int> UnbanAsync(FtsUnbanOptions u, CliConsole console, CancellationToken ct) => WithContext(u.Global, console, async ctx =>
    {
        var (se, dn) = OneOf(u.Se, u.Dn);
        if (se is not null)
        {
            await ctx.UnbanSeAsync(se, u.Vo, ct).ConfigureAwait(false);
        }
        else
        {
            await ctx.UnbanDnAsync(dn!, ct).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    });

    private static (string? Se, string? Dn) OneOf(string? se, string? dn)
        => (se is null) == (dn is null) ? throw new FormatException("give exactly one of --se and --dn") : (se, dn);

    /// <summary>A server's text for a table or plain line: control codes escaped, long text cut (<see cref="TerminalText"/>).</summary>
    private static string S(string? text) => TerminalText.Clean(text);

    private static string V(ApiVersion? v) => v is null ? "-" : $"{v.Major}.{v.Minor}.{v.Patch}";

    /// <summary>Connects as <paramref name="g"/> says and runs <paramref name="body"/>; errors go through <see cref="CliErrors"/>.</summary>
    private static Task<int> WithContext(FtsGlobalOptions g, CliConsole console, Func<Fts3Context, Task<int>> body) => CliErrors.RunAsync(console.Error, async () =>
    {
        // FTS3_ENDPOINT is read by the library (Fts3ContextOptions.FromEnvironment); -s/--endpoint wins over it.
        var fromEnvironment = g.Endpoint is { Length: > 0 } ? new Fts3ContextOptions() : Fts3ContextOptions.FromEnvironment();
        Uri uri;
        if (g.Endpoint is { Length: > 0 } given)
        {
            if (!Uri.TryCreate(given, UriKind.Absolute, out uri!) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new FormatException("the endpoint must be an http(s) URL, not '" + given + "'");
            }
        }
        else
        {
            uri = fromEnvironment.Endpoint ?? throw new FormatException("no endpoint: give -s/--endpoint URL (or set " + Fts3ContextOptions.EndpointVariable + ")");
        }

        var options = fromEnvironment with
        {
            Endpoint = uri,
            CertificatePath = g.Cert,
            KeyPath = g.Key,
            ProxyPath = g.Proxy,
            CaPath = g.CaPath,
            Insecure = g.Insecure,
            Token = g.Token ? BearerTokenDiscovery.Require() : null,
            Passphrase = console.AskSecret,
            UserAgent = "fts-toolkit-cli/0.1.0",
            Timeout = HttpLimitOptions.ParseTimeout(g.HttpTimeout) ?? fromEnvironment.Timeout,
            MaxResponseBytes = HttpLimitOptions.ParseSize(g.MaxResponseSize) ?? fromEnvironment.MaxResponseBytes,
        };
        using var ctx = await Fts3Context.CreateAsync(options).ConfigureAwait(false);
        return await body(ctx).ConfigureAwait(false);
    });
}
