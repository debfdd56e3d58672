using System;
using System.Collections.Generic;
using System.Linq;

namespace Toolkit.DataDispatcher;

/// <summary>A file handle of a project.</summary>
public sealed partial record Handle
{
    /// <summary>The DID, <c>namespace:name</c>.</summary>
    public string Did => Namespace + ":" + Name;

    /// <summary>
    /// The replicas ordered by proximity to the worker's CPU site (lower first; the server sends
    /// <c>proximity</c>, else <c>preference</c>; unknown last), then by RSE name.
    /// </summary>
    /// <returns>The replicas.</returns>
    public IReadOnlyList<Replica> ReplicasByProximity()
    {
        if (Replicas is null)
        {
            return [];
        }

        return Replicas
            .Select(kv => kv.Value.Rse is null ? kv.Value with { Rse = kv.Key } : kv.Value)
            .OrderBy(r => r.Proximity ?? r.Preference ?? long.MaxValue)
            .ThenBy(r => r.Rse, StringComparer.Ordinal)
            .ToList();
    }
}
