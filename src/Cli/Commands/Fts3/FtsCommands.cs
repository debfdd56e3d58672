using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using Toolkit.Fts3;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;
using Toolkit.Runtime.Json;

namespace Toolkit.Cli;

/// <summary>
/// <c>toolkit fts info|whoami|delegate|submit|status|list|cancel|ban|unban</c>: the FTS3 command-line client
/// (fts-rest-whoami, -delegate, -transfer-submit, -transfer-status, -transfer-list, -transfer-cancel, -ban).
/// </summary>
internal static class FtsCommands
{
    private static readonly Option<string> Endpoint = new("--endpoint", "-s") { Description = "FTS3 REST endpoint, e.g. https://fts3.example.org:8446 (default FTS3_ENDPOINT)", Recursive = true };
    private static readonly Option<string?> Cert = new("--cert") { Description = "User certificate (default: X509_USER_PROXY, /tmp/x509up_u<uid>, X509_USER_CERT, ~/.globus)", Recursive = true };
    private static readonly Option<string?> Key = new("--key") { Description = "User private key (with --cert)", Recursive = true };
    private static readonly Option<string?> Proxy = new("--proxy") { Description = "Proxy file", Recursive = true };
    private static readonly Option<string?> CaPath = new("--capath") { Description = "CA directory (default X509_CERT_DIR, else /etc/grid-security/certificates)", Recursive = true };
    private static readonly Option<bool> Insecure = new("--insecure") { Description = "Do not verify the server certificate", Recursive = true };
    private static readonly Option<bool> Json = new("--json") { Description = "Print JSON", Recursive = true };
    private static readonly Option<bool> Token = new("--token") { Description = "Authenticate with a WLCG bearer token (BEARER_TOKEN, BEARER_TOKEN_FILE, ...) instead of X.509", Recursive = true };

    public static Command Create()
    {
        var fts = new Command("fts", "FTS3 file transfer service client");
        foreach (var o in new Option[] { Endpoint, Cert, Key, Proxy, CaPath, Insecure, Json, Token })
        {
            fts.Options.Add(o);
        }

        fts.Subcommands.Add(Info());
        fts.Subcommands.Add(WhoAmI());
        fts.Subcommands.Add(Delegate());
        fts.Subcommands.Add(Submit());
        fts.Subcommands.Add(Status());
        fts.Subcommands.Add(List());
        fts.Subcommands.Add(Cancel());
        fts.Subcommands.Add(Ban());
        fts.Subcommands.Add(Unban());
        return fts;
    }

