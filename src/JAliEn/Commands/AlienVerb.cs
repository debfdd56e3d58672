using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Toolkit.JAliEn;

/// <summary>Where a command runs.</summary>
public enum AlienVerbKind
{
    /// <summary>A JAliEn server command, sent as it is.</summary>
    Server,

    /// <summary>A client-side command (cp, quota, ...) implemented by the shell or a library on top of server commands.</summary>
    Client,
}

/// <summary>How an option is written on the command line.</summary>
public enum AlienOptionKind
{
    /// <summary>A boolean flag, <c>-l</c>.</summary>
    Flag,

    /// <summary>A flag followed by one value, <c>-l 10</c>.</summary>
    Valued,

    /// <summary>A valued flag that may be given several times, <c>-e a -e b</c>.</summary>
    Repeated,

    /// <summary>A flag followed by one value that joins several, <c>-j 1,2,3</c>.</summary>
    Joined,

    /// <summary>A flag with its value attached after '=', <c>-pwd=/dir</c>.</summary>
    Attached,
}

/// <summary>The value type of an option or argument.</summary>
public enum AlienValueKind
{
    /// <summary>No value (a flag).</summary>
    None,

    /// <summary>Text.</summary>
    Text,

    /// <summary>A 32-bit integer.</summary>
    Number32,

    /// <summary>A 64-bit integer.</summary>
    Number64,

    /// <summary>A grid path, expanded client-side (., .., ~, %ALIEN, relative to the cwd).</summary>
    Lfn,

    /// <summary>A grid path or a GUID (a GUID is not expanded).</summary>
    LfnOrGuid,

    /// <summary>One of a fixed set of words.</summary>
    Enum,

    /// <summary>A storage specifier, <c>disk:2,SE,!SE</c>.</summary>
    ReplicaSpec,
}

/// <summary>One option of a verb.</summary>
/// <param name="Flag">The flag as typed (<c>-l</c>, or <c>-pwd=</c> for <see cref="AlienOptionKind.Attached"/>).</param>
/// <param name="Name">The option's name in the typed API.</param>
/// <param name="Kind">How it is written.</param>
/// <param name="Value">The value type (<see cref="AlienValueKind.None"/> for a flag).</param>
/// <param name="Help">One line of help.</param>
/// <param name="EnumValues">The allowed words of an enum value, else empty.</param>
/// <param name="Separator">The separator of a <see cref="AlienOptionKind.Joined"/> value, else empty.</param>
public sealed record AlienOptionSpec(string Flag, string Name, AlienOptionKind Kind, AlienValueKind Value, string Help, IReadOnlyList<string> EnumValues, string Separator);

/// <summary>One positional argument of a verb.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Value">Its value type.</param>
/// <param name="Optional">Whether it may be left out.</param>
/// <param name="Variadic">Whether it takes all remaining arguments.</param>
/// <param name="Help">One line of help.</param>
/// <param name="EnumValues">The allowed words of an enum argument, else empty.</param>
public sealed record AlienArgSpec(string Name, AlienValueKind Value, bool Optional, bool Variadic, string Help, IReadOnlyList<string> EnumValues);

/// <summary>
/// A command-line option or argument found by <see cref="AlienVerb.Parse"/>: the option spec (null for a positional
/// argument or an unknown token) and the value as typed.
/// </summary>
/// <param name="Option">The option, or null.</param>
/// <param name="Argument">The positional argument it fills, or null.</param>
/// <param name="Token">The token as typed (the flag, or the argument).</param>
/// <param name="Value">The option's value (null for a flag).</param>
public sealed record AlienParsedItem(AlienOptionSpec? Option, AlienArgSpec? Argument, string Token, string? Value);

