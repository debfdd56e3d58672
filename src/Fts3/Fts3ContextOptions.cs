using System;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3;

/// <summary>How <see cref="Fts3Context.CreateAsync"/> connects: endpoint, credentials, trust and behaviour.</summary>
public sealed record Fts3ContextOptions
{
    /// <summary>The FTS3 REST endpoint, e.g. <c>https://fts3.cern.ch:8446</c>.</summary>
    public required Uri Endpoint { get; init; }

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

    /// <summary>Timeout of every HTTP call (the Python client uses 30 seconds).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

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
}
