using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Runtime.Http;

/// <summary>
/// Bounds each attempt of a request by a timeout, like the Python requests <c>timeout</c>: the response headers must
/// arrive within it, and then each read of the body must bring data within it (a server that sends its headers and
/// then stalls is cut too). Placed inside a <see cref="RetryHandler"/>, it limits every try and not the retries around
/// it (the policy's <see cref="RetryPolicy.Budget"/> does that). Running out throws <see cref="TimeoutException"/>
/// naming the server, the time waited and the option that sets it; the caller's own cancellation still surfaces as
/// <see cref="OperationCanceledException"/>. The REST facades use it with <see cref="HttpClient.Timeout"/> set to
/// infinite (docs/rest-clients.md).
/// </summary>
public sealed class TimeoutHandler : DelegatingHandler
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly string? _optionName;

    /// <summary>Creates the handler.</summary>
    /// <param name="timeout">Time allowed for one attempt; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock of the timer; the system clock when null (a network timeout is wall-clock time).</param>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is neither positive nor infinite.</exception>
    public TimeoutHandler(TimeSpan timeout, TimeProvider? timeProvider = null)
        : this(timeout, timeProvider, null)
    {
    }

    /// <summary>Creates the handler.</summary>
    /// <param name="timeout">Time allowed for one attempt; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock of the timer; the system clock when null (a network timeout is wall-clock time).</param>
    /// <param name="optionName">The option that sets the timeout, named in the error (e.g. <c>Fts3ContextOptions.Timeout</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is neither positive nor infinite.</exception>
    public TimeoutHandler(TimeSpan timeout, TimeProvider? timeProvider, string? optionName)
    {
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the timeout must be positive or infinite");
        }

        _timeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
        _optionName = optionName;
    }

    /// <summary>The time allowed for one attempt.</summary>
    public TimeSpan AttemptTimeout => _timeout;

    /// <summary>The message of a timeout: <c>no answer from URL within 30 s (option X)</c>.</summary>
    /// <param name="uri">The request URL.</param>
    /// <param name="waited">The time waited.</param>
    /// <param name="optionName">The option that sets it, or null.</param>
    /// <returns>The message.</returns>
    public static string NoAnswer(Uri? uri, TimeSpan waited, string? optionName)
        => "no answer from " + (uri?.GetLeftPart(UriPartial.Path) ?? "the server") + " within "
            + waited.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
            + (optionName is null ? string.Empty : " (option " + optionName + ")");

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        HttpResponseMessage response;
        using (var cts = new CancellationTokenSource(_timeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cts.Token))
        {
            try
            {
                response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(NoAnswer(request.RequestUri, _timeout, _optionName), ex);
            }
        }

        if (response.Content is { } content)
        {
            response.Content = new IdleTimeoutContent(content, _timeout, _time, NoAnswer(request.RequestUri, _timeout, _optionName));
        }

        return response;
    }
}
