using System;
using System.Text;

namespace Toolkit.XrdMon.Collector;

/// <summary>
/// A small direct-mapped cache from short UTF-8 byte strings to <see cref="string"/>s, for the values that repeat
/// across thousands of map records (protocol, user and host names): one shared string instead of one per record
/// means fewer allocations and fewer live objects for the garbage collector to trace.
/// </summary>
internal sealed class XrdMonStringCache
{
    private const int Slots = 4096;
    private const int MaxLength = 96;
    private readonly byte[]?[] _bytes = new byte[]?[Slots];
    private readonly string?[] _strings = new string?[Slots];

    /// <summary>The string of <paramref name="utf8"/>, shared with earlier calls for the same bytes when cached.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = default(HashCode);
        hash.AddBytes(utf8);
        int slot = hash.ToHashCode() & (Slots - 1);
        if (_bytes[slot] is { } cached && utf8.SequenceEqual(cached))
        {
            return _strings[slot]!;
        }

        string value = Encoding.UTF8.GetString(utf8);
        _bytes[slot] = utf8.ToArray();
        _strings[slot] = value;
        return value;
    }
}
