using System;
using System.Globalization;

namespace Toolkit.Cli;

/// <summary>Every time and duration format the commands print, in one place (invariant culture, UTC).</summary>
internal static class TimeFormats
{
    /// <summary>ISO 8601 UTC for JSON: <c>2026-01-31T12:00:00Z</c>.</summary>
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>For people: <c>2026-01-31 12:00:00 UTC</c>.</summary>
    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>For tables: <c>2026-01-31 12:00:00</c> (UTC, no suffix).</summary>
    public static string Table(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>As grid-proxy-init prints it: <c>Sat Jan 31 12:00:00 2026 UTC</c>.</summary>
    public static string Globus(DateTimeOffset t) => t.UtcDateTime.ToString("ddd MMM d HH:mm:ss yyyy 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Unix seconds (fractional) for people, or empty when null.</summary>
    public static string UnixUtc(double? unixSeconds) =>
        unixSeconds is { } t ? Utc(DateTimeOffset.FromUnixTimeMilliseconds((long)(t * 1000))) : string.Empty;

    /// <summary>A time left as grid-proxy-info prints it: <c>H:MM:SS</c> (hours unbounded).</summary>
    public static string Left(TimeSpan left) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}:{left.Minutes:00}:{left.Seconds:00}");

    /// <summary>A duration in seconds, <c>90 s</c>, or <c>none</c>.</summary>
    public static string Seconds(double? s) => s is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) + " s" : "none";
}
