using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Toolkit.Generators.Common.Json;

/// <summary>Thrown by <see cref="JsonTextParser"/> for malformed JSON; carries the offending offset.</summary>
internal sealed class JsonSyntaxException : Exception
{
    public JsonSyntaxException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    public int Offset { get; }
}

/// <summary>
/// A small, strict RFC 8259 JSON parser producing <see cref="JsonNode"/> trees with source offsets. It has no
/// dependency beyond the BCL, so the generator bundles nothing. Nesting depth is bounded so hostile input cannot
/// overflow the stack.
/// </summary>
internal sealed class JsonTextParser
{
    private const int MaxDepth = 256;
    private readonly string _text;
    private int _pos;

    private JsonTextParser(string text) => _text = text;

    public static JsonNode Parse(string text)
    {
        var parser = new JsonTextParser(text);
        parser.SkipWhitespace();
        if (parser._pos < text.Length && text[parser._pos] == '\uFEFF')
        {
            parser._pos++;
            parser.SkipWhitespace();
        }

        var node = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (parser._pos != text.Length)
        {
            throw new JsonSyntaxException("unexpected text after the JSON value", parser._pos);
        }

        return node;
    }

    private JsonNode ParseValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonSyntaxException("JSON nesting is deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture), _pos);
        }

        if (_pos >= _text.Length)
        {
            throw new JsonSyntaxException("unexpected end of the document, a value was expected", _pos);
        }

        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return ParseObject(depth);
            case '[':
                return ParseArray(depth);
            case '"':
            {
                var start = _pos;
                var s = ParseString();
                return new JsonNode(JsonKind.String, start, _pos, s);
            }

            case 't':
                return ParseLiteral("true", JsonKind.True);
            case 'f':
                return ParseLiteral("false", JsonKind.False);
            case 'n':
                return ParseLiteral("null", JsonKind.Null);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ParseNumber();
                }

                throw new JsonSyntaxException("unexpected character '" + c + "', a JSON value was expected", _pos);
        }
    }

    private JsonNode ParseLiteral(string literal, JsonKind kind)
    {
        var start = _pos;
        if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0)
        {
            throw new JsonSyntaxException("invalid literal, expected '" + literal + "'", _pos);
        }

        _pos += literal.Length;
        return new JsonNode(kind, start, _pos);
    }

    private JsonNode ParseNumber()
    {
        var start = _pos;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        if (_pos >= _text.Length || !IsDigit(_text[_pos]))
        {
            throw new JsonSyntaxException("invalid number", start);
        }

        if (_text[_pos] == '0')
        {
            _pos++;
        }
        else
        {
            while (_pos < _text.Length && IsDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            if (_pos >= _text.Length || !IsDigit(_text[_pos]))
            {
                throw new JsonSyntaxException("invalid number: digits expected after '.'", _pos);
            }

            while (_pos < _text.Length && IsDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
        {
            _pos++;
            if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-'))
            {
                _pos++;
            }

            if (_pos >= _text.Length || !IsDigit(_text[_pos]))
            {
                throw new JsonSyntaxException("invalid number: digits expected in the exponent", _pos);
            }

            while (_pos < _text.Length && IsDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        return new JsonNode(JsonKind.Number, start, _pos, _text.Substring(start, _pos - start));
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private JsonNode ParseObject(int depth)
    {
        var start = _pos;
        _pos++;
        var members = new List<JsonMember>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == '}')
        {
            _pos++;
            return new JsonNode(JsonKind.Object, start, _pos, members: members);
        }

        while (true)
        {
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unexpected end of the document inside an object", _pos);
            }

            if (_text[_pos] != '"')
            {
                throw new JsonSyntaxException("a property name in double quotes was expected", _pos);
            }

            var nameStart = _pos;
            var name = ParseString();
            var nameEnd = _pos;
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != ':')
            {
                throw new JsonSyntaxException("':' expected after the property name", _pos);
            }

            _pos++;
            SkipWhitespace();
            var value = ParseValue(depth + 1);
            JsonMember.AddUnique(members, keys, new JsonMember(name, nameStart, nameEnd, value));
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unexpected end of the document inside an object", _pos);
            }

            if (_text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_text[_pos] == '}')
            {
                _pos++;
                return new JsonNode(JsonKind.Object, start, _pos, members: members);
            }

            throw new JsonSyntaxException("',' or '}' expected in an object", _pos);
        }
    }

    private JsonNode ParseArray(int depth)
    {
        var start = _pos;
        _pos++;
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == ']')
        {
            _pos++;
            return new JsonNode(JsonKind.Array, start, _pos, items: items);
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ParseValue(depth + 1));
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unexpected end of the document inside an array", _pos);
            }

            if (_text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_text[_pos] == ']')
            {
                _pos++;
                return new JsonNode(JsonKind.Array, start, _pos, items: items);
            }

            throw new JsonSyntaxException("',' or ']' expected in an array", _pos);
        }
    }

    private string ParseString()
    {
        _pos++; // opening quote
        StringBuilder? sb = null;
        var runStart = _pos;
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated string", _pos);
            }

            var c = _text[_pos];
            if (c == '"')
            {
                string result;
                if (sb is null)
                {
                    result = _text.Substring(runStart, _pos - runStart);
                }
                else
                {
                    sb.Append(_text, runStart, _pos - runStart);
                    result = sb.ToString();
                }

                _pos++;
                return result;
            }

            if (c < 0x20)
            {
                throw new JsonSyntaxException("control character in a string must be escaped", _pos);
            }

            if (c != '\\')
            {
                _pos++;
                continue;
            }

            sb ??= new StringBuilder();
            sb.Append(_text, runStart, _pos - runStart);
            _pos++;
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated escape sequence", _pos);
            }

            var e = _text[_pos];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 >= _text.Length)
                    {
                        throw new JsonSyntaxException("truncated \\u escape", _pos);
                    }

                    var code = 0;
                    for (var i = 1; i <= 4; i++)
                    {
                        var h = _text[_pos + i];
                        int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                        if (v < 0)
                        {
                            throw new JsonSyntaxException("invalid hex digit in \\u escape", _pos + i);
                        }

                        code = (code * 16) + v;
                    }

                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw new JsonSyntaxException("invalid escape sequence '\\" + e + "'", _pos - 1);
            }

            _pos++;
            runStart = _pos;
        }
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            {
                _pos++;
            }
            else
            {
                return;
            }
        }
    }
}
