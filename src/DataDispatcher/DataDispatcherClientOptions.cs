using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.DataDispatcher;

/// <summary>
/// Settings of <see cref="DataDispatcherClient"/> (the keyword arguments of the Python client). An immutable record:
/// derive variants with <c>with { ... }</c>. <see cref="FromEnvironment"/> is the one place the library reads the
/// Data Dispatcher environment variables (docs/rest-clients.md).
/// </summary>
public sealed record DataDispatcherClientOptions
{
    /// <summary>The environment variable with the data server URL.</summary>
    public const string ServerUrlVariable = "DATA_DISPATCHER_URL";

    /// <summary>The environment variable with the auth server URL.</summary>
    public const string AuthServerUrlVariable = "DATA_DISPATCHER_AUTH_URL";

    /// <summary>The data server URL (routes are <c>{url}/{name}</c>); required (<see cref="FromEnvironment"/> reads <c>DATA_DISPATCHER_URL</c>).</summary>
    public string? ServerUrl { get; init; }

    /// <summary>The auth server URL; <c>{ServerUrl}/auth</c> when null (<see cref="FromEnvironment"/> reads <c>DATA_DISPATCHER_AUTH_URL</c>).</summary>
    public string? AuthServerUrl { get; init; }

    /// <summary>The worker id; read from (or generated into) <see cref="WorkerIdFile"/> when null.</summary>
    public string? WorkerId { get; init; }

    /// <summary>The worker id file; <c>&lt;cwd&gt;/.data_dispatcher_worker_id</c> when null.</summary>
    public string? WorkerIdFile { get; init; }

    /// <summary>An encoded token to use (wins over the file and the library).</summary>
    public string? Token { get; init; }

    /// <summary>A file holding just an encoded token (read only).</summary>
    public string? TokenFile { get; init; }

    /// <summary>The token library file; the default locations of <see cref="DataDispatcher.TokenLibrary"/> when null.</summary>
    public string? TokenLibrary { get; init; }

    /// <summary>The CPU site sent with next_file (the server ranks replicas by proximity to it).</summary>
    public string CpuSite { get; init; } = "DEFAULT";

    /// <summary>
    /// Time allowed for one HTTP attempt (Runtime's <see cref="TimeoutHandler"/>: the response headers must come
    /// within it, then each read of the body), and the budget of the default 503 retry policy of each call (seed:
    /// 300 s). Running out is a <see cref="TimeoutException"/> naming the server, the time waited and this option.
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// The largest response body read, in bytes (default <see cref="ApiClientOptions.DefaultMaxResponseBytes"/>,
    /// 64 MiB): a larger one is a <see cref="ResponseTooLargeException"/> naming the server, the limit and this option,
    /// raised before or while reading, so a hostile server cannot exhaust memory. Applies with the caller's client too.
    /// </summary>
    public long MaxResponseBytes { get; init; } = ApiClientOptions.DefaultMaxResponseBytes;

    /// <summary>
    /// The retry policy of every request (Runtime's <see cref="RetryHandler"/>); null for the Python client's:
    /// <see cref="DefaultRetryPolicy"/> (503 only, 1 s growing ×1.5, jittered, within <see cref="Timeout"/>).
    /// <see cref="RetryPolicy.None"/> turns retries off.
    /// </summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>TLS settings (trust store, verification) of the client's own transport; also the base of the x509 login's settings.</summary>
    public GridTlsOptions? Tls { get; init; }

    /// <summary>The clock used for token expiry, the 503 backoff and next_file's waits; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Returns numbers in [0, 1) for stagger, next_file waits and backoff jitter; <see cref="Random.Shared"/> when null.</summary>
    public Func<double>? Random { get; init; }

    /// <summary>Reads <c>HOME</c> for the default token library locations; the process environment when null.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>The directory of the default worker id file and token library; the process's when null.</summary>
    public string? CurrentDirectory { get; init; }

    /// <summary>Logs retries and failures (never tokens or passwords).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Options from the environment: <see cref="ServerUrl"/> from <c>DATA_DISPATCHER_URL</c> and
    /// <see cref="AuthServerUrl"/> from <c>DATA_DISPATCHER_AUTH_URL</c> (unset or empty variables leave null), and
    /// <see cref="Environment"/> set to <paramref name="environment"/>. The one place the library reads these variables.
    /// </summary>
    /// <param name="environment">Reads a variable; the process environment when null.</param>
    /// <returns>The options (the server URL may be null: the client's constructor then refuses them).</returns>
    public static DataDispatcherClientOptions FromEnvironment(Func<string, string?>? environment = null)
    {
        var env = environment ?? System.Environment.GetEnvironmentVariable;
        return new DataDispatcherClientOptions
        {
            ServerUrl = NonEmpty(env(ServerUrlVariable)),
            AuthServerUrl = NonEmpty(env(AuthServerUrlVariable)),
            Environment = environment,
        };
    }

    /// <summary>The Python client's retry policy: 503 only, 1 s growing ×1.5 with full jitter, no cap per wait, within <paramref name="budget"/>.</summary>
    /// <param name="budget">The retry budget of one call (the client timeout); infinite for none.</param>
    /// <returns>The policy.</returns>
    public static RetryPolicy DefaultRetryPolicy(TimeSpan budget) => new()
    {
        MaxAttempts = int.MaxValue,
        InitialDelay = TimeSpan.FromSeconds(1),
        Multiplier = 1.5,
        MaxDelay = TimeSpan.FromDays(1),
        Budget = budget == System.Threading.Timeout.InfiniteTimeSpan ? null : budget,
        Jitter = true,
        RespectRetryAfter = false,
        RetryStatusCodes = new HashSet<int> { 503 },
    };

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
