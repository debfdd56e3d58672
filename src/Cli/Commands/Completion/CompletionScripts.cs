using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Toolkit.Cli;

/// <summary>
/// Writes the bash and zsh completion scripts from the flattened command tree (<see cref="CompletionTree"/>). Both
/// scripts hold the tree as shell <c>case</c> tables (no process is started on TAB): the completion function walks
/// the words before the cursor to the deepest command, skipping options and the values of options that take one,
/// then offers that command's subcommands, its options (after a <c>-</c>), an option's fixed values, or file names.
/// </summary>
internal static class CompletionScripts
{
    /// <summary>The bash script (<c>source &lt;(toolkit completion bash)</c>).</summary>
    /// <param name="nodes">The flattened tree.</param>
    /// <param name="name">The command word completed.</param>
    /// <returns>The script.</returns>
    public static string Bash(IReadOnlyList<CompletionNode> nodes, string name)
    {
        var s = new StringBuilder();
        s.Append("# bash completion for ").Append(name).Append(", written by `").Append(name).Append(" completion bash` from its command tree.\n");
        s.Append("# Load it in the current shell:  source <(").Append(name).Append(" completion bash)\n");
        s.Append("# or for every shell:           ").Append(name).Append(" completion bash > ~/.local/share/bash-completion/completions/").Append(name).Append('\n');
        Tables(s, nodes, name);
        string fn = Function(name);
        s.Append(fn).Append("() {\n");
        s.Append("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmdpath=").Append(name).Append(" word i skip=0 subs values\n");
        s.Append("  COMPREPLY=()\n");
        s.Append("  for ((i = 1; i < COMP_CWORD; i++)); do\n");
        Walk(s, "COMP_WORDS[i]");
        s.Append("  done\n");
        s.Append("  if ((skip)); then\n");
        s.Append("    values=\"$(").Append(Prefix(name)).Append("_valued \"$cmdpath\" \"${COMP_WORDS[COMP_CWORD-1]}\")\"\n");
        s.Append("    [[ -n $values ]] && COMPREPLY=($(compgen -W \"$values\" -- \"$cur\"))\n");
        s.Append("    return 0\n");
        s.Append("  fi\n");
        s.Append("  if [[ $cur == -* ]]; then\n");
        s.Append("    COMPREPLY=($(compgen -W \"$(").Append(Prefix(name)).Append("_options \"$cmdpath\")\" -- \"$cur\"))\n");
        s.Append("  else\n");
        s.Append("    COMPREPLY=($(compgen -W \"$(").Append(Prefix(name)).Append("_subcommands \"$cmdpath\")\" -- \"$cur\"))\n");
        s.Append("  fi\n");
        s.Append("}\n");
        s.Append("complete -o default -F ").Append(fn).Append(' ').Append(name).Append('\n');
        return s.Replace("__PREFIX__", Prefix(name)).ToString();
    }

    /// <summary>The zsh script (<c>source &lt;(toolkit completion zsh)</c> after <c>compinit</c>, or saved as <c>_toolkit</c> in <c>$fpath</c>).</summary>
    /// <param name="nodes">The flattened tree.</param>
    /// <param name="name">The command word completed.</param>
    /// <returns>The script.</returns>
    public static string Zsh(IReadOnlyList<CompletionNode> nodes, string name)
    {
        var s = new StringBuilder();
        s.Append("#compdef ").Append(name).Append('\n');
        s.Append("# zsh completion for ").Append(name).Append(", written by `").Append(name).Append(" completion zsh` from its command tree.\n");
        s.Append("# Load it in the current shell (after compinit):  source <(").Append(name).Append(" completion zsh)\n");
        s.Append("# or for every shell: save it as _").Append(name).Append(" in a directory of $fpath.\n");
        Tables(s, nodes, name);
        string fn = Function(name);
        s.Append(fn).Append("() {\n");
        s.Append("  local cmdpath=").Append(name).Append(" word i skip=0 subs values\n");
        s.Append("  for ((i = 2; i < CURRENT; i++)); do\n");
        Walk(s, "words[i]");
        s.Append("  done\n");
        s.Append("  if ((skip)); then\n");
        s.Append("    values=\"$(").Append(Prefix(name)).Append("_valued \"$cmdpath\" \"${words[CURRENT-1]}\")\"\n");
        s.Append("    if [[ -n $values ]]; then compadd -- ${=values}; else _files; fi\n");
        s.Append("    return\n");
        s.Append("  fi\n");
        s.Append("  if [[ $PREFIX == -* ]]; then\n");
        s.Append("    compadd -- ${=\"$(").Append(Prefix(name)).Append("_options \"$cmdpath\")\"}\n");
        s.Append("  else\n");
        s.Append("    subs=\"$(").Append(Prefix(name)).Append("_subcommands \"$cmdpath\")\"\n");
        s.Append("    if [[ -n $subs ]]; then compadd -- ${=subs}; else _files; fi\n");
        s.Append("  fi\n");
        s.Append("}\n");
        s.Append("if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then ").Append(fn).Append(" \"$@\"; else compdef ").Append(fn).Append(' ').Append(name).Append("; fi\n");
        return s.Replace("__PREFIX__", Prefix(name)).ToString();
    }

