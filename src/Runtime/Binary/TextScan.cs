using System;
using System.Buffers.Text;

namespace Toolkit.Runtime.Binary;

/// <summary>Helpers the generated text views use: literal search that skips bracketed parts, decimal parsing.</summary>
public static class TextScan
{
    /// <summary>
    /// Index of the first occurrence of <paramref name="literal"/> in <paramref name="text"/> that is not inside a
    /// <c>[...]</c> bracketed part (such as an IPv6 address), or -1.
    /// </summary>
    /// <param name="text">The text to search.</param>
    /// <param name="literal">The literal (non-empty).</param>
    /// <returns>The index, or -1.</returns>
    public static int IndexOfOutsideBrackets(ReadOnlySpan<byte> text, ReadOnlySpan<byte> literal)
    {
        if (literal.IsEmpty)
        {
            return 0;
        }

        var depth = 0;
        for (var i = 0; i <= text.Length - literal.Length; i++)
        {
            var b = text[i];
            if (depth == 0 && b == literal[0] && text.Slice(i, literal.Length).SequenceEqual(literal))
            {
                return i;
            }

            if (b == (byte)'[')
            {
                depth++;
            }
            else if (b == (byte)']' && depth > 0)
            {
                depth--;
            }
        }

        return -1;
    }

    /// <summary>Parses a whole span as a decimal integer (optional leading '-').</summary>
    /// <param name="text">The digits.</param>
    /// <param name="value">The value, or 0.</param>
    /// <returns>True when the whole span is a decimal integer that fits a <see cref="long"/>.</returns>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        if (Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && text.Length > 0)
        {
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Decodes UTF-8 text (invalid sequences become U+FFFD).</summary>
    /// <param name="text">The bytes.</param>
    /// <returns>The string.</returns>
    public static string ToUtf8String(ReadOnlySpan<byte> text) => System.Text.Encoding.UTF8.GetString(text);
}
