using System;
using System.Collections.Generic;
using System.Globalization;

namespace Toolkit.JAliEn;

/// <summary>
/// Builds the options array of a command line, one method per option kind of the command schema. The generated typed
/// builders and the shell's <see cref="AlienVerb.BuildArgv"/> both go through it, so an option is encoded one way.
/// </summary>
public sealed class AlienArgvBuilder
{
    private readonly string _command;
    private readonly AlienPaths _paths;
    private readonly List<string> _options = new();

    /// <summary>Starts a command line.</summary>
    /// <param name="command">The command name.</param>
    /// <param name="paths">The cwd and home that grid paths are expanded against.</param>
    public AlienArgvBuilder(string command, AlienPaths paths)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        _command = command;
        _paths = paths;
    }

    /// <summary>The options so far.</summary>
    public IReadOnlyList<string> Options => _options;

    /// <summary>A boolean flag, sent when <paramref name="on"/>.</summary>
    /// <param name="flag">The flag, <c>-l</c>.</param>
    /// <param name="on">Whether it is set.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Flag(string flag, bool on)
    {
        if (on)
        {
            _options.Add(flag);
        }

        return this;
    }

    /// <summary>A valued option, <c>-l 10</c>, sent when the value is not null.</summary>
    /// <param name="flag">The flag.</param>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Value(string flag, string? value)
    {
        if (value is not null)
        {
            _options.Add(flag);
            _options.Add(value);
        }

        return this;
    }

    /// <summary>A valued option with an integer value.</summary>
    /// <param name="flag">The flag.</param>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Value(string flag, long? value) => Value(flag, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>A valued option whose value is a grid path (expanded).</summary>
    /// <param name="flag">The flag.</param>
    /// <param name="lfn">The path.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder LfnValue(string flag, string? lfn) => Value(flag, lfn is null ? null : AlienPath.Expand(lfn, _paths));

    /// <summary>A repeated option, <c>-e a -e b</c>, once per value.</summary>
    /// <param name="flag">The flag.</param>
    /// <param name="values">The values (null or empty sends nothing).</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Repeated(string flag, IEnumerable<string>? values)
    {
        if (values is not null)
        {
            foreach (var v in values)
            {
                Value(flag, v ?? throw new ArgumentException("a value of " + flag + " of '" + _command + "' is null"));
            }
        }

        return this;
    }

    /// <summary>A list option sent once with its values joined, <c>-j 1,2,3</c>.</summary>
    /// <param name="flag">The flag.</param>
    /// <param name="values">The values (null or empty sends nothing); none may hold the separator or be empty.</param>
    /// <param name="separator">The separator, <c>,</c>.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Joined(string flag, IEnumerable<string>? values, string separator)
    {
        if (values is null)
        {
            return this;
        }

        var list = new List<string>();
        foreach (var v in values)
        {
            if (string.IsNullOrEmpty(v) || v.Contains(separator, StringComparison.Ordinal))
            {
                throw new ArgumentException("the value '" + v + "' of " + flag + " of '" + _command + "' is empty or holds the separator '" + separator + "'");
            }

            list.Add(v);
        }

        return list.Count == 0 ? this : Value(flag, string.Join(separator, list));
    }

    /// <summary>A list option of integers, joined.</summary>
    /// <param name="flag">The flag.</param>
    /// <param name="values">The values.</param>
    /// <param name="separator">The separator.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Joined(string flag, IEnumerable<long>? values, string separator)
    {
        if (values is null)
        {
            return this;
        }

        var list = new List<string>();
        foreach (var v in values)
        {
            list.Add(v.ToString(CultureInfo.InvariantCulture));
        }

        return Joined(flag, list, separator);
    }

    /// <summary>An option whose value is attached to it, <c>-pwd=/dir</c> (the flag includes the '=').</summary>
    /// <param name="flag">The flag with its '='.</param>
    /// <param name="value">The value; null sends nothing.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Attached(string flag, string? value)
    {
        if (value is not null)
        {
            _options.Add(flag + value);
        }

        return this;
    }

    /// <summary>A positional argument, sent when not null.</summary>
    /// <param name="value">The argument.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Arg(string? value)
    {
        if (value is not null)
        {
            _options.Add(value);
        }

        return this;
    }

    /// <summary>A positional grid path, expanded against the cwd and home.</summary>
    /// <param name="lfn">The path.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Lfn(string? lfn) => Arg(lfn is null ? null : AlienPath.Expand(lfn, _paths));

    /// <summary>A positional LFN or GUID (a GUID is not expanded).</summary>
    /// <param name="value">The LFN or GUID.</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder LfnOrGuid(string? value) => Arg(value is null ? null : AlienPath.ExpandLfnOrGuid(value, _paths));

    /// <summary>Variadic positional arguments.</summary>
    /// <param name="values">The arguments.</param>
    /// <param name="lfn">Whether they are grid paths (expanded).</param>
    /// <returns>This builder.</returns>
    public AlienArgvBuilder Args(IEnumerable<string>? values, bool lfn = false)
    {
        if (values is not null)
        {
            foreach (var v in values)
            {
                ArgumentNullException.ThrowIfNull(v, nameof(values));
                _ = lfn ? Lfn(v) : Arg(v);
            }
        }

        return this;
    }

    /// <summary>The command line.</summary>
    /// <returns>The line.</returns>
    public AlienCommandLine Build() => new(_command, _options.ToArray());
}
