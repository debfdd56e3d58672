using System;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

// Skipping and capturing whole values.
public ref partial struct ApiJsonReader
{
    /// <summary>
    /// Skips the children of the current token: on a property name, moves to its value first; on a start bracket,
    /// moves to the matching end bracket; on anything else, does nothing.
    /// </summary>
    public void Skip()
    {
        if (_tokenType == JsonTokenType.PropertyName)
        {
            ReadRequired();
        }

        if (_tokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            var depth = _depth - 1;
            do
            {
                ReadRequired();
            }
            while (_depth != depth || _tokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray));
        }
    }

    /// <summary>Reads the next token, failing if the document ends.</summary>
    /// <exception cref="JsonException">The data ends or is not valid JSON.</exception>
    public void ReadRequired()
    {
        if (!Read())
        {
            throw Fail(_pos, "unexpected end of JSON data");
        }
    }

    /// <summary>Skips the current value and returns its raw JSON text (for a string, with its quotes).</summary>
    /// <returns>The value's bytes.</returns>
    public ReadOnlySpan<byte> ReadRawValue()
    {
        if (_tokenType == JsonTokenType.PropertyName)
        {
            ReadRequired();
        }

        var start = _tokenStart;
        Skip();
        return _json.Slice(start, _pos - start);
    }
}
