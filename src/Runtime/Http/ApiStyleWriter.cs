using System;
using System.ComponentModel;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace Toolkit.Runtime.Http;

/// <summary>
/// Writes parameters in the OpenAPI styles (OpenAPI 3.0.4 / 3.1.1 "Style Values" and "Style Examples"): one
/// <see cref="Begin"/>, the value's items or members, one <see cref="End"/>. Names and values are percent-encoded as
/// the parameter's <see cref="ApiParameterEncoding"/> says while the style's delimiters are written as they are, so a
/// value can be split on its delimiters before it is percent-decoded (OpenAPI Appendix C.2). A null item or member is
/// RFC 6570 "undefined" and left out; an empty array or object writes nothing (or <c>name=</c> in a query with
/// <c>allowEmptyValue</c>). Generated clients call it; numbers are formatted in place, with no LINQ and no reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class ApiStyleWriter
{
    private readonly StringBuilder _sb;
    private readonly Target _target;
    private string _name = string.Empty;
    private ApiParameterStyle _style;
    private ApiParameterShape _shape;
    private ApiParameterEncoding _encoding;
    private bool _explode;
    private int _count;
    private int _items;

    internal ApiStyleWriter(StringBuilder sb, Target target)
    {
        _sb = sb;
        _target = target;
    }

    internal enum Target
    {
        Path,
        Query,
        Header,
        Cookie,
        Form,
    }

    /// <summary>A writer for header values: each <see cref="Begin"/> starts a new value, read with <see cref="ToString"/>.</summary>
    /// <returns>The writer.</returns>
    public static ApiStyleWriter ForHeaders() => new(new StringBuilder(), Target.Header);

    /// <summary>A writer for the cookie pairs of one request, joined by <c>"; "</c> (RFC 6265 section 4.2.1).</summary>
    /// <returns>The writer.</returns>
    public static ApiStyleWriter ForCookies() => new(new StringBuilder(), Target.Cookie);

    /// <summary>
    /// A writer for an <c>application/x-www-form-urlencoded</c> body: each property is a parameter written as a query
    /// parameter would be (its Encoding Object's style, explode and allowReserved), pairs joined by <c>&amp;</c>.
    /// </summary>
    /// <returns>The writer.</returns>
    public static ApiStyleWriter ForForm() => new(new StringBuilder(), Target.Form);

    /// <summary>The form body written so far, as content of the exact media type given (the text is ASCII: every other character is percent-encoded).</summary>
    /// <param name="mediaType">The Content-Type.</param>
    /// <returns>The content.</returns>
    public HttpContent ToFormContent(string mediaType) => ApiTransport.BytesContent(Encoding.ASCII.GetBytes(_sb.ToString()), mediaType);

    /// <summary>True when nothing has been written (no cookie, or an empty header value).</summary>
    public bool IsEmpty => _sb.Length == 0;

    /// <summary>Starts a parameter.</summary>
    /// <param name="name">The parameter name (percent-encoded like a value; for cookies, kept to token characters).</param>
    /// <param name="style">The style.</param>
    /// <param name="shape">Whether the value is a primitive, an array or an object.</param>
    /// <param name="explode">The parameter's <c>explode</c>.</param>
    /// <param name="encoding">Which characters pass unencoded.</param>
    /// <returns>This writer.</returns>
    public ApiStyleWriter Begin(string name, ApiParameterStyle style, ApiParameterShape shape, bool explode, ApiParameterEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_target == Target.Header)
        {
            _sb.Clear();
        }

        _name = name;
        _style = style;
        _shape = shape;
        _explode = explode;
        _encoding = encoding;
        _count = 0;
        _items = 0;
        return this;
    }

    /// <summary>Ends the parameter.</summary>
    /// <param name="allowEmptyValue">For a query parameter whose array or object is empty: send <c>name=</c> instead of nothing.</param>
    /// <returns>True when something was written for the parameter.</returns>
    public bool End(bool allowEmptyValue = false)
    {
        if (_count == 0 && allowEmptyValue && _target is Target.Query or Target.Form)
        {
            PairStart();
            Name(_name);
            _sb.Append('=');
            return true;
        }

        return _count > 0;
    }

    /// <summary>Writes a primitive value or one array item; nothing when null.</summary>
    /// <param name="value">The value.</param>
    public void Item(string? value)
    {
        if (value is not null)
        {
            WriteItem(value);
        }
    }

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void Item(int value) => ItemFormatted(value, default);

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void Item(long value) => ItemFormatted(value, default);

    /// <summary>Writes a number (round-trip form).</summary>
    /// <param name="value">The value.</param>
    public void Item(double value) => ItemFormatted(value, "R");

    /// <summary>Writes a number (round-trip form).</summary>
    /// <param name="value">The value.</param>
    public void Item(float value) => ItemFormatted(value, "R");

    /// <summary>Writes a decimal.</summary>
    /// <param name="value">The value.</param>
    public void Item(decimal value) => ItemFormatted(value, default);

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value.</param>
    public void Item(bool value) => WriteItem(value ? "true" : "false");

    /// <summary>Writes a timestamp (ISO 8601).</summary>
    /// <param name="value">The value.</param>
    public void Item(DateTimeOffset value) => ItemFormatted(value, "O");

    /// <summary>Writes a date (<c>yyyy-MM-dd</c>).</summary>
    /// <param name="value">The value.</param>
    public void Item(DateOnly value) => ItemFormatted(value, "yyyy-MM-dd");

    /// <summary>Writes a UUID.</summary>
    /// <param name="value">The value.</param>
    public void Item(Guid value) => ItemFormatted(value, "D");

    /// <summary>
    /// Writes a value given as UTF-8 JSON (a content-based parameter, or an array item that is itself an object or an
    /// array): the compact JSON text as one item, percent-encoded as the location requires; nothing for JSON <c>null</c>.
    /// With <c>deepObject</c> an object or array item is written as <c>name[index][key]=value</c> pairs instead.
    /// </summary>
    /// <param name="utf8Json">The JSON (one value; written by the generated model writers).</param>
    public void ItemJson(ReadOnlySpan<byte> utf8Json)
    {
        if (IsJsonNull(utf8Json))
        {
            return;
        }

        if (_style == ApiParameterStyle.DeepObject && (_target is Target.Query or Target.Form))
        {
            var prefix = new StringBuilder();
            Name(prefix, _name);
            Bracket(prefix, _items.ToString(CultureInfo.InvariantCulture));
            _items++;
            WriteDeep(prefix, utf8Json);
            return;
        }

        WriteItem(Encoding.UTF8.GetString(utf8Json));
    }

    /// <summary>
    /// Writes an object property whose value is given as UTF-8 JSON (an object, an array, a union or a free-form value).
    /// With <c>deepObject</c> the value is nested as <c>name[key][sub]=value</c>, array items by index
    /// (<c>name[key][0]=value</c>), at any depth; in the other styles, which define no nesting, a scalar is written as
    /// its text and an object or array as its compact JSON text. JSON <c>null</c> and empty objects or arrays (under
    /// <c>deepObject</c>) write nothing.
    /// </summary>
    /// <param name="key">The property name.</param>
    /// <param name="utf8Json">The JSON (one value).</param>
    public void MemberJson(string key, ReadOnlySpan<byte> utf8Json)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (IsJsonNull(utf8Json))
        {
            return;
        }

        if (_style == ApiParameterStyle.DeepObject)
        {
            var prefix = new StringBuilder();
            Name(prefix, _name);
            Bracket(prefix, key);
            WriteDeep(prefix, utf8Json);
            return;
        }

        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                WriteMember(key, reader.GetString()!);
                break;
            case JsonTokenType.Number:
                WriteMember(key, Encoding.UTF8.GetString(reader.ValueSpan));
                break;
            case JsonTokenType.True:
            case JsonTokenType.False:
                WriteMember(key, reader.TokenType == JsonTokenType.True ? "true" : "false");
                break;
            default:
                WriteMember(key, Encoding.UTF8.GetString(utf8Json));
                break;
        }
    }

    /// <summary>Writes an object property; nothing when the value is null.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (value is not null)
        {
            WriteMember(key, value);
        }
    }

    /// <summary>Writes a number property.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, int value) => MemberFormatted(key, value, default);

    /// <summary>Writes a number property.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, long value) => MemberFormatted(key, value, default);

    /// <summary>Writes a number property (round-trip form).</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, double value) => MemberFormatted(key, value, "R");

    /// <summary>Writes a number property (round-trip form).</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, float value) => MemberFormatted(key, value, "R");

    /// <summary>Writes a decimal property.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, decimal value) => MemberFormatted(key, value, default);

    /// <summary>Writes a boolean property.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, bool value) => WriteMember(key, value ? "true" : "false");

    /// <summary>Writes a timestamp property (ISO 8601).</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, DateTimeOffset value) => MemberFormatted(key, value, "O");

    /// <summary>Writes a date property (<c>yyyy-MM-dd</c>).</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, DateOnly value) => MemberFormatted(key, value, "yyyy-MM-dd");

    /// <summary>Writes a UUID property.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    public void Member(string key, Guid value) => MemberFormatted(key, value, "D");

    /// <summary>The text written (a header value, or the cookie pairs).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => _sb.ToString();

    private void ItemFormatted<T>(T value, ReadOnlySpan<char> format)
        where T : ISpanFormattable
    {
        Span<char> buffer = stackalloc char[64];
        if (value.TryFormat(buffer, out var n, format, CultureInfo.InvariantCulture))
        {
            WriteItem(buffer[..n]);
        }
        else
        {
            WriteItem(value.ToString(format.ToString(), CultureInfo.InvariantCulture));
        }
    }

    private void MemberFormatted<T>(string key, T value, ReadOnlySpan<char> format)
        where T : ISpanFormattable
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<char> buffer = stackalloc char[64];
        if (value.TryFormat(buffer, out var n, format, CultureInfo.InvariantCulture))
        {
            WriteMember(key, buffer[..n]);
        }
        else
        {
            WriteMember(key, value.ToString(format.ToString(), CultureInfo.InvariantCulture));
        }
    }

    private void WriteItem(ReadOnlySpan<char> value)
    {
        var first = _count == 0;
        switch (_style)
        {
            case ApiParameterStyle.Simple:
                if (!first)
                {
                    _sb.Append(',');
                }

                break;
            case ApiParameterStyle.Label:
                _sb.Append(first || _explode ? '.' : ',');
                break;
            case ApiParameterStyle.Matrix:
                if (first || _explode)
                {
                    _sb.Append(';');
                    Name(_name);
                    // An empty primitive or exploded item is ";name" (RFC 6570 ifemp); a list is ";name=" then its items.
                    if (value.Length > 0 || (_shape == ApiParameterShape.Array && !_explode))
                    {
                        _sb.Append('=');
                    }
                }
                else
                {
                    _sb.Append(',');
                }

                break;
            case ApiParameterStyle.SpaceDelimited:
            case ApiParameterStyle.PipeDelimited:
                if (first)
                {
                    PairStart();
                    Name(_name);
                    _sb.Append('=');
                }
                else
                {
                    _sb.Append(_style == ApiParameterStyle.SpaceDelimited ? "%20" : "%7C");
                }

                break;
            case ApiParameterStyle.DeepObject when _shape == ApiParameterShape.Array:
                // Not defined by OpenAPI: items by index, name[0]=a&name[1]=b (qs's default, Stripe's form bodies).
                PairStart();
                Name(_name);
                _sb.Append("%5B").Append(_items.ToString(CultureInfo.InvariantCulture)).Append("%5D=");
                _items++;
                break;
            default:
                // form (and deepObject, which has no primitive form: written as form)
                if (first || _explode)
                {
                    PairStart();
                    Name(_name);
                    _sb.Append('=');
                }
                else
                {
                    _sb.Append(',');
                }

                break;
        }

        Value(value);
        _count++;
    }

    private void WriteMember(string key, ReadOnlySpan<char> value)
    {
        var first = _count == 0;
        switch (_style)
        {
            case ApiParameterStyle.Simple:
                if (!first)
                {
                    _sb.Append(',');
                }

                KeyThenValue(key, value, _explode ? '=' : ',');
                break;
            case ApiParameterStyle.Label:
                _sb.Append(first || _explode ? '.' : ',');
                KeyThenValue(key, value, _explode ? '=' : ',');
                break;
            case ApiParameterStyle.Matrix:
                if (_explode)
                {
                    _sb.Append(';');
                    Name(key);
                    if (value.Length > 0)
                    {
                        _sb.Append('=');
                        Value(value);
                    }
                }
                else
                {
                    ListStart(first, ';', ',');
                    KeyThenValue(key, value, ',');
                }

                break;
            case ApiParameterStyle.SpaceDelimited:
            case ApiParameterStyle.PipeDelimited:
            {
                var delimiter = _style == ApiParameterStyle.SpaceDelimited ? "%20" : "%7C";
                if (first)
                {
                    PairStart();
                    Name(_name);
                    _sb.Append('=');
                }
                else
                {
                    _sb.Append(delimiter);
                }

                Value(key);
                _sb.Append(delimiter);
                Value(value);
                break;
            }

            case ApiParameterStyle.DeepObject:
                PairStart();
                Name(_name);
                _sb.Append("%5B");
                Name(key);
                _sb.Append("%5D=");
                Value(value);
                break;
            default:
                if (_explode)
                {
                    PairStart();
                    Name(key);
                    _sb.Append('=');
                    Value(value);
                }
                else
                {
                    if (first)
                    {
                        PairStart();
                        Name(_name);
                        _sb.Append('=');
                    }
                    else
                    {
                        _sb.Append(',');
                    }

                    KeyThenValue(key, value, ',');
                }

                break;
        }

        _count++;
    }

    private static bool IsJsonNull(ReadOnlySpan<byte> utf8Json) => utf8Json.Trim(" \t\r\n"u8).SequenceEqual("null"u8);

    private void Bracket(StringBuilder prefix, ReadOnlySpan<char> key)
    {
        prefix.Append("%5B");
        Name(prefix, key);
        prefix.Append("%5D");
    }

    /// <summary>The deepObject pairs of one JSON value under <paramref name="prefix"/> (already encoded): objects by key, arrays by index.</summary>
    private void WriteDeep(StringBuilder prefix, ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        var marks = new System.Collections.Generic.List<int>();
        var indices = new System.Collections.Generic.List<int>();
        while (reader.Read())
        {
            // Inside an array, each value opens its own index segment.
            if (reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject or JsonTokenType.PropertyName) && indices is [.., >= 0])
            {
                marks.Add(prefix.Length);
                Bracket(prefix, indices[^1].ToString(CultureInfo.InvariantCulture));
                indices[^1]++;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    indices.Add(-1);
                    break;
                case JsonTokenType.StartArray:
                    indices.Add(0);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    indices.RemoveAt(indices.Count - 1);
                    PopSegment(prefix, marks, indices);
                    break;
                case JsonTokenType.PropertyName:
                    marks.Add(prefix.Length);
                    Bracket(prefix, reader.GetString()!);
                    break;
                case JsonTokenType.Null:
                    PopSegment(prefix, marks, indices);
                    break;
                default:
                {
                    var text = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString()!,
                        JsonTokenType.True => "true",
                        JsonTokenType.False => "false",
                        _ => Encoding.UTF8.GetString(reader.ValueSpan),
                    };
                    PairStart();
                    _sb.Append(prefix);
                    _sb.Append('=');
                    Value(text);
                    _count++;
                    PopSegment(prefix, marks, indices);
                    break;
                }
            }
        }
    }

    /// <summary>After a value inside a container: drops the segment (key or index) that led to it.</summary>
    private static void PopSegment(StringBuilder prefix, System.Collections.Generic.List<int> marks, System.Collections.Generic.List<int> containers)
    {
        if (containers.Count > 0)
        {
            prefix.Length = marks[^1];
            marks.RemoveAt(marks.Count - 1);
        }
    }

    private void ListStart(bool first, char prefix, char separator)
    {
        if (first)
        {
            _sb.Append(prefix);
            Name(_name);
            _sb.Append('=');
        }
        else
        {
            _sb.Append(separator);
        }
    }

    private void KeyThenValue(string key, ReadOnlySpan<char> value, char between)
    {
        if (_explode)
        {
            Name(key);
        }
        else
        {
            Value(key);
        }

        _sb.Append(between);
        Value(value);
    }

    private void PairStart()
    {
        if (_target == Target.Query)
        {
            _sb.Append(_sb.Length == 0 ? '?' : '&');
        }
        else if (_target == Target.Form && _sb.Length > 0)
        {
            _sb.Append('&');
        }
        else if (_target == Target.Cookie && _sb.Length > 0)
        {
            _sb.Append("; ");
        }
    }

    private void Name(ReadOnlySpan<char> name) => Name(_sb, name);

    private void Name(StringBuilder sb, ReadOnlySpan<char> name)
        => ApiPercentEncoding.Append(sb, name, _encoding == ApiParameterEncoding.Reserved ? ApiParameterEncoding.Unreserved : _encoding, name: true);

    private void Value(ReadOnlySpan<char> value) => ApiPercentEncoding.Append(_sb, value, _encoding, name: false);
}
