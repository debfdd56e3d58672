using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Peers.Uftp;

/// <summary>
/// A uftpd 3.5.3-compatible server built from the spec (docs: /work/shared/specs/unicore.md §6–7) and uftpd's
/// documented behaviour, serving a local directory: the command port where an Auth server registers transfer
/// requests (<c>key=value</c> lines ending with <c>END</c>, reply <c>OK::port</c> / <c>ERROR::msg</c>) and the
/// FTP-dialect listen port with passive data connections (n framed streams, gzip, Blowfish/AES).
/// It implements the wire format on its own (BouncyCastle ciphers, its own framing) and does not reference the client.
/// Quirks kept: <c>SIZE</c> answers 500, FEAT misses commas, QUIT closes without 221, LIST/MLSD fail on an encrypted,
/// compressed or multi-stream channel, APPE without ALLO fails and with ALLO truncates, REST's 150 announces the
/// whole file size, a data channel falls back to one stream after every transfer.
/// </summary>
public sealed partial class UftpdPeer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, UftpdJob> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<Socket, bool> _connections = new();
    private TcpListener? _cmd;
    private TcpListener? _ftp;

    /// <summary>The directory served: the users' home; a request's <c>file</c> is resolved under it.</summary>
    public required string Root { get; init; }

    /// <summary>The address both ports bind to.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The listen (FTP) port, 0 for any.</summary>
    public int ListenPort { get; init; }

    /// <summary>The command port, 0 for any.</summary>
    public int CommandPort { get; init; }

    /// <summary>uftpd's MAX_STREAMS (default 4).</summary>
    public int MaxStreams { get; init; } = 4;

    /// <summary>The version in the greeting.</summary>
    public string Version { get; init; } = "3.5.3";

    /// <summary>uftpd's DISABLE_IP_CHECK.</summary>
    public bool DisableIpCheck { get; init; }

    /// <summary>How long an unused transfer request lives (uftpd: 300 s).</summary>
    public TimeSpan RequestLifetime { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How long the server waits for a data connection after EPSV/PASV (uftpd: 30 s).</summary>
    public TimeSpan DataAcceptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A benchmark sink: uploads are decoded and discarded; <c>RETR zero/N</c> serves N zero bytes without a file.</summary>
    public bool Sink { get; init; }

    /// <summary>The bound listen endpoint (after start).</summary>
    public IPEndPoint ListenEndpoint => (IPEndPoint)_ftp!.LocalEndpoint;

    /// <summary>The bound command endpoint (after start).</summary>
    public IPEndPoint CommandEndpoint => (IPEndPoint)_cmd!.LocalEndpoint;

    /// <summary>Sessions that ended with an error (for tests).</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Starts both listeners.</summary>
    public void Start()
    {
        Directory.CreateDirectory(Root);
        _cmd = new TcpListener(Address, CommandPort);
        _cmd.Start();
        _ftp = new TcpListener(Address, ListenPort);
        _ftp.Start();
        _loops.Add(Task.Run(() => AcceptLoop(_cmd, HandleCommandAsync)));
        _loops.Add(Task.Run(() => AcceptLoop(_ftp, HandleFtpAsync)));
    }

    private async Task AcceptLoop(TcpListener listener, Func<Socket, Task> handle)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _connections[s] = true;
            _ = Task.Run(async () =>
            {
                try
                {
                    await handle(s);
                }
                catch (Exception e)
                {
                    Errors.Enqueue(e.GetType().Name + ": " + e.Message);
                }
                finally
                {
                    _connections.TryRemove(s, out _);
                    s.Dispose();
                }
            });
        }
    }

    /// <summary>The command port: one request (<c>key=value</c> lines up to <c>END</c>) per connection.</summary>
    private async Task HandleCommandAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var request = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            string? line = await reader.ReadLineAsync(timeout.Token);
            if (line is null || line.StartsWith("END", StringComparison.Ordinal))
            {
                break;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                request[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }

        string type = request.GetValueOrDefault("request-type", "n/a");
        switch (type)
        {
            case "uftp-transfer-request":
                await writer.WriteLineAsync(AddJob(request));
                break;
            case "uftp-ping-request":
                await writer.WriteLineAsync($"Version: {Version}\nListenPort: {ListenEndpoint.Port}\nListenAddress: {ListenEndpoint.Address}\nMaxSessionsPerClient: 16\n");
                break;
            default:
                await writer.WriteLineAsync($"ERROR::Unsupported request type '{type}'");
                break;
        }
    }

    private string AddJob(Dictionary<string, string> request)
    {
        if (!request.TryGetValue("secret", out var secret) || secret.Length == 0 || !request.TryGetValue("user", out var user))
        {
            return "ERROR::'secret'";
        }

        ExpireJobs();
        byte[]? key = null;
        string? algo = null;
        if (request.TryGetValue("key", out var k) && k.Length > 0)
        {
            try
            {
                key = Convert.FromBase64String(k);
            }
            catch (FormatException e)
            {
                return "ERROR::" + e.Message;
            }

            algo = request.GetValueOrDefault("algo");
            if (string.IsNullOrEmpty(algo))
            {
                algo = key.Length is 32 or 40 or 48 ? "AES" : "BLOWFISH";
            }

            algo = algo.ToUpperInvariant();
            if ((algo == "BLOWFISH" && key.Length > 56) || (algo == "AES" && key.Length is not (32 or 40 or 48)) || algo is not ("AES" or "BLOWFISH"))
            {
                return "ERROR::Illegal key length or algorithm";
            }
        }

        var job = new UftpdJob
        {
            User = user,
            Secret = secret,
            ClientIps = request.GetValueOrDefault("client-ip", "127.0.0.1"),
            File = request.GetValueOrDefault("file", ""),
            Streams = int.TryParse(request.GetValueOrDefault("streams", "1"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 1,
            Persistent = string.Equals(request.GetValueOrDefault("persistent", "0"), "true", StringComparison.OrdinalIgnoreCase),
            Compress = string.Equals(request.GetValueOrDefault("compress", "false"), "true", StringComparison.OrdinalIgnoreCase),
            Key = key,
            Algorithm = algo,
            Access = request.GetValueOrDefault("access-permissions", "FULL"),
            Expires = DateTime.UtcNow + RequestLifetime,
        };
        if (!_jobs.TryAdd(secret, job))
        {
            return "ERROR::Duplicate secret - this is not allowed.";
        }

        return "OK::" + ListenEndpoint.Port.ToString(CultureInfo.InvariantCulture);
    }

    private void ExpireJobs()
    {
        foreach (var (secret, job) in _jobs)
        {
            lock (job)
            {
                if (job.ActiveSessions == 0 && (job.Used && !job.Persistent || DateTime.UtcNow > job.Expires))
                {
                    _jobs.TryRemove(secret, out _);
                }
            }
        }
    }

    /// <summary>Stops listening and closes everything.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _cmd?.Stop();
        _ftp?.Stop();

        // A stopped uftpd ends its sessions too: their control connections close.
        foreach (var c in _connections.Keys)
        {
            c.Dispose();
        }

        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }
}

/// <summary>One registered transfer request.</summary>
internal sealed class UftpdJob
{
    public required string User { get; init; }

    public required string Secret { get; init; }

    public required string ClientIps { get; init; }

    public required string File { get; init; }

    public int Streams { get; init; }

    public bool Persistent { get; init; }

    public bool Compress { get; init; }

    public byte[]? Key { get; init; }

    public string? Algorithm { get; init; }

    public required string Access { get; init; }

    public DateTime Expires { get; init; }

    public int ActiveSessions { get; set; }

    public bool Used { get; set; }
}