/// <summary>
/// One entry of the generated verb table: what the shell needs to print help, complete options and build the argv of
/// a command, and to tell whether the server supports it.
/// </summary>
public sealed class AlienVerb
{
    /// <summary>Creates a verb.</summary>
    /// <param name="name">The command name.</param>
    /// <param name="kind">Server or client.</param>
    /// <param name="summary">One line.</param>
    /// <param name="help">Longer help text, may be empty.</param>
    /// <param name="options">The options.</param>
    /// <param name="arguments">The positional arguments.</param>
    /// <param name="requires">The server commands a client command needs (empty for a server command: it needs itself).</param>
    /// <param name="apiFlags">The flags the typed API always adds (<c>-nomsg</c>).</param>
    public AlienVerb(string name, AlienVerbKind kind, string summary, string help, IReadOnlyList<AlienOptionSpec> options, IReadOnlyList<AlienArgSpec> arguments, IReadOnlyList<string> requires, IReadOnlyList<string> apiFlags)
    {
        Name = name;
        Kind = kind;
        Summary = summary;
        Help = help;
        Options = options;
        Arguments = arguments;
        Requires = requires;
        ApiFlags = apiFlags;
    }

    /// <summary>The command name.</summary>
    public string Name { get; }

    /// <summary>Server or client.</summary>
    public AlienVerbKind Kind { get; }

    /// <summary>One line of help.</summary>
    public string Summary { get; }

    /// <summary>Longer help, may be empty.</summary>
    public string Help { get; }

    /// <summary>The options.</summary>
    public IReadOnlyList<AlienOptionSpec> Options { get; }

    /// <summary>The positional arguments.</summary>
    public IReadOnlyList<AlienArgSpec> Arguments { get; }

    /// <summary>The server commands a client command is built on.</summary>
    public IReadOnlyList<string> Requires { get; }

    /// <summary>Flags the typed API always adds.</summary>
    public IReadOnlyList<string> ApiFlags { get; }

    /// <summary>The usage line: <c>ls [-l] [-a] ... [path]</c>.</summary>
    public string Usage
    {
        get
        {
            var sb = new StringBuilder(Name);
            foreach (var o in Options)
            {
                sb.Append(" [").Append(o.Flag);
                if (o.Kind != AlienOptionKind.Flag)
                {
                    sb.Append(o.Kind == AlienOptionKind.Attached ? string.Empty : " ").Append(ValueName(o.Value, o.EnumValues, o.Name));
                }

                sb.Append(']');
            }

            foreach (var a in Arguments)
            {
                var v = a.Value == AlienValueKind.Enum ? string.Join('|', a.EnumValues) : a.Name;
                sb.Append(' ').Append(a.Optional ? "[" : string.Empty).Append(v).Append(a.Variadic ? "..." : string.Empty).Append(a.Optional ? "]" : string.Empty);
            }

            return sb.ToString();
        }
    }

