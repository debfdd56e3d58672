using System;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

// Polymorphic models: reading and checking the discriminator property.
public static partial class ApiJson
{
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
}
