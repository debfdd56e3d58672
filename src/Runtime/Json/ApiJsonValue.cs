using System;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolkit.Runtime.Json;

/// <summary>
/// Any one JSON value, kept as its own UTF-8 text: the type generated models use where the schema leaves a value
/// free-form (<c>type: object</c> without properties, <c>{}</c>, <c>additionalProperties: true</c>, and the shapes
/// the generator cannot type). Decoding copies the value's bytes once (the reader has already checked them); nothing
/// is parsed until <see cref="ToElement"/> is asked for, and encoding writes the bytes back as they came.
/// </summary>
/// <remarks>
/// <para>The text is exactly the value as received or given, without surrounding white space; inside it, white space
/// and the order of object members are kept.</para>
/// <para>The text is checked as <see cref="ApiJsonReader"/> checks a document it skips over (grammar, escapes, depth);
/// as with <see cref="JsonElement"/>, invalid UTF-8 inside a string is only reported when that string is decoded.</para>
/// <para>The default value is JSON <c>null</c> (<see cref="Null"/>).</para>
/// <para>Equality is ordinal on the UTF-8 text: <c>{"a":1,"b":2}</c> and <c>{"b":2,"a":1}</c> differ, as do <c>1</c> and
/// <c>1.0</c>. For equality by JSON meaning compare <c>JsonElement.DeepEquals(x.ToElement(), y.ToElement())</c>.</para>
/// <para><see cref="ToString"/> returns the JSON text.</para>
/// </remarks>
[JsonConverter(typeof(ApiJsonValueConverter))]
public readonly struct ApiJsonValue : IEquatable<ApiJsonValue>
{
    private static readonly byte[] NullText = "null"u8.ToArray();

    private readonly byte[]? _utf8;

    /// <summary>Wraps text already known to be one complete JSON value without surrounding white space.</summary>
    private ApiJsonValue(byte[] utf8) => _utf8 = utf8;

    /// <summary>JSON <c>null</c> (also the default value).</summary>
    public static ApiJsonValue Null => default;

    /// <summary>The value's UTF-8 JSON text.</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8 ?? NullText;

    /// <summary>The value's UTF-8 JSON text as memory (shared, not a copy: do not change it).</summary>
    public ReadOnlyMemory<byte> Utf8Memory => _utf8 ?? NullText;

    /// <summary>The kind of value, read from its first byte (no parsing).</summary>
    public JsonValueKind ValueKind => Utf8[0] switch
    {
        (byte)'{' => JsonValueKind.Object,
        (byte)'[' => JsonValueKind.Array,
        (byte)'"' => JsonValueKind.String,
        (byte)'t' => JsonValueKind.True,
        (byte)'f' => JsonValueKind.False,
        (byte)'n' => JsonValueKind.Null,
        _ => JsonValueKind.Number,
    };

    /// <summary>Parses one complete JSON value (white space around it allowed, nothing else).</summary>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <param name="maxDepth">How many containers may be open at once.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The text is not one valid JSON value (the message names the byte offset).</exception>
    public static ApiJsonValue Parse(ReadOnlySpan<byte> utf8Json, int maxDepth = ApiJsonReader.DefaultMaxDepth)
    {
        var reader = new ApiJsonReader(utf8Json, maxDepth);
        if (!reader.Read())
        {
            throw reader.Error("invalid JSON: no value");
        }

        var value = ApiJson.ReadValue(ref reader);
        if (reader.Read())
        {
            throw reader.Error("invalid JSON: unexpected data after the value");
        }

        return value;
    }

    /// <summary>Parses one complete JSON value from text (white space around it allowed, nothing else).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="maxDepth">How many containers may be open at once.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The text is not one valid JSON value (the message names the byte offset in its UTF-8 form).</exception>
    public static ApiJsonValue Parse(string json, int maxDepth = ApiJsonReader.DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), maxDepth);
    }

    /// <summary>The value an element holds (its original text, copied).</summary>
    /// <param name="element">The element.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The element holds no value (<see cref="JsonValueKind.Undefined"/>).</exception>
    public static ApiJsonValue FromElement(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("the element holds no value (JsonValueKind.Undefined)", nameof(element));
        }

        return element.ValueKind == JsonValueKind.Null ? default : new ApiJsonValue(JsonMarshal.GetRawUtf8Value(element).ToArray());
    }

    /// <summary>The value an element holds (see <see cref="FromElement"/>).</summary>
    /// <param name="element">The element.</param>
    /// <exception cref="ArgumentException">The element holds no value (<see cref="JsonValueKind.Undefined"/>).</exception>
    public static implicit operator ApiJsonValue(JsonElement element) => FromElement(element);

    /// <summary>
    /// Parses the text into a detached <see cref="JsonElement"/>, to walk or query it. Each call parses again; keep
    /// the result when it is used more than once.
    /// </summary>
    /// <returns>The element.</returns>
    public JsonElement ToElement()
    {
        // The text was checked when this value was made, at whatever depth its reader allowed: no depth limit here.
        var reader = new Utf8JsonReader(Utf8, new JsonReaderOptions { MaxDepth = int.MaxValue });
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>Writes the value's text, as it is.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(ApiJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(Utf8);
    }

    /// <summary>Writes the value's text, as it is.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(Utf8, skipInputValidation: true);
    }

    /// <summary>Wraps bytes the caller has checked are one JSON value without surrounding white space (taken, not copied).</summary>
    internal static ApiJsonValue FromTrustedText(byte[] utf8) => new(utf8);

    /// <summary>Whether both texts are the same bytes.</summary>
    /// <param name="other">The other value.</param>
    /// <returns>Whether both are equal.</returns>
    public bool Equals(ApiJsonValue other) => Utf8.SequenceEqual(other.Utf8);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ApiJsonValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = default(HashCode);
        h.AddBytes(Utf8);
        return h.ToHashCode();
    }

    /// <summary>The JSON text.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Encoding.UTF8.GetString(Utf8);

    /// <summary>Whether both texts are the same bytes.</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">Another value.</param>
    /// <returns>Whether both are equal.</returns>
    public static bool operator ==(ApiJsonValue left, ApiJsonValue right) => left.Equals(right);

    /// <summary>Whether the texts differ.</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">Another value.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ApiJsonValue left, ApiJsonValue right) => !left.Equals(right);
}

/// <summary>Reads and writes <see cref="ApiJsonValue"/> inside System.Text.Json (as the value's own text).</summary>
public sealed class ApiJsonValueConverter : JsonConverter<ApiJsonValue>
{
    /// <summary>JSON <c>null</c> is a value too: it is read, not turned into a default.</summary>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override ApiJsonValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return ApiJsonValue.FromElement(doc.RootElement);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ApiJsonValue value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        value.WriteTo(writer);
    }
}
