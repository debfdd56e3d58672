using System.Text;

namespace Toolkit.Generators.Common;

/// <summary>
/// Indented source text builder with LF line endings, shared by every generator. Doc comments go through
/// <see cref="CSharp.XmlDoc"/> line by line, so no schema text can leave the comment.
/// </summary>
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

    /// <summary>A <c>&lt;summary&gt;</c> block of <paramref name="doc"/> (or <paramref name="fallback"/> when it is blank), one trimmed line per source line.</summary>
    public CodeWriter Doc(string doc, string fallback)
    {
        var text = string.IsNullOrWhiteSpace(doc) ? fallback : doc;
        Line("/// <summary>");
        foreach (var l in CSharp.Lines(text))
        {
            Line("/// " + CSharp.XmlDoc(l.Trim()));
        }

        Line("/// </summary>");
        return this;
    }

    /// <summary>A doc element <c>&lt;tag attributes&gt;text&lt;/tag&gt;</c>: on one line when the text has one, else one comment line per text line. Nothing when the text is blank.</summary>
    public CodeWriter DocTag(string tag, string? text, string attributes = "")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return this;
        }

        var lines = CSharp.Lines(text!);
        if (lines.Count == 1)
        {
            return Line("/// <" + tag + attributes + ">" + CSharp.XmlDoc(lines[0]).Trim() + "</" + tag + ">");
        }

        Line("/// <" + tag + attributes + ">");
        foreach (var l in lines)
        {
            Line(("/// " + CSharp.XmlDoc(l).TrimEnd()).TrimEnd());
        }

        return Line("/// </" + tag + ">");
    }

    /// <summary>Doc comment text for one line (kept for emitters written against the struct generator's old writer); the same path as <see cref="CSharp.XmlDoc"/>.</summary>
    public static string Escape(string s) => CSharp.XmlDoc(s);

    public override string ToString() => _sb.ToString();
}
