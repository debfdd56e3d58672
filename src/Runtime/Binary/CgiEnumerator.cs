using System;

namespace Toolkit.Runtime.Binary;

/// <summary>
/// Enumerates the pairs of an <c>&amp;key=value&amp;key=value</c> list without allocating. Empty segments
/// (e.g. a leading <c>&amp;</c>) are skipped; a segment without <c>=</c> is a key with an empty value.
/// </summary>
public ref struct CgiEnumerator
{
    private ReadOnlySpan<byte> _rest;
    private CgiPair _current;

    /// <summary>Starts an enumeration over <paramref name="text"/>.</summary>
    /// <param name="text">The list.</param>
    public CgiEnumerator(ReadOnlySpan<byte> text)
    {
        _rest = text;
        _current = default;
    }

    /// <summary>The current pair.</summary>
    public readonly CgiPair Current => _current;

    /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
    /// <returns>This enumerator.</returns>
    public readonly CgiEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next pair.</summary>
    /// <returns>False at the end.</returns>
    public bool MoveNext()
    {
        while (!_rest.IsEmpty)
        {
            var amp = _rest.IndexOf((byte)'&');
            ReadOnlySpan<byte> segment;
            if (amp < 0)
            {
                segment = _rest;
                _rest = default;
            }
            else
            {
                segment = _rest.Slice(0, amp);
                _rest = _rest.Slice(amp + 1);
            }

            if (segment.IsEmpty)
            {
                continue;
            }

            var eq = segment.IndexOf((byte)'=');
            _current = eq < 0 ? new CgiPair(segment, default) : new CgiPair(segment.Slice(0, eq), segment.Slice(eq + 1));
            return true;
        }

        return false;
    }

    /// <summary>Finds the value of the first pair whose key is <paramref name="key"/>.</summary>
    /// <param name="text">The list.</param>
    /// <param name="key">The key (exact, case-sensitive).</param>
    /// <param name="value">The value, or empty when absent.</param>
    /// <returns>True when the key is present.</returns>
    public static bool TryGetValue(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        var e = new CgiEnumerator(text);
        while (e.MoveNext())
        {
            if (e._current.Key.SequenceEqual(key))
            {
                value = e._current.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
