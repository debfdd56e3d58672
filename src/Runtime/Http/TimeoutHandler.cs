using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Runtime.Http;

/// <summary>
/// Bounds each attempt of a request (up to its response headers) by a timeout, like the Python requests
/// <c>timeout</c>: placed inside a <see cref="RetryHandler"/>, it limits every try and not the retries around it (the
/// policy's <see cref="RetryPolicy.Budget"/> does that). An attempt that runs out throws <see cref="TimeoutException"/>
/// naming the URL; the caller's own cancellation still surfaces as <see cref="OperationCanceledException"/>.
/// The REST facades use it with <see cref="HttpClient.Timeout"/> set to infinite (docs/rest-clients.md).
/// </summary>
public sealed class TimeoutHandler : DelegatingHandler
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>Creates the handler.</summary>
    /// <param name="timeout">Time allowed for one attempt; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock of the timer; the system clock when null (a network timeout is wall-clock time).</param>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is neither positive nor infinite.</exception>
    public TimeoutHandler(TimeSpan timeout, TimeProvider? timeProvider = null)
    {
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the timeout must be positive or infinite");
        }

        _timeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The time allowed for one attempt.</summary>
    public TimeSpan AttemptTimeout => _timeout;

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var cts = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cts.Token);
        try
        {
            return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("no answer from " + request.RequestUri?.GetLeftPart(UriPartial.Path) + " within " + _timeout.TotalSeconds + " s", ex);
        }
    }
}
