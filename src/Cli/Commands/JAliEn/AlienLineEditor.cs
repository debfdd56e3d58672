using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Cli;

/// <summary>A small line editor for the terminal: editing keys, history (up/down) and tab completion.</summary>
internal static class AlienLineEditor
{
    public static async Task<string?> ReadLineAsync(string prompt, AlienShell shell, CancellationToken ct)
    {
        Console.Write(prompt);
        var buffer = new StringBuilder();
        int cursor = 0;
        var history = shell.History().ToList();
        int index = history.Count;
        while (!ct.IsCancellationRequested)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    return buffer.ToString();
                case ConsoleKey.Backspace when cursor > 0:
                    buffer.Remove(--cursor, 1);
                    break;
                case ConsoleKey.Delete when cursor < buffer.Length:
                    buffer.Remove(cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < buffer.Length:
                    cursor++;
                    break;
                case ConsoleKey.Home:
                    cursor = 0;
                    break;
                case ConsoleKey.End:
                    cursor = buffer.Length;
                    break;
                case ConsoleKey.UpArrow when index > 0:
                    buffer.Clear().Append(history[--index]);
                    cursor = buffer.Length;
                    break;
                case ConsoleKey.DownArrow when index < history.Count:
                    index++;
                    buffer.Clear().Append(index < history.Count ? history[index] : string.Empty);
                    cursor = buffer.Length;
                    break;
                case ConsoleKey.Tab:
                    cursor = await CompleteAsync(prompt, buffer, cursor, shell, ct).ConfigureAwait(false);
                    break;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && buffer.Length == 0:
                    Console.WriteLine();
                    return null;
                case ConsoleKey.C when key.Modifiers.HasFlag(ConsoleModifiers.Control):
                    Console.WriteLine("^C");
                    buffer.Clear();
                    cursor = 0;
                    Console.Write(prompt);
                    continue;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        buffer.Insert(cursor++, key.KeyChar);
                    }
                    break;
            }
            Redraw(prompt, buffer, cursor);
        }
        return null;
    }

    private static async Task<int> CompleteAsync(string prompt, StringBuilder buffer, int cursor, AlienShell shell, CancellationToken ct)
    {
        string before = buffer.ToString(0, cursor);
        var connection = await shell.ConnectionAsync(ct).ConfigureAwait(false);
        var commands = connection.ServerCommands.Concat(Toolkit.JAliEn.AlienVerbs.All.Select(v => v.Name)).Concat(shell.Aliases.Keys)
            .Concat(AlienShell.ClientCommandNames);
        var (word, candidates) = await AlienCompleter.CompleteAsync(before, commands, (dir, token) => shell.ListForCompletionAsync(dir, token), ct).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return cursor;
        }
        string replacement = candidates.Count == 1 ? candidates[0] + (candidates[0].EndsWith('/') ? string.Empty : " ") : AlienCompleter.CommonPrefix(candidates);
        if (candidates.Count > 1 && replacement.Length <= word.Length)
        {
            Console.WriteLine();
            Console.WriteLine(string.Join("  ", candidates.Select(c => TerminalText.Clean(c))));
            Console.Write(prompt);
        }
        buffer.Remove(cursor - word.Length, word.Length).Insert(cursor - word.Length, replacement);
        return cursor - word.Length + replacement.Length;
    }

    private static void Redraw(string prompt, StringBuilder buffer, int cursor)
    {
        Console.Write("\r" + prompt + buffer + "\u001b[K");
        int back = buffer.Length - cursor;
        if (back > 0)
        {
            Console.Write("\u001b[" + back + "D");
        }
    }
}
