using System;
using System.ComponentModel;
using System.Text;

namespace Toolkit.Runtime.Http;

/// <summary>Builds request URIs: a base address, literal path text, and parameters in every OpenAPI style (<see cref="Path"/>, <see cref="Query"/>, through ApiStyleWriter).</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed partial class ApiUriBuilder
{
    private readonly StringBuilder _path = new();
    private readonly StringBuilder _query = new();
    private readonly Uri _base;

    /// <summary>Starts a URI below <paramref name="baseAddress"/> (its path is kept as a prefix).</summary>
    /// <param name="baseAddress">The absolute base address.</param>
    public ApiUriBuilder(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        _base = baseAddress;
        _path.Append(baseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    /// <summary>Appends literal path text from the template (already valid URI text).</summary>
    /// <param name="literal">The literal.</param>
    /// <returns>This builder.</returns>
    public ApiUriBuilder AppendLiteral(string literal)
    {
        _path.Append(literal);
        return this;
    }

    /// <summary>The finished absolute URI.</summary>
    /// <returns>The URI.</returns>
    public Uri ToUri() => new(_path.ToString() + _query.ToString(), UriKind.Absolute);

    /// <inheritdoc/>
    public override string ToString() => _path.ToString() + _query.ToString() + " (base " + _base + ")";
}
