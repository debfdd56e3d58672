using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Toolkit.Generators.Common;

/// <summary>
/// The one path by which schema text reaches generated C#: string, UTF-8 and char literals, identifiers, and XML doc
/// comment text. Every generator uses it, so a description or a name from a schema can never end a comment or a
/// literal early.
/// </summary>
internal static class CSharp
{
    private static readonly HashSet<string> Keywords = new()
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>The attribute line every generated type carries, with the generator assembly's version.</summary>
    public static string GeneratedCodeAttribute(string version)
        => "[global::System.CodeDom.Compiler.GeneratedCode(\"Toolkit\", " + Literal(version) + ")]";

    /// <summary>The informational version (major.minor.patch) of a generator assembly.</summary>
    public static string VersionOf(System.Type generator) => generator.Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>True for a reserved C# keyword (which needs <c>@</c> to be used as an identifier).</summary>
    public static bool IsKeyword(string text) => Keywords.Contains(text);

    /// <summary>True when <paramref name="text"/> is a plain C# identifier (letters, digits, underscores; not a keyword).</summary>
    public static bool IsIdentifier(string text) => IsIdentifierShape(text) && !Keywords.Contains(text);

    /// <summary>True when <paramref name="text"/> has the shape of an identifier: a letter or underscore, then letters, digits or underscores.</summary>
    public static bool IsIdentifierShape(string text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An identifier-shaped name, escaped with <c>@</c> when it is a keyword.</summary>
    public static string Identifier(string name) => Keywords.Contains(name) ? "@" + name : name;

    /// <summary>True for the characters C# ends a line (and so a <c>//</c> comment) at.</summary>
    public static bool IsLineTerminator(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>A regular string literal; everything outside printable ASCII is a <c>\uXXXX</c> escape.</summary>
    public static string Literal(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            AppendEscaped(sb, c, '"');
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A UTF-8 string literal (<c>"..."u8</c>).</summary>
    public static string Utf8Literal(string s) => Literal(s) + "u8";

    /// <summary>A char literal, escaped like <see cref="Literal"/>.</summary>
    public static string CharLiteral(char c) => AppendEscaped(new StringBuilder("'"), c, '\'').Append('\'').ToString();

    /// <summary>
    /// Text for one line of an XML doc comment: XML-escaped, with every line terminator and every other control
    /// character turned into a space, so the text cannot leave the comment.
    /// </summary>
    public static string XmlDoc(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                default:
                    sb.Append(c < 0x20 || c == 0x7F || IsLineTerminator(c) || char.IsSurrogate(c) && !IsPairedSurrogate(text, i) || c is '\uFFFE' or '\uFFFF' ? ' ' : c);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Splits text into lines at every C# line terminator (CR LF counts once).</summary>
    public static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsLineTerminator(c))
            {
                continue;
            }

            lines.Add(text.Substring(start, i - start));
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }

            start = i + 1;
        }

        lines.Add(text.Substring(start));
        return lines;
    }

    private static bool IsPairedSurrogate(string s, int i)
        => char.IsHighSurrogate(s[i]) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) : i > 0 && char.IsHighSurrogate(s[i - 1]);

    private static StringBuilder AppendEscaped(StringBuilder sb, char c, char quote)
    {
        switch (c)
        {
            case '\\': return sb.Append("\\\\");
            case '\n': return sb.Append("\\n");
            case '\r': return sb.Append("\\r");
            case '\t': return sb.Append("\\t");
            default:
                if (c == quote)
                {
                    return sb.Append('\\').Append(c);
                }

                return c < 0x20 || c > 0x7E
                    ? sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture))
                    : sb.Append(c);
        }
    }
}
