using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Security;

namespace Toolkit.Unicore;

/// <summary>
/// How a <see cref="UnicoreClient"/> authenticates (PyUNICORE's <c>credentials</c> module): username and password
/// (Basic), a bearer token with an optional refresh callback, a JWT signed with the user's own key (RS256/ES256),
/// or nothing (anonymous, which <see cref="UnicoreClient.ConnectAsync"/> refuses). Each becomes one of Runtime's
/// authentication handlers; no credential is ever logged.
/// </summary>
public abstract class UnicoreCredential
{
    private protected UnicoreCredential()
    {
    }

    /// <summary>No credential: the server treats the calls as anonymous.</summary>
    public static UnicoreCredential Anonymous { get; } = new AnonymousCredential();

    /// <summary>What the credential is, for messages (never the secret).</summary>
    public abstract string Description { get; }

    /// <summary>Username and password, sent as <c>Authorization: Basic</c>.</summary>
    /// <param name="userName">The user name (no ':').</param>
    /// <param name="password">The password.</param>
    /// <returns>The credential.</returns>
    public static UnicoreCredential Basic(string userName, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(password);
        if (userName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("a UNICORE user name cannot contain ':'", nameof(userName));
        }

        return new BasicCredential(userName, password);
    }

    /// <summary>An OIDC or other bearer token; <paramref name="refresh"/> is called when it expires within a minute or the server answers 401.</summary>
    /// <param name="token">The token.</param>
    /// <param name="refresh">Returns a fresh token, or null for none.</param>
    /// <returns>The credential.</returns>
    public static UnicoreCredential Bearer(string token, Func<CancellationToken, Task<string>>? refresh = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return new BearerCredential(token, refresh);
    }

    /// <summary>
    /// A JWT signed with the user's private key, minted afresh for every request (PyUNICORE's <c>JWTToken</c>):
    /// claims <c>sub</c>, <c>iss</c> (default the subject), <c>iat</c>, <c>exp = iat + lifetime</c> and
    /// <c>etd</c> ("false" unless <paramref name="delegation"/>). RSA keys sign RS256, EC P-256 keys ES256.
    /// </summary>
    /// <param name="subject">User name or X.500 DN.</param>
    /// <param name="key">An RSA or EC private key (the credential keeps it; dispose it after the client).</param>
    /// <param name="lifetime">Token lifetime; default 300 s.</param>
    /// <param name="issuer">Issuer; null for the subject.</param>
    /// <param name="delegation">The <c>etd</c> claim ("true" asks the server for trust delegation).</param>
    /// <param name="timeProvider">Clock (tests).</param>
    /// <returns>The credential.</returns>
    public static UnicoreCredential Jwt(string subject, AsymmetricAlgorithm key, TimeSpan? lifetime = null, string? issuer = null, bool delegation = false, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(key);
        _ = JwtSigner.AlgorithmFor(key);
        return new JwtCredential(subject, key, lifetime ?? TimeSpan.FromSeconds(300), issuer, delegation, timeProvider ?? TimeProvider.System);
    }

    /// <summary>
    /// <see cref="Jwt"/> with the key read from a file: PEM (PKCS#1, SEC 1, PKCS#8, encrypted PKCS#8 or legacy
    /// encrypted PEM) or an unencrypted OpenSSH private key (RSA or ECDSA P-256). The file must be private (0600).
    /// </summary>
    /// <param name="subject">User name or X.500 DN.</param>
    /// <param name="keyFile">Path of the key.</param>
    /// <param name="passphrase">Asked with a prompt when the PEM key is encrypted.</param>
    /// <param name="lifetime">Token lifetime; default 300 s.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="CredentialException">The file is missing, not private, or holds no usable key.</exception>
    public static UnicoreCredential JwtFromKeyFile(string subject, string keyFile, Func<string, string?>? passphrase = null, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyFile);
        if (!File.Exists(keyFile))
        {
            throw new CredentialException("no such key file", keyFile);
        }

        SecureFile.EnsurePrivate(keyFile);
        var text = File.ReadAllText(keyFile);
        var key = text.Contains("BEGIN OPENSSH PRIVATE KEY", StringComparison.Ordinal)
            ? OpenSshKeyReader.Read(text, keyFile)
            : PemKeyReader.ReadPrivateKey(text, passphrase, keyFile);
        return Jwt(subject, key, lifetime);
    }

    internal abstract DelegatingHandler? CreateHandler();

    private sealed class AnonymousCredential : UnicoreCredential
    {
        public override string Description => "anonymous";

        internal override DelegatingHandler? CreateHandler() => null;
    }

    private sealed class BasicCredential(string user, string password) : UnicoreCredential
    {
        public override string Description => "user " + user + " (password)";

        internal override DelegatingHandler CreateHandler() => new BasicAuthHandler(user, password);
    }

    private sealed class BearerCredential(string token, Func<CancellationToken, Task<string>>? refresh) : UnicoreCredential
    {
        public override string Description => "bearer token";

        internal override DelegatingHandler CreateHandler() => new BearerTokenHandler(
            new BearerToken(token, "UNICORE options"),
            refresh is null ? null : async ct => new BearerToken(await refresh(ct).ConfigureAwait(false), "refresh callback"));
    }

    private sealed class JwtCredential(string subject, AsymmetricAlgorithm key, TimeSpan lifetime, string? issuer, bool delegation, TimeProvider time) : UnicoreCredential
    {
        public override string Description => "signed JWT for " + subject + " (" + JwtSigner.AlgorithmFor(key) + ")";

        internal override DelegatingHandler CreateHandler() => new BearerTokenHandler(() => new BearerToken(Mint(), "signed JWT"));

        private string Mint() => JwtSigner.CreateShortLived(key, subject, lifetime, issuer,
            new List<KeyValuePair<string, object?>> { new("etd", delegation ? "true" : "false") }, time);
    }
}
