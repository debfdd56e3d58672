using System;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3;

/// <summary>
/// How an <see cref="Fts3Context"/> connects: endpoint, credentials, trust and behaviour. An immutable record: derive
/// variants with <c>with { ... }</c>. <see cref="FromEnvironment"/> is the one place the library reads the FTS3
/// environment variables (docs/rest-clients.md).
/// </summary>
public sealed record Fts3ContextOptions
{
    /// <summary>The environment variable with the endpoint (the one the Python <c>fts-rest-*</c> commands read).</summary>
    public const string EndpointVariable = "FTS3_ENDPOINT";

    /// <summary>The FTS3 REST endpoint, e.g. <c>https://fts3.cern.ch:8446</c>; required (<see cref="FromEnvironment"/> reads <c>FTS3_ENDPOINT</c>).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>User certificate file (with <see cref="KeyPath"/>); the first step of the discovery order.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>User key file; defaults to <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; init; }

    /// <summary>Proxy file (certificate, key and chain in one file).</summary>
    public string? ProxyPath { get; init; }

    /// <summary>A credential already loaded; takes precedence over every path. The context does not dispose it.</summary>
    public X509Credential? Credential { get; init; }

    /// <summary>
    /// A bearer token: sent as <c>Authorization: Bearer</c> and no client certificate is presented (the server then
    /// identifies the caller by the token; delegation is skipped).
    /// </summary>
    public BearerToken? Token { get; init; }

    /// <summary>CA directory (hashed certificates); null means <c>X509_CERT_DIR</c>, else the grid or system store.</summary>
    public string? CaPath { get; init; }

    /// <summary>Accept any server certificate (the Python client's <c>verify=False</c>). Off by default.</summary>
    public bool Insecure { get; init; }

    /// <summary>Passphrase callback for an encrypted key (the prompt names the file); null gives up on encrypted keys.</summary>
    public Func<string, string?>? Passphrase { get; init; }

    /// <summary>Environment lookup for credential discovery; null reads the process environment.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>User-Agent header; the default names this toolkit.</summary>
    public string UserAgent { get; init; } = "fts-toolkit/0.1.0";

    /// <summary>
    /// Time allowed for each HTTP attempt (Runtime's <see cref="TimeoutHandler"/>; the Python client uses 30 seconds):
    /// the response headers must come within it, then each read of the body. Running out is a
    /// <see cref="TimeoutException"/> naming the server, the time waited and this option (a
    /// <see cref="BadEndpointException"/> from the endpoint check). <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest response body read, in bytes (default <see cref="ApiClientOptions.DefaultMaxResponseBytes"/>,
    /// 64 MiB): a larger one is a <see cref="ResponseTooLargeException"/> naming the server, the limit and this option,
    /// raised before or while reading, so a hostile server cannot exhaust memory. Applies with the caller's client too.
    /// </summary>
    public long MaxResponseBytes { get; init; } = ApiClientOptions.DefaultMaxResponseBytes;

    /// <summary>
    /// The retry policy of every request (Runtime's <see cref="RetryHandler"/>); null for none, as the Python client
    /// (a 503 surfaces at once as <see cref="TryAgainException"/>). <see cref="RetryPolicy.Default"/> retries 503 with
    /// the Data Dispatcher backoff.
    /// </summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// When a call answers 419 (no usable delegated proxy), delegate again (forced) and retry the call once.
    /// </summary>
    public bool AutoRedelegate { get; init; }

    /// <summary>Lifetime of proxies delegated automatically (the Python default is 7 hours).</summary>
    public TimeSpan DelegationLifetime { get; init; } = TimeSpan.FromHours(7);

    /// <summary>Logger for the HTTP client; credentials are never logged.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Clock (tests); null for the system clock.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// Options from the environment: <see cref="Endpoint"/> from <c>FTS3_ENDPOINT</c> (unset or empty leaves it null)
    /// and <see cref="Environment"/> set to <paramref name="environment"/> (the credential search reads the
    /// <c>X509_*</c> variables through it). The one place the library reads FTS3's variables.
    /// </summary>
    /// <param name="environment">Reads a variable; the process environment when null.</param>
    /// <returns>The options (the endpoint may be null: <see cref="Fts3Context"/> then refuses them).</returns>
    /// <exception cref="ArgumentException"><c>FTS3_ENDPOINT</c> is not an absolute http(s) URL.</exception>
    public static Fts3ContextOptions FromEnvironment(Func<string, string?>? environment = null)
    {
        var value = (environment ?? System.Environment.GetEnvironmentVariable)(EndpointVariable);
        Uri? endpoint = null;
        if (!string.IsNullOrEmpty(value)
            && (!Uri.TryCreate(value, UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)))
        {
            throw new ArgumentException("the endpoint must be an http(s) URL, not '" + value + "' (" + EndpointVariable + ")", nameof(environment));
        }

        return new Fts3ContextOptions { Endpoint = endpoint, Environment = environment };
    }
}
