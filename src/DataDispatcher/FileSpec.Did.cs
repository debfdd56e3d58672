using System;

namespace Toolkit.DataDispatcher;

/// <summary>A file of a new project: namespace, name and optional attributes.</summary>
public sealed partial record FileSpec
{
    /// <summary>Splits a DID <c>namespace:name</c> at the first colon (as the seed does).</summary>
    /// <param name="did">The DID.</param>
    /// <returns>The file.</returns>
    /// <exception cref="FormatException">No colon, or an empty namespace or name.</exception>
    public static FileSpec FromDid(string did)
    {
        ArgumentNullException.ThrowIfNull(did);
        var i = did.IndexOf(':', StringComparison.Ordinal);
        if (i <= 0 || i == did.Length - 1)
        {
            throw new FormatException("file '" + did + "' is not a DID of the form namespace:name");
        }

        return new FileSpec { Namespace = did[..i], Name = did[(i + 1)..] };
    }

    /// <summary>The DID, <c>namespace:name</c>.</summary>
    public string Did => Namespace + ":" + Name;
}
