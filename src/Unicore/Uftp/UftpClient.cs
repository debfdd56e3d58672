using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// The usual way in: authenticate at the Auth server, then log in to uftpd with the secret. With a persistent
/// request (the default, as in pyuftp) <see cref="UftpTicket.ConnectAsync"/> may open several sessions, one per
/// parallel file.
/// </summary>
public static class UftpClient
{
    /// <summary>Authenticates (<c>POST authUrl</c>) and returns the ticket for uftpd.</summary>
    /// <param name="http">The caller's HttpClient with credentials (not disposed here).</param>
    /// <param name="authUrl">The Auth endpoint, e.g. <c>https://host:9000/rest/auth/TEST</c>.</param>
    /// <param name="request">Base directory, streams, encryption, compression.</param>
    /// <param name="timeout">The socket timeout for the sessions, or null for 60 s.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The ticket.</returns>
    public static async Task<UftpTicket> AuthenticateAsync(HttpClient http, Uri authUrl, UftpAuthRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var response = await new UftpAuthClient(http).AuthenticateAsync(authUrl, request, cancellationToken).ConfigureAwait(false);
        return new UftpTicket(response, request.ToSessionOptions(timeout));
    }

    /// <summary>Authenticates and opens one session.</summary>
    /// <param name="http">The caller's HttpClient with credentials (not disposed here).</param>
    /// <param name="authUrl">The Auth endpoint.</param>
    /// <param name="request">Base directory, streams, encryption, compression.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The session.</returns>
    public static async Task<UftpSession> ConnectAsync(HttpClient http, Uri authUrl, UftpAuthRequest request, CancellationToken cancellationToken = default)
    {
        var ticket = await AuthenticateAsync(http, authUrl, request, null, cancellationToken).ConfigureAwait(false);
        return await ticket.ConnectAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>An authenticated UFTP session request: uftpd's address, the secret, and the matching session options.</summary>
/// <param name="Server">Where uftpd listens and the secret.</param>
/// <param name="Options">The options that match the auth request.</param>
public sealed record UftpTicket(UftpAuthResponse Server, UftpSessionOptions Options)
{
    /// <summary>Logs in to uftpd.</summary>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The session.</returns>
    public Task<UftpSession> ConnectAsync(CancellationToken cancellationToken = default)
        => UftpSession.ConnectAsync(Server.ServerHost, Server.ServerPort, Server.Secret, Options, cancellationToken);
}
