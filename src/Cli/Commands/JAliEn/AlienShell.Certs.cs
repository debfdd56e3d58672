using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn;
using Toolkit.JAliEn.Connection;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli;

/// <summary>
/// The certificate verbs alienpy runs locally (token-init talks to the server with the user certificate):
/// token-init, token-destroy, token-verify, tokenkey-match, cert-info, cert-verify, certkey-match.
/// </summary>
internal sealed partial class AlienShell
{
    private string Uid => _env.UserId.ToString(CultureInfo.InvariantCulture);

    private string TokenCertValue => _env.Get("JALIEN_TOKEN_CERT") ?? Path.Combine(_env.TempDirectory, "tokencert_" + Uid + ".pem");

    private string TokenKeyValue => _env.Get("JALIEN_TOKEN_KEY") ?? Path.Combine(_env.TempDirectory, "tokenkey_" + Uid + ".pem");

    private string UserCertPath => _env.Get("X509_USER_CERT") ?? Path.Combine(_env.HomeDirectory, ".globus", "usercert.pem");

    private string UserKeyPath => _env.Get("X509_USER_KEY") ?? Path.Combine(_env.HomeDirectory, ".globus", "userkey.pem");

    private static bool IsPemText(string value) => value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal);

    /// <summary>A path's PEM text, or the value itself when it is inline PEM (JALIEN_TOKEN_*).</summary>
    private static string PemOf(string value, string what) =>
        IsPemText(value) ? value : File.Exists(value) ? SecureFile.ReadBoundedText(value, what) : throw new FileNotFoundException(what + " not found: " + value, value);

    private async Task<int> TokenDestroyAsync(TextWriter output)
    {
        foreach (string value in new[] { TokenCertValue, TokenKeyValue }.Where(v => !IsPemText(v)))
        {
            if (File.Exists(value))
            {
                File.Delete(value);
            }
        }
        await output.WriteLineAsync("Token was destroyed! Re-connect for token re-creation.").ConfigureAwait(false);
        return 0;
    }

    private async Task<int> CertInfoAsync(TextWriter output, bool token)
    {
        var certs = X509Credential.ReadCertificates(PemOf(token ? TokenCertValue : UserCertPath, token ? "the token certificate" : "the user certificate"));
        var c = certs[0];
        await output.WriteLineAsync("DN >>> " + DistinguishedNames.ToGridForm(c.SubjectName)).ConfigureAwait(false);
        await output.WriteLineAsync("ISSUER >>> " + DistinguishedNames.ToGridForm(c.IssuerName)).ConfigureAwait(false);
        await output.WriteLineAsync("BEGIN >>> " + c.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        await output.WriteLineAsync("EXPIRE >>> " + c.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        return 0;
    }

    /// <summary>cert-verify / token-verify: the chain against the CAs alienpy would use (ALIENPY_USE_LOCAL_CAS, X509_CERT_DIR, ...).</summary>
    private async Task<int> CertVerifyAsync(TextWriter output, bool token)
    {
        string value = token ? TokenCertValue : UserCertPath;
        var certs = X509Credential.ReadCertificates(PemOf(value, token ? "the token certificate" : "the user certificate"));
        var trust = AlienCredentials.LoadTrust(_env);
        var problems = trust.Validate(certs[0], certs.Skip(1), DateTimeOffset.UtcNow);
        string name = IsPemText(value) ? "(inline PEM)" : value;
        if (problems.Count == 0)
        {
            await output.WriteLineAsync(name + ": OK (verified against " + (trust.Directory ?? "the CA file") + ")").ConfigureAwait(false);
            return 0;
        }
        await _console.Error.WriteLineAsync(TerminalText.Clean(name + ": verification failed: " + string.Join("; ", problems))).ConfigureAwait(false);
        return 1;
    }

    /// <summary>certkey-match / tokenkey-match: the key's public half is the certificate's.</summary>
    private async Task<int> KeyMatchAsync(TextWriter output, bool token)
    {
        var cert = X509Credential.ReadCertificates(PemOf(token ? TokenCertValue : UserCertPath, token ? "the token certificate" : "the user certificate"))[0];
        string keySource = token ? TokenKeyValue : UserKeyPath;
        using var key = PemKeyReader.ReadPrivateKey(PemOf(keySource, token ? "the token key" : "the user key"), _console.AskSecret, IsPemText(keySource) ? "inline PEM" : keySource);
        bool match = key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(cert.PublicKey.ExportSubjectPublicKeyInfo());
        if (match)
        {
            await output.WriteLineAsync((token ? "Token" : "User") + " certificate and key match").ConfigureAwait(false);
            return 0;
        }
        await _console.Error.WriteLineAsync((token ? "Token" : "User") + " certificate and key do NOT match").ConfigureAwait(false);
        return 1;
    }

    /// <summary>
    /// alienpy's <c>token-init [token options]</c>: a session with the user certificate sends <c>token</c>, the certificate
    /// and key are written to the token paths (JALIEN_TOKEN_CERT/KEY or ${TMPDIR}/token{cert,key}_UID.pem, mode 0400),
    /// and the shell's next command reconnects with the new token.
    /// </summary>
    private async Task<int> TokenInitAsync(List<string> args, TextWriter output, CancellationToken ct)
    {
        using var creds = AlienCredentials.Discover(_env, DateTimeOffset.UtcNow, forceUserCertificate: true, _console.AskSecret);
        if (creds.TokenIsInline)
        {
            await _console.Error.WriteLineAsync("error: token-init: JALIEN_TOKEN_CERT/JALIEN_TOKEN_KEY hold inline PEM; unset them to write token files").ConfigureAwait(false);
            return 22;
        }
        var verb = AlienVerbs.Find("token")!;
        AlienResult<IReadOnlyList<TokenRow>> issued;
        await using (var connection = await AlienConnection.ConnectAsync(new AlienConnectionOptions
        {
            Environment = _env, Credentials = creds, RefreshToken = false, Site = _env.Get("ALIEN_SITE"), Passphrase = _console.AskSecret,
            ConnectTries = _env.Count("ALIENPY_CONNECT_TRIES"), NoStagger = _env.IsOn("ALIENPY_NO_STAGGER"),
        }, ct).ConfigureAwait(false))
        {
            var line = verb.BuildArgv(args, AlienPaths.Of(connection));
            issued = await AlienCommandRunner.SendAsync<TokenRow>(connection, line with { Options = [.. line.Options, "-nomsg"] }, AlienErrorMode.Return, ct).ConfigureAwait(false);
        }
        if (!issued.IsSuccess || issued.Rows.Count == 0)
        {
            return await ReportAsync(issued.IsSuccess ? 5 : issued.ExitCode, "token: " + (issued.Error.Length > 0 ? issued.Error : "no certificate in the reply")).ConfigureAwait(false);
        }
        creds.WriteToken(issued.Rows[0].Certificate, issued.Rows[0].PrivateKey);
        if (_connection is not null)
        {
            // The open session still runs on the old credential: the next command connects with the new token.
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
        return await CertInfoAsync(output, token: true).ConfigureAwait(false);
    }
}
