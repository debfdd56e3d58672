using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Toolkit.Runtime.Security;

/// <summary>
/// Finds the X.509 credential every Toolkit client uses, in one documented order:
/// explicit certificate/key or proxy → <c>X509_USER_PROXY</c> → <c>/tmp/x509up_u&lt;uid&gt;</c> →
/// <c>X509_USER_CERT</c> + <c>X509_USER_KEY</c> → <c>~/.globus/usercert.pem</c> + <c>userkey.pem</c> →
/// host certificate (<c>/etc/grid-security/hostcert.pem</c> + <c>hostkey.pem</c>).
/// </summary>
/// <remarks>
/// A step whose files exist wins (a named but missing file is an error, not a fall-through, for the explicit
/// and variable steps, so typos are reported). Steps with default paths are skipped when their files are absent.
/// </remarks>
public static class CredentialDiscovery
{
    /// <summary>Finds where the credential is, without reading it.</summary>
    /// <param name="options">Explicit paths and environment; null for the process environment.</param>
    /// <returns>The location found.</returns>
    /// <exception cref="CredentialException">Nothing was found (the message lists every place tried), or a named file is missing.</exception>
    public static CredentialLocation Locate(CredentialSearchOptions? options = null)
    {
        options ??= new CredentialSearchOptions();
        var env = options.Environment ?? System.Environment.GetEnvironmentVariable;
        var tried = new List<string>();

        if (options.ProxyPath is not null)
        {
            return Require(new CredentialLocation(options.ProxyPath, options.ProxyPath, CredentialSourceKind.Explicit), "explicit proxy");
        }
        if (options.CertificatePath is not null || options.KeyPath is not null)
        {
            string cert = options.CertificatePath ?? options.KeyPath!;
            return Require(new CredentialLocation(cert, options.KeyPath ?? cert, CredentialSourceKind.Explicit), "explicit certificate/key");
        }
        string? proxyVar = NonEmpty(env("X509_USER_PROXY"));
        if (proxyVar is not null)
        {
            return Require(new CredentialLocation(proxyVar, proxyVar, CredentialSourceKind.UserProxyVariable), "X509_USER_PROXY");
        }
        tried.Add("X509_USER_PROXY (unset)");
        long? uid = options.UserId ?? CurrentUser.UserId;
        if (uid is long u)
        {
            string p = Path.Combine(options.TempDirectory, string.Create(CultureInfo.InvariantCulture, $"x509up_u{u}"));
            if (File.Exists(p))
            {
                return new CredentialLocation(p, p, CredentialSourceKind.DefaultProxyFile);
            }
            tried.Add(p);
        }
        string? certVar = NonEmpty(env("X509_USER_CERT"));
        string? keyVar = NonEmpty(env("X509_USER_KEY"));
        if (certVar is not null || keyVar is not null)
        {
            if (certVar is null || keyVar is null)
            {
                throw new CredentialException("X509_USER_CERT and X509_USER_KEY must be set together");
            }
            return Require(new CredentialLocation(certVar, keyVar, CredentialSourceKind.UserCertificateVariables), "X509_USER_CERT/X509_USER_KEY");
        }
        tried.Add("X509_USER_CERT/X509_USER_KEY (unset)");
        string? home = options.HomeDirectory ?? NonEmpty(env("HOME"));
        if (home is not null)
        {
            string c = Path.Combine(home, ".globus", "usercert.pem");
            string k = Path.Combine(home, ".globus", "userkey.pem");
            if (File.Exists(c) && File.Exists(k))
            {
                return new CredentialLocation(c, k, CredentialSourceKind.GlobusDirectory);
            }
            tried.Add($"{c} + {k}");
        }
        if (options.IncludeHostCertificate)
        {
            if (File.Exists(options.HostCertificatePath) && File.Exists(options.HostKeyPath))
            {
                return new CredentialLocation(options.HostCertificatePath, options.HostKeyPath, CredentialSourceKind.HostCertificate);
            }
            tried.Add($"{options.HostCertificatePath} + {options.HostKeyPath}");
        }
        throw new CredentialException("no X.509 credential found; tried: " + string.Join("; ", tried));
    }

