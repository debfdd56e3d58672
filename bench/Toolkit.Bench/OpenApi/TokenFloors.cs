using System;
using System.Text.Json;
using Toolkit.Runtime.Json;

namespace Toolkit.Bench.OpenApi;

/// <summary>
/// The floor of any decoder over a document: every token read, nothing decoded, nothing allocated. Shared by
/// <c>OpenApiJsonBenchmarks</c> and the comparison bench (linked there, as <see cref="JobCorpus"/> is).
/// </summary>
public static class TokenFloors
{
    /// <summary>One pass of the reader generated code uses.</summary>
    /// <param name="json">The document.</param>
    /// <returns>How many tokens it holds.</returns>
    public static int ApiJsonReaderTokens(ReadOnlySpan<byte> json)
    {
        var reader = new ApiJsonReader(json);
        var n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }

    /// <summary>One pass of System.Text.Json's <see cref="Utf8JsonReader"/>, the reader under NSwag's and STJ's decoders.</summary>
    /// <param name="json">The document.</param>
    /// <returns>How many tokens it holds.</returns>
    public static int Utf8JsonReaderTokens(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }
}