    /// <summary>The help text the shell prints for <c>help VERB</c> or <c>VERB -h</c>: usage, summary, help, options.</summary>
    /// <returns>The text, lines separated by '\n'.</returns>
    public string HelpText()
    {
        var sb = new StringBuilder();
        sb.Append("usage: ").Append(Usage).Append('\n').Append(Summary).Append('\n');
        if (Help.Length > 0)
        {
            sb.Append('\n').Append(Help.TrimEnd()).Append('\n');
        }

        if (Options.Count > 0)
        {
            sb.Append("\noptions:\n");
            foreach (var o in Options)
            {
                var head = o.Kind == AlienOptionKind.Flag ? o.Flag : o.Flag + (o.Kind == AlienOptionKind.Attached ? string.Empty : " ") + ValueName(o.Value, o.EnumValues, o.Name);
                sb.Append("  ").Append(head.PadRight(24)).Append(' ').Append(o.Help).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>Finds the option a token names (an attached option matches by prefix).</summary>
    /// <param name="token">The token.</param>
    /// <returns>The option, or null.</returns>
    public AlienOptionSpec? FindOption(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        foreach (var o in Options)
        {
            if (o.Kind == AlienOptionKind.Attached ? token.StartsWith(o.Flag, StringComparison.Ordinal) : string.Equals(o.Flag, token, StringComparison.Ordinal))
            {
                return o;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads typed tokens: known options with their values, positional arguments in order (the last variadic one takes
    /// the rest), and anything unknown kept as it is (the server may know options this table does not).
    /// </summary>
    /// <param name="tokens">The tokens after the command name.</param>
    /// <returns>The items in order.</returns>
    /// <exception cref="FormatException">A valued option has no value, or an enum value is not one of its words.</exception>
    public IReadOnlyList<AlienParsedItem> Parse(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var items = new List<AlienParsedItem>(tokens.Count);
        var next = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i] ?? throw new ArgumentException("a token is null", nameof(tokens));
            var o = t.Length > 1 && t[0] == '-' ? FindOption(t) : null;
            if (o is not null)
            {
                string? value = o.Kind switch
                {
                    AlienOptionKind.Flag => null,
                    AlienOptionKind.Attached => t[o.Flag.Length..],
                    _ => i + 1 < tokens.Count ? tokens[++i] : throw new FormatException("option " + o.Flag + " of " + Name + " needs a value (" + ValueName(o.Value, o.EnumValues, o.Name) + ")"),
                };
                if (value is not null)
                {
                    CheckValue(o.Value, o.EnumValues, value, o.Flag);
                }

                items.Add(new AlienParsedItem(o, null, o.Kind == AlienOptionKind.Attached ? o.Flag : t, value));
                continue;
            }

            AlienArgSpec? arg = null;
            if (next < Arguments.Count && !(t.Length > 1 && t[0] == '-'))
            {
                arg = Arguments[next];
                if (!arg.Variadic)
                {
                    next++;
                }

                CheckValue(arg.Value, arg.EnumValues, t, arg.Name);
            }

            items.Add(new AlienParsedItem(null, arg, t, null));
        }

        return items;
    }

    /// <summary>
    /// The command line for typed tokens, through <see cref="AlienArgvBuilder"/> like the typed API: grid paths are
    /// expanded, options keep their order. The API flags are not added (the shell wants the messages).
    /// </summary>
    /// <param name="tokens">The tokens after the command name.</param>
    /// <param name="paths">The cwd and home.</param>
    /// <returns>The command line.</returns>
    public AlienCommandLine BuildArgv(IReadOnlyList<string> tokens, AlienPaths paths)
    {
        var b = new AlienArgvBuilder(Name, paths);
        foreach (var item in Parse(tokens))
        {
            if (item.Option is { } o)
            {
                _ = o.Kind switch
                {
                    AlienOptionKind.Flag => b.Flag(o.Flag, true),
                    AlienOptionKind.Attached => o.Value == AlienValueKind.Lfn ? b.Attached(o.Flag, AlienPath.Expand(item.Value!, paths)) : b.Attached(o.Flag, item.Value),
                    _ => o.Value == AlienValueKind.Lfn ? b.LfnValue(o.Flag, item.Value) : b.Value(o.Flag, item.Value),
                };
            }
            else if (item.Argument is { Value: AlienValueKind.Lfn })
            {
                b.Lfn(item.Token);
            }
            else if (item.Argument is { Value: AlienValueKind.LfnOrGuid })
            {
                b.LfnOrGuid(item.Token);
            }
            else
            {
                b.Arg(item.Token);
            }
        }

        return b.Build();
    }

    private static string ValueName(AlienValueKind kind, IReadOnlyList<string> words, string name) => kind switch
    {
        AlienValueKind.Enum => string.Join('|', words),
        AlienValueKind.Number32 or AlienValueKind.Number64 => "N",
        AlienValueKind.Lfn or AlienValueKind.LfnOrGuid => "LFN",
        AlienValueKind.ReplicaSpec => "SPEC",
        _ => name.ToUpperInvariant(),
    };

    private void CheckValue(AlienValueKind kind, IReadOnlyList<string> words, string value, string what)
    {
        switch (kind)
        {
            case AlienValueKind.Enum when !Contains(words, value):
                throw new FormatException("'" + value + "' is not a value of " + what + " of " + Name + " (" + string.Join(", ", words) + ")");
            case AlienValueKind.Number32 when !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
            case AlienValueKind.Number64 when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                throw new FormatException("'" + value + "' given to " + what + " of " + Name + " is not a number");
            default:
                return;
        }
    }

    private static bool Contains(IReadOnlyList<string> words, string value)
    {
        foreach (var w in words)
        {
            if (string.Equals(w, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
