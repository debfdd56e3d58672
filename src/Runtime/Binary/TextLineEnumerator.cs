using System;

namespace Toolkit.Runtime.Binary;

/// <summary>
/// Enumerates the records of a text separated by one byte (e.g. newline) without allocating. An empty last
/// segment (text ending with the separator) is not a record.
/// </summary>
public ref struct TextLineEnumerator
{
    private ReadOnlySpan<byte> _rest;
    private readonly byte _separator;
    private bool _done;

    /// <summary>Starts an enumeration.</summary>
    /// <param name="text">The text.</param>
    /// <param name="separator">The separator byte.</param>
    public TextLineEnumerator(ReadOnlySpan<byte> text, byte separator)
    {
        _rest = text;
        _separator = separator;
        _done = text.IsEmpty;
        Current = default;
    }

    /// <summary>The current record.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
    /// <returns>This enumerator.</returns>
    public readonly TextLineEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next record.</summary>
    /// <returns>False at the end.</returns>
    public bool MoveNext()
    {
        if (_done)
        {
            return false;
        }

        var i = _rest.IndexOf(_separator);
        if (i < 0)
        {
            Current = _rest;
            _done = true;
            return true;
        }

        Current = _rest.Slice(0, i);
        _rest = _rest.Slice(i + 1);
        _done = _rest.IsEmpty;
        return true;
    }

    /// <summary>Counts the records of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="separator">The separator byte.</param>
    /// <returns>The number of records.</returns>
    public static int Count(ReadOnlySpan<byte> text, byte separator)
    {
        var n = 0;
        var e = new TextLineEnumerator(text, separator);
        while (e.MoveNext())
        {
            n++;
        }

        return n;
    }
}
