using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Structs.Model;
using Toolkit.Generators.Structs.Parsing;

namespace Toolkit.Generators.Structs.Emit;

internal sealed partial class Emitter
{
    private static string ByteLit(int c) => "(byte)" + I(c);

    private void EmitText(CodeWriter w, Decl d)
    {
        var n = d.Name + "Text";
        w.Doc("Zero-copy view of the text structure " + d.Name + ": " + FirstLine(d.Doc), "Zero-copy view of " + d.Name + ".");
        w.Line(GeneratedCode);
        w.Open("public readonly ref struct " + n);
        switch (d.TextKind)
        {
            case TextKind.Split:
                EmitSplit(w, d, n);
                break;
            case TextKind.Pattern:
                EmitPattern(w, d, n);
                break;
            case TextKind.Cgi:
                EmitCgi(w, d, n);
                break;
            case TextKind.Lines:
                EmitLines(w, d, n);
                break;
        }

        w.Close();
    }

    private static void EmitRawAndParse(CodeWriter w, string n)
    {
        w.Doc("The whole text.", string.Empty);
        w.Line("public " + Span + " Raw { get; }");
        w.Line();
        w.Doc("Creates a view of the text; never fails and never allocates.", string.Empty);
        w.Line("/// <param name=\"text\">The text.</param>");
        w.Line("/// <returns>The view.</returns>");
        w.Line("public static " + n + " Parse(" + Span + " text) => new " + n + "(text);");
        w.Line();
    }

    private void TextPartAccessor(CodeWriter w, TextPart part, string spanExpr)
    {
        var prop = Naming.Pascal(part.Name);
        if (part.Type == "text")
        {
            w.Doc(part.Doc, prop + ".");
            w.Line("public " + Span + " " + prop + " => " + spanExpr + ";");
            w.Line();
            w.Doc("Decodes " + prop + " as UTF-8 (allocates).", string.Empty);
            w.Line("/// <returns>The text.</returns>");
            w.Line("public string Get" + prop + "String() => " + RT + "TextScan.ToUtf8String(" + prop + ");");
        }
        else
        {
            w.Doc(part.Doc, prop + ".");
            w.Line("public " + part.Type + "Text " + prop + " => " + part.Type + "Text.Parse(" + spanExpr + ");");
        }

        w.Line();
    }

    private void EmitSplit(CodeWriter w, Decl d, string n)
    {
        w.Line("private readonly int _separator;");
        w.Line();
        w.Open("private " + n + "(" + Span + " text)");
        w.Line("Raw = text;");
        w.Line("_separator = global::System.MemoryExtensions.IndexOf(text, " + ByteLit(d.Separator) + ");");
        w.Close();
        w.Line();
        EmitRawAndParse(w, n);
        if (d.Parts.Count != 2)
        {
            return;
        }

        TextPartAccessor(w, d.Parts[0], "_separator < 0 ? Raw : Raw.Slice(0, _separator)");
        w.Doc("True when the text has the separator, so " + Naming.Pascal(d.Parts[1].Name) + " is present.", string.Empty);
        w.Line("public bool Has" + Naming.Pascal(d.Parts[1].Name) + " => _separator >= 0;");
        w.Line();
        TextPartAccessor(w, d.Parts[1], "_separator < 0 ? default : Raw.Slice(_separator + 1)");
    }

