using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text;

namespace Toolkit.Runtime.Http;

/// <summary>Builds request URIs: a base address, escaped path segments and form-style query parameters.</summary>
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

    /// <summary>Appends a path parameter value, percent-encoded (so '/' in an id cannot change the route).</summary>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    public ApiUriBuilder AppendPathValue(string value)
    {
        _path.Append(Uri.EscapeDataString(value ?? string.Empty));
        return this;
    }

    /// <summary>Appends a path parameter array in simple style: values joined by commas.</summary>
    /// <param name="values">The values.</param>
    /// <returns>This builder.</returns>
    public ApiUriBuilder AppendPathValues(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var first = true;
        foreach (var v in values)
        {
            if (!first)
            {
                _path.Append(',');
            }

            _path.Append(Uri.EscapeDataString(v ?? string.Empty));
            first = false;
        }

        return this;
    }

    /// <summary>Appends <c>name=value</c>; nothing when the value is null.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    public ApiUriBuilder AppendQuery(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _query.Append(_query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    /// <summary>
    /// Appends an array parameter in form style: repeated keys (<paramref name="explode"/> true, <c>a=1&amp;a=2</c>)
    /// or one comma list (<c>a=1,2</c>). Nothing when the array is null.
    /// </summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="values">The values.</param>
    /// <param name="explode">Whether to repeat the key.</param>
    /// <returns>This builder.</returns>
    public ApiUriBuilder AppendQueryValues(string name, IEnumerable<string>? values, bool explode)
    {
        if (values is null)
        {
            return this;
        }

        if (explode)
        {
            foreach (var v in values)
            {
                AppendQuery(name, v);
            }

            return this;
        }

        var joined = new StringBuilder();
        foreach (var v in values)
        {
            if (joined.Length > 0)
            {
                joined.Append(',');
            }

            joined.Append(Uri.EscapeDataString(v ?? string.Empty));
        }

        _query.Append(_query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(joined);
        return this;
    }

    /// <summary>The finished absolute URI.</summary>
    /// <returns>The URI.</returns>
    public Uri ToUri() => new(_path.ToString() + _query.ToString(), UriKind.Absolute);

    /// <inheritdoc/>
    public override string ToString() => _path.ToString() + _query.ToString() + " (base " + _base + ")";
}
