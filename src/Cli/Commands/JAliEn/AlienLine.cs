using System;
using System.Collections.Generic;
using System.Text;

namespace Toolkit.Cli;

/// <summary>alienpy's line handling: <c>;</c> chaining, shell-like word splitting with quotes, the first <c> | </c> pipe, aliases.</summary>
internal static class AlienLine
{
    private static readonly System.Buffers.SearchValues<char> QuoteChars = System.Buffers.SearchValues.Create(" \t'\";|");

    /// <summary>Splits on <c>;</c> and newlines outside quotes.</summary>
    public static List<string> SplitCommands(string line)
    {
        var parts = new List<string>();
        var sb = new StringBuilder();
        char quote = '\0';
        foreach (char c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                sb.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                sb.Append(c);
            }
            else if (c is ';' or '\n')
            {
                Flush();
            }
            else
            {
                sb.Append(c);
            }
        }
        Flush();
        return parts;

        void Flush()
        {
            string s = sb.ToString().Trim();
            if (s.Length > 0)
            {
                parts.Add(s);
            }
            sb.Clear();
        }
    }

    /// <summary>Words, with single and double quotes grouping and removed, backslash escaping the next character.</summary>
    /// <exception cref="FormatException">A quote is not closed.</exception>
    public static List<string> Words(string command)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < command.Length)
            {
                sb.Append(command[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(sb.ToString());
                    sb.Clear();
                    inWord = false;
                }
            }
            else
            {
                sb.Append(c);
                inWord = true;
            }
        }
        if (quote != '\0')
        {
            throw new FormatException("unclosed " + quote + " quote in: " + command);
        }
        if (inWord)
        {
            words.Add(sb.ToString());
        }
        return words;
    }

    /// <summary>Splits <c>alien part | local shell part</c> at the first <c> | </c> outside quotes; null when there is none.</summary>
    public static (string Alien, string Shell)? SplitPipe(string command)
    {
        char quote = '\0';
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '|' && i > 0 && command[i - 1] == ' ' && i + 1 < command.Length && command[i + 1] == ' ')
            {
                return (command[..i].Trim(), command[(i + 1)..].Trim());
            }
        }
        return null;
    }

    /// <summary>
    /// Applies aliases to the first word of each command (alienpy replaces substrings over the whole line, which also
    /// rewrites arguments; this is the deliberate deviation documented in docs/jalien.md).
    /// </summary>
    public static string ApplyAliases(string command, IReadOnlyDictionary<string, string> aliases)
    {
        int space = command.IndexOf(' ', StringComparison.Ordinal);
        string first = space < 0 ? command : command[..space];
        return aliases.TryGetValue(first, out var value) ? value + (space < 0 ? string.Empty : command[space..]) : command;
    }

    /// <summary>Reads <c>name=value</c> lines.</summary>
    public static Dictionary<string, string> ParseAliases(IEnumerable<string> lines)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            string line = raw.Trim();
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line.StartsWith('#') || eq <= 0)
            {
                continue;
            }
            aliases[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
        }
        return aliases;
    }

    /// <summary>Quotes a word for display or re-parsing when it holds spaces or quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.AsSpan().IndexOfAny(QuoteChars) < 0 ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