    private void EmitPattern(CodeWriter w, Decl d, string n)
    {
        var captures = d.Parts.Where(x => x.Type != "literal").ToList();
        w.Line("private readonly " + Span + " _text;");
        w.Line("private readonly bool _match;");
        for (var i = 0; i < captures.Count; i++)
        {
            w.Line("private readonly int _s" + I(i) + ";");
            w.Line("private readonly int _l" + I(i) + ";");
        }

        w.Line();
        w.Open("private " + n + "(" + Span + " text)");
        w.Line("Raw = text;");
        w.Line("var t = " + (d.Trim >= 0 ? RT + "BigEndian.TrimEnd(text, " + ByteLit(d.Trim) + ")" : "text") + ";");
        w.Line("_text = t;");
        for (var i = 0; i < captures.Count; i++)
        {
            w.Line("_s" + I(i) + " = 0;");
            w.Line("_l" + I(i) + " = 0;");
        }

        w.Line("_match = false;");
        w.Line("var pos = 0;");
        w.Line("int idx;");
        var ci = -1;
        var pending = false;
        var items = d.Parts.ToList();
        for (var k = 0; k < items.Count; k++)
        {
            var it = items[k];
            if (it.Type == "literal")
            {
                var lit = Str(it.Key) + "u8";
                if (pending)
                {
                    w.Line("idx = " + RT + "TextScan.IndexOfOutsideBrackets(t.Slice(pos), " + lit + ");");
                    w.Open("if (idx < 0)");
                    w.Line("return;");
                    w.Close();
                    w.Line();
                    w.Line("_s" + I(ci) + " = pos;");
                    w.Line("_l" + I(ci) + " = idx;");
                    w.Line("pos += idx + " + I(System.Text.Encoding.UTF8.GetByteCount(it.Key)) + ";");
                    pending = false;
                }
                else
                {
                    w.Open("if (!global::System.MemoryExtensions.StartsWith(t.Slice(pos), " + lit + "))");
                    w.Line("return;");
                    w.Close();
                    w.Line();
                    w.Line("pos += " + I(System.Text.Encoding.UTF8.GetByteCount(it.Key)) + ";");
                }
            }
            else
            {
                ci++;
                pending = true;
            }
        }

        if (pending)
        {
            w.Line("_s" + I(ci) + " = pos;");
            w.Line("_l" + I(ci) + " = t.Length - pos;");
            w.Line("_match = true;");
        }
        else
        {
            w.Line("_match = pos == t.Length;");
        }

        w.Close();
        w.Line();
        EmitRawAndParse(w, n);
        w.Doc("True when the text matches the pattern " + d.Pattern + " (otherwise every capture is empty).", string.Empty);
        w.Line("public bool IsMatch => _match;");
        w.Line();
        for (var i = 0; i < captures.Count; i++)
        {
            var c = captures[i];
            var prop = Naming.Pascal(c.Name);
            w.Doc("The {" + c.Name + "} capture.", string.Empty);
            w.Line("public " + Span + " " + prop + " => _match ? _text.Slice(_s" + I(i) + ", _l" + I(i) + ") : default;");
            w.Line();
            w.Doc("Decodes " + prop + " as UTF-8 (allocates).", string.Empty);
            w.Line("/// <returns>The text.</returns>");
            w.Line("public string Get" + prop + "String() => " + RT + "TextScan.ToUtf8String(" + prop + ");");
            w.Line();
            if (c.IsInt)
            {
                w.Doc("Parses " + prop + " as a decimal integer.", string.Empty);
                w.Line("/// <param name=\"value\">The value, or 0.</param>");
                w.Line("/// <returns>True when the capture is a decimal integer.</returns>");
                w.Line("public bool TryGet" + prop + "(out long value) => " + RT + "TextScan.TryParseInt64(" + prop + ", out value);");
                w.Line();
            }
        }
    }

