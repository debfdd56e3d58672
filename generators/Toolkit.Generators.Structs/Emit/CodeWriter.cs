using System.Text;

namespace Toolkit.Generators.Structs.Emit;

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

    public CodeWriter Doc(string doc, string fallback)
    {
        var text = string.IsNullOrWhiteSpace(doc) ? fallback : doc;
        Line("/// <summary>");
        foreach (var l in text.Split('\n'))
        {
            Line("/// " + Escape(l.Trim()));
        }

        Line("/// </summary>");
        return this;
    }

    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public override string ToString() => _sb.ToString();
}
