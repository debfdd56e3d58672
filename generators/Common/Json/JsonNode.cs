using System.Collections.Generic;

namespace Toolkit.Generators.Common.Json;

/// <summary>The kind of a JSON value.</summary>
internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>One member of a JSON object, with the position of its key.</summary>
internal sealed class JsonMember
{
    public JsonMember(string name, int nameStart, int nameEnd, JsonNode value)
    {
        Name = name;
        NameStart = nameStart;
        NameEnd = nameEnd;
        Value = value;
    }

    public string Name { get; }

    public int NameStart { get; }

    public int NameEnd { get; }

    public JsonNode Value { get; }

    /// <summary>
    /// Adds a member to an object being read. A key given twice is a syntax error at the second one (issue 17): JSON
    /// readers disagree on which one wins and YAML forbids it, so the generator refuses to guess.
    /// </summary>
    internal static void AddUnique(List<JsonMember> members, HashSet<string> keys, JsonMember member)
    {
        if (!keys.Add(member.Name))
        {
            throw new JsonSyntaxException("duplicate key '" + member.Name + "': each key may appear once in an object", member.NameStart);
        }

        members.Add(member);
    }
}

/// <summary>
/// A parsed JSON value that remembers where it came from (character offsets into the source text), so the
/// OpenAPI parser can report diagnostics at the exact schema position.
/// </summary>
internal sealed class JsonNode
{
    private static readonly List<JsonMember> NoMembers = new();
    private static readonly List<JsonNode> NoItems = new();

    public JsonNode(JsonKind kind, int start, int end, string? text = null, List<JsonMember>? members = null, List<JsonNode>? items = null)
    {
        Kind = kind;
        Start = start;
        End = end;
        Text = text;
        Members = members ?? NoMembers;
        Items = items ?? NoItems;
    }

    public JsonKind Kind { get; }

    /// <summary>Offset of the first character of the value.</summary>
    public int Start { get; }

    /// <summary>Offset just past the last character of the value.</summary>
    public int End { get; }

    /// <summary>The decoded string, or the raw number text.</summary>
    public string? Text { get; }

    public List<JsonMember> Members { get; }

    public List<JsonNode> Items { get; }

    public bool IsObject => Kind == JsonKind.Object;

    public bool IsString => Kind == JsonKind.String;

    public JsonNode? this[string name] => Get(name);

    public JsonNode? Get(string name)
    {
        // The readers refuse duplicate keys, so at most one member has this name.
        for (var i = Members.Count - 1; i >= 0; i--)
        {
            if (Members[i].Name == name)
            {
                return Members[i].Value;
            }
        }

        return null;
    }

    public JsonMember? GetMember(string name)
    {
        for (var i = Members.Count - 1; i >= 0; i--)
        {
            if (Members[i].Name == name)
            {
                return Members[i];
            }
        }

        return null;
    }

    public string? GetString(string name) => Get(name) is { Kind: JsonKind.String } n ? n.Text : null;

    public bool? GetBool(string name) => Get(name) switch
    {
        { Kind: JsonKind.True } => true,
        { Kind: JsonKind.False } => false,
        _ => null,
    };
}
