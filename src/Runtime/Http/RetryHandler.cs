using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Toolkit.Runtime.Http;

/// <summary>
/// Sends a request again while the <see cref="RetryPolicy"/> says the answer is transient. Requests whose body
/// is a caller's stream are sent once (the stream cannot be replayed).
/// </summary>
public sealed class RetryHandler : DelegatingHandler
{
    private static readonly Action<ILogger, string, int, double, int, Exception?> LogRetry =
        LoggerMessage.Define<string, int, double, int>(LogLevel.Information, new EventId(10, "Retry"), "Retrying {Method} after status {StatusCode}: waiting {DelayMs} ms (attempt {Attempt})");

    private readonly RetryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly Func<double>? _random;

    /// <summary>Creates the handler.</summary>
    /// <param name="policy">The policy; <see cref="RetryPolicy.Default"/> when null.</param>
    /// <param name="timeProvider">The clock used for waiting; the system clock when null.</param>
    /// <param name="logger">Logs each retry, if given.</param>
    public RetryHandler(RetryPolicy? policy = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _policy = policy ?? RetryPolicy.Default;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger;
    }

    /// <summary>Creates the handler with an explicit source of jitter (tests make the delays reproducible).</summary>
    /// <param name="policy">The policy; <see cref="RetryPolicy.Default"/> when null.</param>
    /// <param name="timeProvider">The clock used for waiting; the system clock when null.</param>
    /// <param name="logger">Logs each retry, if given.</param>
    /// <param name="random">Returns a number in [0, 1) for each jittered delay; <see cref="Random.Shared"/> when null.</param>
    public RetryHandler(RetryPolicy? policy, TimeProvider? timeProvider, ILogger? logger, Func<double>? random)
        : this(policy, timeProvider, logger)
    {
        _random = random;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = _time.GetTimestamp();
        var replayable = request.Content is null or ByteArrayContent;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            int status;
            TimeSpan? retryAfter = null;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException) when (_policy.RetryNetworkErrors && replayable && CanRetry(attempt, start, out _))
            {
                await WaitAsync(request, 0, attempt, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!_policy.IsTransient(status) || !replayable || !CanRetry(attempt, start, out var remaining))
            {
                return response;
            }

            if (response.Headers.RetryAfter is { } ra)
            {
                retryAfter = ra.Delta ?? (ra.Date is { } d ? d - _time.GetUtcNow() : null);
            }

            response.Dispose();
            await WaitAsync(request, status, attempt, retryAfter, cancellationToken, remaining).ConfigureAwait(false);
        }
    }

    private bool CanRetry(int attempt, long start, out TimeSpan remaining)
    {
        remaining = TimeSpan.MaxValue;
        if (attempt >= _policy.MaxAttempts)
        {
            return false;
        }

        if (_policy.Budget is { } budget)
        {
            remaining = budget - _time.GetElapsedTime(start);
            return remaining > TimeSpan.Zero;
        }

        return true;
    }

    private async Task WaitAsync(HttpRequestMessage request, int status, int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken, TimeSpan? remaining = null)
    {
#pragma warning disable CA5394 // Jitter does not need a cryptographic generator.
        var delay = _policy.GetDelay(attempt, retryAfter, _random is null ? Random.Shared.NextDouble() : _random());
#pragma warning restore CA5394
        if (remaining is { } r && delay > r)
        {
            delay = r;
        }

        if (_logger is not null)
        {
            LogRetry(_logger, request.Method.Method, status, delay.TotalMilliseconds, attempt + 1, null);
        }

        Activity.Current?.AddEvent(new ActivityEvent("retry"));
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
