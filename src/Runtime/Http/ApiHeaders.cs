using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;

namespace Toolkit.Runtime.Http;

/// <summary>Response headers (message and content headers together), looked up case-insensitively.</summary>
[SuppressMessage("Naming", "CA1710", Justification = "Headers is the conventional name for HTTP header collections.")]
public sealed class ApiHeaders : IReadOnlyDictionary<string, IReadOnlyList<string>>
{
    private readonly Dictionary<string, IReadOnlyList<string>> _headers;

    /// <summary>Creates a header collection from name/values pairs.</summary>
    /// <param name="headers">The headers.</param>
    public ApiHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in headers)
        {
            var values = pair.Value.ToArray();
            _headers[pair.Key] = _headers.TryGetValue(pair.Key, out var existing) ? existing.Concat(values).ToArray() : values;
        }
    }

    /// <summary>An empty collection.</summary>
    public static ApiHeaders Empty { get; } = new(Array.Empty<KeyValuePair<string, IEnumerable<string>>>());

    /// <inheritdoc/>
    public int Count => _headers.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _headers.Keys;

    /// <inheritdoc/>
    public IEnumerable<IReadOnlyList<string>> Values => _headers.Values;

    /// <inheritdoc/>
    public IReadOnlyList<string> this[string key] => _headers[key];

    /// <summary>Collects the headers of a response, including its content headers.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The headers.</returns>
    public static ApiHeaders From(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        IEnumerable<KeyValuePair<string, IEnumerable<string>>> all = response.Headers;
        if (response.Content is { } content)
        {
            all = all.Concat((HttpContentHeaders)content.Headers);
        }

        return new ApiHeaders(all);
    }

    /// <summary>The first value of a header, or null.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value or null.</returns>
    public string? GetFirst(string name) => _headers.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _headers.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyList<string> value) => _headers.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