    /// <summary>Finds and loads the credential and checks that it is valid now.</summary>
    /// <param name="options">Explicit paths and environment; null for the process environment.</param>
    /// <param name="passphrase">Called when the key is encrypted; null when none can be asked for.</param>
    /// <param name="timeProvider">Clock for the validity check; null for the system clock.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="CredentialException">Not found, unreadable, too permissive or undecryptable.</exception>
    /// <exception cref="CredentialValidityException">Expired or not yet valid (the message gives the times).</exception>
    public static X509Credential Load(CredentialSearchOptions? options = null, Func<string, string?>? passphrase = null, TimeProvider? timeProvider = null)
    {
        var location = Locate(options);
        var credential = X509Credential.Load(location.CertificatePath, location.KeyPath, passphrase);
        try
        {
            credential.EnsureValid((timeProvider ?? TimeProvider.System).GetUtcNow());
            return credential;
        }
        catch
        {
            credential.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Finds the user's long-term certificate and key, the input of proxy creation (<c>grid-proxy-init</c>): explicit
    /// certificate/key → <c>X509_USER_CERT</c> + <c>X509_USER_KEY</c> → <c>~/.globus/usercert.pem</c> + <c>userkey.pem</c>.
    /// Proxies and the host certificate are not candidates.
    /// </summary>
    /// <param name="options">Explicit paths (<see cref="CredentialSearchOptions.ProxyPath"/> is ignored) and environment; null for the process environment.</param>
    /// <returns>The location found. The <c>~/.globus</c> step is returned even when its files are missing, so loading reports which file.</returns>
    /// <exception cref="CredentialException">Only one of the two variables is set, or no home directory is known.</exception>
    public static CredentialLocation LocateUserCertificate(CredentialSearchOptions? options = null)
    {
        options ??= new CredentialSearchOptions();
        var env = options.Environment ?? System.Environment.GetEnvironmentVariable;
        if (options.CertificatePath is not null || options.KeyPath is not null)
        {
            string cert = options.CertificatePath ?? options.KeyPath!;
            return new CredentialLocation(cert, options.KeyPath ?? cert, CredentialSourceKind.Explicit);
        }
        string? certVar = NonEmpty(env("X509_USER_CERT"));
        string? keyVar = NonEmpty(env("X509_USER_KEY"));
        if (certVar is not null || keyVar is not null)
        {
            if (certVar is null || keyVar is null)
            {
                throw new CredentialException("X509_USER_CERT and X509_USER_KEY must be set together");
            }
            return new CredentialLocation(certVar, keyVar, CredentialSourceKind.UserCertificateVariables);
        }
        string home = options.HomeDirectory ?? NonEmpty(env("HOME"))
            ?? throw new CredentialException("no user certificate: X509_USER_CERT/X509_USER_KEY are unset and HOME is not set");
        return new CredentialLocation(Path.Combine(home, ".globus", "usercert.pem"), Path.Combine(home, ".globus", "userkey.pem"), CredentialSourceKind.GlobusDirectory);
    }

    /// <summary>
    /// The proxy file a new proxy is written to, and read from by default: <c>X509_USER_PROXY</c> when set, else
    /// <c>&lt;temp&gt;/x509up_u&lt;uid&gt;</c> (the file <see cref="Locate"/> looks for).
    /// </summary>
    /// <param name="options">Environment, user id and temporary directory; null for the process's.</param>
    /// <returns>The path (the file need not exist).</returns>
    public static string DefaultProxyPath(CredentialSearchOptions? options = null)
    {
        options ??= new CredentialSearchOptions();
        var env = options.Environment ?? System.Environment.GetEnvironmentVariable;
        if (NonEmpty(env("X509_USER_PROXY")) is { } fromEnv)
        {
            return fromEnv;
        }
        long uid = options.UserId ?? CurrentUser.UserId ?? 0;
        return Path.Combine(options.TempDirectory, string.Create(CultureInfo.InvariantCulture, $"x509up_u{uid}"));
    }

    private static CredentialLocation Require(CredentialLocation location, string what)
    {
        if (!File.Exists(location.CertificatePath))
        {
            throw new CredentialException($"{what}: certificate file does not exist", location.CertificatePath);
        }
        if (!File.Exists(location.KeyPath))
        {
            throw new CredentialException($"{what}: key file does not exist", location.KeyPath);
        }
        return location;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