    private static string Prefix(string name) => "__" + Identifier(name);

    private static string Function(string name) => "_" + Identifier(name);

    private static string Identifier(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    /// <summary>The loop body shared by both shells: follow subcommands (aliases resolved), skip options and their values.</summary>
    private static void Walk(StringBuilder s, string wordExpression)
    {
        s.Append("    word=\"${").Append(wordExpression).Append("}\"\n");
        s.Append("    if ((skip)); then skip=0; continue; fi\n");
        s.Append("    if [[ $word == -* ]]; then\n");
        s.Append("      [[ $word != *=* ]] && __PREFIX___valued \"$cmdpath\" \"$word\" >/dev/null && skip=1\n");
        s.Append("      continue\n");
        s.Append("    fi\n");
        s.Append("    subs=\" $(__PREFIX___subcommands \"$cmdpath\") \"\n");
        s.Append("    [[ $subs == *\" $word \"* ]] && cmdpath=\"$cmdpath $(__PREFIX___canonical \"$cmdpath\" \"$word\")\"\n");
    }

    /// <summary>The four lookup functions: subcommands, options, valued options (with their fixed values), and alias → name.</summary>
    private static void Tables(StringBuilder s, IReadOnlyList<CompletionNode> nodes, string name)
    {
        string p = Prefix(name);
        s.Append(p).Append("_subcommands() {\n  case \"$1\" in\n");
        foreach (var n in nodes.Where(n => n.Subcommands.Count > 0))
        {
            s.Append("    '").Append(n.Path).Append("') echo '").Append(string.Join(' ', n.Subcommands)).Append("' ;;\n");
        }

        s.Append("  esac\n}\n");
        s.Append(p).Append("_options() {\n  case \"$1\" in\n");
        foreach (var n in nodes.Where(n => n.Options.Count > 0))
        {
            s.Append("    '").Append(n.Path).Append("') echo '").Append(string.Join(' ', n.Options)).Append("' ;;\n");
        }

        s.Append("  esac\n}\n");
        s.Append("# Succeeds for an option that takes a value in the next word and prints its fixed values (none: file names).\n");
        s.Append(p).Append("_valued() {\n  case \"$1|$2\" in\n");
        foreach (var group in nodes.SelectMany(n => n.ValuedOptions.Select(kv => (Key: n.Path + "|" + kv.Key, Values: string.Join(' ', kv.Value)))).GroupBy(e => e.Values))
        {
            s.Append("    ").Append(string.Join('|', group.Select(e => "'" + e.Key + "'"))).Append(')');
            s.Append(group.Key.Length > 0 ? " echo '" + group.Key + "' ;;\n" : " ;;\n");
        }

        s.Append("    *) return 1 ;;\n  esac\n}\n");
        s.Append(p).Append("_canonical() {\n  case \"$1|$2\" in\n");
        foreach (var n in nodes.Skip(1))
        {
            int cut = n.Path.LastIndexOf(' ');
            string parent = n.Path[..cut], own = n.Path[(cut + 1)..];
            var parentNode = nodes.First(x => x.Path == parent);
            int at = parentNode.Subcommands.ToList().IndexOf(own);
            foreach (var alias in parentNode.Subcommands.Skip(at + 1).TakeWhile(a => nodes.All(x => x.Path != parent + " " + a)))
            {
                s.Append("    '").Append(parent).Append('|').Append(alias).Append("') echo '").Append(own).Append("' ;;\n");
            }
        }

        s.Append("    *) echo \"$2\" ;;\n  esac\n}\n");
    }
}
