using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Toolkit.Generators.Structs.Model;

namespace Toolkit.Generators.Structs.Parsing;

internal enum TokenKind
{
    Ident,
    Int,
    String,
    Punct,
    Doc,
    End,
}

internal readonly struct Token
{
    public Token(TokenKind kind, string text, long value, Loc loc)
    {
        Kind = kind;
        Text = text;
        Value = value;
        Loc = loc;
    }

    public TokenKind Kind { get; }

    public string Text { get; }

    public long Value { get; }

    public Loc Loc { get; }

    public bool Is(string punctOrKeyword) => (Kind == TokenKind.Punct || Kind == TokenKind.Ident) && Text == punctOrKeyword;

    public override string ToString() => Kind == TokenKind.End ? "end of file" : "'" + Text + "'";
}

/// <summary>Turns schema text into tokens. Never throws; bad characters become diagnostics.</summary>
internal static class Lexer
{
    private static readonly string[] Puncts = { "=>", "..", ">>", "<<", "==", "!=", "<=", ">=", "{", "}", "(", ")", "[", "]", ";", ":", ",", "=", "@", "*", "+", "-", "&", "|", "<", ">", "." };

    public static List<Token> Lex(string text, string path, List<SchemaDiagnostic> diagnostics)
    {
        var tokens = new List<Token>();
        var i = 0;
        var line = 1;
        var lineStart = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var col = i - lineStart + 1;
            if (c == '\n')
            {
                i++;
                line++;
                lineStart = i;
                continue;
            }

            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\uFEFF')
            {
                i++;
                continue;
            }

            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                var end = text.IndexOf('\n', i);
                if (end < 0)
                {
                    end = text.Length;
                }

                if (i + 2 < text.Length && text[i + 2] == '/' && !(i + 3 < text.Length && text[i + 3] == '/'))
                {
                    var doc = text.Substring(i + 3, end - i - 3).Trim();
                    tokens.Add(new Token(TokenKind.Doc, doc, 0, new Loc(line, col, end - i, i)));
                }

                i = end;
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Ident, text.Substring(start, i - start), 0, new Loc(line, col, i - start, start)));
                continue;
            }

            if (char.IsDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var lit = text.Substring(start, i - start).Replace("_", string.Empty);
                var loc = new Loc(line, col, i - start, start);
                if (TryParseInt(lit, out var v))
                {
                    tokens.Add(new Token(TokenKind.Int, lit, v, loc));
                }
                else
                {
                    diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.Syntax, "invalid integer literal '" + lit + "'", path, loc));
                    tokens.Add(new Token(TokenKind.Int, lit, 0, loc));
                }

                continue;
            }

            if (c == '\'' || c == '"')
            {
                var start = i;
                i++;
                var sb = new StringBuilder();
                var closed = false;
                while (i < text.Length && text[i] != '\n')
                {
                    var ch = text[i];
                    if (ch == c)
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    if (ch == '\\' && i + 1 < text.Length)
                    {
                        i++;
                        var e = text[i];
                        sb.Append(e switch
                        {
                            'n' => '\n',
                            'r' => '\r',
                            't' => '\t',
                            '0' => '\0',
                            _ => e,
                        });
                        i++;
                        continue;
                    }

                    sb.Append(ch);
                    i++;
                }

                var loc = new Loc(line, col, i - start, start);
                if (!closed)
                {
                    diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.Syntax, "unterminated " + (c == '"' ? "string" : "character") + " literal", path, loc));
                }

                if (c == '\'')
                {
                    var s = sb.ToString();
                    if (s.Length != 1 || s[0] > 0x7F)
                    {
                        diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.Syntax, "a character literal holds exactly one ASCII character", path, loc));
                    }

                    tokens.Add(new Token(TokenKind.Int, s, s.Length > 0 ? s[0] : 0, loc));
                }
                else
                {
                    tokens.Add(new Token(TokenKind.String, sb.ToString(), 0, loc));
                }

                continue;
            }

            var matched = false;
            foreach (var p in Puncts)
            {
                if (string.CompareOrdinal(text, i, p, 0, p.Length) == 0)
                {
                    tokens.Add(new Token(TokenKind.Punct, p, 0, new Loc(line, col, p.Length, i)));
                    i += p.Length;
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.Syntax, "unexpected character '" + c + "'", path, new Loc(line, col, 1, i)));
                i++;
            }
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, 0, new Loc(line, i - lineStart + 1, 0, i)));
        return tokens;
    }

    private static bool TryParseInt(string lit, out long value)
    {
        value = 0;
        if (lit.Length > 2 && lit[0] == '0' && (lit[1] == 'x' || lit[1] == 'X'))
        {
            if (ulong.TryParse(lit.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h))
            {
                value = unchecked((long)h);
                return true;
            }

            return false;
        }

        if (lit.Length > 2 && lit[0] == '0' && (lit[1] == 'b' || lit[1] == 'B'))
        {
            ulong acc = 0;
            if (lit.Length - 2 > 64)
            {
                return false;
            }

            for (var k = 2; k < lit.Length; k++)
            {
                if (lit[k] != '0' && lit[k] != '1')
                {
                    return false;
                }

                acc = (acc << 1) | (uint)(lit[k] - '0');
            }

            value = unchecked((long)acc);
            return true;
        }

        if (ulong.TryParse(lit, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
        {
            value = unchecked((long)d);
            return true;
        }

        return false;
    }
}
