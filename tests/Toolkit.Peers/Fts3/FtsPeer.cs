using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Security;

namespace Toolkit.Peers.Fts3;

/// <summary>Options of the in-process FTS3 peer.</summary>
public sealed record FtsPeerOptions
{
    /// <summary>TLS: refuse clients without a certificate (true), or let them in as "anon"/token users.</summary>
    public bool RequireClientCertificate { get; init; } = true;

    /// <summary>DNs with the config and admin levels (t_authz_dn).</summary>
    public IReadOnlyCollection<string> Admins { get; init; } = Array.Empty<string>();

    /// <summary>Token providers: issuer (with trailing slash) → the public key that signs its tokens.</summary>
    public IReadOnlyDictionary<string, AsymmetricAlgorithm> Providers { get; init; } = new Dictionary<string, AsymmetricAlgorithm>();

    /// <summary>Authorized audiences of tokens.</summary>
    public IReadOnlyCollection<string> Audiences { get; init; } = new[] { "https://wlcg.cern.ch/jwt/v1/any" };

    /// <summary>The TCP port on 127.0.0.1 (0: any free port).</summary>
    public int Port { get; init; }
}

/// <summary>One request as the peer saw it (for assertions on headers).</summary>
public sealed record PeerRequest(string Method, string Path, string? ContentType, string? Accept, string? UserAgent, string? Authorization, int Status);

/// <summary>
/// A faithful in-process fts-rest 3.13.4 (fts3.md): Kestrel on 127.0.0.1 with TLS requiring client certificates
/// (RFC 3820 proxies accepted, see <see cref="GridTlsMiddleware"/>), the routes, checks and error texts the spec
/// marks [live], and the state in memory.
/// </summary>
public sealed partial class FtsPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FtsPeer(WebApplication app, Uri baseAddress, FtsPeerOptions options, string hostDn)
    {
        _app = app;
        BaseAddress = baseAddress;
        Options = options;
        HostDn = hostDn;
    }

    public Uri BaseAddress { get; }

    public FtsPeerOptions Options { get; }

    public string HostDn { get; }

    public ConcurrentQueue<PeerRequest> Requests { get; } = new();

    /// <summary>Delegated proxies by delegation id: the PEM stored in t_credential (leaf, key, chain) and its end.</summary>
    public ConcurrentDictionary<string, (string Pem, DateTime TerminationTime, string Dn, IReadOnlyList<string> Voms)> Credentials { get; } = new();

    public static async Task<FtsPeer> StartAsync(GridPki pki, FtsPeerOptions? options = null)
    {
        options ??= new FtsPeerOptions();
        var serverCred = X509Credential.Load(pki.ServerCert, pki.ServerKey);
        var validator = new ProxyChainValidator(TrustStore.Load(pki.CertDir));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port, listen =>
        {
            listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
            listen.Use(GridTlsMiddleware.Create(serverCred, validator, options.RequireClientCertificate));
        }));
        var app = builder.Build();
        FtsPeer? peer = null;
        app.Run(ctx => peer!.Handle(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        peer = new FtsPeer(app, new Uri($"https://localhost:{port}/"), options, serverCred.Identity);
        return peer;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
