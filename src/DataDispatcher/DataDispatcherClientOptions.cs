using System;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Security;

namespace Toolkit.DataDispatcher;

/// <summary>Settings of <see cref="DataDispatcherClient"/> (the keyword arguments of the Python client).</summary>
public sealed class DataDispatcherClientOptions
{
    /// <summary>The environment variable with the data server URL.</summary>
    public const string ServerUrlVariable = "DATA_DISPATCHER_URL";

    /// <summary>The environment variable with the auth server URL.</summary>
    public const string AuthServerUrlVariable = "DATA_DISPATCHER_AUTH_URL";

    /// <summary>The data server URL (routes are <c>{url}/{name}</c>); <c>DATA_DISPATCHER_URL</c> when null.</summary>
    public string? ServerUrl { get; set; }

    /// <summary>The auth server URL; <c>DATA_DISPATCHER_AUTH_URL</c> when null, else <c>{ServerUrl}/auth</c>.</summary>
    public string? AuthServerUrl { get; set; }

    /// <summary>The worker id; read from (or generated into) <see cref="WorkerIdFile"/> when null.</summary>
    public string? WorkerId { get; set; }

    /// <summary>The worker id file; <c>&lt;cwd&gt;/.data_dispatcher_worker_id</c> when null.</summary>
    public string? WorkerIdFile { get; set; }

    /// <summary>An encoded token to use (wins over the file and the library).</summary>
    public string? Token { get; set; }

    /// <summary>A file holding just an encoded token (read only).</summary>
    public string? TokenFile { get; set; }

    /// <summary>The token library file; the default locations of <see cref="DataDispatcher.TokenLibrary"/> when null.</summary>
    public string? TokenLibrary { get; set; }

    /// <summary>The CPU site sent with next_file (the server ranks replicas by proximity to it).</summary>
    public string CpuSite { get; set; } = "DEFAULT";

    /// <summary>Time allowed for one HTTP request, and the 503 retry budget of each call (seed: 300 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>TLS settings (trust store, verification); also the base of the x509 login's settings.</summary>
    public GridTlsOptions? Tls { get; set; }

    /// <summary>The clock used for token expiry, the 503 backoff and next_file's waits; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Returns numbers in [0, 1) for stagger, next_file waits and backoff jitter; <see cref="Random.Shared"/> when null.</summary>
    public Func<double>? Random { get; set; }

    /// <summary>Reads environment variables; the process environment when null.</summary>
    public Func<string, string?>? Environment { get; set; }

    /// <summary>The directory of the default worker id file and token library; the process's when null.</summary>
    public string? CurrentDirectory { get; set; }

    /// <summary>Logs retries and failures (never tokens or passwords).</summary>
    public ILogger? Logger { get; set; }
}
