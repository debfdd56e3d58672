using System;
using System.CommandLine;

namespace Toolkit.Cli;

/// <summary>Global options of <c>toolkit unicore</c>.</summary>
internal sealed record UnicoreGlobalOptions(string? Site, string? Registry, string? Workflows, string? User, bool AskPassword, string? Token, string? Identity,
    string? Preferences, string? CaPath, bool Insecure, double Timeout, bool Json, string? HttpTimeout = null, string? MaxResponseSize = null);

/// <summary>Options of <c>toolkit unicore cp</c>.</summary>
internal sealed record UnicoreCpOptions(UnicoreGlobalOptions Global, string Source, string Target, string Protocol, int Streams, string? UftpAuth);

/// <summary>
/// <c>toolkit unicore connect|run|list-jobs|job-status|get-output|abort-job|ls|cp|workflow|list-sites</c>: a ucc-like
/// UNICORE client. This file binds the command line; <see cref="UnicoreHandlers"/> runs it.
/// </summary>
internal static class UnicoreCommands
{
    private static readonly Option<string?> Site = new("--site", "-s") { Description = "Site core URL, e.g. https://host:8080/DEMO-SITE/rest/core (default UNICORE_URL)", Recursive = true };
    private static readonly Option<string?> Registry = new("--registry", "-r") { Description = "Registry URL (default UNICORE_REGISTRY)", Recursive = true };
    private static readonly Option<string?> Workflows = new("--workflows", "-w") { Description = "Workflow service URL (default: the registry's first one)", Recursive = true };
    private static readonly Option<string?> User = new("--user", "-u") { Description = "USER[:PASS] for Basic authentication (default UNICORE_USER, UNICORE_PASSWORD)", Recursive = true };
    private static readonly Option<bool> AskPassword = new("--password", "-P") { Description = "Ask for the password", Recursive = true };
    private static readonly Option<string?> Token = new("--token", "-A") { Description = "Bearer token (default UNICORE_TOKEN)", Recursive = true };
    private static readonly Option<string?> Identity = new("--identity", "-i") { Description = "Private key (PEM or OpenSSH, RSA or EC P-256) to sign a JWT for -u USER", Recursive = true };
    private static readonly Option<string?> Preferences = new("--preferences") { Description = "User preferences, e.g. uid:alice,group:hpc,role:user", Recursive = true };
    private static readonly Option<string?> CaPath = new("--capath") { Description = "CA directory to trust (hashed PEM files, as X509_CERT_DIR); default: the system's trust", Recursive = true };
    private static readonly Option<bool> Insecure = new("--insecure") { Description = "Do not verify the server certificate", Recursive = true };
    private static readonly Option<double> Timeout = new("--timeout") { Description = "Seconds per HTTP attempt (default 60; --http-timeout wins)", DefaultValueFactory = _ => 60, Recursive = true };
    private static readonly HttpLimitOptions Limits = new("60s");
    private static readonly JsonFlag Json = CliOptions.Json(recursive: true);

    public static Command Create()
    {
        var cmd = new Command("unicore", "UNICORE client (jobs, storages, workflows, registry), in the spirit of ucc and PyUNICORE");
        foreach (var o in new Option[] { Site, Registry, Workflows, User, AskPassword, Token, Identity, Preferences, CaPath, Insecure, Timeout })
        {
            cmd.Options.Add(o);
        }

        Limits.AddTo(cmd);
        Json.AddTo(cmd);
        cmd.Subcommands.Add(Simple("connect", "Check the credentials: who the site thinks you are", (g, c, ct) => UnicoreHandlers.ConnectAsync(g, c, ct)));
        cmd.Subcommands.Add(Run());
        cmd.Subcommands.Add(ListJobs());
        cmd.Subcommands.Add(WithUrl("job-status", "Show a job's status", UnicoreHandlers.JobStatusAsync));
        cmd.Subcommands.Add(GetOutput());
        cmd.Subcommands.Add(WithUrl("abort-job", "Abort a job", UnicoreHandlers.AbortJobAsync));
        cmd.Subcommands.Add(Ls());
        cmd.Subcommands.Add(Cp());
        cmd.Subcommands.Add(Workflow());
        cmd.Subcommands.Add(Simple("list-sites", "List the sites (and workflow services) of the registry", (g, c, ct) => UnicoreHandlers.ListSitesAsync(g, c, ct)));
        return cmd;
    }

    private static UnicoreGlobalOptions Global(ParseResult p) => new(p.GetValue(Site), p.GetValue(Registry), p.GetValue(Workflows), p.GetValue(User), p.GetValue(AskPassword),
        p.GetValue(Token), p.GetValue(Identity), p.GetValue(Preferences), p.GetValue(CaPath), p.GetValue(Insecure), p.GetValue(Timeout), Json.GetValue(p),
        p.GetValue(Limits.Timeout), p.GetValue(Limits.MaxResponseSize));

    private static Command Simple(string name, string description, Func<UnicoreGlobalOptions, CliConsole, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>> run)
    {
        var cmd = new Command(name, description);
        cmd.SetAction((p, ct) => run(Global(p), CliConsole.System(), ct));
        return cmd;
    }

