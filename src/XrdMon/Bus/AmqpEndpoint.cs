using System;
using System.IO;
using System.Net.Security;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// A broker address (<c>amqp://</c> or <c>amqps://</c> URL) and how to connect to it. TLS (<c>amqps</c>) verifies the
/// server certificate and its name by default. <see cref="Redacted"/> is the only form of the URL ever written to a
/// log: user and password are replaced by <c>***</c>.
/// </summary>
public sealed partial class AmqpEndpoint
{
    private readonly Uri _uri;

    /// <summary>Parses a broker URL.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="password">A password (token) replacing the URL's, for example read from a 0600 file; null keeps the URL's.</param>
    /// <exception cref="FormatException">Not an <c>amqp</c>/<c>amqps</c> URL with a host.</exception>
    public AmqpEndpoint(string url, string? password = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps") || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("the broker URL must be amqp://[USER:PASSWORD@]HOST[:PORT][/VHOST] or amqps://...: " + RedactText(url));
        }

        _uri = uri;
        Password = password;
        Redacted = RedactText(url);
    }

    /// <summary>The URL with any user information replaced by <c>***</c>.</summary>
    public string Redacted { get; }

    /// <summary>True for <c>amqps</c>.</summary>
    public bool Tls => _uri.Scheme == "amqps";

    /// <summary>Accept a server certificate that fails verification (name or chain). Off by default; for tests only.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>The password replacing the URL's, or null.</summary>
    private string? Password { get; }

    /// <summary>Replaces the user information of a URL-like text with <c>***</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The redacted text.</returns>
    public static string RedactText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = text.LastIndexOf('@');
        int slash = text.IndexOf('/', start);
        if (at >= start && (slash < 0 || at < slash))
        {
            return text[..start] + "***@" + text[(at + 1)..];
        }

        return text;
    }

    /// <summary>Builds the client's connection factory.</summary>
    /// <param name="clientName">Shown in the broker's management UI.</param>
    /// <returns>The factory.</returns>
    public ConnectionFactory CreateFactory(string clientName)
    {
        var factory = new ConnectionFactory
        {
            Uri = _uri,
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
            SocketReadTimeout = TimeSpan.FromSeconds(30),
            SocketWriteTimeout = TimeSpan.FromSeconds(30),
            ContinuationTimeout = TimeSpan.FromSeconds(20),
            HandshakeContinuationTimeout = TimeSpan.FromSeconds(10),
        };
        if (Password is not null)
        {
            factory.Password = Password;
            if (string.IsNullOrEmpty(_uri.UserInfo))
            {
                factory.UserName = "shoveler";
            }
        }

        if (Tls)
        {
            factory.Ssl.Enabled = true;
            factory.Ssl.ServerName = _uri.Host;
            factory.Ssl.AcceptablePolicyErrors = InsecureSkipVerify
                ? SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors
                : SslPolicyErrors.None;
        }

        return factory;
    }

    /// <summary>Connects, with a bound on the whole attempt.</summary>
    /// <param name="clientName">Shown in the broker's management UI.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The connection.</returns>
    public async Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        return await CreateFactory(clientName).CreateConnectionAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Reads a password (token) file, refusing one readable by group or others.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Its first line, trimmed.</returns>
    public static string ReadPasswordFile(string path)
    {
        Toolkit.Runtime.Security.SecureFile.EnsurePrivate(path);
        using var reader = new StreamReader(path);
        return (reader.ReadLine() ?? string.Empty).Trim();
    }

    /// <summary>A one-line description of a broker failure with no URL or credentials in it.</summary>
    /// <param name="e">The failure.</param>
    /// <returns>The text.</returns>
    public string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Exception inner = e;
        while (inner.InnerException is not null && inner is RabbitMQ.Client.Exceptions.BrokerUnreachableException or AggregateException)
        {
            inner = inner.InnerException;
        }

        string message = inner.Message;
        if (_uri.UserInfo.Length > 0)
        {
            message = message.Replace(_uri.UserInfo, "***", StringComparison.Ordinal);
            foreach (string part in _uri.UserInfo.Split(':'))
            {
                if (part.Length >= 3)
                {
                    message = message.Replace(Uri.UnescapeDataString(part), "***", StringComparison.Ordinal);
                }
            }
        }

        if (Password is { Length: >= 3 })
        {
            message = message.Replace(Password, "***", StringComparison.Ordinal);
        }

        // Any other URL with user information in the text (a library may quote one).
        message = UserInfo().Replace(message, "$1***@");
        return inner.GetType().Name + ": " + message.ReplaceLineEndings(" ");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")]
    private static partial System.Text.RegularExpressions.Regex UserInfo();
}