    private static Command Info()
    {
        var cmd = new Command("info", "Show the server's versions");
        cmd.SetAction((parse, ct) => Run(parse, async ctx =>
        {
            var info = await ctx.GetEndpointInfoAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(Json))
            {
                Console.WriteLine(Text(ApiJson.Serialize(info)));
                return 0;
            }

            Console.WriteLine($"endpoint   : {ctx.Endpoint}");
            Console.WriteLine($"api        : {V(info.Api)}");
            Console.WriteLine($"delegation : {V(info.Delegation)}");
            Console.WriteLine($"core       : {(info.Core is { } c ? $"{c.Major}.{c.Minor}.{c.Patch}" : "-")}");
            Console.WriteLine($"schema     : {V(info.Schema)}");
            return 0;
        }));
        return cmd;
    }

    private static Command WhoAmI()
    {
        var cmd = new Command("whoami", "Show who the server thinks you are");
        cmd.SetAction((parse, ct) => Run(parse, async ctx =>
        {
            var who = await ctx.WhoAmIAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(Json))
            {
                Console.WriteLine(Text(ApiJson.Serialize(who)));
                return 0;
            }

            Console.WriteLine($"User DN       : {who.UserDn}");
            Console.WriteLine($"Method        : {who.Method}");
            Console.WriteLine($"Delegation id : {who.DelegationId}");
            Console.WriteLine($"VOs           : {string.Join(", ", who.Vos ?? Array.Empty<string>())}");
            Console.WriteLine($"FQANs         : {string.Join(", ", who.VomsCred ?? Array.Empty<string>())}");
            Console.WriteLine($"Level         : {(who.Level is { ValueKind: JsonValueKind.Object } l ? string.Join(", ", l.EnumerateObject().Select(p => p.Name + "=" + p.Value)) : "-")}");
            Console.WriteLine($"Root          : {(who.IsRoot == true ? "yes" : "no")}");
            return 0;
        }));
        return cmd;
    }

    private static Command Delegate()
    {
        var lifetime = new Option<double>("--lifetime") { Description = "Lifetime of the delegated proxy in hours (default 12)", DefaultValueFactory = _ => 12 };
        var force = new Option<bool>("--force", "-f") { Description = "Delegate even if the server has a proxy with enough time left" };
        var cmd = new Command("delegate", "Delegate your proxy to the server") { lifetime, force };
        cmd.SetAction((parse, ct) => Run(parse, async ctx =>
        {
            var hours = parse.GetValue(lifetime);
            if (!(hours > 0) || hours > 24 * 365)
            {
                throw new FormatException("--lifetime must be a positive number of hours, not " + hours.ToString(CultureInfo.InvariantCulture));
            }

            var id = await ctx.DelegateAsync(TimeSpan.FromHours(hours), parse.GetValue(force), null, ct).ConfigureAwait(false);
            var info = id.Length == 0 ? null : await ctx.Client.GetDelegationAsync(id, ct).ConfigureAwait(false);
            if (parse.GetValue(Json))
            {
                Console.WriteLine(info is null ? "{\"delegation_id\": \"" + id + "\"}" : Text(ApiJson.Serialize(info)));
                return 0;
            }

            Console.WriteLine(id.Length == 0 ? "Token authentication: nothing to delegate" : $"Delegation id: {id}");
            if (info is not null)
            {
                Console.WriteLine($"Expires: {info.TerminationTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
            }

            return 0;
        }));
        return cmd;
    }

    private static Command Submit()
    {
        var urls = new Argument<string[]>("SRC DST") { Description = "Source and destination URLs, in pairs", Arity = ArgumentArity.ZeroOrMore };
        var bulk = new Option<string?>("--file", "-f") { Description = "Bulk submission file: {\"files\": [{\"sources\": [...], \"destinations\": [...], ...}]}" };
        var checksum = new Option<string?>("--checksum") { Description = "ALG or ALG:VALUE for every file (default ADLER32)" };
        var verify = new Option<string?>("--verify-checksum") { Description = "source, target, both or none (default: compare when a checksum is given)" };
        var overwrite = new Option<bool>("--overwrite", "-o") { Description = "Overwrite existing destinations" };
        var reuse = new Option<bool>("--reuse", "-r") { Description = "Reuse the session for all files" };
        var priority = new Option<int?>("--priority") { Description = "Priority 1..5" };
        var retry = new Option<int?>("--retry") { Description = "Retries (-1 none, 0 server default)" };
        var metadata = new Option<string?>("--metadata") { Description = "Job metadata (JSON)" };
        var sid = new Option<string?>("--sid") { Description = "Name of a deterministic job id" };
        var idGenerator = new Option<string?>("--id-generator") { Description = "standard or deterministic" };
        var cmd = new Command("submit", "Submit a transfer job (delegates first when needed); prints the job id")
        {
            urls, bulk, checksum, verify, overwrite, reuse, priority, retry, metadata, sid, idGenerator,
        };
        cmd.SetAction((parse, ct) => Run(parse, async ctx =>
        {
            var pairs = parse.GetValue(urls) ?? Array.Empty<string>();
            if (pairs.Length % 2 != 0)
            {
                throw new FormatException("URLs come in SRC DST pairs; got " + pairs.Length.ToString(CultureInfo.InvariantCulture) + " URLs");
            }

            var sum = parse.GetValue(checksum);
            var transfers = new List<TransferFile>();
            for (var i = 0; i < pairs.Length; i += 2)
            {
                transfers.Add(Fts3Jobs.NewTransfer(pairs[i], pairs[i + 1], checksum: sum ?? "ADLER32"));
            }

            if (parse.GetValue(bulk) is { } path)
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

                transfers.AddRange(fromFile.Files.Select(f => f with { Checksum = f.Checksum ?? sum ?? "ADLER32", SelectionStrategy = f.SelectionStrategy ?? "auto" }));
            }

            if (transfers.Count == 0)
            {
                throw new FormatException("nothing to submit: give SRC DST pairs or -f FILE");
            }

            JsonElement? meta = null;
            if (parse.GetValue(metadata) is { } m)
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

            var sidValue = parse.GetValue(sid);
            var options = new Fts3JobOptions
            {
                VerifyChecksum = parse.GetValue(verify) ?? "false",
                Overwrite = parse.GetValue(overwrite),
                Reuse = parse.GetValue(reuse) ? true : null,
                Priority = parse.GetValue(priority),
                Retry = parse.GetValue(retry) ?? -1,
                Metadata = meta,
                Sid = sidValue,
                IdGenerator = parse.GetValue(idGenerator) ?? (sidValue is null ? Fts3Jobs.StandardIdGenerator : Fts3Jobs.DeterministicIdGenerator),
            };
            var job = Fts3Jobs.NewJob(transfers, options);
            var id = await ctx.SubmitAsync(job, true, ct).ConfigureAwait(false);
            Console.WriteLine(parse.GetValue(Json) ? Text(ApiJson.Serialize(new SubmitResult { JobId = id })) : id);
            return 0;
        }));
        return cmd;
    }

    private static Command Status()
    {
        var job = new Argument<string>("JOB") { Description = "Job id" };
        var files = new Option<bool>("--files") { Description = "Show the files" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Poll until the job is terminal; exit 0 only when it FINISHED" };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls with --watch (default 5)", DefaultValueFactory = _ => 5 };
        var cmd = new Command("status", "Show the state of a job") { job, files, watch, interval };
        cmd.SetAction((parse, ct) => Run(parse, async ctx =>
        {
            var id = parse.GetValue(job)!;
            var withFiles = parse.GetValue(files) || parse.GetValue(watch);
            var delay = TimeSpan.FromSeconds(Math.Max(0.05, parse.GetValue(interval)));
            if (parse.GetValue(watch) && !parse.GetValue(Json) && !Console.IsOutputRedirected)
            {
                return await WatchLive(ctx, id, delay, ct).ConfigureAwait(false);
            }

            string? last = null;
            while (true)
            {
                var status = await ctx.GetJobStatusAsync(id, withFiles, ct).ConfigureAwait(false);
                var state = status.JobState?.Value ?? "?";
                var terminal = status.JobState is { } s && Fts3Jobs.IsTerminal(s);
                if (parse.GetValue(Json))
                {
                    Console.WriteLine(Text(ApiJson.Serialize(status)));
                }
                else
                {
                    var line = Progress(status);
                    if (line != last)
                    {
                        Console.WriteLine(line);
                        last = line;
                    }

                    if (parse.GetValue(files) && (terminal || !parse.GetValue(watch)))
                    {
                        foreach (var f in status.Files ?? Array.Empty<JobFile>())
                        {
                            Console.WriteLine($"  {f.FileId,-10} {f.FileState?.Value,-10} {f.SourceSurl} -> {f.DestSurl}{(f.Reason is { Length: > 0 } r ? "  (" + r + ")" : string.Empty)}");
                        }
                    }
                }

                if (!parse.GetValue(watch))
                {
                    return 0;
                }

                if (terminal)
                {
                    return state == "FINISHED" ? 0 : 1;
                }

                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
        }));
        return cmd;
    }

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
        return status.JobState?.Value == "FINISHED" ? 0 : 1;
    }

    private static string Progress(Job job)
    {
        var files = job.Files ?? Array.Empty<JobFile>();
        var done = files.Count(f => f.FileState is { } s && Fts3Jobs.IsTerminal(s));
        var finished = files.Count(f => f.FileState?.Value == "FINISHED");
        var bar = files.Count == 0 ? string.Empty : " [" + new string('#', done * 20 / files.Count).PadRight(20, '.') + "] " + finished.ToString(CultureInfo.InvariantCulture) + "/" + files.Count.ToString(CultureInfo.InvariantCulture) + " finished";
        return $"{job.JobId}  {job.JobState?.Value}{bar}";
    }

    private static Command List()
    {
        var dn = new Option<string?>("--dn") { Description = "Only jobs of this user DN" };
        var vo = new Option<string?>("--vo") { Description = "Only jobs of this VO" };
        var state = new Option<string[]>("--state") { Description = "Only jobs in these states (repeat or comma-separate)", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int?>("--limit") { Description = "At most this many (0..500)" };
        var cmd = new Command("list", "List jobs (by default your unfinished ones)") { dn, vo, state, limit };
        cmd.SetAction((parse, ct) => Run(parse, async ctx =>
        {
            var states = parse.GetValue(state)?.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var jobs = await ctx.ListJobsAsync(parse.GetValue(dn), parse.GetValue(vo), states: states is { Count: > 0 } ? states : null, limit: parse.GetValue(limit), cancellationToken: ct).ConfigureAwait(false);
            if (parse.GetValue(Json))
            {
                Console.WriteLine(Text(ApiJson.Serialize(jobs, static (w, list) => ApiJson.WriteList(w, list, static (w2, j) => j.WriteJson(w2)))));
                return 0;
            }

            foreach (var j in jobs)
            {
                Console.WriteLine($"{j.JobId}  {j.JobState?.Value,-13} {j.VoName,-16} {j.SubmitTime?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}  {j.SourceSe} -> {j.DestSe}");
            }

            return 0;
        }));
        return cmd;
    }

    private static Command Cancel()
    {
        var job = new Argument<string>("JOB") { Description = "Job id" };
        var fileIds = new Argument<long[]>("FILE_IDS") { Description = "Cancel only these files", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("cancel", "Cancel a job or some of its files") { job, fileIds };
        cmd.SetAction((parse, ct) => Run(parse, async ctx =>
        {
            var results = await ctx.CancelAsync(parse.GetValue(job)!, parse.GetValue(fileIds), ct).ConfigureAwait(false);
            foreach (var r in results)
            {
                var what = r.FileId is { } f ? r.JobId + " file " + f.ToString(CultureInfo.InvariantCulture) : r.JobId;
                if (parse.GetValue(Json))
                {
                    Console.WriteLine($"{{\"job_id\": \"{r.JobId}\", \"file_id\": {(r.FileId?.ToString(CultureInfo.InvariantCulture) ?? "null")}, \"state\": \"{r.State}\", \"already_terminal\": {(r.AlreadyTerminal ? "true" : "false")}}}");
                }
                else if (r.AlreadyTerminal)
                {
                    Console.WriteLine($"{what}: already terminal ({r.State})");
                }
                else
                {
                    Console.WriteLine($"{what}: {(r.State.Length > 0 ? r.State : r.Message)}");
                }
            }

            return results.Any(r => r.State.Length == 0) ? 1 : 0;
        }));
        return cmd;
    }

    private static Command Ban()
    {
        var se = new Option<string?>("--se") { Description = "Storage to ban, e.g. gsiftp://host" };
        var dn = new Option<string?>("--dn") { Description = "User DN to ban" };
        var status = new Option<string>("--status") { Description = "cancel (default) or wait", DefaultValueFactory = _ => "cancel" };
        var timeout = new Option<int>("--timeout") { Description = "Sent like the Python client (the server ignores it)" };
        var allowSubmit = new Option<bool>("--allow-submit") { Description = "With --status wait: accept and hold new jobs" };
        var vo = new Option<string?>("--vo") { Description = "Ban the storage for this VO only" };
        var message = new Option<string?>("--message") { Description = "Why" };
        var cmd = new Command("ban", "Ban a storage or a user (config level)") { se, dn, status, timeout, allowSubmit, vo, message };
        cmd.SetAction((parse, ct) => Run(parse, async ctx =>
        {
            var (s, d) = OneOf(parse.GetValue(se), parse.GetValue(dn));
            var affected = s is not null
                ? await ctx.BanSeAsync(s, parse.GetValue(status)!, parse.GetValue(timeout), parse.GetValue(allowSubmit), parse.GetValue(vo), parse.GetValue(message), ct).ConfigureAwait(false)
                : await ctx.BanDnAsync(d!, parse.GetValue(message), ct).ConfigureAwait(false);
            foreach (var id in affected)
            {
                Console.WriteLine(id);
            }

            return 0;
        }));
        return cmd;
    }

    private static Command Unban()
    {
        var se = new Option<string?>("--se") { Description = "Storage to unban" };
        var dn = new Option<string?>("--dn") { Description = "User DN to unban" };
        var vo = new Option<string?>("--vo") { Description = "The VO of a storage ban" };
        var cmd = new Command("unban", "Lift a storage or user ban") { se, dn, vo };
        cmd.SetAction((parse, ct) => Run(parse, async ctx =>
        {
            var (s, d) = OneOf(parse.GetValue(se), parse.GetValue(dn));
            if (s is not null)
            {
                await ctx.UnbanSeAsync(s, parse.GetValue(vo), ct).ConfigureAwait(false);
            }
            else
            {
                await ctx.UnbanDnAsync(d!, ct).ConfigureAwait(false);
            }

            return 0;
        }));
        return cmd;
    }

    private static (string? Se, string? Dn) OneOf(string? se, string? dn)
        => (se is null) == (dn is null) ? throw new FormatException("give exactly one of --se and --dn") : (se, dn);

    private static string V(ApiVersion? v) => v is null ? "-" : $"{v.Major}.{v.Minor}.{v.Patch}";

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    private static async Task<int> Run(ParseResult parse, Func<Fts3Context, Task<int>> body)
    {
        try
        {
            var endpoint = parse.GetValue(Endpoint) is { Length: > 0 } given ? given
                : Environment.GetEnvironmentVariable("FTS3_ENDPOINT") is { Length: > 0 } fromEnv ? fromEnv
                : throw new FormatException("no endpoint: give -s/--endpoint URL (or set FTS3_ENDPOINT)");
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new FormatException("the endpoint must be an http(s) URL, not '" + endpoint + "'");
            }

            var options = new Fts3ContextOptions
            {
                Endpoint = uri,
                CertificatePath = parse.GetValue(Cert),
                KeyPath = parse.GetValue(Key),
                ProxyPath = parse.GetValue(Proxy),
                CaPath = parse.GetValue(CaPath),
                Insecure = parse.GetValue(Insecure),
                Token = parse.GetValue(Token) ? BearerTokenDiscovery.Require() : null,
                Passphrase = ProxyPassphrase.Ask,
                UserAgent = "fts-toolkit-cli/0.1.0",
            };
            using var ctx = await Fts3Context.CreateAsync(options).ConfigureAwait(false);
            return await body(ctx).ConfigureAwait(false);
        }
        catch (Exception e) when (CliErrors.TryReport(e, out var exitCode))
        {
            return exitCode;
        }
    }
}
