using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.DataDispatcher;

/// <summary>Adds <c>X-Authentication-Token</c> (the current token, reloaded when expired) to each request.</summary>
internal sealed class TokenHeaderHandler(Func<string?> token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains(DataServerClient.TokenHeaderName) && token() is { } t)
        {
            request.Headers.TryAddWithoutValidation(DataServerClient.TokenHeaderName, t);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Bounds each attempt (not the 503 retries around it) by the client timeout, like requests' timeout.</summary>
internal sealed class AttemptTimeoutHandler(TimeSpan timeout, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var cts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cts.Token);
        try
        {
            return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("no answer from " + request.RequestUri?.GetLeftPart(UriPartial.Path) + " within " + timeout.TotalSeconds + " s");
        }
    }
}

/// <summary>Sets <c>Authorization: Bearer</c> for the token login only.</summary>
internal sealed class BearerHeaderHandler(string token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return base.SendAsync(request, cancellationToken);
    }
}
