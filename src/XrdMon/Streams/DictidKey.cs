using System;

namespace Toolkit.XrdMon.Streams;

/// <summary>A dictionary id qualified by the server instance that issued it (ids are unique only per instance).</summary>
/// <param name="Instance">The server instance number assigned by the collector.</param>
/// <param name="Dictid">The 32-bit dictionary id.</param>
public readonly record struct DictidKey(int Instance, uint Dictid)
{
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Instance, Dictid);
}
