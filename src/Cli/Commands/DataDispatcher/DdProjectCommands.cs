using System.CommandLine;

namespace Toolkit.Cli;

/// <summary>
/// <c>toolkit dd project create|show|list|search|cancel|activate|copy|restart</c>: binds the command line into the
/// typed options; <see cref="DdProjectHandlers"/> runs them.
/// </summary>
internal static class DdProjectCommands
{
    public static Command Create()
    {
        var project = new Command("project", "Create, inspect and control projects");
        project.Subcommands.Add(CreateCreate());
        project.Subcommands.Add(CreateShow());
        project.Subcommands.Add(CreateList());
        project.Subcommands.Add(CreateSearch());
        project.Subcommands.Add(ById("cancel", "Cancel a project", DdProjectHandlers.CancelAsync));
        project.Subcommands.Add(ById("activate", "Make an abandoned project active again", DdProjectHandlers.ActivateAsync));
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
        cmd.SetAction((parse, ct) => DdProjectHandlers.CreateAsync(
            new DdProjectCreateOptions(DdContext.Global(parse), parse.GetValue(dids) ?? [], parse.GetValue(fileList), parse.GetValue(attrs), parse.GetValue(fileAttrs),
                parse.GetValue(workerTimeout), parse.GetValue(idleTimeout), parse.GetValue(query), parse.GetValue(users)),
            CliConsole.System(), ct));
        return cmd;
    }

    private static Command CreateShow()
    {
        var id = IdArgument();
        var files = new Option<bool>("--files", "-f") { Description = "List the file handles" };
        var replicas = new Option<bool>("--replicas", "-r") { Description = "List the file handles with their replicas" };
        var watch = new Option<bool>("--watch") { Description = "Show progress (done/failed/reserved of total) until the project ends" };
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes with --watch (default 5)", DefaultValueFactory = _ => 5 };
        var cmd = new Command("show", "Show a project") { id, files, replicas, watch, interval };
        cmd.SetAction((parse, ct) => DdProjectHandlers.ShowAsync(
            new DdProjectShowOptions(DdContext.Global(parse), parse.GetValue(id)!, parse.GetValue(files), parse.GetValue(replicas), parse.GetValue(watch), parse.GetValue(interval)),
            CliConsole.System(), ct));
        return cmd;
    }

    private static Command CreateList()
    {
        var owner = new Option<string?>("--owner", "-u") { Description = "Owner ('all' for everyone; default: you)" };
        var state = new Option<string?>("--state", "-s") { Description = "Only this state ('all' for any; default: active)" };
        var notState = new Option<string?>("--not-state", "-n") { Description = "Exclude this state (default: abandoned)" };
        var attrs = AttrOption("--attr", "Only projects with attribute NAME=VALUE; repeatable");
        var cmd = new Command("list", "List projects") { owner, state, notState, attrs };
        cmd.SetAction((parse, ct) => DdProjectHandlers.ListAsync(
            new DdProjectListOptions(DdContext.Global(parse), parse.GetValue(owner), parse.GetValue(state), parse.GetValue(notState), parse.GetValue(attrs)), CliConsole.System(), ct));
        return cmd;
    }

    private static Command CreateSearch()
    {
        var query = new Argument<string>("QUERY") { Description = "Query on project attributes, e.g. \"campaign = 'x' and run = 7\"" };
        var owner = new Option<string?>("--owner", "-u") { Description = "Only this owner's projects" };
        var state = new Option<string?>("--state", "-s") { Description = "Only this state ('all' for any; default: active)" };
        var cmd = new Command("search", "Search projects by attributes") { query, owner, state };
        cmd.SetAction((parse, ct) => DdProjectHandlers.SearchAsync(
            new DdProjectSearchOptions(DdContext.Global(parse), parse.GetValue(query)!, parse.GetValue(owner), parse.GetValue(state)), CliConsole.System(), ct));
        return cmd;
    }

    private static Command ById(string name, string description, System.Func<DdProjectIdOptions, CliConsole, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>> handler)
    {
        var id = IdArgument();
        var cmd = new Command(name, description) { id };
        cmd.SetAction((parse, ct) => handler(new DdProjectIdOptions(DdContext.Global(parse), parse.GetValue(id)!), CliConsole.System(), ct));
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
        cmd.SetAction((parse, ct) => DdProjectHandlers.CopyAsync(
            new DdProjectCopyOptions(DdContext.Global(parse), parse.GetValue(id)!, parse.GetValue(attrs), parse.GetValue(fileAttrs), parse.GetValue(workerTimeout), parse.GetValue(idleTimeout)),
            CliConsole.System(), ct));
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
        cmd.SetAction((parse, ct) => DdProjectHandlers.RestartAsync(
            new DdProjectRestartOptions(DdContext.Global(parse), parse.GetValue(id)!, parse.GetValue(done), parse.GetValue(failed), parse.GetValue(reserved), parse.GetValue(all), parse.GetValue(dids)),
            CliConsole.System(), ct));
        return cmd;
    }
}
