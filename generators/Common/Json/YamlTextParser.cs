using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Toolkit.Generators.Common.Json;

/// <summary>
/// Reads the YAML that OpenAPI documents are written in into the same <see cref="JsonNode"/> trees (with source
/// offsets) as <see cref="JsonTextParser"/>: block mappings and sequences (compact <c>- key: value</c> items
/// included), flow <c>[...]</c> and <c>{...}</c>, plain, single- and double-quoted scalars (multi-line folded),
/// literal <c>|</c> and folded <c>&gt;</c> block scalars with chomping and indentation indicators, comments,
/// <c>---</c>/<c>...</c> markers, anchors and aliases, and the YAML 1.2 core schema for plain scalars (null, booleans,
/// decimal/octal/hex integers, floats). One document per file; tabs may not indent; anything else is a
/// <see cref="JsonSyntaxException"/> at the offending offset. Depth is bounded like the JSON parser's.
/// </summary>
internal sealed class YamlTextParser
{
    private const int MaxDepth = 256;
    private readonly string _text;
    private readonly Dictionary<string, JsonNode> _anchors = new(StringComparer.Ordinal);
    private int _pos;

    private YamlTextParser(string text) => _text = text;

    public static JsonNode Parse(string text)
    {
        var p = new YamlTextParser(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            p._pos = 1;
        }

        p.SkipPreamble();
        if (!p.NextContentLine())
        {
            return new JsonNode(JsonKind.Null, p._pos, p._pos);
        }

        var node = p.ParseBlock(-1, 0);
        if (p.NextContentLine() && p.AtDocumentEnd())
        {
            var marker = p._pos;
            var anotherDocument = p.StartsWith("---");
            p.SkipLine();
            if (p.NextContentLine())
            {
                throw new JsonSyntaxException(anotherDocument ? "only one YAML document per file is supported" : "unexpected text after the end of the document", anotherDocument ? marker : p._pos);
            }
        }

        if (p._pos < text.Length)
        {
            throw new JsonSyntaxException("unexpected text (check the indentation)", p._pos);
        }

        return node;
    }

    /// <summary>Directives (<c>%YAML</c>) and the <c>---</c> line that opens the document.</summary>
    private void SkipPreamble()
    {
        while (NextContentLine())
        {
            if (_text[_pos] == '%' && Column(_pos) == 0)
            {
                SkipLine();
                continue;
            }

            if (StartsWith("---") && Column(_pos) == 0 && (_pos + 3 >= _text.Length || IsSpaceOrBreak(_text[_pos + 3])))
            {
                _pos += 3;
                SkipSpaces();
                if (_pos < _text.Length && !IsBreak(_text[_pos]) && _text[_pos] != '#')
                {
                    return;
                }

                SkipLine();
            }

            return;
        }
    }

    private bool AtDocumentEnd()
        => _pos < _text.Length && Column(_pos) == 0 && (StartsWith("...") || StartsWith("---"))
           && (_pos + 3 >= _text.Length || IsSpaceOrBreak(_text[_pos + 3]));

