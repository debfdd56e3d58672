using System;
using System.CommandLine;
using System.Globalization;

namespace Toolkit.Cli;

/// <summary>
/// <c>--http-timeout</c> and <c>--max-response-size</c>: the limits of every REST client command group (<c>fts</c>,
/// <c>dd</c>), spelled and parsed the same way. Unset means the library's default (the options' <c>Timeout</c> and
/// <c>MaxResponseBytes</c>).
/// </summary>
internal sealed class HttpLimitOptions
{
    public HttpLimitOptions(string defaultTimeout)
    {
        Timeout = new Option<string?>("--http-timeout")
        {
            Description = "Give up on a server that sends nothing for this long: seconds or 90s, 5m (default " + defaultTimeout + ")",
            Recursive = true,
        };
        MaxResponseSize = new Option<string?>("--max-response-size")
        {
            Description = "Refuse server answers larger than this: bytes or 512K, 64M, 1G (default 64M)",
            Recursive = true,
        };
    }

    /// <summary><c>--http-timeout</c>.</summary>
    public Option<string?> Timeout { get; }

    /// <summary><c>--max-response-size</c>.</summary>
    public Option<string?> MaxResponseSize { get; }

    /// <summary>Adds both options to a command group.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Timeout);
        command.Options.Add(MaxResponseSize);
    }

    /// <summary>The timeout given, or null.</summary>
    /// <exception cref="FormatException">Not a positive duration.</exception>
    public static TimeSpan? ParseTimeout(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var t = text.Trim();
        double mult = 1;
        if (t.Length > 0 && char.ToLowerInvariant(t[^1]) is 's' or 'm' or 'h')
        {
            mult = char.ToLowerInvariant(t[^1]) switch { 'm' => 60, 'h' => 3600, _ => 1 };
            t = t[..^1];
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v * mult) || v <= 0 || v * mult > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new FormatException("--http-timeout: '" + text + "' is not a positive duration (seconds, or a number followed by s, m or h)");
        }

        return TimeSpan.FromSeconds(v * mult);
    }

    /// <summary>The size given in bytes, or null.</summary>
    /// <exception cref="FormatException">Not a positive size.</exception>
    public static long? ParseSize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var t = text.Trim();
        var shift = 0;
        if (t.Length > 0 && char.ToUpperInvariant(t[^1]) is 'K' or 'M' or 'G')
        {
            shift = char.ToUpperInvariant(t[^1]) switch { 'K' => 10, 'M' => 20, _ => 30 };
            t = t[..^1];
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v <= 0 || v > long.MaxValue >> shift)
        {
            throw new FormatException("--max-response-size: '" + text + "' is not a positive size (bytes, or a number followed by K, M or G)");
        }

        return v << shift;
    }
}
