using System;
using System.Collections.Generic;
using System.Text;

namespace Toolkit.JAliEn;

/// <summary>The directories a grid path is expanded against: the session's cwd and the user's home.</summary>
/// <param name="CurrentDirectory">The session's current directory (absolute).</param>
/// <param name="HomeDirectory">The user's home directory (absolute).</param>
public readonly record struct AlienPaths(string CurrentDirectory, string HomeDirectory)
{
    /// <summary>The directories of a channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>Its cwd and home.</returns>
    public static AlienPaths Of(IAlienChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new AlienPaths(channel.CurrentDirectory, channel.HomeDirectory);
    }
}

/// <summary>
/// Client-side expansion of grid paths (LFNs), as alienpy does before sending: <c>%ALIEN</c> and <c>~</c> are the home
/// directory, a relative path is relative to the cwd, <c>.</c> and <c>..</c> segments are resolved (never above
/// <c>/</c>), repeated slashes collapse, and a trailing <c>/</c> is kept (it matters to cp's rsync-style rule).
/// </summary>
public static class AlienPath
{
    /// <summary>Expands <paramref name="path"/> to an absolute grid path.</summary>
    /// <param name="path">The path as typed; empty means the cwd.</param>
    /// <param name="paths">The cwd and home.</param>
    /// <returns>The absolute path.</returns>
    /// <exception cref="ArgumentException">The path is relative and the cwd (or home) is not absolute.</exception>
    public static string Expand(string path, AlienPaths paths)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full;
        if (path.StartsWith("%ALIEN", StringComparison.Ordinal) && (path.Length == 6 || path[6] == '/'))
        {
            full = Absolute(paths.HomeDirectory, "home") + "/" + path[6..];
        }
        else if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            full = Absolute(paths.HomeDirectory, "home") + "/" + path[1..];
        }
        else if (path.StartsWith('/'))
        {
            full = path;
        }
        else
        {
            full = Absolute(paths.CurrentDirectory, "current") + "/" + path;
        }

        return Normalize(full, keepTrailingSlash: path.EndsWith('/'));
    }

    /// <summary>Like <see cref="Expand"/>, but a GUID (which <c>stat</c>, <c>whereis</c> and <c>guid2lfn</c> accept in place of an LFN) is left as it is.</summary>
    /// <param name="path">An LFN or a GUID.</param>
    /// <param name="paths">The cwd and home.</param>
    /// <returns>The absolute LFN, or the GUID.</returns>
    public static string ExpandLfnOrGuid(string path, AlienPaths paths)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Length == 36 && Guid.TryParseExact(path, "D", out _) ? path : Expand(path, paths);
    }

    /// <summary>Resolves <c>.</c>, <c>..</c> and repeated slashes of an absolute path.</summary>
    /// <param name="absolute">A path starting with '/'.</param>
    /// <param name="keepTrailingSlash">Whether the result ends in '/' (unless it is the root).</param>
    /// <returns>The normalised path.</returns>
    public static string Normalize(string absolute, bool keepTrailingSlash)
    {
        ArgumentNullException.ThrowIfNull(absolute);
        var parts = new List<string>();
        foreach (var segment in absolute.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(segment);
        }

        var sb = new StringBuilder(absolute.Length + 1);
        foreach (var p in parts)
        {
            sb.Append('/').Append(p);
        }

        if (sb.Length == 0 || keepTrailingSlash)
        {
            sb.Append('/');
        }

        return sb.ToString();
    }

    private static string Absolute(string dir, string what)
    {
        if (string.IsNullOrEmpty(dir) || dir[0] != '/')
        {
            throw new ArgumentException("the " + what + " grid directory '" + dir + "' is not absolute, so a relative path cannot be expanded (is the session started?)", nameof(dir));
        }

        return dir.TrimEnd('/');
    }
}
