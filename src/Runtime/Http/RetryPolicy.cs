using System;
using System.Collections.Generic;
using System.Net.Http;

namespace Toolkit.Runtime.Http;

/// <summary>
/// When and how long <see cref="RetryHandler"/> waits before sending a request again: which statuses are
/// transient, how many attempts, exponential back-off with optional full jitter, an overall time budget, and
/// <c>Retry-After</c>. The defaults follow the Data Dispatcher client: retry 503 only, start at 1 s, grow ×1.5,
/// random wait in [0, interval), stop after 300 s.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>The default policy (see the class summary).</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>A policy that never retries.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Total number of tries, the first included. Default 10.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The interval before the first retry. Default 1 s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Growth factor of the interval after each retry. Default 1.5.</summary>
    public double Multiplier { get; init; } = 1.5;

    /// <summary>Upper bound of one wait. Default 60 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Overall budget from the first try; no retry starts after it. Default 300 s; null for none.</summary>
    public TimeSpan? Budget { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Wait a random time in [0, interval) instead of the full interval. Default true.</summary>
    public bool Jitter { get; init; } = true;

    /// <summary>Honour a <c>Retry-After</c> header (capped by <see cref="MaxDelay"/>). Default true.</summary>
    public bool RespectRetryAfter { get; init; } = true;

    /// <summary>Statuses that are retried. Default: 503 only.</summary>
    public IReadOnlySet<int> RetryStatusCodes { get; init; } = new HashSet<int> { 503 };

    /// <summary>Retry when sending fails with <see cref="HttpRequestException"/> (connection refused, reset). Default false.</summary>
    public bool RetryNetworkErrors { get; init; }

    /// <summary>Whether a response with this status should be retried.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns>True if transient.</returns>
    public bool IsTransient(int statusCode) => RetryStatusCodes.Contains(statusCode);

    /// <summary>The wait before retry number <paramref name="retry"/> (1 = first retry).</summary>
    /// <param name="retry">The retry number, from 1.</param>
    /// <param name="retryAfter">The server's Retry-After, if any.</param>
    /// <param name="random">A number in [0, 1) used for jitter.</param>
    /// <returns>The delay.</returns>
    public TimeSpan GetDelay(int retry, TimeSpan? retryAfter, double random)
    {
        if (RespectRetryAfter && retryAfter is { } ra && ra >= TimeSpan.Zero)
        {
            return ra < MaxDelay ? ra : MaxDelay;
        }

        var interval = InitialDelay.TotalMilliseconds * Math.Pow(Multiplier, Math.Max(0, retry - 1));
        interval = Math.Min(interval, MaxDelay.TotalMilliseconds);
        if (Jitter)
        {
            interval *= Math.Clamp(random, 0, 1);
        }

        return TimeSpan.FromMilliseconds(interval);
    }
}
