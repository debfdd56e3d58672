using System;
using System.Collections.Generic;
using System.IO;
namespace Toolkit.Runtime.Security;

/// <summary>
/// Inputs of <see cref="CredentialDiscovery"/>: explicit paths (step 1) and the environment it consults.
/// The defaults read the real process environment; tests and embedders override them.
/// </summary>
public sealed record CredentialSearchOptions
{
    /// <summary>Explicit proxy file (certificate, key and chain in one file).</summary>
    public string? ProxyPath { get; init; }

    /// <summary>Explicit certificate file; with <see cref="KeyPath"/>, or alone when the file also holds the key.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>Explicit key file.</summary>
    public string? KeyPath { get; init; }

    /// <summary>Reads an environment variable; null uses <see cref="System.Environment.GetEnvironmentVariable(string)"/>.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>The numeric user id for <c>/tmp/x509up_u&lt;uid&gt;</c>; null reads it from the operating system.</summary>
    public long? UserId { get; init; }

    /// <summary>The home directory for <c>~/.globus</c>; null uses <c>HOME</c>.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Directory of the default proxy file. Default <c>/tmp</c>.</summary>
    public string TempDirectory { get; init; } = "/tmp";

    /// <summary>Whether the host certificate is the last step. Default true.</summary>
    public bool IncludeHostCertificate { get; init; } = true;

    /// <summary>Host certificate path. Default <c>/etc/grid-security/hostcert.pem</c>.</summary>
    public string HostCertificatePath { get; init; } = "/etc/grid-security/hostcert.pem";

    /// <summary>Host key path. Default <c>/etc/grid-security/hostkey.pem</c>.</summary>
    public string HostKeyPath { get; init; } = "/etc/grid-security/hostkey.pem";
}
