using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

/// <summary>
/// JSON primitives used by generated models: strict token checks that fail with a <see cref="JsonException"/>
/// naming the byte position, UTC handling of offset-less timestamps, lists, maps and entry points.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static partial class ApiJson
{
    /// <summary>Advances to the next token; fails if the data ends.</summary>
    /// <param name="reader">The reader.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Read(ref ApiJsonReader reader)
    {
        if (!reader.Read())
        {
            ThrowEndOfData(ref reader);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowEndOfData(ref ApiJsonReader reader)
        => throw new JsonException("unexpected end of JSON data at byte " + reader.BytesConsumed.ToString(CultureInfo.InvariantCulture));

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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Expect(ref ApiJsonReader reader, JsonTokenType expected, string what)
    {
        if (reader.TokenType != expected)
        {
            ThrowUnexpected(ref reader, expected, what);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUnexpected(ref ApiJsonReader reader, JsonTokenType expected, string what)
        => throw Error(ref reader, what + ": expected " + Describe(expected) + ", found " + Describe(reader.TokenType));

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
}
