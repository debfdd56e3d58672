using System;
using System.Globalization;
using System.Text;

namespace Toolkit.Cli;

/// <summary>
/// The one sanitiser for text from outside (server answers, files) on its way to a terminal in a table or a plain
/// line: control characters other than tab (C0, DEL, C1), the Unicode line and paragraph separators and the
/// bidirectional overrides become a visible <c>\uXXXX</c>, so a value can neither drive the terminal (escape
/// sequences, title changes, bells, carriage returns that overwrite the line) nor break a table row; and text longer
/// than a limit is cut with a note saying how much was left out. <c>--json</c> output does not go through here: it
/// stays exact, escaped JSON.
/// </summary>
internal static class TerminalText
{
    /// <summary>The default limit, in characters, for one value on a terminal.</summary>
    public const int DefaultMaxLength = 1000;

    /// <summary>Returns <paramref name="text"/> safe to print: escaped control characters, cut at <paramref name="maxLength"/>.</summary>
    /// <param name="text">The text from outside (null prints as empty).</param>
    /// <param name="maxLength">The most characters of <paramref name="text"/> shown.</param>
    /// <returns>The text to print; the same instance when nothing needed changing.</returns>
    public static string Clean(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var shown = text.Length <= maxLength ? text.Length : maxLength;
        if (shown < text.Length && char.IsHighSurrogate(text[shown - 1]))
        {
            shown--; // never cut a surrogate pair in half
        }

        var first = FirstUnsafe(text.AsSpan(0, shown));
        if (first < 0 && shown == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(shown + 64);
        sb.Append(text, 0, first < 0 ? shown : first);
        for (var i = first < 0 ? shown : first; i < shown; i++)
        {
            var c = text[i];
            if (IsUnsafe(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        if (shown < text.Length)
        {
            sb.Append("… (").Append((text.Length - shown).ToString(CultureInfo.InvariantCulture)).Append(" more characters not shown; --json prints all)");
        }

        return sb.ToString();
    }

    /// <summary>True for a character that must not reach a terminal as it is.</summary>
    /// <param name="c">The character.</param>
    /// <returns>True for C0 controls except tab, DEL, C1 controls, U+2028/U+2029 and the bidirectional controls.</returns>
    public static bool IsUnsafe(char c) =>
        (c < 0x20 && c != '\t')
        || c is >= '\u007f' and <= '\u009f'
        || c is '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u200e' or '\u200f' or '\u061c';

    private static int FirstUnsafe(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
