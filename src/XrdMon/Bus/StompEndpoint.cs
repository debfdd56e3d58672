using System;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// A STOMP broker address: <c>stomp://[USER[:PASSWORD]@]HOST[:PORT][/VHOST]</c>, or <c>stomp+ssl://</c> (also
/// <c>stomps://</c>) for TLS, whose server certificate and name are verified (no switch turns that off). The port
/// defaults to 61613 (61614 with TLS); the virtual host (sent in the <c>host</c> header) to <c>/</c>.
/// <see cref="Redacted"/> is the only form of the URL ever written to a log.
/// </summary>
public sealed class StompEndpoint
{
    private readonly string? _userInfo;

    /// <summary>Parses a broker URL.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="password">A password (token) replacing the URL's, for example read from a 0600 file; null keeps the URL's.</param>
    /// <exception cref="FormatException">Not a STOMP URL with a host.</exception>
    public StompEndpoint(string url, string? password = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("stomp" or "stomp+ssl" or "stomps") || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("the STOMP URL must be stomp://[USER:PASSWORD@]HOST[:PORT][/VHOST] or stomp+ssl://...: " + AmqpEndpoint.RedactText(url));
        }

        Tls = uri.Scheme != "stomp";
        Host = uri.IdnHost;
        Port = uri.IsDefaultPort || uri.Port < 0 ? (Tls ? 61614 : 61613) : uri.Port;
        string path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        VirtualHost = path.Length == 0 ? "/" : path;
        _userInfo = uri.UserInfo.Length > 0 ? uri.UserInfo : null;
        if (_userInfo is not null)
        {
            int colon = _userInfo.IndexOf(':', StringComparison.Ordinal);
            Login = Uri.UnescapeDataString(colon < 0 ? _userInfo : _userInfo[..colon]);
            Passcode = colon < 0 ? null : Uri.UnescapeDataString(_userInfo[(colon + 1)..]);
        }

        if (password is not null)
        {
            Passcode = password;
            Login ??= "shoveler";
        }

        Redacted = AmqpEndpoint.RedactText(url);
    }

    /// <summary>The URL with any user information replaced by <c>***</c>.</summary>
    public string Redacted { get; }

    /// <summary>The host.</summary>
    public string Host { get; }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>True for <c>stomp+ssl</c> / <c>stomps</c>.</summary>
    public bool Tls { get; }

    /// <summary>The <c>host</c> header of CONNECT: the broker's virtual host.</summary>
    public string VirtualHost { get; }

    /// <summary>The <c>login</c> header, or null.</summary>
    public string? Login { get; }

    /// <summary>The <c>passcode</c> header, or null (never logged).</summary>
    internal string? Passcode { get; }

    /// <summary>A client certificate (with its key) presented on TLS, as the OSG shoveler's <c>stomp.cert</c>/<c>certkey</c>.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>A one-line description of a failure with no URL credentials or passcode in it.</summary>
    /// <param name="e">The failure.</param>
    /// <returns>The text.</returns>
    public string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string message = e.Message;
        foreach (string? secret in new[] { _userInfo, Passcode, _userInfo is null ? null : Uri.UnescapeDataString(_userInfo) })
        {
            if (secret is { Length: >= 3 })
            {
                message = message.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return e.GetType().Name + ": " + message.ReplaceLineEndings(" ");
    }
}
