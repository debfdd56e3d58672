using System;
using System.IO;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Toolkit.Peers.Uftp;

namespace Toolkit.Peers.Unicore;

public sealed partial class UnicorePeer
{
    /// <summary>The uftpd peer serving <see cref="Root"/> when <see cref="UnicorePeerOptions.Uftp"/> is on (after start), else null.</summary>
    public UftpdPeer? Uftpd { get; private set; }

    /// <summary>The UFTP Auth endpoint (issue tokens with it), or null.</summary>
    public UftpAuthEndpoint? UftpAuth { get; private set; }

    /// <summary><c>BASE/rest/auth/TEST</c>, where the site's UFTP sessions are handed out (only with <see cref="UnicorePeerOptions.Uftp"/>).</summary>
    public Uri UftpAuthUrl => new(BaseUrl, "/rest/auth/TEST");

    /// <summary>
    /// Starts uftpd on <see cref="Root"/> and maps the Auth endpoint of tests/Toolkit.Peers/Uftp on this app. A
    /// <c>serverPath</c> under <see cref="Root"/> (a storage's <c>mountPoint</c>, as a real site's uftpd sees the
    /// file system) becomes the path inside uftpd's root; other paths stay relative to that root.
    /// </summary>
    private void MapUftp(WebApplication app)
    {
        var address = _options.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : _options.Address;
        var uftpd = new UftpdPeer { Root = Root, Address = address, ListenPort = _options.UftpPorts.Listen, CommandPort = _options.UftpPorts.Command };
        uftpd.Start();
        Uftpd = uftpd;
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Root));
        UftpAuth = UftpAuthEndpoint.Map(app, new UftpAuthEndpoint
        {
            Uftpd = uftpd.CommandEndpoint,
            ListenHost = uftpd.ListenEndpoint.Address.ToString(),
            Users = _options.Users,
            MapPath = (_, path) => path == root ? "/" : path.StartsWith(root + "/", StringComparison.Ordinal) ? path[root.Length..] : path,
        });
    }
}
