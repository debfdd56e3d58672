using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3;

/// <summary>
/// A connection to one FTS3 server, as the Python <c>fts3.rest.client.easy.Context</c>. The easy operations are methods
/// of this class; <see cref="Client"/> is the full generated client. It follows the toolkit's REST facade pattern
/// (docs/rest-clients.md): an options record, two ways to get the HTTP client (its own, or the caller's), Runtime's
/// handlers only, and one exception root, <see cref="Fts3ClientException"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="CreateAsync"/> does I/O, so it is a factory: it finds the credentials the way the security runtime
/// defines (explicit → <c>X509_USER_PROXY</c> → <c>/tmp/x509up_u&lt;uid&gt;</c> → <c>X509_USER_CERT/KEY</c> →
/// <c>~/.globus</c> → host certificate) or takes a bearer token, builds its own <see cref="System.Net.Http.HttpClient"/>
/// (TLS verified against the grid CA directory; Runtime's <see cref="UserAgentHandler"/>, <see cref="RetryHandler"/>,
/// <see cref="BearerTokenHandler"/> and <see cref="TimeoutHandler"/>), checks the endpoint with a first <c>GET /</c>
/// (<see cref="BadEndpointException"/> when it is not an FTS3 server), and disposes that client with the context.
/// </para>
/// <para>
/// <see cref="Fts3Context(System.Net.Http.HttpClient, Fts3ContextOptions)"/> does no I/O: it sends through the caller's
/// client as it is (its handlers present the certificate or token, retry and time out) and never disposes it.
/// </para>
/// <para>Thread-safe. Every public instance member is virtual, for mocks.</para>
/// </remarks>
public partial class Fts3Context : IDisposable
{
    private readonly Fts3ContextOptions _options;
    private readonly bool _ownsCredential;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _delegationLock = new(1, 1);
    private readonly Uri _endpoint = null!;

