using System.CommandLine;

namespace Toolkit.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("toolkit: grid-computing protocols for .NET (XRootD monitoring, FTS3, Data Dispatcher, UNICORE, JAliEn)");
        root.Subcommands.Add(ProxyCommands.Create());
        root.Subcommands.Add(TokenCommands.Create());
        root.Subcommands.Add(XrdmonCommands.Create());
        root.Subcommands.Add(FtsCommands.Create());
        root.Subcommands.Add(DataDispatcherCommands.Create());
        return root.Parse(args).Invoke();
    }
}
