using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn;

namespace Toolkit.Cli;

/// <summary>Tab completion: command names on the first word, the verb's options after a '-', remote paths otherwise.</summary>
internal static class AlienCompleter
{
    /// <summary>The candidates for the word that ends at the end of <paramref name="line"/>.</summary>
    /// <param name="line">The text before the cursor.</param>
    /// <param name="commands">Every command name (server, client, aliases).</param>
    /// <param name="listDirectory">Lists a grid directory: names with '/' after directories.</param>
    /// <param name="ct">Cancels a listing.</param>
    /// <returns>The word being completed and its candidates (full replacements), sorted.</returns>
    public static async Task<(string Word, IReadOnlyList<string> Candidates)> CompleteAsync(string line, IEnumerable<string> commands, Func<string, CancellationToken, Task<IReadOnlyList<string>>> listDirectory, CancellationToken ct)
    {
        int start = line.LastIndexOfAny([' ', ';', '|']) + 1;
        string word = line[start..];
        string before = line[..start].TrimEnd();
        bool first = before.Length == 0 || before.EndsWith(';') || before.EndsWith('|');
        if (first)
        {
            return (word, commands.Where(c => c.StartsWith(word, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList());
        }
        if (word.StartsWith('-'))
        {
            string segment = before[(before.LastIndexOfAny([';', '|']) + 1)..];
            string verb = segment.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            var spec = AlienVerbs.Find(verb);
            return (word, spec is null ? [] : spec.Options.Select(o => o.Flag).Where(f => f.StartsWith(word, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList());
        }
        int slash = word.LastIndexOf('/');
        string parent = slash < 0 ? string.Empty : word[..(slash + 1)];
        string prefix = word[(slash + 1)..];
        var names = await listDirectory(parent, ct).ConfigureAwait(false);
        return (word, names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Select(n => parent + n).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The longest common prefix of the candidates.</summary>
    public static string CommonPrefix(IReadOnlyList<string> candidates)
    {
        if (candidates.Count == 0)
        {
            return string.Empty;
        }
        string prefix = candidates[0];
        foreach (var c in candidates)
        {
            int n = 0;
            while (n < prefix.Length && n < c.Length && prefix[n] == c[n])
            {
                n++;
            }
            prefix = prefix[..n];
        }
        return prefix;
    }
}
