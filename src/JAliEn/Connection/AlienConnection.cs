using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Security;

namespace Toolkit.JAliEn.Connection;

/// <summary>
/// One websocket session with a JAliEn service: TLS with the token or user certificate, one request in flight at a
/// time (replies are matched by order), websocket pings every <see cref="AlienConnectionOptions.KeepAlive"/>, and
/// transparent recovery when the server closes an idle session (1013) or the socket drops before a reply: it
/// reconnects, re-runs the session start (<c>setSite</c>, <c>cd</c> back to the cwd, the token refresh on the user
/// certificate) and sends the request again. A socket that closes in the middle of a reply is an error, not a retry.
/// </summary>
public sealed partial class AlienConnection : IAlienChannel, IAsyncDisposable
{
    private readonly AlienConnectionOptions _options;
    private readonly AlienCredentials _credentials;
    private readonly bool _ownsCredentials;
    private readonly TrustStore? _trust;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ClientWebSocket? _socket;
    private HttpMessageInvoker? _invoker;
    private string? _tlsProblem;
    private bool _disposed;

    private AlienConnection(AlienConnectionOptions options, AlienEndpoint endpoint, AlienCredentials credentials, bool ownsCredentials, TrustStore? trust)
    {
        _options = options;
        Endpoint = endpoint;
        _credentials = credentials;
        _ownsCredentials = ownsCredentials;
        _trust = trust;
    }

    /// <summary>The endpoint connected to.</summary>
    public AlienEndpoint Endpoint { get; }

    /// <inheritdoc />
    public string CurrentDirectory { get; private set; } = string.Empty;

    /// <inheritdoc />
    public string HomeDirectory { get; private set; } = string.Empty;

    /// <summary>The account the server mapped the certificate to (<c>metadata.user</c>).</summary>
    public string User { get; private set; } = string.Empty;

    /// <summary>The server's commands from <c>commandlist</c> at session start (<c>*_csd</c> names dropped).</summary>
    public IReadOnlySet<string> ServerCommands { get; private set; } = new HashSet<string>();

    /// <summary>True when connected with the token certificate, false with the user certificate.</summary>
    public bool UsesToken => _credentials.IsToken;

    /// <summary>The certificate subject presented.</summary>
    public string CredentialSubject => _credentials.Credential.Subject;