    private void EmitCgi(CodeWriter w, Decl d, string n)
    {
        w.Open("private " + n + "(" + Span + " text)");
        w.Line("Raw = text;");
        w.Close();
        w.Line();
        EmitRawAndParse(w, n);
        foreach (var part in d.Parts)
        {
            var prop = Naming.Pascal(part.Name);
            var key = Str(part.Key) + "u8";
            w.Doc("True when the key \"" + part.Key + "\" is present.", string.Empty);
            w.Line("public bool Has" + prop + " => " + RT + "CgiEnumerator.TryGetValue(Raw, " + key + ", out _);");
            w.Line();
            w.Doc(part.Doc + "\n(Key \"" + part.Key + "\"; empty when absent.)", prop + ".");
            w.Open("public " + Span + " " + prop);
            w.Open("get");
            w.Line(RT + "CgiEnumerator.TryGetValue(Raw, " + key + ", out var value);");
            w.Line("return value;");
            w.Close();
            w.Close();
            w.Line();
            w.Doc("Decodes " + prop + " as UTF-8 (allocates); null when absent.", string.Empty);
            w.Line("/// <returns>The text or null.</returns>");
            w.Line("public string? Get" + prop + "String() => " + RT + "CgiEnumerator.TryGetValue(Raw, " + key + ", out var value) ? " + RT + "TextScan.ToUtf8String(value) : null;");
            w.Line();
            if (part.IsInt)
            {
                w.Doc("Parses " + prop + " as a decimal integer.", string.Empty);
                w.Line("/// <param name=\"value\">The value, or 0.</param>");
                w.Line("/// <returns>True when present and a decimal integer.</returns>");
                w.Open("public bool TryGet" + prop + "(out long value)");
                w.Line("value = 0;");
                w.Line("return " + RT + "CgiEnumerator.TryGetValue(Raw, " + key + ", out var text) && " + RT + "TextScan.TryParseInt64(text, out value);");
                w.Close();
                w.Line();
            }
        }

        w.Doc("Enumerates every key=value pair.", string.Empty);
        w.Line("/// <returns>The enumerator.</returns>");
        w.Line("public " + RT + "CgiEnumerator GetEnumerator() => new " + RT + "CgiEnumerator(Raw);");
    }

    private void EmitLines(CodeWriter w, Decl d, string n)
    {
        w.Line("private readonly " + Span + " _body;");
        w.Line();
        w.Open("private " + n + "(" + Span + " text)");
        w.Line("Raw = text;");
        w.Line("_body = " + (d.Trim >= 0 ? RT + "BigEndian.TrimEnd(text, " + ByteLit(d.Trim) + ")" : "text") + ";");
        w.Close();
        w.Line();
        EmitRawAndParse(w, n);
        w.Doc("Enumerates the records (lines) without allocating.", string.Empty);
        w.Line("/// <returns>The enumerator.</returns>");
        w.Line("public " + RT + "TextLineEnumerator GetEnumerator() => new " + RT + "TextLineEnumerator(_body, " + ByteLit(d.Separator) + ");");
        w.Line();
        w.Doc("The number of records.", string.Empty);
        w.Line("public int Count => " + RT + "TextLineEnumerator.Count(_body, " + ByteLit(d.Separator) + ");");
    }

    private void EmitRegistry(CodeWriter w)
    {
        w.Doc("Every record type (struct and union) of the schemas in this namespace.", string.Empty);
        w.Line(GeneratedCode);
        w.Open("public static class StructRegistry");
        w.Doc("All record types, in declaration order.", string.Empty);
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<" + RT + "StructRecordInfo> All { get; } = new " + RT + "StructRecordInfo[]");
        w.Line("{");
        foreach (var d in _model.Decls.Where(x => x.Kind == DeclKind.Struct || x.Kind == DeclKind.Union))
        {
            var n = d.Name;
            w.Line("    new " + RT + "StructRecordInfo(");
            w.Line("        " + Str(n) + ",");
            w.Line("        typeof(" + n + "),");
            w.Line("        " + (d.Kind == DeclKind.Union ? "true" : "false") + ",");
            w.Line("        static data => " + n + ".Read(data),");
            w.Line("        static (" + Span + " data, out object? model, out " + RT + "DecodeError error) =>");
            w.Line("        {");
            w.Line("            var ok = " + n + ".TryRead(data, out var m, out error);");
            w.Line("            model = m;");
            w.Line("            return ok;");
            w.Line("        },");
            w.Line("        static model => ((" + n + ")model).ToArray(),");
            var fixedSize = Layout.StaticSize(d, Lookup);
            if (fixedSize is null)
            {
                w.Line("        static random => " + n + ".Generate(random, true)),");
            }
            else
            {
                w.Line("        static random => " + n + ".Generate(random, true))");
                w.Line("    {");
                w.Line("        FixedSize = " + I(fixedSize.Value) + ",");
                if (FastChecks(d, "data", null, null) is not null)
                {
                    w.Line("        IsValidFixed = static data => " + n + "Reader.IsValidFixed(data),");
                }

                w.Line("    },");
            }

        }

        w.Line("};");
        w.Close();
    }
}
