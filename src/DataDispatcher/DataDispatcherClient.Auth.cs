using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.DataDispatcher;

public partial class DataDispatcherClient
{
    /// <summary>The server version (the seed's <c>version()</c>), e.g. <c>2.0.3</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version text.</returns>
    public virtual async Task<string> VersionAsync(CancellationToken cancellationToken = default)
        => (await Data.VersionAsync(cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>Checks the current token with the auth server (<c>GET {auth}/verify</c>; the seed's <c>auth_info()</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The token's user and expiry.</returns>
    /// <exception cref="DataDispatcherAuthException">No token is available.</exception>
    /// <exception cref="DataDispatcherAuthenticationFailedException">The server rejected the token (its reason is the message).</exception>
    public virtual async Task<AuthInfo> AuthInfoAsync(CancellationToken cancellationToken = default)
    {
        var token = CurrentToken() ?? throw new DataDispatcherAuthException("no token: log in first (no token given, no token file, nothing in the token library for " + ServerUrl + ")");
        await Auth.VerifyAsync(cancellationToken).ConfigureAwait(false);
        var info = JwtInfo.TryParse(token, out var jwt) ? jwt : null;
        return new AuthInfo(info?.Subject, info?.ExpiresAt);
    }

    /// <summary>The user name the auth server sees for the current token (<c>GET {auth}/whoami</c>; empty when none).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user name.</returns>
    public virtual async Task<string> WhoAmIAsync(CancellationToken cancellationToken = default)
        => (await Auth.WhoamiAsync(cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>Logs in with RFC 2617 Digest (MD5, qop=auth) and stores the token (the seed's <c>login_digest</c>).</summary>
    /// <param name="user">The user name.</param>
    /// <param name="password">The password (never logged).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new token's user and expiry.</returns>
    /// <exception cref="DataDispatcherAuthenticationFailedException">The server refused the credentials.</exception>
    public virtual async Task<AuthInfo> LoginDigestAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        using var http = LoginHttp(new DigestAuthHandler(user, password));
        var auth = new AuthServerClient(http, new AuthServerClientOptions { BaseAddress = Auth.BaseAddress, Logger = _options.Logger, MaxResponseBytes = _options.MaxResponseBytes, MaxResponseBytesOptionName = MaxResponseOption });
        var response = await auth.AuthenticateWithResponseAsync(AuthMethod.Digest, user, cancellationToken).ConfigureAwait(false);
        return Accept(response.Headers);
    }

    /// <summary>Logs in with LDAP (body <c>user:password</c>) and stores the token (the seed's <c>login_ldap</c>).</summary>
    /// <param name="user">The user name.</param>
    /// <param name="password">The password (never logged).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new token's user and expiry.</returns>
    /// <exception cref="DataDispatcherAuthenticationFailedException">The server refused the credentials.</exception>
    public virtual async Task<AuthInfo> LoginLdapAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        using var http = LoginHttp(null);
        var auth = new AuthServerClient(http, new AuthServerClientOptions { BaseAddress = Auth.BaseAddress, Logger = _options.Logger, MaxResponseBytes = _options.MaxResponseBytes, MaxResponseBytesOptionName = MaxResponseOption });
        var response = await auth.AuthenticateWithBodyWithResponseAsync(AuthMethod.Ldap, null, user + ":" + password, cancellationToken).ConfigureAwait(false);
        return Accept(response.Headers);
    }

    /// <summary>Logs in with LDAP and, when that is refused, with Digest (the seed's <c>login_password</c>).</summary>
    /// <param name="user">The user name.</param>
    /// <param name="password">The password (never logged).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new token's user and expiry.</returns>
    /// <exception cref="DataDispatcherAuthenticationFailedException">Both were refused (the Digest refusal).</exception>
    public virtual async Task<AuthInfo> LoginPasswordAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        try
        {
            return await LoginLdapAsync(user, password, cancellationToken).ConfigureAwait(false);
        }
        catch (DataDispatcherAuthenticationFailedException)
        {
            return await LoginDigestAsync(user, password, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Exchanges a JWT or SciToken for a Data Dispatcher token (the seed's <c>login_token</c>).</summary>
    /// <param name="user">The user name the token must belong to.</param>
    /// <param name="token">The encoded token presented as <c>Authorization: Bearer</c> (never logged).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new token's user and expiry.</returns>
    /// <exception cref="DataDispatcherAuthenticationFailedException">The server refused the token.</exception>
    public virtual async Task<AuthInfo> LoginTokenAsync(string user, string token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        using var http = LoginHttp(new BearerTokenHandler(new BearerToken(token, "the login token")));
        var auth = new AuthServerClient(http, new AuthServerClientOptions { BaseAddress = Auth.BaseAddress, Logger = _options.Logger, MaxResponseBytes = _options.MaxResponseBytes, MaxResponseBytesOptionName = MaxResponseOption });
        var response = await auth.AuthenticateWithBodyWithResponseAsync(AuthMethod.Token, user, null, cancellationToken).ConfigureAwait(false);
        return Accept(response.Headers);
    }

    /// <summary>Logs in with an X.509 certificate or proxy presented as the TLS client certificate (the seed's <c>login_x509</c>).</summary>
    /// <param name="user">The user name the certificate is registered for.</param>
    /// <param name="credential">The certificate (or proxy chain) with its key; see <see cref="CredentialDiscovery"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new token's user and expiry.</returns>
    /// <exception cref="DataDispatcherAuthenticationFailedException">The server refused the certificate.</exception>
    public virtual async Task<AuthInfo> LoginX509Async(string user, X509Credential credential, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(credential);
        if (!Auth.BaseAddress.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataDispatcherAuthException("x509 login needs an https auth server URL, not " + Auth.BaseAddress);
        }

        var baseTls = _options.Tls ?? new GridTlsOptions();
        var tls = new GridTlsOptions
        {
            ClientCredential = credential,
            TrustStore = baseTls.TrustStore,
            CheckHostName = baseTls.CheckHostName,
            InsecureSkipServerVerification = baseTls.InsecureSkipServerVerification,
            Logger = baseTls.Logger,
            TimeProvider = baseTls.TimeProvider,
        };
        using var transport = GridTls.CreateHttpHandler(tls);
        using var http = CreateHttp(transport, null, disposeTransport: false);
        var auth = new AuthServerClient(http, new AuthServerClientOptions { BaseAddress = Auth.BaseAddress, Logger = _options.Logger, MaxResponseBytes = _options.MaxResponseBytes, MaxResponseBytesOptionName = MaxResponseOption });
        var response = await auth.AuthenticateWithResponseAsync(AuthMethod.X509, user, cancellationToken).ConfigureAwait(false);
        return Accept(response.Headers);
    }

    /// <summary>Logs in with the certificate and key in PEM files (the seed's <c>login_x509(user, cert, key)</c>).</summary>
    /// <param name="user">The user name.</param>
    /// <param name="certificatePath">The certificate or proxy file.</param>
    /// <param name="keyPath">The key file; the certificate file when null (proxies).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new token's user and expiry.</returns>
    public virtual async Task<AuthInfo> LoginX509Async(string user, string certificatePath, string? keyPath = null, CancellationToken cancellationToken = default)
    {
        using var credential = X509Credential.Load(certificatePath, keyPath);
        return await LoginX509Async(user, credential, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uses a token from now on and stores it in the token library under <see cref="ServerUrl"/>.</summary>
    /// <param name="token">The encoded token.</param>
    public virtual void SaveToken(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        lock (_gate)
        {
            var lib = _library ??= new TokenLibrary(_options.TokenLibrary, _time, _env, _cwd);
            lib.Set(ServerUrl, token);
            _libraryStamp = lib.LastWriteTimeUtc();
            _token = token;
        }
    }

    /// <summary>
    /// The HTTP client of one login (no data token; the login's own authentication): over this client's transport, or,
    /// when it sends through the caller's <see cref="HttpClient"/>, over a transport made from the TLS settings and
    /// disposed with the returned client.
    /// </summary>
    private HttpClient LoginHttp(DelegatingHandler? auth)
        => _transport is not null
            ? CreateHttp(_transport, auth, disposeTransport: false)
            : CreateHttp(GridTls.CreateHttpHandler(_options.Tls ?? new GridTlsOptions()), auth, disposeTransport: true);

    private AuthInfo Accept(ApiHeaders headers)
    {
        var token = headers.GetFirst(DataServerClient.TokenHeaderName);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new DataDispatcherAuthException("the auth server answered 200 without an " + DataServerClient.TokenHeaderName + " header");
        }

        token = token.Trim();
        SaveToken(token);
        var info = JwtInfo.TryParse(token, out var jwt) ? jwt : null;
        return new AuthInfo(info?.Subject, info?.ExpiresAt);
    }
}
