using System.Text.Json;

namespace Toolkit.Runtime.Json;

/// <summary>
/// A type that reads and writes itself as JSON with <see cref="ApiJsonReader"/> and <see cref="ApiJsonWriter"/>,
/// without reflection. Every model generated from an OpenAPI schema implements it.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IJsonModel<TSelf>
    where TSelf : IJsonModel<TSelf>
{
    /// <summary>Reads one value; the reader must be positioned on the value's first token.</summary>
    /// <param name="reader">The reader, positioned on the first token; left on the value's last token.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="JsonException">The JSON does not match the schema.</exception>
    static abstract TSelf ReadJson(ref ApiJsonReader reader);

    /// <summary>Writes this value as one JSON value.</summary>
    /// <param name="writer">The writer.</param>
    void WriteJson(ApiJsonWriter writer);
}
