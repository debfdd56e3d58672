using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Completions;
using System.Linq;

namespace Toolkit.Cli;

/// <summary>One command of the tree as a completion script sees it.</summary>
/// <param name="Path">The command path from the root, words separated by one space (<c>toolkit fts submit</c>).</param>
/// <param name="Subcommands">Names and aliases of the visible subcommands.</param>
/// <param name="Options">Names and aliases of the visible options, the recursive options of the ancestors included.</param>
/// <param name="ValuedOptions">The options that take a value in the next word, with the values they accept when fixed (else empty: files).</param>
internal sealed record CompletionNode(string Path, IReadOnlyList<string> Subcommands, IReadOnlyList<string> Options, IReadOnlyDictionary<string, IReadOnlyList<string>> ValuedOptions);

/// <summary>Flattens a System.CommandLine tree into the table the bash and zsh scripts are written from, so every
/// command, verb and option registered in <see cref="Program.CreateRoot"/> is completed without being listed twice.</summary>
internal static class CompletionTree
{
    /// <summary>Every visible command of the tree, the root first, depth first in registration order.</summary>
    /// <param name="root">The root command.</param>
    /// <param name="rootName">The word that runs the tool (<c>toolkit</c>).</param>
    /// <returns>One node per command.</returns>
    public static IReadOnlyList<CompletionNode> Flatten(Command root, string rootName)
    {
        ArgumentNullException.ThrowIfNull(root);
        var nodes = new List<CompletionNode>();
        Walk(root, rootName, [], nodes);
        return nodes;
    }

    private static void Walk(Command command, string path, List<Option> inherited, List<CompletionNode> nodes)
    {
        var subcommands = command.Subcommands.Where(c => !c.Hidden).ToList();
        var options = inherited.Concat(command.Options).Where(o => !o.Hidden).Distinct().ToList();
        var valued = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var option in options.Where(o => o.Arity.MinimumNumberOfValues > 0))
        {
            var values = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).Where(IsWord).Distinct(StringComparer.Ordinal).ToList();
            foreach (var name in Names(option.Name, option.Aliases))
            {
                valued[name] = values;
            }
        }

        nodes.Add(new CompletionNode(
            path,
            subcommands.SelectMany(c => Names(c.Name, c.Aliases)).ToList(),
            options.SelectMany(o => Names(o.Name, o.Aliases)).Where(n => n.StartsWith('-')).ToList(),
            valued));
        var passDown = inherited.Concat(command.Options.Where(o => o.Recursive)).ToList();
        foreach (var sub in subcommands)
        {
            Walk(sub, path + " " + sub.Name, passDown, nodes);
        }
    }

    private static IEnumerable<string> Names(string name, ICollection<string> aliases)
        => new[] { name }.Concat(aliases.OrderBy(a => a, StringComparer.Ordinal)).Where(IsWord);

    /// <summary>Only words a shell script can hold unquoted are completed (every name of the tree is one).</summary>
    internal static bool IsWord(string word)
        => word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or ',' or '=' or '+');
}
