using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3;

/// <summary>
/// A connection to one FTS3 server, as the Python <c>fts3.rest.client.easy.Context</c>: credentials found the way
/// the security runtime defines (explicit → <c>X509_USER_PROXY</c> → <c>/tmp/x509up_u&lt;uid&gt;</c> →
/// <c>X509_USER_CERT/KEY</c> → <c>~/.globus</c> → host certificate) or a bearer token, TLS verified against the grid
/// CA directory, and a first <c>GET /</c> that fails with <see cref="BadEndpointException"/> when the endpoint is
/// not an FTS3 server. The easy operations are methods of this class; <see cref="Client"/> is the full generated
/// client. Thread-safe.
/// </summary>
public sealed partial class Fts3Context : IDisposable
{
    private readonly Fts3ContextOptions _options;
    private readonly bool _ownsCredential;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _delegationLock = new(1, 1);

    private Fts3Context(Fts3ContextOptions options, HttpClient http, X509Credential? credential, bool ownsCredential, BearerToken? token)
    {
        _options = options;
        HttpClient = http;
        Credential = credential;
        _ownsCredential = ownsCredential;
        Token = token;
        _time = options.TimeProvider ?? TimeProvider.System;
        Client = new Fts3Client(http, new Fts3ClientOptions { BaseAddress = options.Endpoint, Logger = options.Logger });
    }

    /// <summary>The endpoint.</summary>
    public Uri Endpoint => _options.Endpoint;

    /// <summary>The generated client over the same connection (every route of the API).</summary>
    public Fts3Client Client { get; }

    /// <summary>The HTTP client (TLS with the credential, User-Agent, bearer token).</summary>
    public HttpClient HttpClient { get; }

    /// <summary>The X.509 credential presented, or null with a token.</summary>
    public X509Credential? Credential { get; }

    /// <summary>The bearer token, or null with X.509.</summary>
    public BearerToken? Token { get; }

    /// <summary><c>X509</c> or <c>oauth2</c> (the Python context's <c>access_method</c>).</summary>
    public string AccessMethod => Token is null ? "X509" : "oauth2";

    /// <summary>The versions the server reported when the context was created.</summary>
    public EndpointInfo EndpointInfo { get; private set; } = new();

    /// <summary>Connects: finds the credentials, builds the TLS client and checks the endpoint with <c>GET /</c>.</summary>
    /// <param name="options">Endpoint, credentials and behaviour.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The context.</returns>
    /// <exception cref="CredentialException">No usable credential (what was tried is in the message), or it expired.</exception>
    /// <exception cref="BadEndpointException">The endpoint cannot be reached or does not answer like FTS3.</exception>
    /// <exception cref="Fts3ClientException">The server refused <c>GET /</c> (the server's message).</exception>
    public static async Task<Fts3Context> CreateAsync(Fts3ContextOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Endpoint.IsAbsoluteUri || (options.Endpoint.Scheme != Uri.UriSchemeHttps && options.Endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("the FTS3 endpoint must be an absolute http(s) URL, not '" + options.Endpoint + "'", nameof(options));
        }

        X509Credential? credential = null;
        var owns = false;
        if (options.Token is null)
        {
            credential = options.Credential;
            if (credential is null)
            {
                credential = CredentialDiscovery.Load(
                    new CredentialSearchOptions { ProxyPath = options.ProxyPath, CertificatePath = options.CertificatePath, KeyPath = options.KeyPath ?? (options.CertificatePath is null ? null : options.CertificatePath), Environment = options.Environment },
                    options.Passphrase,
                    options.TimeProvider);
                owns = true;
            }
        }

        HttpClient? http = null;
        try
        {
            var tls = new GridTlsOptions
            {
                ClientCredential = credential,
                TrustStore = options.CaPath is null ? null : TrustStore.Load(options.CaPath),
                InsecureSkipServerVerification = options.Insecure,
                Logger = options.Logger,
                TimeProvider = options.TimeProvider,
            };
            var transport = GridTls.CreateHttpHandler(tls);
            var handlers = options.Token is { } token
                ? new DelegatingHandler[] { new UserAgentHandler(options.UserAgent), new BearerTokenHandler(token, timeProvider: options.TimeProvider, logger: options.Logger) }
                : new DelegatingHandler[] { new UserAgentHandler(options.UserAgent) };
            http = HttpPipeline.CreateClient(null, transport, handlers);
            http.Timeout = options.Timeout;
            var context = new Fts3Context(options, http, credential, owns, options.Token);
            http = null;
            try
            {
                context.EndpointInfo = await context.ProbeAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task<EndpointInfo> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Client.GetEndpointInfoAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Fts3ClientException)
        {
            throw;
        }
        catch (ApiException ex)
        {
            throw new BadEndpointException(Endpoint + " does not answer like an FTS3 server: " + ex.Message, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new BadEndpointException("cannot reach the FTS3 server at " + Endpoint + ": " + ex.Message, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BadEndpointException("the FTS3 server at " + Endpoint + " did not answer within " + _options.Timeout.TotalSeconds + " s", ex);
        }
    }

    /// <summary>Releases the HTTP client and the credential the context loaded itself.</summary>
    public void Dispose()
    {
        HttpClient.Dispose();
        _delegationLock.Dispose();
        if (_ownsCredential)
        {
            Credential?.Dispose();
        }
    }
}
