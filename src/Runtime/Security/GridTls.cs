using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Toolkit.Runtime.Security;

/// <summary>
/// TLS configuration for grid clients: present a certificate or proxy <em>with its chain</em> (on Linux the chain
/// must be handed to the TLS stack explicitly through an <see cref="SslStreamCertificateContext"/>), and verify
/// servers against the grid CAs with the host name checked.
/// </summary>
public static class GridTls
{
    /// <summary>Creates a <see cref="SocketsHttpHandler"/> configured by <paramref name="options"/>.</summary>
    /// <param name="options">Credential, trust and verification settings.</param>
    /// <returns>A new handler; the caller owns it (wrap it in an <see cref="HttpClient"/>).</returns>
    public static SocketsHttpHandler CreateHttpHandler(GridTlsOptions options)
    {
        var handler = new SocketsHttpHandler();
        ConfigureHttpHandler(handler, options);
        return handler;
    }

    /// <summary>Applies <paramref name="options"/> to an existing handler's <see cref="SocketsHttpHandler.SslOptions"/> and <see cref="SocketsHttpHandler.MaxResponseHeadersLength"/>.</summary>
    /// <param name="handler">The handler to configure.</param>
    /// <param name="options">Credential, trust and verification settings.</param>
    public static void ConfigureHttpHandler(SocketsHttpHandler handler, GridTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        handler.SslOptions = CreateClientAuthenticationOptions(options, targetHost: null);
        handler.MaxResponseHeadersLength = options.MaxResponseHeadersKilobytes;
    }

    /// <summary>
    /// An <see cref="HttpMessageInvoker"/> for <c>ClientWebSocket.ConnectAsync(uri, invoker, ct)</c>, so a WebSocket
    /// presents the full proxy chain too (<c>ClientWebSocketOptions.ClientCertificates</c> cannot carry the chain on Linux).
    /// </summary>
    /// <param name="options">Credential, trust and verification settings.</param>
    /// <returns>The invoker; the caller owns it.</returns>
    public static HttpMessageInvoker CreateWebSocketInvoker(GridTlsOptions options) => new(CreateHttpHandler(options), disposeHandler: true);

    /// <summary>Options for <see cref="SslStream.AuthenticateAsClientAsync(SslClientAuthenticationOptions, System.Threading.CancellationToken)"/>.</summary>
    /// <param name="options">Credential, trust and verification settings.</param>
    /// <param name="targetHost">The server name (SNI and host-name check); null when the HTTP stack fills it in.</param>
    /// <returns>The authentication options.</returns>
    /// <exception cref="CredentialException">The client credential is expired or not yet valid.</exception>
    public static SslClientAuthenticationOptions CreateClientAuthenticationOptions(GridTlsOptions options, string? targetHost)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ssl = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = CreateServerCertificateValidator(options),
        };
        if (options.ClientCredential is { } credential)
        {
            credential.EnsureValid((options.TimeProvider ?? TimeProvider.System).GetUtcNow());
            ssl.ClientCertificateContext = CreateCertificateContext(credential);
        }
        return ssl;
    }

    /// <summary>A certificate context holding the leaf with its key and every chain certificate, sent in the handshake as is.</summary>
    /// <param name="credential">The credential.</param>
    /// <returns>The context.</returns>
    public static SslStreamCertificateContext CreateCertificateContext(X509Credential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (!credential.IsProxy)
        {
            return SslStreamCertificateContext.Create(credential.Certificate, new X509Certificate2Collection(credential.Chain.ToArray()), offline: true);
        }
        // SslStreamCertificateContext.Create builds an X509Chain to pick the intermediates. With OpenSSL 3 that
        // build throws on any RFC 3820 proxy ("MapOpenSsl30Code reported unhandled error code '40'": OpenSSL's
        // X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED, which .NET does not map). We already know the exact chain, so
        // use the context's own constructor, which Create calls after its chain build, with our chain as is.
        try
        {
            return (SslStreamCertificateContext)s_contextConstructor.Value.Invoke([credential.Certificate, new ReadOnlyCollection<X509Certificate2>(credential.Chain.ToArray()), null]);
        }
        catch (TargetInvocationException e)
        {
            throw new CredentialException("the TLS stack refused the proxy credential", credential.CertificatePath, e.InnerException ?? e);
        }
    }

    private static readonly Lazy<ConstructorInfo> s_contextConstructor = new(() =>
        typeof(SslStreamCertificateContext).GetConstructor(
            BindingFlags.NonPublic | BindingFlags.Instance,
            [typeof(X509Certificate2), typeof(ReadOnlyCollection<X509Certificate2>), typeof(SslCertificateTrust)])
        ?? throw new CredentialException("this .NET runtime offers no way to present a proxy certificate chain (SslStreamCertificateContext constructor not found)"));

    /// <summary>
    /// The server-certificate check: with <see cref="GridTlsOptions.InsecureSkipServerVerification"/> everything
    /// passes (after one logged warning); otherwise the host name must match (unless disabled) and the chain must
    /// lead to the trust store (or, without a grid trust directory, pass the platform's check).
    /// </summary>
    /// <param name="options">Trust and verification settings.</param>
    /// <returns>The callback.</returns>
    public static RemoteCertificateValidationCallback CreateServerCertificateValidator(GridTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.InsecureSkipServerVerification)
        {
            if (options.FirstInsecureUse())
            {
                options.Logger?.LogWarning("TLS server certificate verification is disabled (insecure mode): any server certificate is accepted");
            }
#pragma warning disable CA5359 // Insecure mode is an explicit, logged opt-in (verify=false of the Python clients).
            return static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        var trust = options.TrustStore ?? LoadDefaultTrust();
        var time = options.TimeProvider ?? TimeProvider.System;
        return (_, certificate, chain, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                options.Logger?.LogWarning("TLS server presented no certificate");
                return false;
            }
            if (options.CheckHostName && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                options.Logger?.LogWarning("TLS server certificate {Subject} does not match the host name", certificate.Subject);
                return false;
            }
            if (trust is null)
            {
                return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0;
            }
            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var extra = new List<X509Certificate2>();
            if (chain is not null)
            {
                extra.AddRange(chain.ChainPolicy.ExtraStore);
                extra.AddRange(chain.ChainElements.Select(e => e.Certificate).Where(c => c.Thumbprint != leaf.Thumbprint));
            }
            var problems = trust.Validate(leaf, extra, time.GetUtcNow());
            if (problems.Count > 0)
            {
                options.Logger?.LogWarning("TLS server certificate {Subject} rejected: {Problems}", certificate.Subject, string.Join("; ", problems));
                return false;
            }
            return true;
        };
    }

    private static TrustStore? LoadDefaultTrust()
    {
        string dir = TrustStore.ResolveDirectory();
        return Directory.Exists(dir) ? TrustStore.Load(dir) : null;
    }
}
