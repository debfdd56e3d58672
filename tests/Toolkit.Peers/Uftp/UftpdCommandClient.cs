using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Peers.Uftp;

/// <summary>The Auth server's side of uftpd's command port: one request of <c>key=value</c> lines and <c>END</c>, one reply.</summary>
public static class UftpdCommandClient
{
    /// <summary>Sends a request and returns uftpd's reply text (<c>OK::port</c>, <c>ERROR::msg</c>, or the ping lines).</summary>
    /// <param name="endpoint">uftpd's command endpoint.</param>
    /// <param name="request">The fields, <c>request-type</c> included.</param>
    /// <param name="cancellationToken">Cancels; a 30 s timeout applies anyway.</param>
    /// <returns>The reply, trimmed.</returns>
    public static async Task<string> SendAsync(IPEndPoint endpoint, IEnumerable<KeyValuePair<string, string>> request, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, cts.Token);
        await using var stream = new NetworkStream(socket);
        var sb = new StringBuilder();
        foreach (var (k, v) in request)
        {
            if (k.Contains('\n') || v.Contains('\n'))
            {
                throw new ArgumentException("a command-port field cannot contain a line break");
            }

            sb.Append(k).Append('=').Append(v).Append('\n');
        }

        sb.Append("END\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), cts.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return (await reader.ReadToEndAsync(cts.Token)).Trim();
    }
}
