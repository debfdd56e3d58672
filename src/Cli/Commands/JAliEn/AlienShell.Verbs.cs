using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn;
using Toolkit.JAliEn.Connection;
using Toolkit.JAliEn.Transfer;

namespace Toolkit.Cli;

/// <summary>
/// alienpy's client-side verbs built on server commands: quota, pfn, lfn2uri, jobInfo, find2, run, exec, less, more and the editors
/// (the certificate verbs are in AlienShell.Certs.cs).
/// </summary>
internal sealed partial class AlienShell
{
    private static readonly string[] NewClientVerbs =
    [
        "quota", "pfn", "lfn2uri", "jobInfo", "find2", "run", "exec", "less", "more", "edit", "vi", "vim", "nano", "mcedit",
        "token-init", "token-destroy", "token-verify", "tokenkey-match", "cert-info", "cert-verify", "certkey-match",
    ];

    /// <summary>Runs a client verb of this file, or returns null when <paramref name="verb"/> is not one.</summary>
    private async Task<int?> ClientVerbAsync(string verb, List<string> args, bool json, TextWriter output, CancellationToken ct)
    {
        if (!NewClientVerbs.Contains(verb))
        {
            return null;
        }
        if (args.Any(a => a is "-h" or "--help" or "-help") && AlienVerbs.Find(verb) is { } spec)
        {
            await output.WriteAsync(spec.HelpText()).ConfigureAwait(false);
            return 0;
        }
        switch (verb)
        {
            case "token-destroy": return await TokenDestroyAsync(output).ConfigureAwait(false);
            case "cert-info": return await CertInfoAsync(output, token: false).ConfigureAwait(false);
            case "cert-verify": return await CertVerifyAsync(output, token: false).ConfigureAwait(false);
            case "token-verify": return await CertVerifyAsync(output, token: true).ConfigureAwait(false);
            case "certkey-match": return await KeyMatchAsync(output, token: false).ConfigureAwait(false);
            case "tokenkey-match": return await KeyMatchAsync(output, token: true).ConfigureAwait(false);
        }
        var connection = await ConnectionAsync(ct).ConfigureAwait(false);
        var commands = new AlienCommands(connection, AlienErrorMode.Return);
        switch (verb)
        {
            case "quota":
                var q = await commands.QuotaAsync(args.Count > 0 ? args[0] : null, ct).ConfigureAwait(false);
                if (json)
                {
                    await output.WriteLineAsync(Encoding.UTF8.GetString(q.Jobs.Raw.Span)).ConfigureAwait(false);
                    await output.WriteLineAsync(Encoding.UTF8.GetString(q.Files.Raw.Span)).ConfigureAwait(false);
                }
                else if (q.Jobs.Rows.Count > 0 && q.Files.Rows.Count > 0)
                {
                    var j = q.Jobs.Rows[0];
                    var f = q.Files.Rows[0];
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"Quota report for user: {j.Username}\nUnfinished jobs: running {j.Running} waiting {j.Waiting} of at most {j.MaxUnfinishedJobs}\n"
                        + $"Parallel jobs: max {j.MaxParallelJobs}, nominal {j.NominalParallelJobs}\nCPU cost (last 24 h): {j.TotalCpuCostLast24h} of {j.MaxTotalCpuCost}\n"
                        + $"Running time (last 24 h): {j.TotalRunningTimeLast24h} of {j.MaxTotalRunningTime}\n"
                        + $"Storage: {f.FileCount} of {f.MaxFileCount} files, {f.TotalSize} of {f.MaxTotalSize} bytes")).ConfigureAwait(false);
                }
                return await ReportAsync(q.Jobs.IsSuccess ? q.Files.ExitCode : q.Jobs.ExitCode, q.Jobs.IsSuccess ? "fquota: " + q.Files.Error : "jquota: " + q.Jobs.Error).ConfigureAwait(false);
            case "pfn" when args.Count == 1:
                var pfn = await commands.PfnAsync(args[0], ct).ConfigureAwait(false);
                return await PrintRowsAsync(pfn, json, output).ConfigureAwait(false);
            case "lfn2uri":
                return await Lfn2UriAsync(commands, args, json, output, ct).ConfigureAwait(false);
            case "jobInfo" when args.Count(a => !a.StartsWith('-')) == 1:
                return await JobInfoAsync(commands, args, json, output, ct).ConfigureAwait(false);
            case "find2":
                return await Find2Async(commands, args, output, ct).ConfigureAwait(false);
            case "run" or "exec" when args.Count > (verb == "run" ? 1 : 0):
                return await RunOnDownloadAsync(connection, verb, args, output, ct).ConfigureAwait(false);
            case "less" or "more" when args.Any(a => !a.StartsWith('-')):
                // alienpy's less and more: the grid files are downloaded, then paged by the local program on the terminal.
                return await RunOnDownloadAsync(connection, "run", ["-noout", verb, .. args.Select(a => a.StartsWith('-') || a.StartsWith("alien:", StringComparison.Ordinal) ? a : "alien:" + a)], output, ct).ConfigureAwait(false);
            case "edit" or "vi" or "vim" or "nano" or "mcedit" when args.Count > 0:
                return await EditAsync(connection, commands, verb, args, output, ct).ConfigureAwait(false);
            case "token-init":
                return await TokenInitAsync(args, output, ct).ConfigureAwait(false);
        }
        await _console.Error.WriteLineAsync("usage: " + verb + " " + (AlienVerbs.Find(verb)?.Summary ?? string.Empty)).ConfigureAwait(false);
        return 22;
    }

    private async Task<int> ReportAsync(int exitCode, string error)
    {
        if (exitCode != 0)
        {
            await _console.Error.WriteLineAsync(TerminalText.Clean(error.ReplaceLineEndings(" "))).ConfigureAwait(false);
        }
        return exitCode;
    }

    private async Task<int> PrintRowsAsync(AlienResult<IReadOnlyList<string>> result, bool json, TextWriter output)
    {
        if (json)
        {
            await output.WriteLineAsync(Encoding.UTF8.GetString(result.Raw.Span)).ConfigureAwait(false);
        }
        else
        {
            foreach (string row in result.Rows)
            {
                await output.WriteLineAsync(TerminalText.Clean(row)).ConfigureAwait(false);
            }
        }
        return await ReportAsync(result.ExitCode, result.Error).ConfigureAwait(false);
    }

    /// <summary><c>lfn2uri LFN [LOCAL] [meta] [write|upload] [strict] [http]</c>, as alienpy.</summary>
    private async Task<int> Lfn2UriAsync(AlienCommands commands, List<string> args, bool json, TextWriter output, CancellationToken ct)
    {
        bool meta = args.Remove("meta"), strict = args.Remove("strict"), http = args.Remove("http");
        bool write = args.Remove("write") | args.Remove("upload");
        if (args.Count == 0 || (write && args.Count < 2) || (write && meta))
        {
            await _console.Error.WriteLineAsync(write && meta ? "error: lfn2uri: meta is incompatible with write" : "usage: lfn2uri LFN [LOCAL] [meta] [write|upload] [strict] [http] (write needs LOCAL)").ConfigureAwait(false);
            return 22;
        }
        string? local = args.Count > 1 ? AlienCopy.LocalPath(args[1]) : null;
        var result = meta
            ? await commands.Lfn2MetalinkAsync(args[0], Directory.GetCurrentDirectory(), strict, http, ct).ConfigureAwait(false)
            : await commands.Lfn2UriAsync(args[0], local, write, strict, http, ct).ConfigureAwait(false);
        return await PrintRowsAsync(result, json, output).ConfigureAwait(false);
    }

    /// <summary><c>jobInfo ID[,ID] [-trace] [-proc] [-jdl] [-unixtime]</c>.</summary>
    private async Task<int> JobInfoAsync(AlienCommands commands, List<string> args, bool json, TextWriter output, CancellationToken ct)
    {
        bool trace = args.Remove("-trace"), proc = args.Remove("-proc"), jdl = args.Remove("-jdl"), unix = args.Remove("-unixtime");
        var ids = args[0].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => Number("jobInfo", i, long.MaxValue)).ToList();
        var result = await commands.JobInfoAsync(ids, ct).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(Encoding.UTF8.GetString(result.Raw.Span)).ConfigureAwait(false);
            return await ReportAsync(result.ExitCode, result.Error).ConfigureAwait(false);
        }
        var text = new StringBuilder();
        foreach (var info in result.Rows)
        {
            if (jdl)
            {
                text.Append(CultureInfo.InvariantCulture, $"{{{string.Join(",", info.Jdl.Select(kv => "\"" + kv.Key + "\":\"" + kv.Value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""))}}}\n");
                continue;
            }
            var j = info.Job;
            text.Append("##################################################################\n")
                .Append(CultureInfo.InvariantCulture, $"{"JobID",-13}{"MasterJobID",-13}{"Status",-12}{"User",-14}Name\n")
                .Append(CultureInfo.InvariantCulture, $"{j.Id,-13}{j.Split,-13}{j.Status,-12}{j.Owner,-14}{j.Name}\n\n")
                .Append("Machine info:\nWorkerNode: ").Append(info.WorkerNode).Append("\nWorkdir: ").Append(info.WorkDirectory)
                .Append("\nLocal queue info:\n").AppendJoin('\n', info.Queue).Append("\n\nState info:\n").AppendJoin('\n', info.States.Select(l => Time(l, unix))).Append("\n\n");
            if (trace)
            {
                text.Append("Trace info:\n").AppendJoin('\n', info.Trace.Select(l => Time(l, unix))).Append("\n\n");
            }
            if (proc)
            {
                text.Append("Proc info:\n").AppendJoin('\n', info.Proc.Select(l => Time(l, unix))).Append("\n\n");
            }
        }
        foreach (string line in text.ToString().TrimEnd('\n').Split('\n'))
        {
            await output.WriteLineAsync(TerminalText.Clean(line)).ConfigureAwait(false);
        }
        return await ReportAsync(result.ExitCode, result.Error).ConfigureAwait(false);
    }

    /// <summary>A trace line's leading Unix time (ms or s) as a date, unless -unixtime.</summary>
    private static string Time(string line, bool unix)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        if (unix || space <= 0 || !long.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out long t))
        {
            return line;
        }
        var when = t > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(t) : DateTimeOffset.FromUnixTimeSeconds(t);
        return when.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + line[space..];
    }

    /// <summary><c>find2 [cp's selection filters] DIR</c>: the server's <c>find</c>, filtered on the client as cp filters a download.</summary>
    private async Task<int> Find2Async(AlienCommands commands, List<string> args, TextWriter output, CancellationToken ct)
    {
        if (args.Count == 0)
        {
            await _console.Error.WriteLineAsync("usage: find2 [-glob P | -select RE | -name RE] [-exclude S] [-exclude_re RE] [-user U] [-group G] [-jobid N] [-minsize N] [-maxsize N] [-mindepth N] [-maxdepth N] [-min-ctime T] [-max-ctime T] [-j N] [-l N] [-o N] [-e S] [-site S] DIR").ConfigureAwait(false);
            return 22;
        }
        string dir = AlienPath.Expand(args[^1], AlienPaths.Of(commands.Channel));
        dir = dir.EndsWith('/') ? dir : dir + "/";
        var (pattern, filter, server) = ParseFilters(args[..^1]);
        var found = await commands.FindAsync(dir, pattern, all: true, jobId: server.JobId, limit: server.Limit, offset: server.Offset, site: server.Site,
            exclude: server.Exclude.Count > 0 ? server.Exclude : null, cancellationToken: ct).ConfigureAwait(false);
        var matches = filter.Matcher(dir);
        foreach (var row in found.Rows.Where(r => r.Type != "d").Where(matches))
        {
            await output.WriteLineAsync(TerminalText.Clean(row.Lfn)).ConfigureAwait(false);
        }
        return await ReportAsync(found.ExitCode, found.Error).ConfigureAwait(false);
    }

    /// <summary>cp's file-selection options (shared by find2): the find pattern, the client-side filter and the server-side one.</summary>
    private static (string Pattern, AlienCopyFilter Filter, AlienFindFilter Server) ParseFilters(List<string> args)
    {
        string pattern = "*";
        var v = new Dictionary<string, string>(StringComparer.Ordinal);
        var exclude = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string opt = args[i];
            string value = i + 1 < args.Count ? args[++i] : throw new ArgumentException(opt + ": a value is missing");
            switch (opt)
            {
                case "-glob": pattern = value; break;
                case "-e": exclude.Add(value); break;
                case "-select" or "-name" or "-exclude" or "-exclude_re" or "-user" or "-group" or "-site" or "-jobid" or "-minsize" or "-maxsize"
                    or "-mindepth" or "-maxdepth" or "-min-ctime" or "-max-ctime" or "-j" or "-l" or "-o":
                    v[opt] = value;
                    break;
                default: throw new ArgumentException("unknown option " + opt);
            }
        }
        long? N(string o) => v.TryGetValue(o, out var s) ? Number(o, s, long.MaxValue) : null;
        int? I(string o) => v.TryGetValue(o, out var s) ? (int)Number(o, s, int.MaxValue) : null;
        var filter = new AlienCopyFilter
        {
            Select = v.GetValueOrDefault("-select"), Name = v.GetValueOrDefault("-name"), Exclude = v.GetValueOrDefault("-exclude"),
            ExcludeRegex = v.GetValueOrDefault("-exclude_re"), User = v.GetValueOrDefault("-user"), Group = v.GetValueOrDefault("-group"),
            JobId = N("-jobid"), MinSize = N("-minsize"), MaxSize = N("-maxsize"), MinDepth = I("-mindepth"), MaxDepth = I("-maxdepth"),
            MinCtime = v.TryGetValue("-min-ctime", out var a) ? AlienCopyFilter.ParseTime("-min-ctime", a) : null,
            MaxCtime = v.TryGetValue("-max-ctime", out var b) ? AlienCopyFilter.ParseTime("-max-ctime", b) : null,
        };
        filter.Validate(pattern);
        var server = new AlienFindFilter { JobId = N("-j"), Limit = N("-l"), Offset = N("-o"), Exclude = exclude, Site = v.GetValueOrDefault("-site") };
        return (pattern, filter, server);
    }
}
