using System;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Toolkit.Runtime.Security;

/// <summary>
/// TLS settings shared by the grid clients: the client credential to present, the CAs servers are verified
/// against, and the (explicit, logged) way to turn verification off.
/// </summary>
public sealed class GridTlsOptions
{
    private int _insecureWarned;

    /// <summary>The certificate or proxy presented to servers (with its chain); null for no client authentication.</summary>
    public X509Credential? ClientCredential { get; init; }

    /// <summary>
    /// The CAs servers are verified against. Null means: the grid trust directory (<c>X509_CERT_DIR</c>, else
    /// <c>/etc/grid-security/certificates</c>) when it exists, else the operating system's trust store.
    /// </summary>
    public TrustStore? TrustStore { get; init; }

    /// <summary>Whether the server's name must match the host connected to. Default true.</summary>
    public bool CheckHostName { get; init; } = true;

    /// <summary>
    /// Accept any server certificate (the <c>verify=false</c> of the Python clients). Off by default; when on, one
    /// warning is logged per options instance.
    /// </summary>
    public bool InsecureSkipServerVerification { get; init; }

    /// <summary>Where warnings go (never receives keys, passphrases or tokens); null for none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Clock for certificate validity checks; null for the system clock.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// The most kilobytes of response headers (status line and every header together) a handler from
    /// <see cref="GridTls.CreateHttpHandler"/> accepts: 64 by default, as .NET's. It also bounds the header count (each
    /// takes at least four bytes). More is an <see cref="System.Net.Http.HttpRequestException"/>.
    /// </summary>
    public int MaxResponseHeadersKilobytes { get; init; } = 64;

    /// <summary>True the first time it is called on this instance.</summary>
    internal bool FirstInsecureUse() => Interlocked.Exchange(ref _insecureWarned, 1) == 0;
}
