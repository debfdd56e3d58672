using System;

namespace Toolkit.Generated.Monitoring;

/// <summary>Iterates the <c>&amp;key=value</c> pairs of a CGI-style map payload without allocating.</summary>
public ref struct CgiReader
{
    private ReadOnlySpan<byte> _rest;

    /// <summary>Creates a reader over a payload such as <c>&amp;site=S&amp;port=P</c>.</summary>
    /// <param name="text">The payload.</param>
    public CgiReader(ReadOnlySpan<byte> text)
    {
        _rest = text;
        Key = default;
        Value = default;
    }

    /// <summary>The current key.</summary>
    public ReadOnlySpan<byte> Key { get; private set; }

    /// <summary>The current value (empty when the pair had no <c>=</c>).</summary>
    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>Moves to the next non-empty pair.</summary>
    /// <returns>False at the end.</returns>
    public bool MoveNext()
    {
        while (!_rest.IsEmpty)
        {
            int amp = _rest.IndexOf((byte)'&');
            ReadOnlySpan<byte> pair = amp < 0 ? _rest : _rest[..amp];
            _rest = amp < 0 ? default : _rest[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            int eq = pair.IndexOf((byte)'=');
            Key = eq < 0 ? pair : pair[..eq];
            Value = eq < 0 ? default : pair[(eq + 1)..];
            return true;
        }

        return false;
    }

    /// <summary>Finds the value of one key.</summary>
    /// <param name="text">The payload.</param>
    /// <param name="key">The key (ASCII bytes).</param>
    /// <param name="value">The value when found.</param>
    /// <returns>True when the key is present.</returns>
    public static bool TryFind(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        var reader = new CgiReader(text);
        while (reader.MoveNext())
        {
            if (reader.Key.SequenceEqual(key))
            {
                value = reader.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
