using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore;

/// <summary>
/// A UNICORE registry (<c>https://gateway/REGISTRY/rest/registries/default_registry</c>; PyUNICORE's <c>Registry</c>):
/// its entries, and from them the sites (<c>CoreServices</c>, name = the path segment before <c>/rest/core</c>) and
/// the workflow services (<c>WorkflowServices</c>).
/// </summary>
public partial class UnicoreRegistry
{
    private readonly UnicoreHttp _http = null!;

    /// <summary>For test doubles.</summary>
    protected UnicoreRegistry()
    {
        Url = null!;
    }

    internal UnicoreRegistry(UnicoreHttp http, Uri url)
    {
        _http = http;
        Url = url;
    }

    /// <summary>The registry URL.</summary>
    public virtual Uri Url { get; }

    /// <summary>All registered services.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public virtual async Task<IReadOnlyList<RegistryEntry>> GetEntriesAsync(CancellationToken cancellationToken = default) =>
        (await _http.GetJsonAsync<RegistryContent>(Url, cancellationToken).ConfigureAwait(false)).Entries
        ?? throw new UnicoreProtocolException("the registry " + Url + " sent no 'entries'");

    /// <summary>The sites: name → core URL (<c>.../SITE/rest/core</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sites, by name.</returns>
    public virtual Task<IReadOnlyDictionary<string, Uri>> GetSitesAsync(CancellationToken cancellationToken = default) => ByTypeAsync("CoreServices", "core", cancellationToken);

    /// <summary>The workflow services: name → service URL (<c>.../NAME/rest/workflows</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The services, by name.</returns>
    public virtual Task<IReadOnlyDictionary<string, Uri>> GetWorkflowServicesAsync(CancellationToken cancellationToken = default) => ByTypeAsync("WorkflowServices", "workflows", cancellationToken);

    private async Task<IReadOnlyDictionary<string, Uri>> ByTypeAsync(string type, string kind, CancellationToken cancellationToken)
    {
        var result = new SortedDictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var e in await GetEntriesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(e.Type, type, StringComparison.Ordinal))
            {
                continue;
            }

            var m = ServiceUrl().Match(e.Href);
            if (m.Success && m.Groups["kind"].Value == kind && Uri.TryCreate(m.Groups["base"].Value, UriKind.Absolute, out var url))
            {
                result[m.Groups["name"].Value] = url;
            }
        }

        return result;
    }

    [GeneratedRegex(@"^(?<base>https?://\S+/(?<name>[^/\s]+)/rest/(?<kind>core|workflows))(/\S*)?$")]
    private static partial Regex ServiceUrl();
}
