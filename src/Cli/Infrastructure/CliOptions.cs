using System.CommandLine;

namespace Toolkit.Cli;

/// <summary>Options spelled the same in every command.</summary>
internal static class CliOptions
{
    /// <summary>
    /// <c>--json</c> / <c>-j</c>: machine-readable output. Every command with JSON output takes this one definition;
    /// <paramref name="hiddenAliases"/> keep older spellings working without showing them in help.
    /// </summary>
    /// <param name="recursive">True when the option is given on a command group and applies to every subcommand.</param>
    /// <param name="hiddenAliases">Older spellings (e.g. <c>-json</c>) still accepted.</param>
    /// <returns>The flag.</returns>
    public static JsonFlag Json(bool recursive = false, params string[] hiddenAliases) => new(recursive, hiddenAliases);
}

/// <summary>The shared <c>--json</c>/<c>-j</c> flag (and any hidden older aliases, each a hidden option of its own, since help lists every alias).</summary>
internal sealed class JsonFlag
{
    private readonly Option<bool>[] _hidden;

    public JsonFlag(bool recursive, string[] hiddenAliases)
    {
        Option = new Option<bool>("--json", "-j") { Description = "Print JSON (for scripts)", Recursive = recursive };
        _hidden = new Option<bool>[hiddenAliases.Length];
        for (var i = 0; i < hiddenAliases.Length; i++)
        {
            _hidden[i] = new Option<bool>(hiddenAliases[i]) { Hidden = true, Recursive = recursive };
        }
    }

    /// <summary>The visible option, <c>--json</c>/<c>-j</c>.</summary>
    public Option<bool> Option { get; }

    /// <summary>Adds the flag to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Options.Add(Option);
        foreach (var o in _hidden)
        {
            command.Options.Add(o);
        }
    }

    /// <summary>Whether JSON was asked for, by any spelling.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>True for JSON output.</returns>
    public bool GetValue(ParseResult parse)
    {
        if (parse.GetValue(Option))
        {
            return true;
        }

        foreach (var o in _hidden)
        {
            if (parse.GetValue(o))
            {
                return true;
            }
        }

        return false;
    }
}
