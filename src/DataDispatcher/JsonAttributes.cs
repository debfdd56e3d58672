using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Toolkit.DataDispatcher;

/// <summary>Builds the free-form attribute objects (JSON) the server stores with projects and files.</summary>
public static class JsonAttributes
{
    /// <summary>An empty JSON object.</summary>
    public static JsonElement Empty => ToObject(new Dictionary<string, JsonElement>());

    /// <summary>A JSON object from name/value pairs (ordered by name).</summary>
    /// <param name="attributes">The attributes; an empty object when null.</param>
    /// <returns>The object.</returns>
    public static JsonElement ToObject(IReadOnlyDictionary<string, JsonElement>? attributes)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var kv in (attributes ?? new Dictionary<string, JsonElement>()).OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(kv.Key);
                kv.Value.WriteTo(w);
            }

            w.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(ms.ToArray());
        return doc.RootElement.Clone();
    }

    /// <summary>The members of a JSON object held by a generated model (empty for anything else).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The members.</returns>
    public static Dictionary<string, JsonElement> Members(Toolkit.Runtime.Json.ApiJsonValue? value)
        => Members(value is { ValueKind: JsonValueKind.Object } v ? v.ToElement() : null);

    /// <summary>The members of a JSON object (empty for anything else).</summary>
    /// <param name="element">The element.</param>
    /// <returns>The members.</returns>
    public static Dictionary<string, JsonElement> Members(JsonElement? element)
    {
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (element is { ValueKind: JsonValueKind.Object } e)
        {
            foreach (var p in e.EnumerateObject())
            {
                d[p.Name] = p.Value.Clone();
            }
        }

        return d;
    }

    /// <summary>
    /// A value from command-line text (the seed's CLI rule): JSON when it parses (numbers, true, null, quoted
    /// strings, arrays, objects), otherwise the text as a string.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    public static JsonElement Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return FromString(text);
        }
    }

    /// <summary>A JSON string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    public static JsonElement FromString(string text)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStringValue(text);
        }

        using var doc = JsonDocument.Parse(ms.ToArray());
        return doc.RootElement.Clone();
    }

    /// <summary>Parses <c>NAME=VALUE</c> (value by <see cref="Parse"/>).</summary>
    /// <param name="assignment">The text.</param>
    /// <returns>The pair.</returns>
    /// <exception cref="FormatException">No '=' or an empty name.</exception>
    public static KeyValuePair<string, JsonElement> ParseAssignment(string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var i = assignment.IndexOf('=', StringComparison.Ordinal);
        if (i <= 0)
        {
            throw new FormatException("attribute '" + assignment + "' is not NAME=VALUE");
        }

        return new(assignment[..i], Parse(assignment[(i + 1)..]));
    }
}
