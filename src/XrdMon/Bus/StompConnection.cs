using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// A STOMP 1.2 client connection for publishing: CONNECT with login, passcode, virtual host and heart-beats, SEND
/// frames each with a <c>receipt</c> header whose RECEIPT completes the task <see cref="SendAsync"/> returns (at least
/// once: a send is done only when its receipt came), heart-beats both ways (a broker silent for twice its interval
/// closes the connection), and a bounded frame size. An ERROR frame fails every pending receipt and closes the
/// connection. Credentials are sent in the CONNECT frame only and never appear in an exception text.
/// </summary>
public sealed class StompConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly StompOptions _options;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _receipts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closed = new();
    private readonly ArrayBufferWriter<byte> _frame = new(4096);
    private byte[] _in = new byte[65536];
    private int _inCount;
    private long _lastRead, _lastWrite, _receiptSeq;
    private Task _reader = Task.CompletedTask, _heartbeat = Task.CompletedTask;
    private Exception? _failure;

    private StompConnection(TcpClient tcp, Stream stream, StompOptions options)
    {
        _tcp = tcp;
        _stream = stream;
        _options = options;
        _lastRead = _lastWrite = Stopwatch.GetTimestamp();
    }

    /// <summary>The interval at which this client sends heart-beats (zero: none), as negotiated.</summary>
    public TimeSpan SendHeartBeat { get; private set; }

    /// <summary>The interval at which the broker sends heart-beats (zero: none), as negotiated.</summary>
    public TimeSpan ReceiveHeartBeat { get; private set; }

    /// <summary>The broker's <c>server</c> header.</summary>
    public string? Server { get; private set; }

    /// <summary>False once the connection failed or was closed.</summary>
    public bool IsOpen => !_closed.IsCancellationRequested;

    /// <summary>Why the connection closed, if it failed.</summary>
    public Exception? Failure => _failure;

    /// <summary>Connects, negotiates STOMP 1.2 and starts the reader and heart-beats.</summary>
    /// <param name="endpoint">The broker.</param>
    /// <param name="options">Timeouts (null: defaults).</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="StompErrorException">The broker refused the CONNECT (for example a bad login).</exception>
    public static async Task<StompConnection> ConnectAsync(StompEndpoint endpoint, StompOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new StompOptions();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var tcp = new TcpClient { NoDelay = true };
        StompConnection? connection = null;
        try
        {
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token).ConfigureAwait(false);
            Stream stream = tcp.GetStream();
            if (endpoint.Tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                var auth = new SslClientAuthenticationOptions
                {
                    TargetHost = endpoint.Host,
                    EnabledSslProtocols = SslProtocols.None,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    ClientCertificates = endpoint.ClientCertificate is null ? null : new X509CertificateCollection { endpoint.ClientCertificate },
                };
                await ssl.AuthenticateAsClientAsync(auth, timeout.Token).ConfigureAwait(false);
            }

            connection = new StompConnection(tcp, stream, options);
            await connection.HandshakeAsync(endpoint, timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietly(connection, tcp).ConfigureAwait(false);
            throw new TimeoutException($"STOMP connect to {endpoint.Host}:{endpoint.Port} took longer than {options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await DisposeQuietly(connection, tcp).ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask DisposeQuietly(StompConnection? connection, TcpClient tcp)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            tcp.Dispose();
        }
    }

    private async Task HandshakeAsync(StompEndpoint endpoint, CancellationToken cancellationToken)
    {
        long hb = (long)_options.HeartBeat.TotalMilliseconds;
        var headers = new List<KeyValuePair<string, string>>
        {
            new("accept-version", "1.2"),
            new("host", endpoint.VirtualHost),
            new("heart-beat", hb.ToString(CultureInfo.InvariantCulture) + "," + hb.ToString(CultureInfo.InvariantCulture)),
        };
        if (endpoint.Login is not null)
        {
            headers.Add(new("login", endpoint.Login));
        }

        if (endpoint.Passcode is not null)
        {
            headers.Add(new("passcode", endpoint.Passcode));
        }

        await WriteFrameAsync("CONNECT", headers, default, cancellationToken).ConfigureAwait(false);
        StompFrame reply = await ReadFrameAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new IOException("the STOMP broker closed the connection during CONNECT");
        if (reply.Command == "ERROR")
        {
            throw Error(reply);
        }

        if (reply.Command != "CONNECTED")
        {
            throw new StompProtocolException("expected CONNECTED, got " + reply.Command, 0);
        }

        if (reply["version"] is { } v && v != "1.2")
        {
            throw new StompProtocolException("the broker speaks STOMP " + v + ", not 1.2", 0);
        }

        Server = reply["server"];
        (long sx, long sy) = ParseHeartBeat(reply["heart-beat"]);
        SendHeartBeat = TimeSpan.FromMilliseconds(hb > 0 && sy > 0 ? Math.Max(hb, sy) : 0);
        ReceiveHeartBeat = TimeSpan.FromMilliseconds(hb > 0 && sx > 0 ? Math.Max(hb, sx) : 0);
        _reader = Task.Run(ReadLoopAsync, CancellationToken.None);
        _heartbeat = Task.Run(HeartBeatLoopAsync, CancellationToken.None);
    }

    private static (long, long) ParseHeartBeat(string? value)
    {
        string[] parts = (value ?? "0,0").Split(',');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long x)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long y)
            ? (x, y)
            : throw new StompProtocolException("heart-beat header is not 'x,y': '" + value + "'", 0);
    }

    /// <summary>Sends a SEND frame with a receipt request.</summary>
    /// <param name="destination">The destination (<c>/topic/..</c>, <c>/queue/..</c>, <c>/exchange/NAME/KEY</c>, ...).</param>
    /// <param name="body">The body.</param>
    /// <param name="headers">More headers (content-type, persistent, ...).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Once written: a task that completes when the broker's RECEIPT for this frame arrives, and fails if the connection does first.</returns>
    public async Task<Task> SendAsync(string destination, ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        string id = Interlocked.Increment(ref _receiptSeq).ToString(CultureInfo.InvariantCulture);
        var receipt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receipts[id] = receipt;
        var all = new List<KeyValuePair<string, string>> { new("destination", destination), new("receipt", id) };
        if (headers is not null)
        {
            all.AddRange(headers);
        }

        try
        {
            await WriteFrameAsync("SEND", all, body, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _receipts.TryRemove(id, out _);
            throw;
        }

        if (_failure is not null && _receipts.TryRemove(id, out _))
        {
            receipt.TrySetException(_failure);
        }

        return receipt.Task;
    }

    private async Task WriteFrameAsync(string command, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed.IsCancellationRequested && command != "DISCONNECT", this);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        timeout.CancelAfter(_options.WriteTimeout);
        await _write.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            _frame.ResetWrittenCount();
            StompFrame.Write(_frame, command, headers, body.Span);
            await _stream.WriteAsync(_frame.WrittenMemory, timeout.Token).ConfigureAwait(false);
            await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastWrite, Stopwatch.GetTimestamp());
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = new TimeoutException($"writing a STOMP {command} frame took longer than {_options.WriteTimeout.TotalSeconds:0.#} s or the connection closed", e);
            Fail(failure);
            throw failure;
        }
        finally
        {
            _write.Release();
        }
    }

    private async Task<StompFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_inCount > 0 && StompFrame.TryParse(_in.AsSpan(0, _inCount), _options.MaxFrame, out StompFrame? frame, out int consumed))
            {
                Shift(consumed);
                return frame;
            }

            if (_inCount > 0)
            {
                // Heart-beats (line ends) in front of a partial frame are consumed too.
                StompFrame.TryParse(_in.AsSpan(0, _inCount), _options.MaxFrame, out _, out consumed);
                Shift(consumed);
            }

            if (_inCount == _in.Length)
            {
                Array.Resize(ref _in, Math.Min(_in.Length * 2, _options.MaxFrame + 4096));
            }

            int n = await _stream.ReadAsync(_in.AsMemory(_inCount), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }

            _inCount += n;
            Volatile.Write(ref _lastRead, Stopwatch.GetTimestamp());
        }
    }

    private void Shift(int consumed)
    {
        Buffer.BlockCopy(_in, consumed, _in, 0, _inCount - consumed);
        _inCount -= consumed;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                StompFrame? frame = await ReadFrameAsync(_closed.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    Fail(new IOException("the STOMP broker closed the connection"));
                    return;
                }

                switch (frame.Command)
                {
                    case "RECEIPT" when frame["receipt-id"] is { } id:
                        if (_receipts.TryRemove(id, out TaskCompletionSource? tcs))
                        {
                            tcs.TrySetResult();
                        }

                        break;
                    case "ERROR":
                        Fail(Error(frame));
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // Closed.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Fail(e);
        }
    }

    private async Task HeartBeatLoopAsync()
    {
        if (SendHeartBeat <= TimeSpan.Zero && ReceiveHeartBeat <= TimeSpan.Zero)
        {
            return;
        }

        TimeSpan tick = TimeSpan.FromMilliseconds(Math.Max(50, Math.Min(
            SendHeartBeat > TimeSpan.Zero ? SendHeartBeat.TotalMilliseconds / 2 : double.MaxValue,
            ReceiveHeartBeat > TimeSpan.Zero ? ReceiveHeartBeat.TotalMilliseconds / 2 : double.MaxValue)));
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                await Task.Delay(tick, _closed.Token).ConfigureAwait(false);
                if (ReceiveHeartBeat > TimeSpan.Zero && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastRead)) > 2 * ReceiveHeartBeat)
                {
                    Fail(new TimeoutException($"no data or heart-beat from the STOMP broker for {2 * ReceiveHeartBeat.TotalSeconds:0.#} s"));
                    return;
                }

                if (SendHeartBeat > TimeSpan.Zero && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastWrite)) >= SendHeartBeat && _write.Wait(0))
                {
                    try
                    {
                        await _stream.WriteAsync("\n"u8.ToArray(), _closed.Token).ConfigureAwait(false);
                        await _stream.FlushAsync(_closed.Token).ConfigureAwait(false);
                        Volatile.Write(ref _lastWrite, Stopwatch.GetTimestamp());
                    }
                    finally
                    {
                        _write.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // Closed.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Fail(e);
        }
    }

    private static StompErrorException Error(StompFrame frame)
    {
        string body = Encoding.UTF8.GetString(frame.Body.Span).Trim();
        string text = "the STOMP broker sent ERROR: " + (frame["message"] ?? "(no message)") + (body.Length > 0 ? " — " + (body.Length > 300 ? body[..300] + "..." : body) : string.Empty);
        return new StompErrorException(text.ReplaceLineEndings(" "));
    }

    private void Fail(Exception e)
    {
        Interlocked.CompareExchange(ref _failure, e, null);
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return; // Already disposed: nothing is pending.
        }

        foreach (KeyValuePair<string, TaskCompletionSource> r in _receipts)
        {
            if (_receipts.TryRemove(r.Key, out TaskCompletionSource? tcs))
            {
                tcs.TrySetException(_failure!);
            }
        }
    }

    /// <summary>Sends DISCONNECT with a receipt and waits for it (bounded), so every SEND before it was processed.</summary>
    /// <param name="timeout">How long to wait for the receipt.</param>
    /// <returns>A task.</returns>
    public async Task DisconnectAsync(TimeSpan timeout)
    {
        if (!IsOpen)
        {
            return;
        }

        string id = "disconnect-" + Interlocked.Increment(ref _receiptSeq).ToString(CultureInfo.InvariantCulture);
        var receipt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receipts[id] = receipt;
        using var cts = new CancellationTokenSource(timeout);
        await WriteFrameAsync("DISCONNECT", [new("receipt", id)], default, cts.Token).ConfigureAwait(false);
        await receipt.Task.WaitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Closes the connection; pending receipts fail.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(StompConnection)));
        _tcp.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_reader, _heartbeat).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A task stuck in the closed socket: nothing more to do.
        }

        _closed.Dispose();
        _write.Dispose();
    }
}