    /// <summary>A node in block context whose first character is at the current position.</summary>
    private JsonNode ParseBlock(int parentIndent, int depth, bool sameLineAsKey = false)
    {
        if (depth > MaxDepth)
        {
            throw new JsonSyntaxException("YAML nesting is deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture), _pos);
        }

        var (anchor, forceString) = ReadProperties();
        if (anchor is not null && (_pos >= _text.Length || IsBreak(_text[_pos]) || _text[_pos] == '#'))
        {
            // "key: &a" with the value on the next lines.
            if (!NextContentLine() || Column(_pos) <= parentIndent)
            {
                return Anchor(anchor, new JsonNode(JsonKind.Null, _pos, _pos));
            }

            sameLineAsKey = false;
        }

        if (_pos >= _text.Length)
        {
            // Properties and then the end of the text ("key: !!str" last): an empty node, as YAML reads it.
            var empty = forceString ? new JsonNode(JsonKind.String, _pos, _pos, string.Empty) : new JsonNode(JsonKind.Null, _pos, _pos);
            return anchor is null ? empty : Anchor(anchor, empty);
        }

        var c = _text[_pos];
        JsonNode node;
        if (c == '*')
        {
            node = ReadAlias();
        }
        else if (c == '-' && IsIndicatorEnd(_pos + 1))
        {
            if (sameLineAsKey)
            {
                throw new JsonSyntaxException("a sequence cannot start on the same line as its key (put it on the next line)", _pos);
            }

            node = ParseSequence(Column(_pos), depth);
        }
        else if (c == '|' || c == '>')
        {
            node = ParseBlockScalar(parentIndent);
        }
        else if (LooksLikeKey())
        {
            if (sameLineAsKey)
            {
                throw new JsonSyntaxException("a mapping cannot start on the same line as its key (put it on the next line, indented)", _pos);
            }

            node = ParseMapping(Column(_pos), depth);
        }
        else if (c == '[' || c == '{')
        {
            node = ParseFlow(depth);
            EndOfLine();
        }
        else
        {
            node = ParseScalarInBlock(parentIndent, forceString);
        }

        return anchor is null ? node : Anchor(anchor, node);
    }

    private JsonNode ParseMapping(int indent, int depth)
    {
        var start = _pos;
        var members = new List<JsonMember>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var keyStart = _pos;
            string key;
            if (_text[_pos] == '"' || _text[_pos] == '\'')
            {
                key = _text[_pos] == '"' ? ReadDoubleQuoted() : ReadSingleQuoted();
            }
            else
            {
                key = ReadPlainKey();
            }

            var keyEnd = _pos;
            SkipSpaces();
            if (_pos >= _text.Length || _text[_pos] != ':')
            {
                throw new JsonSyntaxException("expected ':' after the mapping key '" + key + "'", _pos);
            }

            _pos++;
            SkipSpaces();
            JsonNode value;
            if (_pos >= _text.Length || IsBreak(_text[_pos]) || _text[_pos] == '#')
            {
                // The value starts on a later line: more indented, or a sequence at the same indentation.
                var here = _pos;
                if (NextContentLine() && (Column(_pos) > indent || (Column(_pos) == indent && _text[_pos] == '-' && IsIndicatorEnd(_pos + 1))))
                {
                    value = ParseBlock(indent, depth + 1);
                }
                else
                {
                    value = new JsonNode(JsonKind.Null, here, here);
                }
            }
            else
            {
                value = ParseBlock(indent, depth + 1, sameLineAsKey: true);
            }

            JsonMember.AddUnique(members, keys, new JsonMember(key, keyStart, keyEnd, value));
            if (!NextContentLine() || AtDocumentEnd())
            {
                break;
            }

            var col = Column(_pos);
            if (col < indent)
            {
                break;
            }

            if (col > indent)
            {
                throw new JsonSyntaxException("this line is indented more than the mapping it continues", _pos);
            }

            if (_text[_pos] == '-' && IsIndicatorEnd(_pos + 1))
            {
                break;
            }

            if (!LooksLikeKey())
            {
                throw new JsonSyntaxException("expected a 'key: value' line in this mapping", _pos);
            }
        }

        return new JsonNode(JsonKind.Object, start, LastEnd(members), members: members);
    }

    private JsonNode ParseSequence(int indent, int depth)
    {
        var start = _pos;
        var items = new List<JsonNode>();
        while (true)
        {
            var dash = _pos;
            _pos++;
            SkipSpaces();
            if (_pos >= _text.Length || IsBreak(_text[_pos]) || _text[_pos] == '#')
            {
                if (NextContentLine() && Column(_pos) > indent)
                {
                    items.Add(ParseBlock(indent, depth + 1));
                }
                else
                {
                    items.Add(new JsonNode(JsonKind.Null, dash + 1, dash + 1));
                }
            }
            else
            {
                // A compact item ("- key: value" or "- - x") is a block node indented at its own column.
                items.Add(ParseBlock(Column(dash), depth + 1));
            }

            if (!NextContentLine() || AtDocumentEnd())
            {
                break;
            }

            var col = Column(_pos);
            if (col < indent || (col == indent && !(_text[_pos] == '-' && IsIndicatorEnd(_pos + 1))))
            {
                break;
            }

            if (col > indent)
            {
                throw new JsonSyntaxException("this line is indented more than the sequence it continues", _pos);
            }
        }

        return new JsonNode(JsonKind.Array, start, items[items.Count - 1].End, items: items);
    }

