using System;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Security;

namespace Toolkit.JAliEn.Connection;

/// <summary>Settings of an <see cref="AlienConnection"/>. <see cref="FromEnvironment"/> reads alienpy's variables.</summary>
public sealed class AlienConnectionOptions
{
    /// <summary>The environment (variables, temp and home directories, uid).</summary>
    public AlienEnvironment Environment { get; init; } = AlienEnvironment.FromProcess();

    /// <summary>A fixed endpoint; null to choose one with <see cref="AlienEndpointResolver"/>.</summary>
    public AlienEndpoint? Endpoint { get; init; }

    /// <summary>The credentials; null to discover them (<see cref="AlienCredentials.Discover"/>).</summary>
    public AlienCredentials? Credentials { get; init; }

    /// <summary>The CAs the server is verified against; null to look them up (<see cref="AlienCredentials.LoadTrust"/>).</summary>
    public TrustStore? TrustStore { get; init; }

    /// <summary>
    /// Accept any server certificate. Off by default: unlike alienpy, which skips chain verification on token
    /// connections, the chain is verified in both modes. The host name is not checked (the central services' alias is
    /// not in their certificates), as in alienpy.
    /// </summary>
    public bool InsecureSkipServerVerification { get; init; }

    /// <summary>Connect attempts (<c>ALIENPY_CONNECT_TRIES</c>); null for alienpy's default (3, or 2 with a forced stack).</summary>
    public int? ConnectTries { get; init; }

    /// <summary>Pause between attempts (<c>ALIENPY_CONNECT_TRIES_INTERVAL</c>, default 0.3 s).</summary>
    public TimeSpan ConnectTriesInterval { get; init; } = TimeSpan.FromSeconds(0.3);

    /// <summary>Restrict to one address family (<c>ALIENPY_NETWORKSTACK</c>); null for both.</summary>
    public AddressFamily? NetworkStack { get; init; }

    /// <summary>Try addresses one after the other instead of racing them (<c>ALIENPY_NO_STAGGER</c>).</summary>
    public bool NoStagger { get; init; }

    /// <summary>Timeout of one TCP connect to one address.</summary>
    public TimeSpan SocketConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Timeout of the TLS handshake and websocket upgrade (alienpy's open timeout, 5 s).</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of sending one request.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of receiving one whole reply (long <c>find</c>s and <c>ps</c> take time).</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Websocket ping interval and pong timeout (<c>ALIENPY_TIMEOUT</c>, default 20 s).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The largest reply accepted (a bound on memory): 1 GiB.</summary>
    public int MaxReplyBytes { get; init; } = 1 << 30;

    /// <summary>The site sent with <c>setSite</c> after connecting (<c>ALIEN_SITE</c>); null for none.</summary>
    public string? Site { get; init; }

    /// <summary>On the user certificate, ask the server for a token and write it to the token paths (alienpy does). Default true.</summary>
    public bool RefreshToken { get; init; } = true;

    /// <summary>Use the user certificate even when a token is valid (<c>token-init</c>).</summary>
    public bool ForceUserCertificate { get; init; }

    /// <summary>Called for an encrypted user key.</summary>
    public Func<string, string?>? Passphrase { get; init; }

    /// <summary>The <c>User-Agent</c> header; null for <c>toolkit-jalien/&lt;version&gt;</c>.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Where warnings go (never credentials).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// A directory to change to during the session start (the shell's cwd restored from <c>~/.alienpy_session</c>):
    /// its <c>cd</c> goes in the same pipelined batch as <c>commandlist</c>, so the restore costs no round trip of its
    /// own. If the directory is gone, the session starts in the home directory. Null for none.
    /// </summary>
    public string? InitialDirectory { get; init; }

    /// <summary>
    /// Called with the name of each connection phase as it ends (credentials, CAs, TCP, TLS and websocket, session
    /// start), for <c>ALIENPY_TIMECONNECT</c>-style timing; null for none. Never receives secrets.
    /// </summary>
    public Action<string>? PhaseCompleted { get; init; }

    /// <summary>The clock for certificate checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Options from alienpy's variables: <c>ALIENPY_TIMEOUT</c>, <c>ALIENPY_CONNECT_TRIES</c>,
    /// <c>ALIENPY_CONNECT_TRIES_INTERVAL</c>, <c>ALIENPY_NETWORKSTACK</c>, <c>ALIENPY_NO_STAGGER</c>, <c>ALIEN_SITE</c>.</summary>
    /// <param name="environment">The environment.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException"><c>ALIENPY_NETWORKSTACK</c> has a value other than ipv4/v4/4/ipv6/v6/6.</exception>
    public static AlienConnectionOptions FromEnvironment(AlienEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        AddressFamily? stack = environment.Get("ALIENPY_NETWORKSTACK") switch
        {
            null => null,
            "ipv4" or "v4" or "4" => AddressFamily.InterNetwork,
            "ipv6" or "v6" or "6" => AddressFamily.InterNetworkV6,
            var other => throw new ArgumentException($"ALIENPY_NETWORKSTACK is '{other}'; expected ipv4, v4, 4, ipv6, v6 or 6"),
        };
        return new AlienConnectionOptions
        {
            Environment = environment,
            KeepAlive = environment.Seconds("ALIENPY_TIMEOUT", TimeSpan.FromSeconds(20)),
            ConnectTries = environment.Count("ALIENPY_CONNECT_TRIES"),
            ConnectTriesInterval = environment.Seconds("ALIENPY_CONNECT_TRIES_INTERVAL", TimeSpan.FromSeconds(0.3)),
            NetworkStack = stack,
            NoStagger = environment.IsOn("ALIENPY_NO_STAGGER"),
            Site = environment.Get("ALIEN_SITE"),
        };
    }
}
