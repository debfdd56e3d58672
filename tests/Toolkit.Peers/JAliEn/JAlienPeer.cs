using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Security;

namespace Toolkit.Peers.JAliEn;

/// <summary>Options of <see cref="JAlienPeer"/>.</summary>
public sealed class JAlienPeerOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    public int Port { get; init; }

    /// <summary>The server certificate (PEM) and key.</summary>
    public required string CertificatePath { get; init; }

    public required string KeyPath { get; init; }

    /// <summary>The CA directory client certificates are checked against.</summary>
    public required string CaDirectory { get; init; }

    /// <summary>The CA certificate and key used to issue token certificates (<c>token</c>); null: <c>token</c> answers EPERM.</summary>
    public string? CaCertificatePath { get; init; }

    public string? CaKeyPath { get; init; }

    /// <summary>Certificate DN (grid form, /DC=.../CN=...) → account. An unmapped DN gets HTTP 401.</summary>
    public Dictionary<string, string> Accounts { get; } = new(StringComparer.Ordinal);

    /// <summary>The storage elements: name → root URL prefix of a real xrootd (for example root://127.0.0.1:1094//se1).</summary>
    public Dictionary<string, string> StorageElements { get; } = new(StringComparer.Ordinal);

    /// <summary>A session with no message for this long is closed with 1013 "Session timed out" (JAliEn: 15 min).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Requests over this size get EINVAL "Message too big" (JAliEn: 130 KiB).</summary>
    public int MaxRequestBytes { get; init; } = 130 * 1024;
}

/// <summary>
/// A faithful JAliEn central service for tests (the March 2024 server, docs/jalien.md): a Kestrel websocket at
/// <c>/websocket/json</c>, TLS 1.2 only with a client certificate that is required and checked against a CA
/// directory, DN → account mapping (401 for an unmapped DN), an in-memory catalogue, the commands alienpy uses with
/// JAliEn's reply shapes and errno codes, the 130 KiB request cap, and the 1013 close of idle sessions. <c>access</c>
/// hands out URLs on real xrootd servers; the envelope is opaque (a plain xrootd does not check it).
/// </summary>
public sealed class JAlienPeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TrustStore _trust;
    private readonly Lazy<RSA> _tokenKey = new(() => RSA.Create(2048));
    private readonly ConcurrentDictionary<string, string> _tokenAccounts = new(StringComparer.Ordinal);

    private JAlienPeer(JAlienPeerOptions options, WebApplication app, TrustStore trust)
    {
        Options = options;
        _app = app;
        _trust = trust;
    }

    public JAlienPeerOptions Options { get; }

    public JAlienCatalogue Catalogue { get; } = new();

    /// <summary>The task queue (submit, ps, kill, jquota).</summary>
    public JAlienJobs Jobs { get; } = new();

    /// <summary>Envelopes handed out by <c>access write</c> and not yet committed: envelope → (lfn, guid, se, pfn).</summary>
    internal ConcurrentDictionary<string, (string Lfn, Guid Guid, string Se, string Pfn, long Size, string Md5)> Envelopes { get; } = new(StringComparer.Ordinal);

    public int Port { get; private set; }

    /// <summary>Every request received, in order (command and options), for tests.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Sessions accepted so far.</summary>
    public int SessionsOpened => _sessions;

    private int _sessions;

    private readonly ConcurrentDictionary<WebSocket, bool> _live = new();

    /// <summary>Cuts every open session at the TCP level, with no close frame (a lost connection, for tests); returns how many.</summary>
    public int AbortSessions()
    {
        int n = 0;
        foreach (var socket in _live.Keys)
        {
            socket.Abort();
            n++;
        }
        return n;
    }

    /// <summary>When set, the next request gets this raw text as its reply (one-shot; for the bad-input tests).</summary>
    public string? NextRawReply { get; set; }

    /// <summary>When set, the next request gets no reply at all (the session waits until the client goes away).</summary>
    public bool StallNextReply { get; set; }

    /// <summary>When set, the next reply is cut after this many bytes and the socket is dropped.</summary>
    public int? DropNextReplyAfter { get; set; }

    public static async Task<JAlienPeer> StartAsync(JAlienPeerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var trust = TrustStore.Load(options.CaDirectory);
        var certificate = X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        JAlienPeer? peer = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Address, options.Port, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            https.SslProtocols = SslProtocols.Tls12;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (cert, _, _) => trust.Validate(cert, [], DateTimeOffset.UtcNow).Count == 0;
        })));
        var app = builder.Build();
        peer = new JAlienPeer(options, app, trust);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/websocket/json", peer.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peer.Port = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        return peer;
    }

    /// <summary>Adds an account with its home directory.</summary>
    public void AddAccount(string dn, string user)
    {
        Options.Accounts[dn] = user;
        Catalogue.MakeDirectories(HomeOf(user), user);
    }

    public static string HomeOf(string user) => "/alice/cern.ch/user/" + user[0] + "/" + user + "/";

    internal string? AccountOf(string dn) =>
        Options.Accounts.TryGetValue(dn, out var user) ? user : _tokenAccounts.GetValueOrDefault(dn);

    private async Task HandleAsync(HttpContext context)
    {
        var cert = await context.Connection.GetClientCertificateAsync().ConfigureAwait(false);
        string? user = cert is null ? null : AccountOf(DistinguishedNames.ToGridForm(cert.SubjectName));
        if (user is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _sessions);
        _live[socket] = true;
        try
        {
            var session = new JAlienSession(this, user);
            await session.RunAsync(socket, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            _live.TryRemove(socket, out _);
        }
    }

    /// <summary>Issues a token certificate for <paramref name="user"/> signed by the CA (<paramref name="days"/> days), and maps its DN to the user.</summary>
    internal (string Cert, string Key, string Dn, DateTimeOffset NotAfter)? IssueToken(string user, int days = 1, string type = "user", string? extension = null)
    {
        if (Options.CaCertificatePath is null || Options.CaKeyPath is null)
        {
            return null;
        }
        using var ca = X509Certificate2.CreateFromPemFile(Options.CaCertificatePath, Options.CaKeyPath);
        // One RSA key for every token this peer issues: key generation is slow on small machines, and the tests
        // care about the certificate, its DN and validity, not about fresh keys.
        var key = _tokenKey.Value;
        string dn = type switch
        {
            "host" => "CN=" + extension + ", OU=token-host",
            "job" => "CN=Jobs, CN=" + user + ", OU=" + extension,
            "jobagent" => "CN=JobAgent, OU=token-" + Guid.NewGuid().ToString("N")[..8],
            _ => "CN=Users, CN=" + user + ", OU=token-" + Guid.NewGuid().ToString("N")[..8],
        };
        var request = new CertificateRequest(dn, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5) < ca.NotBefore ? new DateTimeOffset(ca.NotBefore.ToUniversalTime()) : DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(days) > ca.NotAfter ? new DateTimeOffset(ca.NotAfter.ToUniversalTime()) : DateTimeOffset.UtcNow.AddDays(days);
        using var issued = request.Create(ca, notBefore, notAfter, serial);
        _tokenAccounts[DistinguishedNames.ToGridForm(issued.SubjectName)] = user;
        return (issued.ExportCertificatePem(), key.ExportRSAPrivateKeyPem(), DistinguishedNames.ToGridForm(issued.SubjectName), notAfter);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
