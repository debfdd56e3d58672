using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Runtime.Http;

/// <summary>Adds a User-Agent to every request that has none (some servers, like FTS3, look at it).</summary>
public sealed class UserAgentHandler : DelegatingHandler
{
    private readonly string _userAgent;

    /// <summary>Creates the handler.</summary>
    /// <param name="userAgent">The full User-Agent value, e.g. <c>toolkit/0.1 fts-python-bindings/3.13</c>.</param>
    public UserAgentHandler(string userAgent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userAgent);
        _userAgent = userAgent;
    }

    /// <summary>The value sent.</summary>
    public string UserAgent => _userAgent;

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.UserAgent.Count == 0)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
