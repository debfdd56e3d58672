using System;
using System.Text;

namespace Toolkit.Generators.OpenApi.Emit;

/// <summary>Indented source text builder with LF line endings.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _sb.Append(' ', _indent * 4);
            _sb.Append(text);
        }

        _sb.Append('\n');
        return this;
    }

    public CodeWriter Open(string text)
    {
        Line(text);
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
        return this;
    }

    public CodeWriter Doc(string tag, string? text, string attributes = "")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return this;
        }

        var lines = Xml(text!).Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 1)
        {
            return Line("/// <" + tag + attributes + ">" + lines[0].Trim() + "</" + tag + ">");
        }

        Line("/// <" + tag + attributes + ">");
        foreach (var l in lines)
        {
            Line(("/// " + l.TrimEnd()).TrimEnd());
        }

        return Line("/// </" + tag + ">");
    }

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public override string ToString() => _sb.ToString();
}

/// <summary>Small helpers shared by the emitters.</summary>
internal static class Cs
{
    public static string Literal(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A UTF-8 string literal (<c>"..."u8</c>).</summary>
    public static string U8(string s) => Literal(s) + "u8";

    public static int Fnv(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s)
            {
                h = (h ^ c) * 16777619;
            }

            return h;
        }
    }

    public static string Hash(string s) => ((uint)Fnv(s)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.Ordinal);
}
