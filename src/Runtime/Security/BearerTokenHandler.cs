using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Toolkit.Runtime.Security;

/// <summary>
/// Adds a bearer token to every request (<c>Authorization: Bearer …</c>, or the raw token in another header such
/// as Data Dispatcher's <c>X-Authentication-Token</c>). With a refresh callback, the token is renewed shortly
/// before its JWT <c>exp</c> and once after a 401 answer, and the request is sent again. With a token provider
/// (<see cref="BearerTokenHandler(Func{BearerToken?}, string)"/>) the provider is asked for every request (a token
/// file or library that changes under the client) and no header is sent while it has none. The token is never logged.
/// This is the one bearer handler of the toolkit: every REST facade uses it (docs/rest-clients.md).
/// </summary>
public sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly Func<CancellationToken, Task<BearerToken>>? _refresh;
    private readonly Func<BearerToken?>? _provider;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private BearerToken? _token;

    /// <summary>Creates the handler.</summary>
    /// <param name="token">The initial token.</param>
    /// <param name="refresh">Returns a fresh token (e.g. an OIDC refresh or re-reading the token file); null for none.</param>
    /// <param name="timeProvider">Clock for expiry checks; null for the system clock.</param>
    /// <param name="logger">Receives refresh notices (never the token); null for none.</param>
    public BearerTokenHandler(BearerToken token, Func<CancellationToken, Task<BearerToken>>? refresh = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        _token = token;
        _refresh = refresh;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger;
    }

    /// <summary>Creates a handler that asks <paramref name="provider"/> for the token of each request.</summary>
    /// <param name="provider">Returns the token to send now, or null to send none; called once per request (keep it cheap).</param>
    /// <param name="headerName">The header (<c>Authorization</c> gets the <c>Bearer</c> scheme; any other the raw token).</param>
    public BearerTokenHandler(Func<BearerToken?> provider, string headerName = "Authorization")
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrEmpty(headerName);
        _provider = provider;
        _time = TimeProvider.System;
        HeaderName = headerName;
    }

    /// <summary>The header that carries the token. Default <c>Authorization</c> (with the <c>Bearer</c> scheme); any other header gets the raw token.</summary>
    public string HeaderName { get; init; } = "Authorization";

    /// <summary>How long before <c>exp</c> a refresh is attempted. Default 60 seconds.</summary>
    public TimeSpan RefreshBefore { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The token currently in use.</summary>
    public BearerToken? CurrentToken => _provider is null ? Volatile.Read(ref _token) : _provider();

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_provider is not null)
        {
            if (_provider() is { } provided)
            {
                Apply(request, provided);
            }

            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var token = Volatile.Read(ref _token)!;
        if (_refresh is not null && token.TryInspect()?.ExpiresAt is DateTimeOffset exp && exp - _time.GetUtcNow() < RefreshBefore)
        {
            token = await RefreshAsync(token, "the token expires soon", cancellationToken).ConfigureAwait(false);
        }
        Apply(request, token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || _refresh is null || !CanResend(request))
        {
            return response;
        }
        var fresh = await RefreshAsync(token, "the server answered 401", cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(fresh, token) || fresh.Value == token.Value)
        {
            return response;
        }
        response.Dispose();
        Apply(request, fresh);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BearerToken> RefreshAsync(BearerToken used, string reason, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Volatile.Read(ref _token)!;
            if (!ReferenceEquals(current, used))
            {
                return current; // another request refreshed meanwhile
            }
            if (_logger is not null && _logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("Refreshing the bearer token from {Source}: {Reason}", used.Source, reason);
            }
            var fresh = await _refresh!(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, fresh);
            return fresh;
        }
        finally
        {
            _lock.Release();
        }
    }

    private void Apply(HttpRequestMessage request, BearerToken token)
    {
        if (string.Equals(HeaderName, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        }
        else
        {
            request.Headers.Remove(HeaderName);
            request.Headers.TryAddWithoutValidation(HeaderName, token.Value);
        }
    }

    internal static bool CanResend(HttpRequestMessage request) => request.Content is null or ByteArrayContent;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _lock.Dispose();
        }
        base.Dispose(disposing);
    }
}