    /// <summary>
    /// Creates a context that sends through <paramref name="httpClient"/> as it is, and never disposes it. No I/O: the
    /// endpoint is not checked (<see cref="CheckEndpointAsync"/> does that) and no credential is searched for.
    /// </summary>
    /// <param name="httpClient">The caller's client; its handlers present the caller's identity (client certificate or token).</param>
    /// <param name="options">
    /// The endpoint (required), <see cref="Fts3ContextOptions.Credential"/> to sign delegated proxies with (not disposed),
    /// <see cref="Fts3ContextOptions.Token"/> when the client sends a token (delegation is then skipped), and behaviour.
    /// The transport settings (paths, CA, timeout, retry, user agent) are the caller's client's business and are ignored.
    /// </param>
    /// <exception cref="ArgumentException">No endpoint, or not an absolute http(s) URL.</exception>
    public Fts3Context(HttpClient httpClient, Fts3ContextOptions options)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)), ownsHttp: false, options?.Credential, ownsCredential: false, options?.Token)
    {
    }

    /// <summary>For mocking frameworks and test doubles: every member not overridden throws or returns defaults.</summary>
    protected Fts3Context()
    {
        _options = new Fts3ContextOptions();
        _time = TimeProvider.System;
        HttpClient = null!;
        Client = null!;
    }

    private Fts3Context(Fts3ContextOptions options, HttpClient http, bool ownsHttp, X509Credential? credential, bool ownsCredential, BearerToken? token)
    {
        _options = options;
        _endpoint = ValidEndpoint(options);
        HttpClient = http;
        _ownsHttp = ownsHttp;
        Credential = credential;
        _ownsCredential = ownsCredential;
        Token = token;
        _time = options.TimeProvider ?? TimeProvider.System;
        Client = new Fts3Client(http, new Fts3ClientOptions { BaseAddress = _endpoint, Logger = options.Logger, MaxResponseBytes = options.MaxResponseBytes, MaxResponseBytesOptionName = "Fts3ContextOptions.MaxResponseBytes" });
    }

    /// <summary>The endpoint.</summary>
    public virtual Uri Endpoint => _endpoint;

    /// <summary>The generated client over the same connection (every route of the API).</summary>
    public virtual Fts3Client Client { get; }

    /// <summary>The HTTP client: the context's own (see <see cref="CreateAsync"/>) or the caller's.</summary>
    public virtual HttpClient HttpClient { get; }

    /// <summary>The X.509 credential presented (or, with the caller's client, used to sign delegated proxies), or null.</summary>
    public virtual X509Credential? Credential { get; }

    /// <summary>The bearer token, or null with X.509.</summary>
    public virtual BearerToken? Token { get; }

    /// <summary><c>X509</c> or <c>oauth2</c> (the Python context's <c>access_method</c>).</summary>
    public virtual string AccessMethod => Token is null ? "X509" : "oauth2";

    /// <summary>The versions the server reported to the endpoint check (<see cref="CreateAsync"/> or <see cref="CheckEndpointAsync"/>); empty before.</summary>
    public virtual EndpointInfo EndpointInfo { get; private set; } = new();

    /// <summary>Connects: finds the credentials, builds the context's own HTTP client and checks the endpoint with <c>GET /</c>.</summary>
    /// <param name="options">Endpoint (required; see <see cref="Fts3ContextOptions.FromEnvironment"/>), credentials and behaviour.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The context; disposing it disposes the HTTP client and the credential it loaded.</returns>
    /// <exception cref="ArgumentException">No endpoint, not an absolute http(s) URL, or a timeout that is neither positive nor infinite.</exception>
    /// <exception cref="CredentialException">No usable credential (what was tried is in the message), or it expired.</exception>
    /// <exception cref="BadEndpointException">The endpoint cannot be reached or does not answer like FTS3.</exception>
    /// <exception cref="Fts3ClientException">The server refused <c>GET /</c> (the server's message).</exception>
    public static async Task<Fts3Context> CreateAsync(Fts3ContextOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidEndpoint(options);
        X509Credential? credential = null;
        var owns = false;
        if (options.Token is null)
        {
            credential = options.Credential;
            if (credential is null)
            {
                credential = CredentialDiscovery.Load(
                    new CredentialSearchOptions { ProxyPath = options.ProxyPath, CertificatePath = options.CertificatePath, KeyPath = options.KeyPath ?? options.CertificatePath, Environment = options.Environment },
                    options.Passphrase,
                    options.TimeProvider);
                owns = true;
            }
        }

        HttpClient? http = null;
        try
        {
            http = CreateHttpClient(options, credential);
            var context = new Fts3Context(options, http, ownsHttp: true, credential, owns, options.Token);
            http = null;
            try
            {
                await context.CheckEndpointAsync(cancellationToken).ConfigureAwait(false);
                return context;
            }
            catch
            {
                context.Dispose();
                owns = false;
                throw;
            }
        }
        catch
        {
            http?.Dispose();
            if (owns)
            {
                credential?.Dispose();
            }

            throw;
        }
    }

    /// <summary>Checks that the endpoint is an FTS3 server (<c>GET /</c>) and keeps its versions in <see cref="EndpointInfo"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions.</returns>
    /// <exception cref="BadEndpointException">The endpoint cannot be reached, times out or does not answer like FTS3.</exception>
    /// <exception cref="Fts3ClientException">The server refused <c>GET /</c> (the server's message).</exception>
    public virtual async Task<EndpointInfo> CheckEndpointAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            EndpointInfo = await Client.GetEndpointInfoAsync(cancellationToken).ConfigureAwait(false);
            return EndpointInfo;
        }
        catch (Fts3ClientException)
        {
            throw;
        }
        catch (ApiException ex)
        {
            throw new BadEndpointException(Endpoint + " does not answer like an FTS3 server: " + ex.Message, ex);
        }
        catch (ResponseTooLargeException)
        {
            throw;
        }
        catch (HttpRequestException ex)
        {
            throw new BadEndpointException("cannot reach the FTS3 server at " + Endpoint + ": " + ex.Message, ex);
        }
        catch (TimeoutException ex)
        {
            throw new BadEndpointException("the FTS3 server at " + Endpoint + " did not answer: " + ex.Message, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BadEndpointException("the FTS3 server at " + Endpoint + " did not answer in time", ex);
        }
    }

    /// <summary>Releases the HTTP client and the credential the context created itself (never the caller's).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the HTTP client and the credential the context created itself (never the caller's).</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        if (_ownsHttp)
        {
            HttpClient.Dispose();
        }

        _delegationLock.Dispose();
        if (_ownsCredential)
        {
            Credential?.Dispose();
        }
    }

    private static Uri ValidEndpoint(Fts3ContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.Endpoint
            ?? throw new ArgumentException("no FTS3 endpoint: set Endpoint (Fts3ContextOptions.FromEnvironment reads " + Fts3ContextOptions.EndpointVariable + ")", nameof(options));
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("the FTS3 endpoint must be an absolute http(s) URL, not '" + endpoint + "'", nameof(options));
        }

        return endpoint;
    }

    /// <summary>
    /// The context's own HTTP client: a grid TLS transport presenting <paramref name="credential"/>, then (outermost
    /// first) the User-Agent, the retry policy, the bearer token and the per-attempt timeout, all Runtime handlers.
    /// </summary>
    private static HttpClient CreateHttpClient(Fts3ContextOptions options, X509Credential? credential)
    {
        var timeout = new TimeoutHandler(options.Timeout, null, "Fts3ContextOptions.Timeout");
        var tls = new GridTlsOptions
        {
            ClientCredential = credential,
            TrustStore = options.CaPath is null ? null : TrustStore.Load(options.CaPath),
            InsecureSkipServerVerification = options.Insecure,
            Logger = options.Logger,
            TimeProvider = options.TimeProvider,
        };
        var transport = GridTls.CreateHttpHandler(tls);
        var retry = new RetryHandler(options.Retry ?? RetryPolicy.None, options.TimeProvider, options.Logger);
        var handlers = options.Token is { } token
            ? new DelegatingHandler[] { new UserAgentHandler(options.UserAgent), retry, new BearerTokenHandler(token, timeProvider: options.TimeProvider, logger: options.Logger), timeout }
            : new DelegatingHandler[] { new UserAgentHandler(options.UserAgent), retry, timeout };
        var http = HttpPipeline.CreateClient(null, transport, handlers);
        http.Timeout = Timeout.InfiniteTimeSpan;
        return http;
    }
}
