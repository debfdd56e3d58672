using System.Collections.Generic;
using System.Text;

namespace Toolkit.Generators.Commands.Parsing;

/// <summary>Schema names to C# identifiers: ASCII letters and digits only, so no schema text can shape the code.</summary>
internal static class Naming
{
    /// <summary>Member names every class inherits from object; a generated member may not take them.</summary>
    public static readonly HashSet<string> ObjectMembers = new() { "Equals", "GetHashCode", "GetType", "ToString", "ReferenceEquals", "MemberwiseClone", "Finalize" };

    /// <summary>
    /// PascalCase of a name: words split at anything but ASCII letters and digits, each word's first letter upper-cased
    /// (the rest kept, so <c>jobListMatch</c> is <c>JobListMatch</c>); a leading digit gets an underscore. Empty when
    /// the name has no ASCII letter or digit.
    /// </summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9')
            {
                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        if (sb.Length > 0 && sb[0] is >= '0' and <= '9')
        {
            sb.Insert(0, '_');
        }

        return sb.ToString();
    }

    /// <summary>camelCase of a name (for parameters), escaped with @ when it is a keyword.</summary>
    public static string Camel(string name)
    {
        var p = Pascal(name);
        if (p.Length == 0)
        {
            return p;
        }

        var camel = p[0] == '_' ? p : char.ToLowerInvariant(p[0]) + p.Substring(1);
        return CSharp.Identifier(camel);
    }

    /// <summary>True for a type name a schema may give (<c>row:</c>): an ASCII identifier, not a keyword.</summary>
    public static bool IsTypeName(string name)
    {
        if (name.Length == 0 || !(name[0] is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_'))
            {
                return false;
            }
        }

        return !CSharp.IsKeyword(name);
    }

    /// <summary>True for a flag: '-' then printable ASCII without spaces, quotes or backslashes (an attached flag ends in '=').</summary>
    public static bool IsFlag(string flag)
    {
        if (flag.Length < 2 || flag[0] != '-' || flag == "--")
        {
            return false;
        }

        foreach (var c in flag)
        {
            if (c <= ' ' || c > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for a C# namespace: dot-separated ASCII identifiers.</summary>
    public static bool IsNamespace(string ns)
    {
        foreach (var part in ns.Split('.'))
        {
            if (!IsTypeName(part))
            {
                return false;
            }
        }

        return true;
    }
}
