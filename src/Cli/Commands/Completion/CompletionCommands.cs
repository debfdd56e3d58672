using System.CommandLine;

namespace Toolkit.Cli;

/// <summary>The options of <c>toolkit completion SHELL</c>.</summary>
/// <param name="Shell">bash or zsh.</param>
internal sealed record CompletionOptions(string Shell);

/// <summary><c>toolkit completion bash|zsh</c>: prints a completion script written from the command tree, so every
/// command, verb and option registered in <see cref="Program.CreateRoot"/> completes without being listed twice.</summary>
internal static class CompletionCommands
{
    /// <summary>The shells a script is written for.</summary>
    internal static readonly string[] Shells = ["bash", "zsh"];

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "The shell: bash or zsh" };
        shell.AcceptOnlyFromAmong(Shells);
        var completion = new Command("completion", "Print a shell completion script (bash: source <(toolkit completion bash); zsh: source <(toolkit completion zsh) after compinit)") { shell };
        completion.SetAction(parse => Print(new CompletionOptions(parse.GetValue(shell)!), parse.RootCommandResult.Command, CliConsole.System()));
        return completion;
    }

    /// <summary><c>completion</c>: writes the script for the tree under <paramref name="root"/>.</summary>
    /// <param name="o">The options.</param>
    /// <param name="root">The root command of the tool.</param>
    /// <param name="console">Where the script goes.</param>
    /// <returns>The exit code.</returns>
    public static int Print(CompletionOptions o, Command root, CliConsole console)
    {
        var nodes = CompletionTree.Flatten(root, "toolkit");
        console.Out.Write(o.Shell == "zsh" ? CompletionScripts.Zsh(nodes, "toolkit") : CompletionScripts.Bash(nodes, "toolkit"));
        return ExitCodes.Ok;
    }
}
