using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolkit.Peers.Uftp;

/// <summary>A uftpd peer plus an Auth server (Kestrel, plain HTTP) with <c>/rest/auth/TEST</c>, in process.</summary>
public sealed class UftpPeerHost : IAsyncDisposable
{
    private WebApplication? _app;

    private UftpPeerHost(UftpdPeer uftpd) => Uftpd = uftpd;

    /// <summary>The uftpd peer.</summary>
    public UftpdPeer Uftpd { get; }

    /// <summary>The auth endpoint settings (issue tokens with it).</summary>
    public UftpAuthEndpoint Auth { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:PORT/rest/auth/TEST</c>.</summary>
    public Uri AuthUrl { get; private set; } = null!;

    /// <summary>Starts uftpd and the Auth server.</summary>
    /// <param name="uftpd">The uftpd peer (not started yet).</param>
    /// <param name="users">Users and passwords.</param>
    /// <param name="authPort">The HTTP port, 0 for any.</param>
    /// <returns>The host.</returns>
    public static async Task<UftpPeerHost> StartAsync(UftpdPeer uftpd, IReadOnlyDictionary<string, string> users, int authPort = 0)
    {
        ArgumentNullException.ThrowIfNull(uftpd);
        uftpd.Start();
        var host = new UftpPeerHost(uftpd);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(uftpd.Address, authPort));
        var app = builder.Build();
        host.Auth = UftpAuthEndpoint.Map(app, new UftpAuthEndpoint { Uftpd = uftpd.CommandEndpoint, ListenHost = uftpd.ListenEndpoint.Address.ToString(), Users = users });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        host.AuthUrl = new Uri($"http://{uftpd.Address}:{address.Port}/rest/auth/TEST");
        host._app = app;
        return host;
    }

    /// <summary>Stops both.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await Uftpd.DisposeAsync();
    }
}
