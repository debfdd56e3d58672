using System.CommandLine;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using Toolkit.DataDispatcher;

namespace Toolkit.Cli;

/// <summary><c>toolkit dd rse list|show|set-available</c>.</summary>
internal static class DdRseCommands
{
    public static Command Create()
    {
        var rse = new Command("rse", "Storage elements known to Data Dispatcher");
        var list = new Command("list", "List the RSEs");
        list.SetAction((parse, ct) => ListAsync(DdContext.Global(parse), CliConsole.System(), ct));
        rse.Subcommands.Add(list);

        var name = new Argument<string>("NAME") { Description = "RSE name" };
        var show = new Command("show", "Show one RSE") { name };
        show.SetAction((parse, ct) => ShowAsync(new DdRseOptions(DdContext.Global(parse), parse.GetValue(name)!), CliConsole.System(), ct));
        rse.Subcommands.Add(show);

        var name2 = new Argument<string>("NAME") { Description = "RSE name" };
        var value = new Argument<string>("AVAILABLE") { Description = "yes or no" };
        value.AcceptOnlyFromAmong("yes", "no");
        var set = new Command("set-available", "Mark an RSE available or unavailable (admin)") { name2, value };
        set.SetAction((parse, ct) => SetAvailableAsync(new DdRseOptions(DdContext.Global(parse), parse.GetValue(name2)!, parse.GetValue(value) == "yes"), CliConsole.System(), ct));
        rse.Subcommands.Add(set);
        return rse;
    }

    /// <summary><c>dd rse list</c>.</summary>
    public static Task<int> ListAsync(DdGlobalOptions g, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(g);
        var rses = await client.ListRsesAsync(ct).ConfigureAwait(false);
        if (g.Json)
        {
            DdContext.WriteJsonList(console, rses, (w, r) => r.WriteJson(w));
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("name", "enabled", "available", "tape", "preference", "description");
        foreach (var r in rses)
        {
            table.AddRow(DdContext.Esc(r.Name), YesNo(r.IsEnabled), YesNo(r.IsAvailable), YesNo(r.IsTape), r.Preference?.ToString(CultureInfo.InvariantCulture) ?? "", DdContext.Esc(r.Description));
        }

        DdContext.Ansi(console).Write(table);
        return ExitCodes.Ok;
    });

    /// <summary><c>dd rse show</c>.</summary>
    public static Task<int> ShowAsync(DdRseOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global);
        var r = await client.GetRseAsync(o.Name, ct).ConfigureAwait(false)
            ?? throw new DataDispatcherNotFoundException("RSE " + o.Name + " not found");
        PrintRse(o.Global, console, r);
        return ExitCodes.Ok;
    });

    /// <summary><c>dd rse set-available</c>.</summary>
    public static Task<int> SetAvailableAsync(DdRseOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global);
        PrintRse(o.Global, console, await client.SetRseAvailabilityAsync(o.Name, o.Available ?? true, ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    private static string YesNo(bool? b) => b is null ? "" : b.Value ? "yes" : "no";

    private static void PrintRse(DdGlobalOptions g, CliConsole console, Rse r)
    {
        if (g.Json)
        {
            DdContext.WriteJson(console, r.WriteJson);
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
        DdContext.Ansi(console).Write(grid);
    }
}
