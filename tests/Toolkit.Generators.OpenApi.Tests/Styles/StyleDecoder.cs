using System;
using System.Collections.Generic;
using System.Text;

namespace Toolkit.OpenApi.Tests.Styles;

/// <summary>A decoded parameter value: the columns of the OpenAPI "Style Examples" table.</summary>
internal sealed record StyleValue(string? Primitive, IReadOnlyList<string>? Items, IReadOnlyList<KeyValuePair<string, string>>? Members)
{
    public override string ToString()
        => Primitive ?? (Items is not null ? "[" + string.Join("|", Items) + "]" : "{" + string.Join("|", Members!) + "}");

    public bool SameAs(StyleValue other)
    {
        if (Primitive is not null || other.Primitive is not null)
        {
            return Primitive == other.Primitive;
        }

        if (Items is not null)
        {
            return other.Items is not null && Seq(Items, other.Items);
        }

        if (other.Members is null || Members!.Count != other.Members.Count)
        {
            return false;
        }

        for (var i = 0; i < Members.Count; i++)
        {
            if (Members[i].Key != other.Members[i].Key || Members[i].Value != other.Members[i].Value)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Seq(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// An independent decoder written from the OpenAPI 3.0.4 / 3.1.1 "Style Examples" table and RFC 6570: it splits a wire
/// form on the style's delimiters first and percent-decodes the pieces after (Appendix C.2). It shares no code with the
/// runtime's writer, so a bug cannot hide on both sides.
/// </summary>
internal static class StyleDecoder
{
    /// <summary>Decodes a query string (without '?') holding one parameter.</summary>
    public static StyleValue Query(string query, string name, string style, bool explode, string shape)
    {
        var pairs = Split(query, "&");
        switch (style, shape)
        {
            case ("form", "primitive"):
                return new StyleValue(Pct(Only(pairs, name)), null, null);
            case ("form", "array") when explode:
            {
                var items = new List<string>();
                foreach (var p in pairs)
                {
                    var (k, v) = Pair(p);
                    Assert.Equal(name, Pct(k));
                    items.Add(Pct(v));
                }

                return new StyleValue(null, items, null);
            }

            case ("form", "array"):
                return new StyleValue(null, Decoded(Only(pairs, name), ","), null);
            case ("form", "object") when explode:
            {
                var members = new List<KeyValuePair<string, string>>();
                foreach (var p in pairs)
                {
                    var (k, v) = Pair(p);
                    members.Add(new(Pct(k), Pct(v)));
                }

                return new StyleValue(null, null, members);
            }

            case ("form", "object"):
                return new StyleValue(null, null, Alternating(Decoded(Only(pairs, name), ",")));
            case ("spaceDelimited", "array"):
                return new StyleValue(null, Decoded(Only(pairs, name), "%20"), null);
            case ("pipeDelimited", "array"):
                return new StyleValue(null, Decoded(Only(pairs, name), "%7C"), null);
            case ("spaceDelimited", "object"):
                return new StyleValue(null, null, Alternating(Decoded(Only(pairs, name), "%20")));
            case ("pipeDelimited", "object"):
                return new StyleValue(null, null, Alternating(Decoded(Only(pairs, name), "%7C")));
            case ("deepObject", "object"):
            {
                var members = new List<KeyValuePair<string, string>>();
                var prefix = Enc(name) + "%5B";
                foreach (var p in pairs)
                {
                    var (k, v) = Pair(p);
                    Assert.StartsWith(prefix, k, StringComparison.Ordinal);
                    Assert.EndsWith("%5D", k, StringComparison.Ordinal);
                    members.Add(new(Pct(k[prefix.Length..^3]), Pct(v)));
                }

                return new StyleValue(null, null, members);
            }

            default:
                throw new ArgumentException(style + "/" + shape + " is n/a in the table");
        }
    }

    /// <summary>Decodes the text a path or header parameter expanded to.</summary>
    public static StyleValue Path(string text, string name, string style, bool explode, string shape)
    {
        switch (style)
        {
            case "simple":
                return Listed(text, ",", explode, shape, "=");
            case "label":
                Assert.StartsWith(".", text, StringComparison.Ordinal);
                return Listed(text[1..], explode ? "." : ",", explode, shape, "=");
            case "matrix":
            {
                Assert.StartsWith(";", text, StringComparison.Ordinal);
                var parts = text[1..].Split(';');
                if (shape == "object" && explode)
                {
                    var members = new List<KeyValuePair<string, string>>();
                    foreach (var part in parts)
                    {
                        var eq = part.IndexOf('=', StringComparison.Ordinal);
                        members.Add(eq < 0 ? new(Pct(part), string.Empty) : new(Pct(part[..eq]), Pct(part[(eq + 1)..])));
                    }

                    return new StyleValue(null, null, members);
                }

                var values = new List<string>();
                foreach (var part in parts)
                {
                    var eq = part.IndexOf('=', StringComparison.Ordinal);
                    Assert.Equal(Enc(name), eq < 0 ? part : part[..eq]);
                    values.Add(eq < 0 ? string.Empty : part[(eq + 1)..]);
                }

                if (shape == "primitive")
                {
                    return new StyleValue(Pct(Assert.Single(values)), null, null);
                }

                if (explode)
                {
                    return new StyleValue(null, values.ConvertAll(Pct), null);
                }

                var list = Decoded(Assert.Single(values), ",");
                return shape == "array" ? new StyleValue(null, list, null) : new StyleValue(null, null, Alternating(list));
            }

            default:
                throw new ArgumentException(style);
        }
    }

    /// <summary>Decodes a Cookie header: pairs joined by "; ".</summary>
    public static StyleValue Cookie(string header, string name, bool explode, string shape)
    {
        var pairs = Split(header, "; ");
        if (shape == "object" && explode)
        {
            var members = new List<KeyValuePair<string, string>>();
            foreach (var p in pairs)
            {
                var (k, v) = Pair(p);
                members.Add(new(Pct(k), Pct(v)));
            }

            return new StyleValue(null, null, members);
        }

        if (shape == "array" && explode)
        {
            var items = new List<string>();
            foreach (var p in pairs)
            {
                var (k, v) = Pair(p);
                Assert.Equal(name, Pct(k));
                items.Add(Pct(v));
            }

            return new StyleValue(null, items, null);
        }

        var value = Only(pairs, name);
        return shape switch
        {
            "primitive" => new StyleValue(Pct(value), null, null),
            "array" => new StyleValue(null, Decoded(value, ","), null),
            _ => new StyleValue(null, null, Alternating(Decoded(value, ","))),
        };
    }

    /// <summary>Strict percent-decoding: %XX triples are UTF-8 bytes; anything else is taken as it is.</summary>
    public static string Pct(string s)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%')
            {
                Assert.True(i + 2 < s.Length, "truncated %-triple in " + s);
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                Assert.True(s[i] < 0x80, "raw non-ASCII in " + s);
                bytes.Add((byte)s[i]);
            }
        }

        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
    }

    private static string Enc(string name)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static StyleValue Listed(string text, string separator, bool explode, string shape, string keySeparator)
    {
        if (shape == "primitive")
        {
            return new StyleValue(Pct(text), null, null);
        }

        var parts = Split(text, separator);
        if (shape == "array")
        {
            return new StyleValue(null, parts.ConvertAll(Pct), null);
        }

        if (!explode)
        {
            return new StyleValue(null, null, Alternating(parts.ConvertAll(Pct)));
        }

        var members = new List<KeyValuePair<string, string>>();
        foreach (var part in parts)
        {
            var eq = part.IndexOf(keySeparator, StringComparison.Ordinal);
            Assert.True(eq >= 0, "no '" + keySeparator + "' in " + part);
            members.Add(new(Pct(part[..eq]), Pct(part[(eq + 1)..])));
        }

        return new StyleValue(null, null, members);
    }

    private static List<string> Split(string text, string separator) => new(text.Split(separator));

    private static List<string> Decoded(string text, string separator) => Split(text, separator).ConvertAll(Pct);

    private static string Only(List<string> pairs, string name)
    {
        var (k, v) = Pair(Assert.Single(pairs));
        Assert.Equal(name, Pct(k));
        return v;
    }

    private static (string Key, string Value) Pair(string pair)
    {
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        Assert.True(eq >= 0, "no '=' in " + pair);
        return (pair[..eq], pair[(eq + 1)..]);
    }

    private static List<KeyValuePair<string, string>> Alternating(List<string> list)
    {
        Assert.True(list.Count % 2 == 0, "an odd number of key/value items: " + string.Join(",", list));
        var members = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < list.Count; i += 2)
        {
            members.Add(new(list[i], list[i + 1]));
        }

        return members;
    }
}
