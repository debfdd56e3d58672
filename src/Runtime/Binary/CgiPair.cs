using System;

namespace Toolkit.Runtime.Binary;

/// <summary>One <c>key=value</c> pair of an <c>&amp;key=value</c> list (spans into the text).</summary>
public readonly ref struct CgiPair
{
    /// <summary>Creates a pair.</summary>
    /// <param name="key">The key bytes.</param>
    /// <param name="value">The value bytes (empty when the pair has no <c>=</c>).</param>
    public CgiPair(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Key = key;
        Value = value;
    }

    /// <summary>The key.</summary>
    public ReadOnlySpan<byte> Key { get; }

    /// <summary>The value.</summary>
    public ReadOnlySpan<byte> Value { get; }
}