    private static Command WithUrl(string name, string description, Func<UnicoreGlobalOptions, string, CliConsole, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>> run)
    {
        var url = new Argument<string>("URL") { Description = "The resource URL (as printed by run or list-jobs)" };
        var cmd = new Command(name, description) { url };
        cmd.SetAction((p, ct) => run(Global(p), p.GetValue(url)!, CliConsole.System(), ct));
        return cmd;
    }

    private static Command Run()
    {
        var file = new Argument<string>("JOB.json") { Description = "The job description (UNICORE JSON: Executable, Arguments, Environment, Imports, Resources, ...)" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the job has finished, then show its status and exit code" };
        var waitTimeout = new Option<double?>("--wait-timeout") { Description = "Seconds to wait at most with --wait" };
        var cmd = new Command("run", "Submit a job") { file, wait, waitTimeout };
        cmd.SetAction((p, ct) => UnicoreHandlers.RunAsync(Global(p), p.GetValue(file)!, p.GetValue(wait), p.GetValue(waitTimeout), CliConsole.System(), ct));
        return cmd;
    }

    private static Command ListJobs()
    {
        var offset = new Option<int?>("--offset") { Description = "First job" };
        var num = new Option<int?>("--num", "-n") { Description = "Number of jobs" };
        var tags = new Option<string?>("--tags", "-t") { Description = "Only jobs with all these tags (comma-separated)" };
        var cmd = new Command("list-jobs", "List your jobs with their status") { offset, num, tags };
        cmd.SetAction((p, ct) => UnicoreHandlers.ListJobsAsync(Global(p), p.GetValue(offset), p.GetValue(num), p.GetValue(tags), CliConsole.System(), ct));
        return cmd;
    }

    private static Command GetOutput()
    {
        var url = new Argument<string>("URL") { Description = "The job URL" };
        var dir = new Option<string>("--output", "-o") { Description = "Directory for stdout and stderr (default .)", DefaultValueFactory = _ => "." };
        var cmd = new Command("get-output", "Download a job's stdout and stderr") { url, dir };
        cmd.SetAction((p, ct) => UnicoreHandlers.GetOutputAsync(Global(p), p.GetValue(url)!, p.GetValue(dir)!, CliConsole.System(), ct));
        return cmd;
    }

    private static Command Ls()
    {
        var path = new Argument<string>("[STORAGE:]PATH") { Description = "A directory, e.g. HOME:/data (default HOME:/)", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "HOME:/" };
        var lng = new Option<bool>("--long", "-l") { Description = "Show size, permissions and time" };
        var cmd = new Command("ls", "List a remote directory") { path, lng };
        cmd.SetAction((p, ct) => UnicoreHandlers.LsAsync(Global(p), p.GetValue(path)!, p.GetValue(lng), CliConsole.System(), ct));
        return cmd;
    }

    private static Command Cp()
    {
        var src = new Argument<string>("SOURCE") { Description = "Local path or STORAGE:/path" };
        var dst = new Argument<string>("TARGET") { Description = "Local path or STORAGE:/path" };
        var protocol = new Option<string>("--protocol") { Description = "Upload/download protocol: auto (UFTP when the storage offers it, else BFT over HTTP), UFTP or BFT", DefaultValueFactory = _ => "auto" };
        protocol.AcceptOnlyFromAmong("auto", "UFTP", "BFT");
        var streams = new Option<int>("--streams", "-n") { Description = "UFTP data streams (default 1)", DefaultValueFactory = _ => 1 };
        var auth = new Option<string?>("--uftp-auth") { Description = "UFTP Auth endpoint https://HOST:PORT/rest/auth/SERVER (default: the first server at the site gateway's /rest/auth)" };
        var cmd = new Command("cp", "Copy files: upload and download (UFTP when the storage offers it, else HTTP), or between storages of the site") { src, dst, protocol, streams, auth };
        cmd.SetAction((p, ct) => UnicoreHandlers.CpAsync(new UnicoreCpOptions(Global(p), p.GetValue(src)!, p.GetValue(dst)!, p.GetValue(protocol)!, p.GetValue(streams), p.GetValue(auth)), CliConsole.System(), ct));
        return cmd;
    }

    private static Command Workflow()
    {
        var wf = new Command("workflow", "Submit and watch workflows");
        var file = new Argument<string>("WORKFLOW.json") { Description = "The workflow description" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the workflow is finished or held" };
        var submit = new Command("submit", "Submit a workflow") { file, wait };
        submit.SetAction((p, ct) => UnicoreHandlers.WorkflowSubmitAsync(Global(p), p.GetValue(file)!, p.GetValue(wait), CliConsole.System(), ct));
        wf.Subcommands.Add(submit);
        wf.Subcommands.Add(WithUrl("status", "Show a workflow's status", UnicoreHandlers.WorkflowStatusAsync));
        wf.Subcommands.Add(WithUrl("resume", "Resume a held workflow", UnicoreHandlers.WorkflowResumeAsync));
        wf.Subcommands.Add(WithUrl("abort", "Abort a workflow", UnicoreHandlers.WorkflowAbortAsync));
        return wf;
    }
}