    private JsonNode ParseBlockScalar(int parentIndent)
    {
        var start = _pos;
        var folded = _text[_pos] == '>';
        _pos++;
        var chomp = 'c';
        var explicitIndent = 0;
        for (var k = 0; k < 2 && _pos < _text.Length; k++)
        {
            var ch = _text[_pos];
            if (ch == '-' || ch == '+')
            {
                chomp = ch;
                _pos++;
            }
            else if (ch >= '1' && ch <= '9')
            {
                explicitIndent = ch - '0';
                _pos++;
            }
        }

        EndOfLine();
        SkipLine();

        // Content lines: their indentation is the first non-empty line's (or the indicator's).
        var baseIndent = parentIndent < 0 ? 0 : parentIndent;
        var indent = explicitIndent > 0 ? baseIndent + explicitIndent : -1;
        var lines = new List<string>();
        var end = _pos;
        while (_pos < _text.Length)
        {
            var lineStart = _pos;
            var spaces = 0;
            while (_pos < _text.Length && _text[_pos] == ' ')
            {
                _pos++;
                spaces++;
            }

            if (_pos >= _text.Length || IsBreak(_text[_pos]))
            {
                // A blank line; spaces beyond the block's indentation are content (a line of spaces).
                lines.Add(indent >= 0 && spaces > indent ? new string(' ', spaces - indent) : string.Empty);
                SkipBreak();
                continue;
            }

            if (indent < 0)
            {
                if (spaces <= parentIndent)
                {
                    _pos = lineStart;
                    break;
                }

                indent = spaces;
            }

            if (spaces < indent)
            {
                _pos = lineStart;
                break;
            }

            var contentStart = lineStart + indent;
            var lineEnd = contentStart;
            while (lineEnd < _text.Length && !IsBreak(_text[lineEnd]))
            {
                lineEnd++;
            }

            lines.Add(_text.Substring(contentStart, lineEnd - contentStart));
            end = lineEnd;
            _pos = lineEnd;
            SkipBreak();
        }

        // Trailing empty lines belong to the chomping, not the content.
        var trailing = 0;
        while (lines.Count > 0 && lines[lines.Count - 1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
            trailing++;
        }

        // Literal: lines joined by breaks. Folded: a single break between two ordinary lines becomes a space,
        // a run of n blank lines n breaks; lines indented beyond the block keep their breaks.
        var sb = new StringBuilder();
        var first = true;
        var prevMoreIndented = false;
        var empties = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                empties++;
                continue;
            }

            var moreIndented = line[0] == ' ' || line[0] == '\t';
            if (first)
            {
                sb.Append('\n', empties);
            }
            else if (!folded || moreIndented || prevMoreIndented)
            {
                sb.Append('\n', empties + 1);
            }
            else
            {
                if (empties == 0)
                {
                    sb.Append(' ');
                }
                else
                {
                    sb.Append('\n', empties);
                }
            }

            sb.Append(line);
            first = false;
            empties = 0;
            prevMoreIndented = moreIndented;
        }

        if (lines.Count > 0 && chomp != '-')
        {
            sb.Append('\n');
        }

        if (chomp == '+')
        {
            sb.Append('\n', trailing);
        }

        if (_pos < _text.Length)
        {
            // Leave the position at the start of the next content line's indentation for the caller.
            _pos = StartOfLine(_pos);
        }

