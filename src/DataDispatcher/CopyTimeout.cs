using System;
using System.Globalization;
using System.Text.Json;

namespace Toolkit.DataDispatcher;

/// <summary>
/// A timeout of copy_project: inherit the copied project's (<see cref="Default"/>), none at all
/// (<see cref="None"/>, sent as <c>"no timeout"</c>), or a number of seconds.
/// </summary>
public readonly record struct CopyTimeout
{
    private readonly double? _seconds;
    private readonly bool _none;

    private CopyTimeout(double? seconds, bool none)
    {
        _seconds = seconds;
        _none = none;
    }

    /// <summary>Keep the copied project's timeout (sent as <c>"default"</c>).</summary>
    public static CopyTimeout Default => default;

    /// <summary>No timeout (sent as <c>"no timeout"</c>).</summary>
    public static CopyTimeout None => new(null, true);

    /// <summary>A timeout in seconds.</summary>
    /// <param name="seconds">Seconds (finite, not negative).</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is negative, infinite or NaN.</exception>
    public static CopyTimeout FromSeconds(double seconds)
    {
        if (!double.IsFinite(seconds))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "a timeout must be a finite number of seconds");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        return new(seconds, false);
    }

    /// <summary>Whether this is <see cref="Default"/>.</summary>
    public bool IsDefault => _seconds is null && !_none;

    /// <summary>Whether this is <see cref="None"/>.</summary>
    public bool IsNone => _none;

    /// <summary>The seconds, when a number was given.</summary>
    public double? Seconds => _seconds;

    /// <summary>Parses the seed's notation: <c>none</c>/<c>None</c>/<c>no timeout</c>, <c>default</c> (or empty), or seconds with an optional s/m/h/d unit.</summary>
    /// <param name="text">The text; null means default.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">Not a timeout.</exception>
    public static CopyTimeout Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "default")
        {
            return Default;
        }

        if (text.Trim() is "none" or "None" or "no timeout")
        {
            return None;
        }

        return FromSeconds(Timeouts.ParseSeconds(text));
    }

    /// <summary>The JSON value sent to the server.</summary>
    /// <returns>A string or a number.</returns>
    public JsonElement ToJson()
    {
        var text = _none ? "\"no timeout\"" : _seconds is { } s ? s.ToString("R", CultureInfo.InvariantCulture) : "\"default\"";
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <inheritdoc/>
    public override string ToString() => _none ? "no timeout" : _seconds is { } s ? s.ToString(CultureInfo.InvariantCulture) + " s" : "default";
}
