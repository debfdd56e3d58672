using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Toolkit.Generators.OpenApi.Parsing;

/// <summary>Turns schema names into valid, conventional C# identifiers.</summary>
internal static class Naming
{
    /// <summary>PascalCase identifier from arbitrary text: words split on non-alphanumerics and case changes.</summary>
    public static string Pascal(string text)
    {
        var sb = new StringBuilder(text.Length);
        var upperNext = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsLetterOrDigit(c) || c > 0x7F)
            {
                upperNext = true;
                continue;
            }

            if (upperNext)
            {
                sb.Append(char.ToUpperInvariant(c));
                upperNext = false;
            }
            else
            {
                // Keep existing inner capitals (camelCase stays CamelCase), but tame ALLCAPS runs: "JOB_ID" -> "JobId".
                var prevUpper = i > 0 && char.IsUpper(text[i - 1]);
                var nextLower = i + 1 < text.Length && char.IsLower(text[i + 1]);
                sb.Append(char.IsUpper(c) && prevUpper && !nextLower ? char.ToLowerInvariant(c) : c);
            }
        }

        if (sb.Length == 0)
        {
            return "Value";
        }

        if (char.IsDigit(sb[0]))
        {
            sb.Insert(0, 'N');
        }

        return sb.ToString();
    }

    /// <summary>camelCase identifier, escaped with @ when it is a keyword.</summary>
    public static string Camel(string text)
    {
        var p = Pascal(text);
        var c = char.ToLowerInvariant(p[0]) + p.Substring(1);
        return CSharp.Identifier(c);
    }

    /// <summary>Returns <paramref name="name"/> or the first of name2, name3, ... not yet in <paramref name="used"/>; records it.</summary>
    public static string Unique(string name, HashSet<string> used)
    {
        if (used.Add(name))
        {
            return name;
        }

        for (var i = 2; ; i++)
        {
            var candidate = name + i.ToString(CultureInfo.InvariantCulture);
            if (used.Add(candidate))
            {
                return candidate;
            }
        }
    }

    public static bool IsIdentifier(string text) => CSharp.IsIdentifier(text);

    public static bool IsNamespace(string text)
    {
        foreach (var part in text.Split('.'))
        {
            if (!IsIdentifier(part))
            {
                return false;
            }
        }

        return true;
    }
}
