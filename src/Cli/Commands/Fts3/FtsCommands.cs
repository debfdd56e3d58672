using System;
using System.CommandLine;
using System.Linq;

namespace Toolkit.Cli;

/// <summary>
/// <c>toolkit fts info|whoami|delegate|submit|status|list|cancel|ban|unban</c>: the FTS3 command-line client
/// (fts-rest-whoami, -delegate, -transfer-submit, -transfer-status, -transfer-list, -transfer-cancel, -ban).
/// This file binds the command line into the typed options; <see cref="FtsHandlers"/> runs them.
/// </summary>
internal static class FtsCommands
{
    private static readonly Option<string> Endpoint = new("--endpoint", "-s") { Description = "FTS3 REST endpoint, e.g. https://fts3.example.org:8446 (default FTS3_ENDPOINT)", Recursive = true };
    private static readonly Option<string?> Cert = new("--cert") { Description = "User certificate (default: X509_USER_PROXY, /tmp/x509up_u<uid>, X509_USER_CERT, ~/.globus)", Recursive = true };
    private static readonly Option<string?> Key = new("--key") { Description = "User private key (with --cert)", Recursive = true };
    private static readonly Option<string?> Proxy = new("--proxy") { Description = "Proxy file", Recursive = true };
    private static readonly Option<string?> CaPath = new("--capath") { Description = "CA directory (default X509_CERT_DIR, else /etc/grid-security/certificates)", Recursive = true };
    private static readonly Option<bool> Insecure = new("--insecure") { Description = "Do not verify the server certificate", Recursive = true };
    private static readonly JsonFlag Json = CliOptions.Json(recursive: true);
    private static readonly HttpLimitOptions Limits = new("30s");
    private static readonly Option<bool> Token = new("--token") { Description = "Authenticate with a WLCG bearer token (BEARER_TOKEN, BEARER_TOKEN_FILE, ...) instead of X.509", Recursive = true };

    public static Command Create()
    {
        var fts = new Command("fts", "FTS3 file transfer service client");
        foreach (var o in new Option[] { Endpoint, Cert, Key, Proxy, CaPath, Insecure })
        {
            fts.Options.Add(o);
        }

        Json.AddTo(fts);
        fts.Options.Add(Token);
        Limits.AddTo(fts);
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

    private static FtsGlobalOptions Global(ParseResult parse) => new(
        parse.GetValue(Endpoint), parse.GetValue(Cert), parse.GetValue(Key), parse.GetValue(Proxy), parse.GetValue(CaPath),
        parse.GetValue(Insecure), parse.GetValue(Token), Json.GetValue(parse), parse.GetValue(Limits.Timeout), parse.GetValue(Limits.MaxResponseSize));

    private static Command Info()
    {
        var cmd = new Command("info", "Show the server's versions");
        cmd.SetAction((parse, ct) => FtsHandlers.InfoAsync(Global(parse), CliConsole.System(), ct));
        return cmd;
    }

    private static Command WhoAmI()
    {
        var cmd = new Command("whoami", "Show who the server thinks you are");
        cmd.SetAction((parse, ct) => FtsHandlers.WhoAmIAsync(Global(parse), CliConsole.System(), ct));
        return cmd;
    }

    private static Command Delegate()
    {
        var lifetime = new Option<double>("--lifetime") { Description = "Lifetime of the delegated proxy in hours (default 12)", DefaultValueFactory = _ => 12 };
        var force = new Option<bool>("--force", "-f") { Description = "Delegate even if the server has a proxy with enough time left" };
        var cmd = new Command("delegate", "Delegate your proxy to the server") { lifetime, force };
        cmd.SetAction((parse, ct) => FtsHandlers.DelegateAsync(new FtsDelegateOptions(Global(parse), parse.GetValue(lifetime), parse.GetValue(force)), CliConsole.System(), ct));
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
        cmd.SetAction((parse, ct) => FtsHandlers.SubmitAsync(
            new FtsSubmitOptions(Global(parse), parse.GetValue(urls) ?? [], parse.GetValue(bulk), parse.GetValue(checksum), parse.GetValue(verify),
                parse.GetValue(overwrite), parse.GetValue(reuse), parse.GetValue(priority), parse.GetValue(retry), parse.GetValue(metadata), parse.GetValue(sid), parse.GetValue(idGenerator)),
            CliConsole.System(), ct));
        return cmd;
    }

    private static Command Status()
    {
        var job = new Argument<string>("JOB") { Description = "Job id" };
        var files = new Option<bool>("--files") { Description = "Show the files" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Poll until the job is terminal; exit 0 only when it FINISHED" };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls with --watch (default 5)", DefaultValueFactory = _ => 5 };
        var cmd = new Command("status", "Show the state of a job") { job, files, watch, interval };
        cmd.SetAction((parse, ct) => FtsHandlers.StatusAsync(
            new FtsStatusOptions(Global(parse), parse.GetValue(job)!, parse.GetValue(files), parse.GetValue(watch), parse.GetValue(interval)), CliConsole.System(), ct));
        return cmd;
    }

    private static Command List()
    {
        var dn = new Option<string?>("--dn") { Description = "Only jobs of this user DN" };
        var vo = new Option<string?>("--vo") { Description = "Only jobs of this VO" };
        var state = new Option<string[]>("--state") { Description = "Only jobs in these states (repeat or comma-separate)", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int?>("--limit") { Description = "At most this many (0..500)" };
        var cmd = new Command("list", "List jobs (by default your unfinished ones)") { dn, vo, state, limit };
        cmd.SetAction((parse, ct) =>
        {
            var states = parse.GetValue(state)?.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            return FtsHandlers.ListAsync(new FtsListOptions(Global(parse), parse.GetValue(dn), parse.GetValue(vo), states, parse.GetValue(limit)), CliConsole.System(), ct);
        });
        return cmd;
    }

    private static Command Cancel()
    {
        var job = new Argument<string>("JOB") { Description = "Job id" };
        var fileIds = new Argument<long[]>("FILE_IDS") { Description = "Cancel only these files", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("cancel", "Cancel a job or some of its files") { job, fileIds };
        cmd.SetAction((parse, ct) => FtsHandlers.CancelAsync(new FtsCancelOptions(Global(parse), parse.GetValue(job)!, parse.GetValue(fileIds)), CliConsole.System(), ct));
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
        cmd.SetAction((parse, ct) => FtsHandlers.BanAsync(
            new FtsBanOptions(Global(parse), parse.GetValue(se), parse.GetValue(dn), parse.GetValue(status)!, parse.GetValue(timeout), parse.GetValue(allowSubmit), parse.GetValue(vo), parse.GetValue(message)),
            CliConsole.System(), ct));
        return cmd;
    }

    private static Command Unban()
    {
        var se = new Option<string?>("--se") { Description = "Storage to unban" };
        var dn = new Option<string?>("--dn") { Description = "User DN to unban" };
        var vo = new Option<string?>("--vo") { Description = "The VO of a storage ban" };
        var cmd = new Command("unban", "Lift a storage or user ban") { se, dn, vo };
        cmd.SetAction((parse, ct) => FtsHandlers.UnbanAsync(new FtsUnbanOptions(Global(parse), parse.GetValue(se), parse.GetValue(dn), parse.GetValue(vo)), CliConsole.System(), ct));
        return cmd;
    }
}