        return new JsonNode(JsonKind.String, start, end, sb.ToString());
    }

    /// <summary>A plain or quoted scalar in block context, possibly continued on more-indented lines.</summary>
    private JsonNode ParseScalarInBlock(int parentIndent, bool forceString)
    {
        var start = _pos;
        var c = _text[_pos];
        if (c == '"' || c == '\'')
        {
            var s = c == '"' ? ReadDoubleQuoted() : ReadSingleQuoted();
            var end = _pos;
            EndOfLine();
            return new JsonNode(JsonKind.String, start, end, s);
        }

        if (c is '@' or '`' or '%')
        {
            throw new JsonSyntaxException("a plain YAML scalar cannot start with '" + c + "' (quote it)", _pos);
        }

        var sb = new StringBuilder();
        var lastEnd = _pos;
        while (true)
        {
            var lineStart = _pos;
            while (_pos < _text.Length && !IsBreak(_text[_pos]))
            {
                if (_text[_pos] == '#' && _pos > lineStart && IsSpace(_text[_pos - 1]))
                {
                    break;
                }

                if (_text[_pos] == ':' && IsIndicatorEnd(_pos + 1))
                {
                    throw new JsonSyntaxException("': ' inside a plain value (quote the value)", _pos);
                }

                _pos++;
            }

            var piece = _text.Substring(lineStart, _pos - lineStart).TrimEnd(' ', '\t');
            if (piece.Length > 0)
            {
                lastEnd = lineStart + piece.Length;
            }

            sb.Append(piece);
            SkipToBreak();

            // Continuation: following non-empty lines indented past the parent, each empty line a line break.
            var save = _pos;
            var breaks = 0;
            while (_pos < _text.Length)
            {
                SkipBreak();
                var ls = _pos;
                while (_pos < _text.Length && _text[_pos] == ' ')
                {
                    _pos++;
                }

                if (_pos < _text.Length && _text[_pos] == '\t' && IsIndentation(_pos))
                {
                    // A tab where indentation is: not a continuation; the caller reports it.
                    _pos = save;
                    return Resolve(sb.ToString(), start, lastEnd, forceString);
                }

                if (_pos < _text.Length && IsBreak(_text[_pos]))
                {
                    breaks++;
                    continue;
                }

                if (_pos >= _text.Length || Column(_pos) <= parentIndent || _text[_pos] == '#' || (Column(ls) == 0 && AtDocumentEnd()))
                {
                    _pos = save;
                    return Resolve(sb.ToString(), start, lastEnd, forceString);
                }

                break;
            }

            if (_pos >= _text.Length)
            {
                _pos = save;
                return Resolve(sb.ToString(), start, lastEnd, forceString);
            }

            if (breaks == 0)
            {
                sb.Append(' ');
            }
            else
            {
                sb.Append('\n', breaks);
            }
        }
    }

    private JsonNode ParseFlow(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonSyntaxException("YAML nesting is deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture), _pos);
        }

        var start = _pos;
        var open = _text[_pos];
        var close = open == '[' ? ']' : '}';
        _pos++;
        var items = new List<JsonNode>();
        var members = new List<JsonMember>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            SkipFlowSpace();
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated flow collection (it starts here)", start);
            }

            if (_text[_pos] == close)
            {
                _pos++;
                break;
            }

            if (open == '{')
            {
                var keyStart = _pos;
                var key = _text[_pos] is '"' or '\'' ? (_text[_pos] == '"' ? ReadDoubleQuoted() : ReadSingleQuoted()) : ReadFlowPlain(isKey: true).Text!;
                var keyEnd = _pos;
                SkipFlowSpace();
                JsonNode value;
                if (_pos < _text.Length && _text[_pos] == ':')
                {
                    _pos++;
                    SkipFlowSpace();
                    value = _pos < _text.Length && (_text[_pos] == ',' || _text[_pos] == '}') ? new JsonNode(JsonKind.Null, _pos, _pos) : ParseFlowValue(depth + 1);
                }
                else
                {
                    value = new JsonNode(JsonKind.Null, keyEnd, keyEnd);
                }

                JsonMember.AddUnique(members, keys, new JsonMember(key, keyStart, keyEnd, value));
            }
            else
            {
                items.Add(ParseFlowValue(depth + 1));
            }

            SkipFlowSpace();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_pos < _text.Length && _text[_pos] == close)
            {
                _pos++;
                break;
            }

            throw _pos >= _text.Length
                ? new JsonSyntaxException("unterminated flow collection (it starts here)", start)
                : new JsonSyntaxException("expected ',' or '" + close + "' in a flow collection", _pos);
        }

        return open == '['
            ? new JsonNode(JsonKind.Array, start, _pos, items: items)
            : new JsonNode(JsonKind.Object, start, _pos, members: members);
    }

    private JsonNode ParseFlowValue(int depth)
    {
        var (anchor, forceString) = ReadProperties();
        if (_pos >= _text.Length)
        {
            throw new JsonSyntaxException("expected a value in the flow collection, found the end of the text", _pos);
        }

        var c = _text[_pos];
        JsonNode node;
        if (c == '[' || c == '{')
        {
            node = ParseFlow(depth);
        }
        else if (c == '*')
        {
            node = ReadAlias();
        }
        else if (c == '"' || c == '\'')
        {
            var start = _pos;
            var s = c == '"' ? ReadDoubleQuoted() : ReadSingleQuoted();
            node = new JsonNode(JsonKind.String, start, _pos, s);
        }
        else
        {
            var plain = ReadFlowPlain(isKey: false);
            node = Resolve(plain.Text!, plain.Start, plain.End, forceString);
        }

        return anchor is null ? node : Anchor(anchor, node);
    }

    private JsonNode ReadFlowPlain(bool isKey)
    {
        var start = _pos;
        while (_pos < _text.Length)
        {
            var ch = _text[_pos];
            if (ch is ',' or '[' or ']' or '{' or '}' || IsBreak(ch) || (ch == ':' && (isKey || IsFlowIndicatorEnd(_pos + 1))) || (ch == '#' && _pos > start && IsSpace(_text[_pos - 1])))
            {
                break;
            }

            _pos++;
        }

        var text = _text.Substring(start, _pos - start).TrimEnd(' ', '\t');
        if (text.Length == 0)
        {
            throw new JsonSyntaxException("expected a value in the flow collection", start);
        }

        return new JsonNode(JsonKind.String, start, start + text.Length, text);
    }

    private string ReadPlainKey()
    {
        var start = _pos;
        while (_pos < _text.Length && !IsBreak(_text[_pos]) && !(_text[_pos] == ':' && IsIndicatorEnd(_pos + 1)))
        {
            _pos++;
        }

        return _text.Substring(start, _pos - start).TrimEnd(' ', '\t');
    }

    /// <summary>Whether the line from the current position is <c>key: ...</c> (a plain or quoted key, then a colon and a space or the end of the line).</summary>
    private bool LooksLikeKey()
    {
        var i = _pos;
        var c = _text[i];
        if (c == '"' || c == '\'')
        {
            var save = _pos;
            try
            {
                _ = c == '"' ? ReadDoubleQuoted() : ReadSingleQuoted();
                SkipSpaces();
                return _pos < _text.Length && _text[_pos] == ':' && IsIndicatorEnd(_pos + 1);
            }
            catch (JsonSyntaxException)
            {
                return false;
            }
            finally
            {
                _pos = save;
            }
        }

        if (c is '[' or '{' or '#' or '|' or '>' or '*' or '&' or '!')
        {
            return false;
        }

        for (; i < _text.Length && !IsBreak(_text[i]); i++)
        {
            if (_text[i] == '#' && i > _pos && IsSpace(_text[i - 1]))
            {
                return false;
            }

            if (_text[i] == ':' && IsIndicatorEnd(i + 1))
            {
                return true;
            }
        }

        return false;
    }

    private (string? Anchor, bool ForceString) ReadProperties()
    {
        string? anchor = null;
        var forceString = false;
        while (_pos < _text.Length && (_text[_pos] == '&' || _text[_pos] == '!'))
        {
            var isAnchor = _text[_pos] == '&';
            var start = ++_pos;
            while (_pos < _text.Length && !IsSpaceOrBreak(_text[_pos]) && _text[_pos] is not (',' or ']' or '}'))
            {
                _pos++;
            }

            var name = _text.Substring(start, _pos - start);
            if (isAnchor)
            {
                anchor = name;
            }
            else if (name == "!str")
            {
                forceString = true;
            }
            else if (name.Length > 0)
            {
                throw new JsonSyntaxException("the YAML tag '!" + name + "' is not supported (only !!str)", start - 1);
            }

            SkipSpaces();
        }

        return (anchor, forceString);
    }

    private JsonNode ReadAlias()
    {
        var start = _pos++;
        while (_pos < _text.Length && !IsSpaceOrBreak(_text[_pos]) && _text[_pos] is not (',' or ']' or '}'))
        {
            _pos++;
        }

        var name = _text.Substring(start + 1, _pos - start - 1);
        return _anchors.TryGetValue(name, out var node)
            ? node
            : throw new JsonSyntaxException("the alias '*" + name + "' names no anchor defined before it", start);
    }

    private JsonNode Anchor(string name, JsonNode node)
    {
        _anchors[name] = node;
        return node;
    }

    private string ReadDoubleQuoted()
    {
        var start = _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated double-quoted string (it starts here)", start);
            }

            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return sb.ToString();
            }

            if (c == '\\')
            {
                _pos++;
                if (_pos >= _text.Length)
                {
                    continue;
                }

                var e = _text[_pos++];
                switch (e)
                {
                    case '0': sb.Append('\0'); break;
                    case 'a': sb.Append('\a'); break;
                    case 'b': sb.Append('\b'); break;
                    case 't': case '\t': sb.Append('\t'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'v': sb.Append('\v'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'e': sb.Append('\u001B'); break;
                    case ' ': sb.Append(' '); break;
                    case '"': sb.Append('"'); break;
                    case '/': sb.Append('/'); break;
                    case '\\': sb.Append('\\'); break;
                    case 'N': sb.Append('\u0085'); break;
                    case '_': sb.Append('\u00A0'); break;
                    case 'L': sb.Append('\u2028'); break;
                    case 'P': sb.Append('\u2029'); break;
                    case 'x': sb.Append(HexChar(2)); break;
                    case 'u': sb.Append(HexChar(4)); break;
                    case 'U': sb.Append(HexChar(8)); break;
                    case '\r':
                    case '\n':
                        // An escaped line break joins the lines with nothing.
                        _pos--;
                        SkipBreak();
                        SkipSpaces();
                        break;
                    default:
                        throw new JsonSyntaxException("'\\" + e + "' is not a YAML escape", _pos - 2);
                }

                continue;
            }

            if (IsBreak(c))
            {
                FoldQuotedBreak(sb);
                continue;
            }

            sb.Append(c);
            _pos++;
        }
    }

    private string ReadSingleQuoted()
    {
        var start = _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated single-quoted string (it starts here)", start);
            }

            var c = _text[_pos];
            if (c == '\'')
            {
                if (_pos + 1 < _text.Length && _text[_pos + 1] == '\'')
                {
                    sb.Append('\'');
                    _pos += 2;
                    continue;
                }

                _pos++;
                return sb.ToString();
            }

            if (IsBreak(c))
            {
                FoldQuotedBreak(sb);
                continue;
            }

            sb.Append(c);
            _pos++;
        }
    }

    /// <summary>A line break inside quotes: trailing spaces dropped, one break is a space, n+1 breaks are n newlines.</summary>
    private void FoldQuotedBreak(StringBuilder sb)
    {
        while (sb.Length > 0 && (sb[sb.Length - 1] == ' ' || sb[sb.Length - 1] == '\t'))
        {
            sb.Length--;
        }

        var breaks = 0;
        while (_pos < _text.Length)
        {
            if (IsBreak(_text[_pos]))
            {
                SkipBreak();
                breaks++;
            }
            else if (IsSpace(_text[_pos]))
            {
                _pos++;
            }
            else
            {
                break;
            }
        }

        if (breaks == 1)
        {
            sb.Append(' ');
        }
        else
        {
            sb.Append('\n', breaks - 1);
        }
    }

    private string HexChar(int digits)
    {
        if (_pos + digits > _text.Length || !int.TryParse(_text.Substring(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) || code < 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        {
            throw new JsonSyntaxException("a \\x, \\u or \\U escape needs " + digits.ToString(CultureInfo.InvariantCulture) + " hexadecimal digits of a valid code point", _pos);
        }

        _pos += digits;
        return char.ConvertFromUtf32(code);
    }

    /// <summary>The YAML 1.2 core schema for a plain scalar: null, booleans, integers and floats, else a string.</summary>
    private static JsonNode Resolve(string s, int start, int end, bool forceString)
    {
        if (forceString)
        {
            return new JsonNode(JsonKind.String, start, end, s);
        }

        switch (s)
        {
            case "":
            case "~":
            case "null":
            case "Null":
            case "NULL":
                return new JsonNode(JsonKind.Null, start, end);
            case "true":
            case "True":
            case "TRUE":
                return new JsonNode(JsonKind.True, start, end);
            case "false":
            case "False":
            case "FALSE":
                return new JsonNode(JsonKind.False, start, end);
        }

        var number = JsonNumber(s);
        return number is null ? new JsonNode(JsonKind.String, start, end, s) : new JsonNode(JsonKind.Number, start, end, number);
    }

    /// <summary>A core-schema integer or float as JSON number text, or null if the scalar is not one.</summary>
    private static string? JsonNumber(string s)
    {
        if (s.StartsWith("0x", StringComparison.Ordinal) && s.Length > 2)
        {
            return ulong.TryParse(s.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex.ToString(CultureInfo.InvariantCulture) : null;
        }

        if (s.StartsWith("0o", StringComparison.Ordinal) && s.Length > 2)
        {
            ulong v = 0;
            foreach (var ch in s.Substring(2))
            {
                if (ch < '0' || ch > '7' || v > (ulong.MaxValue >> 3))
                {
                    return null;
                }

                v = (v * 8) + (ulong)(ch - '0');
            }

            return v.ToString(CultureInfo.InvariantCulture);
        }

        // [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var i = 0;
        var sign = string.Empty;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            sign = s[i] == '-' ? "-" : string.Empty;
            i++;
        }

        var intStart = i;
        while (i < s.Length && char.IsDigit(s[i]) && s[i] < 128)
        {
            i++;
        }

        var intPart = s.Substring(intStart, i - intStart);
        string? fraction = null;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var fs = i;
            while (i < s.Length && s[i] >= '0' && s[i] <= '9')
            {
                i++;
            }

            fraction = s.Substring(fs, i - fs);
        }

        if (intPart.Length == 0 && string.IsNullOrEmpty(fraction))
        {
            return null;
        }

        var exponent = string.Empty;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            var es = i;
            i++;
            if (i < s.Length && (s[i] == '-' || s[i] == '+'))
            {
                i++;
            }

            var ds = i;
            while (i < s.Length && s[i] >= '0' && s[i] <= '9')
            {
                i++;
            }

            if (i == ds)
            {
                return null;
            }

            exponent = "e" + s.Substring(es + 1, i - es - 1);
        }

        if (i != s.Length)
        {
            return null;
        }

        intPart = intPart.TrimStart('0');
        if (intPart.Length == 0)
        {
            intPart = "0";
        }

        var text = sign + intPart;
        if (!string.IsNullOrEmpty(fraction))
        {
            text += "." + fraction;
        }

        return text + exponent;
    }

    /// <summary>Moves to the first character of the next line that holds content (not blank, not only a comment); false at the end.</summary>
    private bool NextContentLine()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == ' ')
            {
                _pos++;
            }
            else if (c == '\t')
            {
                if (IsIndentation(_pos))
                {
                    throw new JsonSyntaxException("a tab may not indent YAML (use spaces)", _pos);
                }

                _pos++;
            }
            else if (IsBreak(c))
            {
                SkipBreak();
            }
            else if (c == '#')
            {
                SkipToBreak();
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>After a complete value on a line: only white space or a comment may follow.</summary>
    private void EndOfLine()
    {
        SkipSpaces();
        if (_pos < _text.Length && !IsBreak(_text[_pos]) && _text[_pos] != '#')
        {
            throw new JsonSyntaxException("unexpected text after the value", _pos);
        }
    }

    private void SkipFlowSpace()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (IsSpace(c) || IsBreak(c))
            {
                _pos++;
            }
            else if (c == '#' && (_pos == 0 || IsSpaceOrBreak(_text[_pos - 1])))
            {
                SkipToBreak();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipLine()
    {
        SkipToBreak();
        SkipBreak();
    }

    private void SkipToBreak()
    {
        while (_pos < _text.Length && !IsBreak(_text[_pos]))
        {
            _pos++;
        }
    }

    private void SkipBreak()
    {
        if (_pos < _text.Length && _text[_pos] == '\r')
        {
            _pos++;
        }

        if (_pos < _text.Length && _text[_pos] == '\n')
        {
            _pos++;
        }
    }

    private void SkipSpaces()
    {
        while (_pos < _text.Length && IsSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private bool StartsWith(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;

    private int StartOfLine(int pos)
    {
        while (pos > 0 && !IsBreak(_text[pos - 1]))
        {
            pos--;
        }

        return pos;
    }

    private int Column(int pos) => pos - StartOfLine(pos);

    private bool IsIndentation(int pos)
    {
        for (var i = StartOfLine(pos); i < pos; i++)
        {
            if (!IsSpace(_text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether an indicator (<c>-</c>, <c>:</c>) is followed by a space, a break or the end.</summary>
    private bool IsIndicatorEnd(int pos) => pos >= _text.Length || IsSpaceOrBreak(_text[pos]);

    private bool IsFlowIndicatorEnd(int pos) => pos >= _text.Length || IsSpaceOrBreak(_text[pos]) || _text[pos] is ',' or ']' or '}';

    private static int LastEnd(List<JsonMember> members) => members[members.Count - 1].Value.End;

    private static bool IsSpace(char c) => c == ' ' || c == '\t';

    private static bool IsBreak(char c) => c == '\n' || c == '\r';

    private static bool IsSpaceOrBreak(char c) => IsSpace(c) || IsBreak(c);
}
