using System;
using System.Collections.Generic;
using System.Text;
using Toolkit.Generators.Structs.Model;

namespace Toolkit.Generators.Structs.Parsing;

/// <summary>
/// Pure parser: schema text to <see cref="SchemaFile"/> plus diagnostics. Never throws and always terminates:
/// every loop consumes at least one token, and errors recover at the next top-level declaration.
/// </summary>
internal sealed partial class Parser
{
    private static readonly HashSet<string> TopKeywords = new(StringComparer.Ordinal) { "namespace", "enum", "struct", "union", "text", "visitor" };

    private readonly List<Token> _tokens;
    private readonly string _path;
    private readonly List<SchemaDiagnostic> _diagnostics;
    private int _pos;

    private Parser(List<Token> tokens, string path, List<SchemaDiagnostic> diagnostics)
    {
        _tokens = tokens;
        _path = path;
        _diagnostics = diagnostics;
    }

    public static SchemaFile Parse(string path, string text, string? fallbackNamespace = null)
    {
        var diagnostics = new List<SchemaDiagnostic>();
        var decls = new List<Decl>();
        var visitors = new List<VisitorDecl>();
        string? ns = null;
        Loc? nsLoc = null;
        try
        {
            var tokens = Lexer.Lex(text ?? string.Empty, path, diagnostics);
            var parser = new Parser(tokens, path, diagnostics);
            parser._visitors = visitors;
            parser.ParseFile(decls, ref ns, ref nsLoc);
        }
#pragma warning disable CA1031 // the parser must never throw: any bug becomes a diagnostic
        catch (Exception ex)
#pragma warning restore CA1031
        {
            diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.Internal, "internal parser error: " + ex.GetType().Name, path, new Loc(1, 1, 0)));
        }

        return new SchemaFile(path, ns ?? fallbackNamespace, nsLoc, new EquatableArray<Decl>(decls), new EquatableArray<SchemaDiagnostic>(diagnostics))
        {
            Visitors = new EquatableArray<VisitorDecl>(visitors),
        };
    }

    private Token Peek => _tokens[_pos];

    private Token PeekAt(int n) => _tokens[Math.Min(_pos + n, _tokens.Count - 1)];

    private Token Next()
    {
        var t = _tokens[_pos];
        if (_pos < _tokens.Count - 1)
        {
            _pos++;
        }

        return t;
    }

    private void ParseFile(List<Decl> decls, ref string? ns, ref Loc? nsLoc)
    {
        while (Peek.Kind != TokenKind.End)
        {
            var start = _pos;
            try
            {
                var doc = ReadDocs();
                var t = Peek;
                if (t.Kind == TokenKind.End)
                {
                    break;
                }

                if (t.Is("namespace"))
                {
                    Next();
                    var name = new StringBuilder(ExpectIdent("namespace name").Text);
                    while (Peek.Is("."))
                    {
                        Next();
                        name.Append('.').Append(ExpectIdent("namespace name").Text);
                    }

                    Expect(";");
                    if (ns is not null)
                    {
                        Error(DiagnosticIds.Duplicate, "a schema file declares its namespace only once", t.Loc);
                    }

                    ns = name.ToString();
                    nsLoc = t.Loc;
                }
                else if (t.Is("enum"))
                {
                    decls.Add(ParseEnum(doc));
                }
                else if (t.Is("struct"))
                {
                    decls.Add(ParseStruct(doc));
                }
                else if (t.Is("union"))
                {
                    decls.Add(ParseUnion(doc));
                }
                else if (t.Is("text"))
                {
                    decls.Add(ParseText(doc));
                }
                else if (t.Is("visitor"))
                {
                    _visitors.Add(ParseVisitor(doc));
                }
                else
                {
                    throw Fail(t, "expected 'namespace', 'enum', 'struct', 'union', 'text' or 'visitor'");
                }
            }
            catch (ParseError)
            {
                Recover(start);
            }
        }
    }

    private void Recover(int start)
    {
        if (_pos == start)
        {
            Next();
        }

        var depth = 0;
        while (Peek.Kind != TokenKind.End)
        {
            var t = Peek;
            if (depth == 0 && t.Kind == TokenKind.Ident && TopKeywords.Contains(t.Text) && (_pos == 0 || !_tokens[_pos - 1].Is(":")))
            {
                return;
            }

            if (t.Is("{"))
            {
                depth++;
            }
            else if (t.Is("}"))
            {
                depth = Math.Max(0, depth - 1);
            }

            Next();
        }
    }

    private string ReadDocs()
    {
        StringBuilder? sb = null;
        while (Peek.Kind == TokenKind.Doc)
        {
            var d = Next().Text;
            sb ??= new StringBuilder();
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(d);
        }

        return sb?.ToString() ?? string.Empty;
    }

    private Decl NewDecl(DeclKind kind, string name, string doc, Loc loc) =>
        new(kind, name, doc, _path, loc, string.Empty, EquatableArray<EnumMember>.Empty, null, EquatableArray<Constraint>.Empty, null,
            EquatableArray<Member>.Empty, null, EquatableArray<UnionCase>.Empty, TextKind.Split, -1, -1, string.Empty, EquatableArray<TextPart>.Empty);

    private Decl ParseEnum(string doc)
    {
        Next();
        var name = ExpectIdent("enum name");
        Expect(":");
        var type = ExpectIntType();
        Expect("{");
        var members = new List<EnumMember>();
        while (!Peek.Is("}"))
        {
            var mdoc = ReadDocs();
            if (Peek.Is("}"))
            {
                break;
            }

            var m = ExpectIdent("enum member name");
            Expect("=");
            var v = ParseValue();
            Expect(";");
            members.Add(new EnumMember(m.Text, mdoc, v, m.Loc));
        }

        Expect("}");
        return NewDecl(DeclKind.Enum, name.Text, doc, name.Loc) with { IntType = type, EnumMembers = new EquatableArray<EnumMember>(members) };
    }

    private Decl ParseStruct(string doc)
    {
        Next();
        var name = ExpectIdent("struct name");
        string? baseName = null;
        var constraints = new List<Constraint>();
        LengthSpec? size = null;
        if (Peek.Is(":"))
        {
            Next();
            baseName = ExpectIdent("base struct name").Text;
            if (Peek.Is("("))
            {
                Next();
                while (true)
                {
                    var f = ExpectIdent("inherited field name");
                    if (Peek.Is("="))
                    {
                        Next();
                        constraints.Add(new Constraint(f.Text, ParseValue(), EquatableArray<ValueRange>.Empty, f.Loc));
                    }
                    else if (Peek.Is("in"))
                    {
                        Next();
                        constraints.Add(new Constraint(f.Text, null, ParseRanges(), f.Loc));
                    }
                    else
                    {
                        throw Fail(Peek, "expected '=' or 'in'");
                    }

                    if (Peek.Is(","))
                    {
                        Next();
                        continue;
                    }

                    Expect(")");
                    break;
                }
            }
        }

        if (Peek.Is("size"))
        {
            Next();
            Expect("(");
            size = ParseLenExpr();
            Expect(")");
        }

        Expect("{");
        var members = new List<Member>();
        while (!Peek.Is("}"))
        {
            var mdoc = ReadDocs();
            if (Peek.Is("}"))
            {
                break;
            }

            members.Add(ParseMember(mdoc));
        }

        Expect("}");
        return NewDecl(DeclKind.Struct, name.Text, doc, name.Loc) with
        {
            Base = baseName,
            BaseConstraints = new EquatableArray<Constraint>(constraints),
            Size = size,
            Members = new EquatableArray<Member>(members),
        };
    }

    private Member ParseMember(string doc)
    {
        if (Peek.Is("let"))
        {
            Next();
            var ln = ExpectIdent("computed member name");
            Expect(":");
            var tt = Peek;
            var rt = ExpectIdent("result type").Text;
            if (rt != "bool" && rt != "f64" && !IsIntType(rt))
            {
                throw Fail(tt, "a computed member is an integer type, f64 or bool");
            }

            Expect("=");
            var e = ParseExpr(0);
            Expect(";");
            return new Member(ln.Text, doc, true, null, null, EquatableArray<ValueRange>.Empty, null, null, false, rt, e, ln.Loc);
        }

        var n = ExpectIdent("field name");
        Expect(":");
        var type = ParseType();
        long? cst = null;
        var ranges = EquatableArray<ValueRange>.Empty;
        string? cond = null;
        string? asType = null;
        var reserved = false;
        while (!Peek.Is(";"))
        {
            var t = Next();
            if (t.Is("const"))
            {
                cst = ParseValue();
            }
            else if (t.Is("in"))
            {
                ranges = ParseRanges();
            }
            else if (t.Is("if"))
            {
                Expect("(");
                cond = ExpectIdent("condition field").Text;
                Expect(")");
            }
            else if (t.Is("as"))
            {
                asType = ExpectIdent("text structure name").Text;
            }
            else if (t.Is("reserved"))
            {
                reserved = true;
            }
            else
            {
                throw Fail(t, "expected a modifier ('const', 'in', 'if', 'as', 'reserved') or ';'");
            }
        }

        Expect(";");
        return new Member(n.Text, doc, false, type, cst, ranges, cond, asType, reserved, string.Empty, null, n.Loc);
    }

    private TypeRef ParseType()
    {
        var t = ExpectIdent("type");
        if (IsIntType(t.Text))
        {
            return new TypeRef(TypeKind.Int, t.Text, string.Empty, null, EquatableArray<BitMember>.Empty, t.Loc);
        }

        if (t.Text == "f64")
        {
            return new TypeRef(TypeKind.F64, string.Empty, string.Empty, null, EquatableArray<BitMember>.Empty, t.Loc);
        }

        if (t.Text == "bits")
        {
            var word = ExpectIntType();
            Expect("{");
            var bits = new List<BitMember>();
            while (!Peek.Is("}"))
            {
                var bdoc = ReadDocs();
                if (Peek.Is("}"))
                {
                    break;
                }

                var bn = ExpectIdent("bit member name");
                Expect(":");
                var wt = Expect(TokenKind.Int, "bit width");
                string? en = null;
                long? bc = null;
                var br = EquatableArray<ValueRange>.Empty;
                var res = false;
                while (!Peek.Is(";"))
                {
                    var m = Next();
                    if (m.Is("as"))
                    {
                        en = ExpectIdent("enum name").Text;
                    }
                    else if (m.Is("const"))
                    {
                        bc = ParseValue();
                    }
                    else if (m.Is("in"))
                    {
                        br = ParseRanges();
                    }
                    else if (m.Is("reserved"))
                    {
                        res = true;
                    }
                    else
                    {
                        throw Fail(m, "expected 'as', 'const', 'in', 'reserved' or ';'");
                    }
                }

                Expect(";");
                bits.Add(new BitMember(bn.Text, bdoc, (int)Math.Min(Math.Max(wt.Value, -1), 1000), en, bc, br, res, bn.Loc));
            }

            Expect("}");
            return new TypeRef(TypeKind.Bits, word, string.Empty, null, new EquatableArray<BitMember>(bits), t.Loc);
        }

        if (t.Text == "bytes" || t.Text == "char" || t.Text == "text")
        {
            Expect("[");
            var len = ParseLength();
            Expect("]");
            var kind = t.Text == "bytes" ? TypeKind.Bytes : t.Text == "char" ? TypeKind.Char : TypeKind.Text;
            return new TypeRef(kind, string.Empty, string.Empty, len, EquatableArray<BitMember>.Empty, t.Loc);
        }

        if (Peek.Is("["))
        {
            Next();
            var dots = Peek;
            Expect("..");
            Expect("]");
            return new TypeRef(TypeKind.Array, string.Empty, t.Text, new LengthSpec(LengthKind.Tail, 0, string.Empty, 1, 0, dots.Loc), EquatableArray<BitMember>.Empty, t.Loc);
        }

        return new TypeRef(TypeKind.Named, string.Empty, t.Text, null, EquatableArray<BitMember>.Empty, t.Loc);
    }

    private LengthSpec ParseLength()
    {
        var t = Peek;
        if (t.Is(".."))
        {
            Next();
            return new LengthSpec(LengthKind.Tail, 0, string.Empty, 1, 0, t.Loc);
        }

        if (t.Kind == TokenKind.Int)
        {
            Next();
            if (t.Value < 0 || t.Value > 1 << 20)
            {
                Error(DiagnosticIds.Value, "a fixed length is between 0 and 1048576", t.Loc);
            }

            return new LengthSpec(LengthKind.Fixed, (int)Math.Min(Math.Max(t.Value, 0), 1 << 20), string.Empty, 1, 0, t.Loc);
        }

        return ParseLenExpr();
    }

    private LengthSpec ParseLenExpr()
    {
        var f = ExpectIdent("length field");
        long mul = 1;
        long add = 0;
        if (Peek.Is("*"))
        {
            Next();
            mul = Expect(TokenKind.Int, "unit").Value;
            if (mul <= 0 || mul > 1 << 20)
            {
                Error(DiagnosticIds.Value, "a length unit is between 1 and 1048576", f.Loc);
                mul = 1;
            }
        }

        if (Peek.Is("+") || Peek.Is("-"))
        {
            var neg = Next().Is("-");
            var v = Expect(TokenKind.Int, "offset").Value;
            if (v < 0 || v > 1 << 20)
            {
                Error(DiagnosticIds.Value, "a length offset is between -1048576 and 1048576", f.Loc);
                v = 0;
            }

            add = neg ? -v : v;
        }

        return new LengthSpec(LengthKind.Expr, 0, f.Text, mul, add, f.Loc);
    }

    private Decl ParseUnion(string doc)
    {
        Next();
        var name = ExpectIdent("union name");
        string? baseName = null;
        if (Peek.Is(":"))
        {
            Next();
            baseName = ExpectIdent("base struct name").Text;
        }

        var sw = Peek;
        if (!sw.Is("switch"))
        {
            throw Fail(sw, "expected 'switch'");
        }

        Next();
        Expect("(");
        var st = Peek;
        var type = ExpectIntType();
        Expect("@");
        var off = Expect(TokenKind.Int, "selector offset").Value;
        long shift = 0;
        long mask = -1;
        if (Peek.Is(">>"))
        {
            Next();
            shift = Expect(TokenKind.Int, "shift").Value;
        }

        if (Peek.Is("&"))
        {
            Next();
            mask = Expect(TokenKind.Int, "mask").Value;
        }

        Expect(")");
        if (off < 0 || off > 65535 || shift < 0 || shift > 63)
        {
            Error(DiagnosticIds.Value, "selector offset must be 0..65535 and shift 0..63", st.Loc);
            off = 0;
            shift = 0;
        }

        Expect("{");
        var cases = new List<UnionCase>();
        while (!Peek.Is("}"))
        {
            var cdoc = ReadDocs();
            if (Peek.Is("}"))
            {
                break;
            }

            var ct = Peek;
            var isDefault = false;
            var ranges = EquatableArray<ValueRange>.Empty;
            if (ct.Is("_"))
            {
                Next();
                isDefault = true;
            }
            else
            {
                ranges = ParseRanges();
            }

            Expect("=>");
            var v = ExpectIdent("variant struct name");
            Expect(";");
            cases.Add(new UnionCase(ranges, isDefault, v.Text, cdoc, ct.Loc));
        }

        Expect("}");
        return NewDecl(DeclKind.Union, name.Text, doc, name.Loc) with
        {
            Base = baseName,
            Selector = new Selector(type, (int)off, (int)shift, mask, st.Loc),
            Cases = new EquatableArray<UnionCase>(cases),
        };
    }

    private Decl ParseText(string doc)
    {
        Next();
        var name = ExpectIdent("text structure name");
        var form = ExpectIdent("text form ('split', 'pattern', 'cgi' or 'lines')");
        var decl = NewDecl(DeclKind.Text, name.Text, doc, name.Loc);
        var parts = new List<TextPart>();
        switch (form.Text)
        {
            case "split":
            {
                var sep = Expect(TokenKind.Int, "separator character");
                Expect("{");
                while (!Peek.Is("}"))
                {
                    var pdoc = ReadDocs();
                    if (Peek.Is("}"))
                    {
                        break;
                    }

                    var pn = ExpectIdent("part name");
                    Expect(":");
                    var pt = ExpectIdent("part type ('text' or a text structure)");
                    Expect(";");
                    parts.Add(new TextPart(pn.Text, pdoc, pt.Text, string.Empty, false, pn.Loc));
                }

                Expect("}");
                if (parts.Count != 2)
                {
                    Error(DiagnosticIds.Text, "a split has exactly two parts", name.Loc);
                }

                return decl with { TextKind = TextKind.Split, Separator = CharValue(sep), Parts = new EquatableArray<TextPart>(parts) };
            }

            case "pattern":
            {
                var pat = Expect(TokenKind.String, "pattern string");
                var trim = -1;
                if (Peek.Is("trim"))
                {
                    Next();
                    trim = CharValue(Expect(TokenKind.Int, "trim character"));
                }

                Expect(";");
                ParsePattern(pat, parts);
                return decl with { TextKind = TextKind.Pattern, Pattern = pat.Text, Trim = trim, Parts = new EquatableArray<TextPart>(parts) };
            }

            case "cgi":
            {
                Expect("{");
                while (!Peek.Is("}"))
                {
                    var pdoc = ReadDocs();
                    if (Peek.Is("}"))
                    {
                        break;
                    }

                    var pn = ExpectIdent("key name");
                    var isInt = false;
                    if (Peek.Is(":"))
                    {
                        Next();
                        var it = ExpectIdent("'int'");
                        if (it.Text != "int")
                        {
                            throw Fail(it, "expected 'int'");
                        }

                        isInt = true;
                    }

                    Expect("=");
                    var key = Expect(TokenKind.String, "key string");
                    Expect(";");
                    parts.Add(new TextPart(pn.Text, pdoc, isInt ? "int" : "text", key.Text, isInt, pn.Loc));
                }

                Expect("}");
                return decl with { TextKind = TextKind.Cgi, Parts = new EquatableArray<TextPart>(parts) };
            }

            case "lines":
            {
                var sep = Expect(TokenKind.Int, "separator character");
                var trim = -1;
                if (Peek.Is("trim"))
                {
                    Next();
                    trim = CharValue(Expect(TokenKind.Int, "trim character"));
                }

                Expect(";");
                return decl with { TextKind = TextKind.Lines, Separator = CharValue(sep), Trim = trim };
            }

            default:
                throw Fail(form, "expected 'split', 'pattern', 'cgi' or 'lines'");
        }
    }

    private void ParsePattern(Token pat, List<TextPart> parts)
    {
        var s = pat.Text;
        var i = 0;
        var lastWasCapture = false;
        while (i < s.Length)
        {
            if (s[i] == '{')
            {
                var end = s.IndexOf('}', i);
                if (end < 0)
                {
                    Error(DiagnosticIds.Text, "unclosed '{' in pattern", pat.Loc);
                    return;
                }

                var body = s.Substring(i + 1, end - i - 1);
                var isInt = false;
                var colon = body.IndexOf(':');
                if (colon >= 0)
                {
                    if (body.Substring(colon + 1) != "int")
                    {
                        Error(DiagnosticIds.Text, "a capture type is ':int'", pat.Loc);
                    }

                    isInt = true;
                    body = body.Substring(0, colon);
                }

                if (!IsIdent(body))
                {
                    Error(DiagnosticIds.Text, "a capture name is an identifier", pat.Loc);
                }

                if (lastWasCapture)
                {
                    Error(DiagnosticIds.Text, "two captures need a literal between them", pat.Loc);
                }

                parts.Add(new TextPart(body, string.Empty, isInt ? "int" : "text", string.Empty, isInt, pat.Loc));
                lastWasCapture = true;
                i = end + 1;
            }
            else
            {
                var start = i;
                while (i < s.Length && s[i] != '{')
                {
                    i++;
                }

                if (s.Substring(start, i - start).IndexOf('}') >= 0)
                {
                    Error(DiagnosticIds.Text, "unexpected '}' in pattern", pat.Loc);
                }

                parts.Add(new TextPart(string.Empty, string.Empty, "literal", s.Substring(start, i - start), false, pat.Loc));
                lastWasCapture = false;
            }
        }

        var captures = 0;
        foreach (var p in parts)
        {
            if (p.Type != "literal")
            {
                captures++;
            }
        }

        if (captures == 0)
        {
            Error(DiagnosticIds.Text, "a pattern has at least one capture", pat.Loc);
        }
    }

    private static bool IsIdent(string s) => CSharp.IsIdentifierShape(s);

    private int CharValue(Token t)
    {
        if (t.Value < 0 || t.Value > 0x7F)
        {
            Error(DiagnosticIds.Value, "a separator is an ASCII character", t.Loc);
            return 0;
        }

        return (int)t.Value;
    }

    private int _depth;

    private Expr ParseExpr(int minPrec)
    {
        if (++_depth > 64)
        {
            throw Fail(Peek, "expression nested too deeply");
        }

        try
        {
            return ParseExprCore(minPrec);
        }
        finally
        {
            _depth--;
        }
    }

    private Expr ParseExprCore(int minPrec)
    {
        var left = ParseUnary();
        while (true)
        {
            var t = Peek;
            var prec = Precedence(t);
            if (prec < 0 || prec < minPrec)
            {
                return left;
            }

            Next();
            var right = ParseExpr(prec + 1);
            left = new Expr(t.Text, string.Empty, 0, left, right, t.Loc);
        }
    }

    private static int Precedence(Token t)
    {
        if (t.Kind != TokenKind.Punct)
        {
            return -1;
        }

        return t.Text switch
        {
            "|" => 1,
            "&" => 2,
            "==" or "!=" => 3,
            "<" or "<=" or ">" or ">=" => 4,
            "<<" or ">>" => 5,
            "+" or "-" => 6,
            "*" => 7,
            _ => -1,
        };
    }

    private Expr ParseUnary()
    {
        var t = Next();
        if (t.Is("-"))
        {
            var operand = ParseExpr(8);
            return new Expr("neg", string.Empty, 0, operand, null, t.Loc);
        }

        if (t.Is("("))
        {
            var inner = ParseExpr(0);
            Expect(")");
            return inner;
        }

        if (t.Kind == TokenKind.Int)
        {
            return new Expr("lit", string.Empty, t.Value, null, null, t.Loc);
        }

        if (t.Kind == TokenKind.Ident)
        {
            return new Expr("ref", t.Text, 0, null, null, t.Loc);
        }

        throw Fail(t, "expected a field name, a number or '('");
    }

    private EquatableArray<ValueRange> ParseRanges()
    {
        var list = new List<ValueRange>();
        while (true)
        {
            var lo = ParseValue();
            var hi = lo;
            if (Peek.Is(".."))
            {
                Next();
                hi = ParseValue();
            }

            list.Add(new ValueRange(lo, hi));
            if (!Peek.Is(","))
            {
                break;
            }

            Next();
        }

        return new EquatableArray<ValueRange>(list);
    }

    private long ParseValue()
    {
        var neg = false;
        if (Peek.Is("-"))
        {
            Next();
            neg = true;
        }

        var t = Expect(TokenKind.Int, "a number or character");
        return neg ? unchecked(-t.Value) : t.Value;
    }

    private string ExpectIntType()
    {
        var t = ExpectIdent("integer type");
        if (!IsIntType(t.Text))
        {
            throw Fail(t, "expected an integer type (u8..u64, i8..i64, u24, u48, u56, i24, i48, i56)");
        }

        return t.Text;
    }

    public static bool IsIntType(string s) => s switch
    {
        "u8" or "u16" or "u24" or "u32" or "u48" or "u56" or "u64" or "i8" or "i16" or "i24" or "i32" or "i48" or "i56" or "i64" => true,
        _ => false,
    };

    private Token ExpectIdent(string what) => Expect(TokenKind.Ident, what);

    private Token Expect(TokenKind kind, string what)
    {
        var t = Peek;
        if (t.Kind != kind)
        {
            throw Fail(t, "expected " + what + ", found " + t);
        }

        return Next();
    }

    private void Expect(string punct)
    {
        var t = Peek;
        if (!t.Is(punct))
        {
            throw Fail(t, "expected '" + punct + "', found " + t);
        }

        Next();
    }

    private void Error(string id, string message, Loc loc) => _diagnostics.Add(new SchemaDiagnostic(id, message, _path, loc));

    private ParseError Fail(Token t, string message)
    {
        Error(DiagnosticIds.Syntax, message, t.Loc);
        return new ParseError();
    }

#pragma warning disable CA1064, CA1032 // private control-flow exception, never escapes Parse
    private sealed class ParseError : Exception
    {
    }
#pragma warning restore CA1064, CA1032
}
