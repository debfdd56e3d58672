using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Peers.Uftp;

public sealed partial class UftpdPeer
{
    /// <summary>uftpd's FEAT list, with upstream's missing commas ("REST STREAM" + "MFMT" glued, "MFF ...;" + "KEEP-ALIVE").</summary>
    internal static readonly string[] FeatureList = ["PASV", "EPSV", "RANG STREAM", "REST STREAMMFMT", "MLSD", "MLST", "APPE", "MFF Modify;UNIX.mode;KEEP-ALIVE", "ARCHIVE", "UTF-8"];

    private async Task HandleFtpAsync(Socket socket)
    {
        socket.NoDelay = true;
        var control = new PeerControl(socket);
        await control.WriteAsync($"220 UFTPD {Version}, https://www.unicore.eu");
        var job = await LoginAsync(control, socket);
        if (job is null)
        {
            return;
        }

        try
        {
            var session = new PeerSession(this, control, job, ((IPEndPoint)socket.LocalEndPoint!).Address);
            await control.WriteAsync("230 Login successful");
            await session.RunAsync(_stop.Token);
        }
        finally
        {
            lock (job)
            {
                job.ActiveSessions--;
                if (!job.Persistent)
                {
                    _jobs.TryRemove(job.Secret, out _);
                }
            }
        }
    }

    /// <summary>uftpd's Protocol.establish_connection and FTPHandler.create_session checks.</summary>
    private async Task<UftpdJob?> LoginAsync(PeerControl control, Socket socket)
    {
        bool systDone = false;
        while (true)
        {
            string? line = await control.ReadLineAsync(TimeSpan.FromSeconds(60));
            if (line is null)
            {
                return null;
            }

            string upper = line.ToUpperInvariant();
            if (upper.StartsWith("SYST", StringComparison.Ordinal) && !systDone)
            {
                systDone = true;
                await control.WriteAsync("215 Unix Type: L8");
                continue;
            }

            if (!upper.StartsWith("USER", StringComparison.Ordinal))
            {
                await control.WriteAsync("500 Protocol error");
                return null;
            }

            string? secret = null;
            if (line == "USER anonymous")
            {
                await control.WriteAsync("331 Please specify the password");
                string? pass = await control.ReadLineAsync(TimeSpan.FromSeconds(60));
                if (pass is not null && (pass.StartsWith("USER ", StringComparison.Ordinal) || pass.StartsWith("PASS ", StringComparison.Ordinal)))
                {
                    string pw = pass.Split(' ', 2)[1];
                    if (pw != "anonymous")
                    {
                        secret = pw;
                    }
                }
            }

            if (string.IsNullOrEmpty(secret))
            {
                await control.WriteAsync("500 Protocol error");
                return null;
            }

            ExpireJobs();
            if (!_jobs.TryGetValue(secret, out var job) || DateTime.UtcNow > job.Expires && job.ActiveSessions == 0)
            {
                await control.WriteAsync("530 Not logged in: no matching transfer request found");
                return null;
            }

            string peerIp = ((IPEndPoint)socket.RemoteEndPoint!).Address.ToString();
            if (!DisableIpCheck && !job.ClientIps.Split(',').Contains(peerIp))
            {
                await control.WriteAsync($"500 Error establishing connection: Rejecting connection for '{job.User}' from {peerIp}, allowed: ['{string.Join("', '", job.ClientIps.Split(','))}']");
                return null;
            }

            bool running;
            lock (job)
            {
                running = job.ActiveSessions > 0 && !job.Persistent;
                if (!running)
                {
                    job.ActiveSessions++;
                    job.Used = true;
                }
            }

            if (running)
            {
                await control.WriteAsync("500 Session for these credentials is already running");
                return null;
            }

            return job;
        }
    }
}

/// <summary>The control connection of the peer: LF-terminated replies, lines up to 8 KiB.</summary>
internal sealed class PeerControl(Socket socket)
{
    private readonly NetworkStream _stream = new(socket);
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    public Socket Socket => socket;

    public async Task WriteAsync(string line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        await _stream.WriteAsync(bytes);
    }

    /// <summary>A line without its terminator, or null when the client closed (or stayed silent past the timeout).</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            int nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (nl >= 0)
            {
                string line = Encoding.UTF8.GetString(_buffer, _start, nl - _start).Trim();
                _start = nl + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                return null;
            }

            int n;
            try
            {
                n = await _stream.ReadAsync(_buffer.AsMemory(_end), cts.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                return null;
            }

            if (n == 0)
            {
                return null;
            }

            _end += n;
        }
    }
}

/// <summary>An error reply (<c>CODE Error processing command 'CMD': msg</c>).</summary>
internal sealed class PeerError(int code, string message, bool closeData = false) : Exception(message)
{
    public int Code => code;

    public bool CloseData => closeData;
}
