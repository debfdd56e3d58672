using System;
using System.Buffers;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

/// <summary>
/// JSON primitives used by generated models: strict token checks that fail with a <see cref="JsonException"/>
/// naming the byte position, UTC handling of offset-less timestamps, lists, maps and entry points.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ApiJson
{
    /// <summary>Advances to the next token; fails if the data ends.</summary>
    /// <param name="reader">The reader.</param>
    public static void Read(ref ApiJsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("unexpected end of JSON data at byte " + reader.BytesConsumed.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Creates an exception that names the current byte position.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="message">What went wrong.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonException Error(ref ApiJsonReader reader, string message)
        => new(message + " (at byte " + reader.TokenStartIndex.ToString(CultureInfo.InvariantCulture) + ")");

    /// <summary>Fails unless the current token is <paramref name="expected"/>.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="expected">The token type required.</param>
    /// <param name="what">What is being read, for the message.</param>
    public static void Expect(ref ApiJsonReader reader, JsonTokenType expected, string what)
    {
        if (reader.TokenType != expected)
        {
            throw Error(ref reader, what + ": expected " + Describe(expected) + ", found " + Describe(reader.TokenType));
        }
    }

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => t.ToString(),
    };

    /// <summary>The exception for a required property that is absent.</summary>
    /// <param name="type">The model type.</param>
    /// <param name="property">The JSON property name.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonException MissingProperty(string type, string property)
        => new(type + ": required property '" + property + "' is missing");

    /// <summary>The exception for a required property that is absent, naming where the object ends.</summary>
    /// <param name="reader">The reader, on the object's EndObject token.</param>
    /// <param name="type">The model type.</param>
    /// <param name="property">The JSON property name.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonException MissingProperty(ref ApiJsonReader reader, string type, string property)
        => Error(ref reader, type + ": required property '" + property + "' is missing from the object that ends here");

    /// <summary>The exception for a null where the schema does not allow one.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="type">The model type.</param>
    /// <param name="property">The JSON property name.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonException NotNullable(ref ApiJsonReader reader, string type, string property)
        => Error(ref reader, type + ": property '" + property + "' is not nullable but is null");

    /// <summary>Reads a string token.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The string.</returns>
    /// <remarks>
    /// Short ASCII values that repeat through a document (VO names, hosts, storage endpoints, DNs, flags) are shared:
    /// a small process-wide table returns the same string instance for the same bytes instead of allocating again.
    /// The table is lossy and lock-free: threads may overwrite each other's entries, and an entry is only used after
    /// its text has been compared with the bytes, so a race costs a miss, never a wrong string.
    /// </remarks>
    public static string ReadString(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String, "string");
        if (reader.ValueIsEscaped)
        {
            return reader.GetString();
        }

        var bytes = reader.ValueSpan;
        if (bytes.Length == 0)
        {
            return string.Empty;
        }

        // ASCII (nearly every value a grid service sends) widens straight into a string, with no UTF-8 decoding.
        if (bytes.Length > MaxCachedString)
        {
            return System.Text.Ascii.IsValid(bytes) ? System.Text.Encoding.Latin1.GetString(bytes) : reader.GetString();
        }

        var cache = Strings;
        var slot = StringSlot(bytes);
        var cached = System.Threading.Volatile.Read(ref cache[slot]);
        if (cached is not null && cached.Length == bytes.Length && System.Text.Ascii.Equals(bytes, cached))
        {
            return cached;
        }

        if (!System.Text.Ascii.IsValid(bytes))
        {
            return reader.GetString();
        }

        var value = System.Text.Encoding.Latin1.GetString(bytes);
        System.Threading.Volatile.Write(ref cache[slot], value);
        return value;
    }

    private const int MaxCachedString = 64;
    private const int StringCacheSize = 2048;

    private static readonly string?[] Strings = new string?[StringCacheSize];

    /// <summary>A cache slot from the length, the first, middle and last bytes (a collision only costs a miss).</summary>
    private static int StringSlot(ReadOnlySpan<byte> s)
    {
        uint h = (uint)s.Length * 0x9E3779B1u;
        if (s.Length >= 4)
        {
            h = (h ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(s)) * 0x85EBCA77u;
            h = (h ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(s.Length - 4))) * 0xC2B2AE3Du;
            h = (h ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(s.Slice((s.Length / 2) - 2))) * 0x27D4EB2Fu;
        }
        else
        {
            foreach (var b in s)
            {
                h = (h ^ b) * 0x01000193u;
            }
        }

        return (int)((h ^ (h >> 15)) & (StringCacheSize - 1));
    }

    /// <summary>Reads a 32-bit integer.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static int ReadInt32(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "int32");
        return reader.TryGetInt32(out var v) ? v : throw Error(ref reader, "int32: value is not an integer in range");
    }

    /// <summary>Reads a 64-bit integer.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static long ReadInt64(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "int64");
        return reader.TryGetInt64(out var v) ? v : throw Error(ref reader, "int64: value is not an integer in range");
    }

    /// <summary>Reads a double.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static double ReadDouble(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "number");
        return reader.TryGetDouble(out var v) ? v : throw Error(ref reader, "number: out of range");
    }

    /// <summary>Reads a single-precision float.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static float ReadSingle(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "float");
        return reader.TryGetSingle(out var v) ? v : throw Error(ref reader, "float: out of range");
    }

    /// <summary>Reads a decimal.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static decimal ReadDecimal(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "decimal");
        return reader.TryGetDecimal(out var v) ? v : throw Error(ref reader, "decimal: out of range");
    }

    /// <summary>Reads a boolean.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static bool ReadBoolean(ref ApiJsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Error(ref reader, "boolean: expected true or false, found " + Describe(reader.TokenType)),
    };

    /// <summary>
    /// Reads an ISO 8601 timestamp. A timestamp without offset (as FTS3 sends) is taken as UTC, never as local time.
    /// </summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static DateTimeOffset ReadDateTime(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String, "string");
        if (!reader.ValueIsEscaped)
        {
            // Fast path, no string: the common ISO 8601 spellings parsed from the bytes.
            if (Iso8601.TryParse(reader.ValueSpan, out var parsed))
            {
                return parsed;
            }
        }

        // Everything else (escaped text, other ISO 8601 spellings such as a space before the time).
        var s = reader.GetString()!;
        return ParseDateTime(s) ?? throw Error(ref reader, "date-time: '" + s + "' is not an ISO 8601 timestamp");
    }

    /// <summary>Parses an ISO 8601 timestamp, taking offset-less values as UTC.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value, or null if the text is not a timestamp.</returns>
    public static DateTimeOffset? ParseDateTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 10 || !char.IsAsciiDigit(text[0]))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? v : null;
    }

    /// <summary>Reads a calendar date (<c>yyyy-MM-dd</c>).</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static DateOnly ReadDate(ref ApiJsonReader reader)
    {
        var s = ReadString(ref reader);
        return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var v)
            ? v
            : throw Error(ref reader, "date: '" + s + "' is not yyyy-MM-dd");
    }

    /// <summary>Reads a UUID.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static Guid ReadGuid(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String, "uuid");
        return reader.TryGetGuid(out var v) ? v : throw Error(ref reader, "uuid: not a UUID");
    }

    /// <summary>Reads base64 bytes.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static byte[] ReadBytes(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String, "byte");
        return reader.TryGetBytesFromBase64(out var v) ? v : throw Error(ref reader, "byte: not base64");
    }

    /// <summary>Reads any JSON value as a detached <see cref="JsonElement"/>.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static JsonElement ReadElement(ref ApiJsonReader reader)
    {
        var raw = new Utf8JsonReader(reader.ReadRawValue());
        return JsonElement.ParseValue(ref raw);
    }

    /// <summary>Reads an array.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="reader">The reader, on the StartArray token.</param>
    /// <param name="item">Reads one element.</param>
    /// <returns>The elements.</returns>
    public static IReadOnlyList<T> ReadList<T>(ref ApiJsonReader reader, JsonReadFunc<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Expect(ref reader, JsonTokenType.StartArray, "array");
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return Array.Empty<T>();
        }

        var first = item(ref reader);
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return new[] { first };
        }

        // Elements go to pooled scratch space; the result is one array of the exact length (no List, no slack).
        var scratch = ArrayPool<T>.Shared.Rent(8);
        scratch[0] = first;
        var count = 1;
        try
        {
            while (true)
            {
                if (count == scratch.Length)
                {
                    var bigger = ArrayPool<T>.Shared.Rent(count * 2);
                    Array.Copy(scratch, bigger, count);
                    ReturnScratch(scratch, count);
                    scratch = bigger;
                }

                scratch[count++] = item(ref reader);
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return scratch.AsSpan(0, count).ToArray();
                }
            }
        }
        finally
        {
            ReturnScratch(scratch, count);
        }
    }

    private static void ReturnScratch<T>(T[] scratch, int used)
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            scratch.AsSpan(0, Math.Min(used, scratch.Length)).Clear();
        }

        ArrayPool<T>.Shared.Return(scratch);
    }

    /// <summary>Reads an object used as a map (<c>additionalProperties</c>).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="reader">The reader, on the StartObject token.</param>
    /// <param name="value">Reads one value.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyDictionary<string, T> ReadMap<T>(ref ApiJsonReader reader, JsonReadFunc<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Expect(ref reader, JsonTokenType.StartObject, "map");
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return map;
            }

            var key = reader.GetString()!;
            Read(ref reader);
            map[key] = value(ref reader);
        }
    }

    /// <summary>Writes an array.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="list">The elements.</param>
    /// <param name="item">Writes one element.</param>
    public static void WriteList<T>(ApiJsonWriter writer, IReadOnlyList<T> list, Action<ApiJsonWriter, T> item)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(item);
        writer.WriteStartArray();
        for (var i = 0; i < list.Count; i++)
        {
            item(writer, list[i]);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a map as an object.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="map">The entries.</param>
    /// <param name="value">Writes one value.</param>
    public static void WriteMap<T>(ApiJsonWriter writer, IReadOnlyDictionary<string, T> map, Action<ApiJsonWriter, T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        WriteEntries(writer, map, value);
        writer.WriteEndObject();
    }

    /// <summary>Writes the entries of a map into the object being written (kept unknown or additional properties).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="map">The entries.</param>
    /// <param name="value">Writes one value.</param>
    public static void WriteMapEntries<T>(ApiJsonWriter writer, IReadOnlyDictionary<string, T>? map, Action<ApiJsonWriter, T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (map is null)
        {
            return;
        }

        WriteEntries(writer, map, value);
    }

    private static void WriteEntries<T>(ApiJsonWriter writer, IReadOnlyDictionary<string, T> map, Action<ApiJsonWriter, T> value)
    {
        // Decoded maps are Dictionary instances: enumerate them without boxing the enumerator.
        if (map is Dictionary<string, T> dictionary)
        {
            foreach (var pair in dictionary)
            {
                writer.WritePropertyName(pair.Key);
                value(writer, pair.Value);
            }

            return;
        }

        foreach (var pair in map)
        {
            writer.WritePropertyName(pair.Key);
            value(writer, pair.Value);
        }
    }

    /// <summary>Writes a timestamp in ISO 8601; <paramref name="withoutOffset"/> writes UTC with no offset suffix.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    /// <param name="withoutOffset">Write <c>yyyy-MM-ddTHH:mm:ss[.fffffff]</c> in UTC without "Z".</param>
    public static void WriteDateTime(ApiJsonWriter writer, DateTimeOffset value, bool withoutOffset = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteDateTimeValue(value, withoutOffset);
    }

    /// <summary>Finds the string value of a discriminator property without moving the caller's reader.</summary>
    /// <param name="reader">A copy of the reader, on the StartObject token.</param>
    /// <param name="propertyName">The discriminator property (UTF-8).</param>
    /// <param name="type">The union type, for messages.</param>
    /// <returns>The discriminator value.</returns>
    public static string ReadDiscriminator(ApiJsonReader reader, ReadOnlySpan<byte> propertyName, string type)
    {
        Expect(ref reader, JsonTokenType.StartObject, type);
        var start = reader.TokenStartIndex;
        var depth = reader.CurrentDepth;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth)
            {
                break;
            }

            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals(propertyName))
            {
                Read(ref reader);
                return reader.TokenType == JsonTokenType.String
                    ? reader.GetString()!
                    : throw Error(ref reader, type + ": the discriminator must be a string");
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        throw new JsonException(type + ": the discriminator property '" + System.Text.Encoding.UTF8.GetString(propertyName) + "' is missing from the object at byte " + start.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The exception for a discriminator value that names no known subtype.</summary>
    /// <param name="type">The union type.</param>
    /// <param name="value">The value found.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonException UnknownDiscriminator(string type, string value)
        => new(type + ": unknown discriminator value '" + value + "'");

    /// <summary>The exception for a discriminator value that names no known subtype, naming the object's position.</summary>
    /// <param name="reader">The reader, on the object's StartObject token.</param>
    /// <param name="type">The union type.</param>
    /// <param name="value">The value found.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonException UnknownDiscriminator(ref ApiJsonReader reader, string type, string value)
        => Error(ref reader, type + ": unknown discriminator value '" + value + "' in the object that starts here");

    /// <summary>Decodes a complete JSON document with a reader function.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="utf8">The UTF-8 JSON text.</param>
    /// <param name="read">Reads the value.</param>
    /// <returns>The value.</returns>
    public static T Parse<T>(ReadOnlySpan<byte> utf8, JsonReadFunc<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var reader = new ApiJsonReader(utf8);
        Read(ref reader);
        var value = read(ref reader);
        if (reader.Read())
        {
            throw Error(ref reader, "unexpected data after the JSON value");
        }

        return value;
    }

    /// <summary>
    /// Reads a model from a <see cref="Utf8JsonReader"/> positioned on its first token, for code that meets
    /// generated models inside System.Text.Json (a <c>JsonConverter</c>, a document walk). The value's bytes are
    /// decoded by the model's own reader; the <see cref="Utf8JsonReader"/> is left on the value's last token.
    /// Byte offsets in errors count from the value's first byte.
    /// </summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="reader">The reader, on the value's first token.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The JSON does not match the model.</exception>
    public static T ReadFrom<T>(ref Utf8JsonReader reader)
        where T : IJsonModel<T>
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return Parse<T>(JsonMarshal.GetRawUtf8Value(doc.RootElement));
    }

    /// <summary>Writes a model through a <see cref="Utf8JsonWriter"/> (as one raw JSON value).</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    public static void WriteTo<T>(Utf8JsonWriter writer, T value)
        where T : IJsonModel<T>
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        using var w = new ApiJsonWriter();
        value.WriteJson(w);
        writer.WriteRawValue(w.WrittenSpan, skipInputValidation: true);
    }

    /// <summary>Decodes a complete JSON document into a model.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="utf8">The UTF-8 JSON text.</param>
    /// <returns>The value.</returns>
    public static T Parse<T>(ReadOnlySpan<byte> utf8)
        where T : IJsonModel<T>
        => Parse(utf8, static (ref ApiJsonReader r) => T.ReadJson(ref r));

    /// <summary>
    /// Whether a body is one of the given empty JSON forms (<c>null</c>, <c>[]</c>, <c>{}</c>, <c>""</c>), whatever
    /// its white space. Generated clients use it for <c>x-toolkit-none</c> lists: bodies that mean "nothing".
    /// </summary>
    /// <param name="utf8">The UTF-8 body.</param>
    /// <param name="forms">The forms that count, written compactly.</param>
    /// <returns>Whether the body is one of them.</returns>
    public static bool IsOneOf(ReadOnlySpan<byte> utf8, params string[] forms)
    {
        ArgumentNullException.ThrowIfNull(forms);
        string? form;
        try
        {
            var reader = new ApiJsonReader(utf8);
            if (!reader.Read())
            {
                return false;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    form = "null";
                    break;
                case JsonTokenType.String when reader.ValueSpan.IsEmpty && !reader.ValueIsEscaped:
                    form = "\"\"";
                    break;
                case JsonTokenType.StartArray:
                    form = reader.Read() && reader.TokenType == JsonTokenType.EndArray ? "[]" : null;
                    break;
                case JsonTokenType.StartObject:
                    form = reader.Read() && reader.TokenType == JsonTokenType.EndObject ? "{}" : null;
                    break;
                default:
                    form = null;
                    break;
            }

            if (form is null || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return Array.IndexOf(forms, form) >= 0;
    }

    /// <summary>Decodes, returning false instead of throwing (used for error bodies of unknown shape).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="utf8">The UTF-8 JSON text.</param>
    /// <param name="read">Reads the value.</param>
    /// <param name="value">The value when decoding succeeded.</param>
    /// <returns>Whether decoding succeeded.</returns>
    public static bool TryParse<T>(ReadOnlySpan<byte> utf8, JsonReadFunc<T> read, out T? value)
    {
        try
        {
            value = Parse(utf8, read);
            return true;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>Encodes a value with a writer function.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="write">Writes the value.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] Serialize<T>(T value, Action<ApiJsonWriter, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var writer = new ApiJsonWriter();
        write(writer, value);
        return writer.ToArray();
    }

    /// <summary>Encodes a model.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] Serialize<T>(T value)
        where T : IJsonModel<T>
        => Serialize(value, static (w, v) => v.WriteJson(w));
}
