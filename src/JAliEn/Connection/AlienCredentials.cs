using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Toolkit.Runtime.Security;

namespace Toolkit.JAliEn.Connection;

/// <summary>
/// The credential a JAliEn connection presents and the CAs it trusts, found as alienpy finds them: the token
/// certificate first (<c>JALIEN_TOKEN_CERT</c>/<c>JALIEN_TOKEN_KEY</c>, paths or inline PEM, else
/// <c>${TMPDIR}/token{cert,key}_&lt;uid&gt;.pem</c>) when it has at least 600 s left and its key is readable, else the user
/// certificate (<c>X509_USER_CERT</c>/<c>X509_USER_KEY</c>, else <c>~/.globus/user{cert,key}.pem</c>).
/// </summary>
public sealed class AlienCredentials : IDisposable
{
    /// <summary>The least validity a certificate must have left to be used (alienpy's rule).</summary>
    public static readonly TimeSpan MinimumValidity = TimeSpan.FromSeconds(600);

    private AlienCredentials(X509Credential credential, bool isToken, string tokenCertPath, string tokenKeyPath, bool tokenInline)
    {
        Credential = credential;
        IsToken = isToken;
        TokenCertificatePath = tokenCertPath;
        TokenKeyPath = tokenKeyPath;
        TokenIsInline = tokenInline;
    }

    /// <summary>The certificate and key presented.</summary>
    public X509Credential Credential { get; }

    /// <summary>True when <see cref="Credential"/> is the token certificate; false for the user certificate.</summary>
    public bool IsToken { get; }

    /// <summary>Where the token certificate lives (and where a refreshed one is written).</summary>
    public string TokenCertificatePath { get; }

    /// <summary>Where the token key lives (and where a refreshed one is written).</summary>
    public string TokenKeyPath { get; }

    /// <summary>True when the token came as inline PEM in the environment (a refreshed token is then not written).</summary>
    public bool TokenIsInline { get; }

    /// <summary>Finds the credential.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="now">The current time.</param>
    /// <param name="forceUserCertificate">Skip the token (alienpy's <c>token-init</c>).</param>
    /// <param name="passphrase">Called for an encrypted user key.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="CredentialException">Neither a usable token nor a usable user certificate was found; the
    /// message says what was wrong with each (a <see cref="CredentialValidityException"/> when the only certificate found has expired).</exception>
    public static AlienCredentials Discover(AlienEnvironment environment, DateTimeOffset now, bool forceUserCertificate = false, Func<string, string?>? passphrase = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string uid = environment.UserId.ToString(CultureInfo.InvariantCulture);
        string tokenCertValue = environment.Get("JALIEN_TOKEN_CERT") ?? Path.Combine(environment.TempDirectory, "tokencert_" + uid + ".pem");
        string tokenKeyValue = environment.Get("JALIEN_TOKEN_KEY") ?? Path.Combine(environment.TempDirectory, "tokenkey_" + uid + ".pem");
        bool inline = IsPem(tokenCertValue) || IsPem(tokenKeyValue);
        string tokenCertPath = IsPem(tokenCertValue) ? Path.Combine(environment.TempDirectory, "tokencert_" + uid + ".pem") : tokenCertValue;
        string tokenKeyPath = IsPem(tokenKeyValue) ? Path.Combine(environment.TempDirectory, "tokenkey_" + uid + ".pem") : tokenKeyValue;

        string? tokenProblem = null;
        CredentialValidityException? expired = null;
        if (!forceUserCertificate)
        {
            X509Credential? token = null;
            try
            {
                token = LoadToken(tokenCertValue, tokenKeyValue);
                if (token is not null)
                {
                    if (token.NotAfter - now >= MinimumValidity && token.NotBefore <= now)
                    {
                        return new AlienCredentials(token, isToken: true, tokenCertPath, tokenKeyPath, inline);
                    }
                    expired = new CredentialValidityException(token.Subject, token.NotBefore, token.NotAfter, now, Describe(tokenCertValue));
                    tokenProblem = string.Create(CultureInfo.InvariantCulture, $"the token certificate {Describe(tokenCertValue)} has less than {MinimumValidity.TotalSeconds:0} s left (valid until {token.NotAfter:u})");
                    token.Dispose();
                }
                else
                {
                    tokenProblem = "no token certificate at " + tokenCertValue;
                }
            }
            catch (CredentialException e)
            {
                token?.Dispose();
                // A key readable by others is a refusal, not a reason to fall back silently.
                if (e.Message.Contains("group or others", StringComparison.Ordinal))
                {
                    throw;
                }
                tokenProblem = "the token certificate is not usable: " + e.Message;
            }
        }

        string userCert = environment.Get("X509_USER_CERT") ?? Path.Combine(environment.HomeDirectory, ".globus", "usercert.pem");
        string userKey = environment.Get("X509_USER_KEY") ?? Path.Combine(environment.HomeDirectory, ".globus", "userkey.pem");
        if (!File.Exists(userCert))
        {
            string message = (tokenProblem is null ? string.Empty : tokenProblem + "; ") + "no user certificate at " + userCert
                + " (set X509_USER_CERT/X509_USER_KEY or JALIEN_TOKEN_CERT/JALIEN_TOKEN_KEY)";
            if (expired is not null)
            {
                throw new CredentialException(message, expired.Source, expired);
            }
            throw new CredentialException(message);
        }
        var user = X509Credential.Load(userCert, userKey, passphrase);
        if (user.NotAfter - now < MinimumValidity || user.NotBefore > now)
        {
            var e = new CredentialValidityException(user.Subject, user.NotBefore, user.NotAfter, now, userCert);
            user.Dispose();
            throw e;
        }
        return new AlienCredentials(user, isToken: false, tokenCertPath, tokenKeyPath, inline);
    }

