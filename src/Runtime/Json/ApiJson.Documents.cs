using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

// Whole documents: parsing, serializing, and System.Text.Json interop.
public static partial class ApiJson
{
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