    /// <summary>How many times the session was re-established after the server closed it.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Opens a connection: endpoint selection, credentials, TLS, websocket, session start.</summary>
    /// <param name="options">Settings; null for alienpy's environment variables.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The open connection.</returns>
    /// <exception cref="AlienConnectionException">No attempt succeeded (the message has the last cause), the TLS
    /// handshake failed, or the server refused the certificate (HTTP 401).</exception>
    /// <exception cref="CredentialException">No usable credential or CA directory.</exception>
    public static async Task<AlienConnection> ConnectAsync(AlienConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= AlienConnectionOptions.FromEnvironment(AlienEnvironment.FromProcess());
        var endpoint = options.Endpoint ?? await AlienEndpointResolver.ResolveAsync(options.Environment, cancellationToken: cancellationToken).ConfigureAwait(false);
        options.PhaseCompleted?.Invoke("endpoint " + endpoint);
        bool owns = options.Credentials is null;
        var credentials = options.Credentials
            ?? AlienCredentials.Discover(options.Environment, options.TimeProvider.GetUtcNow(), options.ForceUserCertificate, options.Passphrase);
        options.PhaseCompleted?.Invoke(credentials.IsToken ? "credentials (token certificate)" : "credentials (user certificate)");
        try
        {
            var trust = options.InsecureSkipServerVerification ? null : options.TrustStore ?? AlienCredentials.LoadTrust(options.Environment);
            options.PhaseCompleted?.Invoke("CA certificates");
            var connection = new AlienConnection(options, endpoint, credentials, owns, trust);
            try
            {
                await connection._gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await connection.StartSessionAsync(first: true, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    connection._gate.Release();
                }
                return connection;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch when (owns)
        {
            credentials.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="AlienRequestTooLargeException">The request is over 130 KiB (nothing is sent).</exception>
    /// <exception cref="AlienConnectionException">The send or receive timed out, the socket closed in the middle of the
    /// reply, or the session could not be re-established.</exception>
    /// <exception cref="AlienProtocolException">The reply is not JSON, has no metadata, or a non-numeric exit code.</exception>
    public async Task<ReadOnlyMemory<byte>> SendAsync(AlienCommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        var request = new ArrayBufferWriter<byte>(256);
        AlienWire.Encode(line, request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var replies = await ExchangeWithRecoveryAsync([line], [request.WrittenMemory], cancellationToken).ConfigureAwait(false);
            return replies[0];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Sends several requests back to back and then reads their replies in order (alienpy pipelines <c>commit</c>
    /// batches this way). If the socket closed before the first reply, the whole batch is sent again on a new session.
    /// </summary>
    /// <param name="lines">The requests.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The replies, in the order of <paramref name="lines"/>.</returns>
    public async Task<IReadOnlyList<ReadOnlyMemory<byte>>> SendPipelinedAsync(IReadOnlyList<AlienCommandLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return [];
        }
        var requests = new ReadOnlyMemory<byte>[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            AlienWire.Encode(lines[i], buffer);
            requests[i] = buffer.WrittenMemory;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await ExchangeWithRecoveryAsync(lines, requests, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReadOnlyMemory<byte>[]> ExchangeWithRecoveryAsync(IReadOnlyList<AlienCommandLine> lines, IReadOnlyList<ReadOnlyMemory<byte>> requests, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (_socket is not { State: WebSocketState.Open })
            {
                await ReconnectAsync(cancellationToken).ConfigureAwait(false);
            }
            var replies = await ExchangeAsync(lines, requests, cancellationToken).ConfigureAwait(false);
            if (replies is not null)
            {
                return replies;
            }
            if (attempt >= 2)
            {
                throw new AlienConnectionException($"the server at {Endpoint} closed the session before answering '{lines[0].Command}', three times in a row");
            }
            if (_options.Logger is { } logger && logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("JAliEn session at {Endpoint} was closed by the server; reconnecting", Endpoint);
            }
            await ReconnectAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        DropSocket();
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        Reconnects++;
        await StartSessionAsync(first: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the requests and reads one reply per request. Returns null when the socket was closed before any byte of
    /// the first reply arrived (an idle close or a dropped socket: safe to send again).
    /// </summary>
    private async Task<ReadOnlyMemory<byte>[]?> ExchangeAsync(IReadOnlyList<AlienCommandLine> lines, IReadOnlyList<ReadOnlyMemory<byte>> requests, CancellationToken cancellationToken)
    {
        var socket = _socket!;
        using (var send = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            send.CancelAfter(_options.SendTimeout);
            try
            {
                foreach (var request in requests)
                {
                    await socket.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, send.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is WebSocketException or IOException)
            {
                DropSocket();
                return null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                DropSocket();
                throw new AlienConnectionException(string.Create(CultureInfo.InvariantCulture,
                    $"sending '{lines[0].Command}' to {Endpoint} took longer than {_options.SendTimeout.TotalSeconds:0.#} s"));
            }
            catch (OperationCanceledException)
            {
                DropSocket();
                throw;
            }
        }
        var replies = new ReadOnlyMemory<byte>[requests.Count];
        using var receive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        receive.CancelAfter(_options.ReceiveTimeout);
        for (int i = 0; i < requests.Count; i++)
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.GetMemory(16384), receive.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        string why = Describe(socket);
                        DropSocket();
                        if (i == 0 && buffer.WrittenCount == 0)
                        {
                            return null;
                        }
                        throw MidReply(lines[Math.Min(i, lines.Count - 1)].Command, buffer.WrittenCount, why);
                    }
                    buffer.Advance(result.Count);
                    if (buffer.WrittenCount > _options.MaxReplyBytes)
                    {
                        DropSocket();
                        throw new AlienProtocolException(lines[i].Command,
                            string.Create(CultureInfo.InvariantCulture, $"the reply is over {_options.MaxReplyBytes} bytes (the client's limit)"), "$", _options.MaxReplyBytes);
                    }
                    if (result.EndOfMessage)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or IOException)
            {
                DropSocket();
                if (i == 0 && buffer.WrittenCount == 0)
                {
                    return null;
                }
                throw MidReply(lines[i].Command, buffer.WrittenCount, e.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                DropSocket();
                throw new AlienConnectionException(string.Create(CultureInfo.InvariantCulture,
                    $"no complete reply to '{lines[i].Command}' from {Endpoint} within {_options.ReceiveTimeout.TotalSeconds:0.#} s ({buffer.WrittenCount} bytes received)"));
            }
            catch (OperationCanceledException)
            {
                DropSocket();
                throw;
            }
            var header = AlienWire.ReadHeader(buffer.WrittenSpan, lines[Math.Min(i, lines.Count - 1)].Command);
            Track(header);
            replies[i] = buffer.WrittenMemory;
        }
        return replies;
    }

    private void Track(AlienReplyHeader header)
    {
        if (header.CurrentDirectory.Length > 0)
        {
            CurrentDirectory = header.CurrentDirectory.EndsWith('/') ? header.CurrentDirectory : header.CurrentDirectory + "/";
            if (HomeDirectory.Length == 0)
            {
                HomeDirectory = CurrentDirectory;
            }
        }
        if (header.User.Length > 0)
        {
            User = header.User;
        }
    }

    private AlienConnectionException MidReply(string command, int received, string why) =>
        new(string.Create(CultureInfo.InvariantCulture, $"the connection to {Endpoint} closed in the middle of the reply to '{command}' after {received} bytes ({why}); the command may have run"));

    private static string Describe(ClientWebSocket socket) =>
        socket.CloseStatus is { } status
            ? string.Create(CultureInfo.InvariantCulture, $"close code {(int)status} {socket.CloseStatusDescription}")
            : "closed";

    private void DropSocket()
    {
        _socket?.Abort();
        _socket?.Dispose();
        _socket = null;
        _invoker?.Dispose();
        _invoker = null;
    }

    /// <summary>Closes the websocket (normal closure, 2 s at most) and releases the credential if it was discovered here.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_socket is { State: WebSocketState.Open } socket)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // Closing is best effort.
            }
        }
        DropSocket();
        _gate.Dispose();
        if (_ownsCredentials)
        {
            _credentials.Dispose();
        }
    }
}
