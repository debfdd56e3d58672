using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Toolkit.JAliEn.Connection;

/// <summary>
/// What the connection manager reads from the process: environment variables, the temporary and home directories and
/// the numeric user id. Tests give their own (a dictionary) so nothing leaks in from the machine.
/// </summary>
public sealed class AlienEnvironment
{
    private readonly Func<string, string?> _variables;

    /// <summary>Creates an environment.</summary>
    /// <param name="variables">Variable lookup.</param>
    /// <param name="homeDirectory">The user's home directory.</param>
    /// <param name="userId">The numeric user id (for <c>jclient_token_&lt;uid&gt;</c> and the token file names).</param>
    public AlienEnvironment(Func<string, string?> variables, string homeDirectory, long userId)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(homeDirectory);
        _variables = variables;
        HomeDirectory = homeDirectory;
        UserId = userId;
    }

    /// <summary>An environment from a dictionary (tests); unknown names read as unset.</summary>
    /// <param name="variables">The variables.</param>
    /// <param name="homeDirectory">The home directory.</param>
    /// <param name="userId">The user id; null for this process's.</param>
    /// <returns>The environment.</returns>
    public static AlienEnvironment FromDictionary(IReadOnlyDictionary<string, string> variables, string homeDirectory, long? userId = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new AlienEnvironment(n => variables.TryGetValue(n, out var v) ? v : null, homeDirectory, userId ?? ProcessUserId());
    }

    /// <summary>The process's own environment.</summary>
    /// <returns>The environment.</returns>
    public static AlienEnvironment FromProcess() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ProcessUserId());

    /// <summary>The user's home directory.</summary>
    public string HomeDirectory { get; }

    /// <summary>The numeric user id.</summary>
    public long UserId { get; }

    /// <summary><c>TMPDIR</c>, else <c>/tmp</c>.</summary>
    public string TempDirectory => Get("TMPDIR") ?? "/tmp";

    /// <summary>A variable's value; null when unset or empty.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The value.</returns>
    public string? Get(string name) => _variables(name) is { Length: > 0 } v ? v : null;

    /// <summary>Whether a variable is set to anything but empty, 0, false or no (alienpy's switches).</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when set.</returns>
    public bool IsOn(string name) => Get(name) is { } v && v is not ("0" or "false" or "False" or "no");

    /// <summary>A number of seconds from a variable, or <paramref name="fallback"/> when unset or not a positive number.</summary>
    /// <param name="name">The name.</param>
    /// <param name="fallback">The default.</param>
    /// <returns>The time span.</returns>
    public TimeSpan Seconds(string name, TimeSpan fallback) =>
        Get(name) is { } v && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s >= 0 && s < 1e7
            ? TimeSpan.FromSeconds(s) : fallback;

    /// <summary>A positive integer from a variable, or null.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The value.</returns>
    public int? Count(string name) =>
        Get(name) is { } v && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) && i > 0 ? i : null;

    /// <summary>The numeric user id of this process (from <c>/proc/self/status</c>; 0 when it cannot be read).</summary>
    /// <returns>The uid.</returns>
    public static long ProcessUserId() => ProcessOwner("self") ?? 0;

    /// <summary>The real uid owning a process, from <c>/proc/PID/status</c>; null when there is no such process.</summary>
    /// <param name="pid">The pid, or <c>self</c>.</param>
    /// <returns>The uid or null.</returns>
    public static long? ProcessOwner(string pid)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/" + pid + "/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var parts = line[4..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long uid) ? uid : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return null;
    }
}
