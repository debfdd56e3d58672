using System;
using System.Globalization;
using System.Text;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// Which shard a sender belongs to: FNV-1a (32-bit) of the UTF-8 <c>remote</c> text, modulo the shard count. The
/// shovel computes it and publishes with the shard number as routing key to a direct exchange, so the mapping
/// depends on nothing the broker keeps: it survives broker restarts (a consistent-hash exchange rebuilds its ring
/// from its bindings on recovery, and a different ring moves servers between shards).
/// </summary>
public static class XrdMonShards
{
    /// <summary>The shard of a sender.</summary>
    /// <param name="remote">The <c>remote</c> text.</param>
    /// <param name="shards">The shard count (&gt; 0).</param>
    /// <returns>0 .. <paramref name="shards"/>-1.</returns>
    public static int Of(string remote, int shards)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        uint h = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(remote))
        {
            h = (h ^ b) * 16777619;
        }

        return (int)(h % (uint)shards);
    }

    /// <summary>The routing key of a shard.</summary>
    /// <param name="shard">The shard.</param>
    /// <returns>Its decimal text.</returns>
    public static string Key(int shard) => shard.ToString(CultureInfo.InvariantCulture);
}
