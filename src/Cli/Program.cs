using System.Collections.Generic;
using System.CommandLine;

namespace Toolkit.Cli;

internal static class Program
{
    /// <summary>What the root help says: only the protocols the tool implements today.</summary>
    internal const string Description = "toolkit: grid-computing protocols for .NET (X.509 proxies and bearer tokens, XRootD monitoring, FTS3, Data Dispatcher, UNICORE, UFTP, JAliEn)";

    public static int Main(string[] args) => CreateRoot().Parse(args, ParserConfigurationFor(args)).Invoke();

    /// <summary>
    /// How the command line is split into tokens. <c>toolkit alien</c> passes its words through as typed, so POSIX
    /// bundling is off for it: alienpy's <c>ps -jdl 5</c> is the one option <c>-jdl</c> of <c>ps</c>, not <c>-j -d -l</c>
    /// (<c>-j</c> being alien's own JSON flag).
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <returns>The parser configuration for it.</returns>
    internal static ParserConfiguration ParserConfigurationFor(IReadOnlyList<string> args)
        => new() { EnablePosixBundling = !(args.Count > 0 && args[0] == "alien") };

    /// <summary>The whole command tree (also used by the tests).</summary>
    /// <returns>The root command.</returns>
    internal static RootCommand CreateRoot()
    {
        var root = new RootCommand(Description);
        root.Subcommands.Add(ProxyCommands.Create());
        root.Subcommands.Add(TokenCommands.Create());
        root.Subcommands.Add(XrdmonCommands.Create());
        root.Subcommands.Add(FtsCommands.Create());
        root.Subcommands.Add(DataDispatcherCommands.Create());
        root.Subcommands.Add(UnicoreCommands.Create());
        root.Subcommands.Add(UftpCommands.Create());
        root.Subcommands.Add(AlienCliCommands.Create());
        root.Subcommands.Add(CompletionCommands.Create());
        return root;
    }
}
