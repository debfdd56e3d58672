using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore;

/// <summary>UFTP through the site's Auth endpoint (ucc's and PyUNICORE's way when a storage offers <c>UFTP</c>).</summary>
public partial class UnicoreStorage
{
    /// <summary>The <c>serverPath</c> suffix that asks uftpd for a multi-file session in its directory (PyUNICORE's magic name).</summary>
    public const string MultiFileSession = "___UFTP___MULTI___FILE___SESSION___MODE___";

    /// <summary>Whether the storage lists <c>UFTP</c> among its <c>protocols</c>.</summary>
    /// <param name="properties">The storage's properties.</param>
    /// <returns>True when UFTP is offered.</returns>
    public static bool OffersUftp(StorageProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.Protocols?.Any(p => string.Equals(p, "UFTP", StringComparison.OrdinalIgnoreCase)) == true;
    }

    /// <summary>
    /// Finds the UFTP Auth endpoint on the storage's gateway (<c>GET scheme://host:port/rest/auth</c>, authenticated
    /// with the client's credential): the first server whose status is OK (or the one named <paramref name="server"/>).
    /// </summary>
    /// <param name="server">The server name (<c>TEST</c> on the demo server), or null for the first one.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns><c>.../rest/auth/SERVER</c>.</returns>
    /// <exception cref="UftpAuthException">The gateway has no Auth server, or none (with that name) is usable.</exception>
    public virtual async Task<Uri> FindUftpAuthAsync(string? server = null, CancellationToken cancellationToken = default)
    {
        var root = new Uri(Url, "/rest/auth");
        using var info = await new UftpAuthClient(_http.Client).GetInfoAsync(root, cancellationToken).ConfigureAwait(false);
        if (info.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in info.RootElement.EnumerateObject())
            {
                bool ok = p.Value.ValueKind == JsonValueKind.Object
                    && (!p.Value.TryGetProperty("status", out var st) || st.ValueKind != JsonValueKind.String || st.GetString()!.StartsWith("OK", StringComparison.OrdinalIgnoreCase));
                if (p.Name != "client" && ok && (server is null || p.Name == server))
                {
                    return new Uri(root + "/" + Uri.EscapeDataString(p.Name));
                }
            }
        }

        throw new UftpAuthException("the Auth server " + root + " offers " + (server is null ? "no usable UFTP server" : "no server '" + server + "'"));
    }

    /// <summary>
    /// Authenticates a UFTP session whose base directory is this storage's root (its <c>mountPoint</c>), so that
    /// storage paths (without the leading '/') name the same files over UFTP.
    /// </summary>
    /// <param name="authUrl">The Auth endpoint (<c>.../rest/auth/SERVER</c>), or null to find it on the gateway.</param>
    /// <param name="request">Streams, encryption, compression (its <c>ServerPath</c> is replaced), or null for defaults.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The ticket (open sessions with <see cref="UftpTicket.ConnectAsync"/>).</returns>
    /// <exception cref="UnicoreProtocolException">The storage has no <c>mountPoint</c>.</exception>
    public virtual async Task<UftpTicket> AuthenticateUftpAsync(Uri? authUrl = null, UftpAuthRequest? request = null, CancellationToken cancellationToken = default)
    {
        var props = await GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        string mount = props.MountPoint is { Length: > 0 } m ? m.TrimEnd('/') : throw new UnicoreProtocolException("the storage " + Url + " has no 'mountPoint' to base a UFTP session on");
        authUrl ??= await FindUftpAuthAsync(null, cancellationToken).ConfigureAwait(false);
        var req = (request ?? new UftpAuthRequest()) with { ServerPath = mount + "/" + MultiFileSession };
        return await UftpClient.AuthenticateAsync(_http.Client, authUrl, req, _http.Options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads a local file over UFTP (written to a temporary name, verified with HASH). Missing parent directories
    /// are created first over REST, as an HTTP upload's PUT does (uftpd's STOR does not).
    /// </summary>
    /// <param name="localPath">The local file.</param>
    /// <param name="path">The storage path.</param>
    /// <param name="authUrl">The Auth endpoint, or null to find it.</param>
    /// <param name="request">Streams, encryption, compression, or null.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>What was moved.</returns>
    public async Task<UftpTransferResult> UploadUftpAsync(string localPath, string path, Uri? authUrl = null, UftpAuthRequest? request = null, CancellationToken cancellationToken = default)
    {
        string remote = Relative(path);
        if (remote.LastIndexOf('/') is int slash and > 0)
        {
            await MkdirAsync(remote[..slash], cancellationToken).ConfigureAwait(false);
        }

        var ticket = await AuthenticateUftpAsync(authUrl, request, cancellationToken).ConfigureAwait(false);
        var session = await ticket.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await UftpTransfers.UploadAsync(session, localPath, remote, new UftpTransferOptions { Verify = true }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Downloads a file over UFTP (to a <c>.part</c> file renamed at the end, verified with HASH).</summary>
    /// <param name="path">The storage path.</param>
    /// <param name="localPath">The local file.</param>
    /// <param name="authUrl">The Auth endpoint, or null to find it.</param>
    /// <param name="request">Streams, encryption, compression, or null.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>What was moved.</returns>
    public async Task<UftpTransferResult> DownloadUftpAsync(string path, string localPath, Uri? authUrl = null, UftpAuthRequest? request = null, CancellationToken cancellationToken = default)
    {
        var ticket = await AuthenticateUftpAsync(authUrl, request, cancellationToken).ConfigureAwait(false);
        var session = await ticket.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await UftpTransfers.DownloadAsync(session, Relative(path), localPath, new UftpTransferOptions { Verify = true }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Relative(string path) => path.TrimStart('/') is { Length: > 0 } p ? p : throw new ArgumentException("a file path is required", nameof(path));
}