    /// <summary>Writes a token issued by the server (<c>token</c>'s <c>tokencert</c>/<c>tokenkey</c>) to the token paths with mode 0400.</summary>
    /// <param name="certificatePem">The certificate PEM.</param>
    /// <param name="keyPem">The key PEM.</param>
    public void WriteToken(string certificatePem, string keyPem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(keyPem);
        if (TokenIsInline)
        {
            return;
        }
        WriteReadOnly(TokenCertificatePath, certificatePem);
        WriteReadOnly(TokenKeyPath, keyPem);
    }

    private static void WriteReadOnly(string path, string text)
    {
        if (OperatingSystem.IsWindows())
        {
            SecureFile.WriteAllText(path, text);
            return;
        }
        if (File.Exists(path))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        SecureFile.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
    }

    private static bool IsPem(string value) => value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal);

    private static string Describe(string value) => IsPem(value) ? "(inline PEM in JALIEN_TOKEN_CERT)" : value;

    private static X509Credential? LoadToken(string certValue, string keyValue)
    {
        if (IsPem(certValue) || IsPem(keyValue))
        {
            string cert = IsPem(certValue) ? certValue : File.Exists(certValue) ? SecureFile.ReadBoundedText(certValue, "the token certificate") : string.Empty;
            string key = IsPem(keyValue) ? keyValue : File.Exists(keyValue) ? SecureFile.ReadBoundedText(keyValue, "the token key") : string.Empty;
            if (cert.Length == 0 || key.Length == 0)
            {
                return null;
            }
            return X509Credential.FromPem(cert + "\n" + key, source: "JALIEN_TOKEN_CERT/JALIEN_TOKEN_KEY");
        }
        if (!File.Exists(certValue) || !File.Exists(keyValue))
        {
            return null;
        }
        return X509Credential.Load(certValue, keyValue);
    }

    /// <summary>
    /// The CAs to verify the server against, in alienpy's order: <c>ALIENPY_USE_LOCAL_CAS</c> (a directory, or
    /// <c>~/.globus/certificates</c>), <c>X509_CERT_DIR</c>, <c>X509_CERT_FILE</c>, the ALICE CVMFS directory,
    /// <c>/etc/grid-security/certificates</c>.
    /// </summary>
    /// <param name="environment">The environment.</param>
    /// <returns>The trust store.</returns>
    /// <exception cref="CredentialException">No CA directory or file was found (the message lists where it looked).</exception>
    public static TrustStore LoadTrust(AlienEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Get("ALIENPY_USE_LOCAL_CAS") is { } local)
        {
            string dir = Directory.Exists(local) ? local : Path.Combine(environment.HomeDirectory, ".globus", "certificates");
            return TrustStore.Load(dir);
        }
        if (environment.Get("X509_CERT_DIR") is { } certDir)
        {
            return TrustStore.Load(certDir);
        }
        if (environment.Get("X509_CERT_FILE") is { } certFile)
        {
            return TrustStore.FromCertificates(X509Credential.ReadCertificateFile(certFile));
        }
        string[] candidates = ["/cvmfs/alice.cern.ch/etc/grid-security/certificates", "/Users/Shared/cvmfs/alice.cern.ch/etc/grid-security/certificates", TrustStore.DefaultDirectory];
        foreach (var dir in candidates.Where(Directory.Exists))
        {
            return TrustStore.Load(dir);
        }
        throw new CredentialException("no CA certificates found (looked at ALIENPY_USE_LOCAL_CAS, X509_CERT_DIR, X509_CERT_FILE, "
            + string.Join(", ", candidates) + "); install the grid CAs or point X509_CERT_DIR at them");
    }

    /// <inheritdoc />
    public void Dispose() => Credential.Dispose();
}
