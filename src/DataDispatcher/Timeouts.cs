using System;
using System.Globalization;

namespace Toolkit.DataDispatcher;

/// <summary>The timeout notation of the seed's copy_project and CLI: seconds, or a number with s/m/h/d.</summary>
public static class Timeouts
{
    /// <summary>Parses <c>90</c>, <c>90s</c>, <c>90m</c>, <c>2h</c>, <c>1d</c>, <c>1.5h</c> into seconds.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Seconds.</returns>
    /// <exception cref="FormatException">Not a number with an optional unit.</exception>
    public static double ParseSeconds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        double mult = 1;
        if (t.Length > 0 && char.ToLowerInvariant(t[^1]) is 's' or 'm' or 'h' or 'd')
        {
            mult = char.ToLowerInvariant(t[^1]) switch { 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 1 };
            t = t[..^1];
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v * mult) || v < 0)
        {
            throw new FormatException("'" + text + "' is not a timeout (seconds, or a number followed by s, m, h or d)");
        }

        return v * mult;
    }
}
