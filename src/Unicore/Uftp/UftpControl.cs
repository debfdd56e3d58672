using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// The control connection: ASCII command lines out, FTP replies in (uftpd ends its lines with a bare LF; CRLF is
/// accepted too). Every read and connect has the session's timeout; a reply that is not <c>ddd text</c> or
/// <c>ddd-</c> ... <c>ddd text</c> is a <see cref="UftpReplyException"/> with code 0.
/// </summary>
internal sealed class UftpControl : IDisposable
{
    private const int MaxLine = 8192;

    /// <summary>The most text one (multi-line) reply may hold: 64 MiB, about half a million <c>STAT</c> entries.</summary>
    internal const long MaxReplyBytes = 64L << 20;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly TimeSpan _timeout;
    private readonly byte[] _buffer = new byte[MaxLine];
    private int _start;
    private int _end;

    private readonly string _server;

    private UftpControl(Socket socket, TimeSpan timeout, string server)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _timeout = timeout;
        _server = server;
    }

    public IPAddress RemoteAddress => ((IPEndPoint)_socket.RemoteEndPoint!).Address;

    public static async Task<UftpControl> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = await ConnectSocketAsync(host, port, timeout, cancellationToken).ConfigureAwait(false);
        return new UftpControl(socket, timeout, host + ":" + port.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Connects a TCP socket within <paramref name="timeout"/>.</summary>
    public static async Task<Socket> ConnectSocketAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException("connecting to " + host + ":" + port.ToString(CultureInfo.InvariantCulture) + " timed out after " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command line.</summary>
    public async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_timeout);
        try
        {
            await _stream.WriteAsync(bytes, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("sending a command on the UFTP control connection to " + _server + " timed out after " + _timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
        }
    }

    /// <summary>Sends a command and reads its reply.</summary>
    /// <param name="line">The command line.</param>
    /// <param name="verb">What to name in errors (the verb; never a secret).</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<UftpReply> CommandAsync(string line, string verb, CancellationToken cancellationToken)
    {
        await SendAsync(line, cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(verb, _timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a command and requires a reply with code <paramref name="expected"/> (or in its hundred when it is 100, 200, ...).</summary>
    public async Task<UftpReply> ExpectAsync(string line, string verb, int expected, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync(line, verb, cancellationToken).ConfigureAwait(false);
        return Check(reply, verb, expected);
    }

    /// <summary>Throws unless the reply has the expected code.</summary>
    public static UftpReply Check(UftpReply reply, string verb, int expected)
    {
        bool ok = expected % 100 == 0 ? reply.Code / 100 == expected / 100 : reply.Code == expected;
        if (!ok)
        {
            throw new UftpReplyException(verb, reply.Code, reply.Lines[^1], "uftpd refused " + verb + ": " + reply.Lines[^1]);
        }

        return reply;
    }

    /// <summary>Reads one (possibly multi-line) reply.</summary>
    public async Task<UftpReply> ReadReplyAsync(string verb, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            string first = await ReadLineAsync(verb, cts.Token).ConfigureAwait(false);
            int code = ParseCode(first, verb, out bool more);
            var lines = new List<string> { first };
            string last = first;
            long total = first.Length;
            while (more)
            {
                last = await ReadLineAsync(verb, cts.Token).ConfigureAwait(false);
                total += last.Length + 1;
                if (total > MaxReplyBytes)
                {
                    throw new UftpReplyException(verb, code, "", "the reply to " + verb + " from " + _server + " is longer than " + (MaxReplyBytes >> 20).ToString(CultureInfo.InvariantCulture) + " MiB (" + lines.Count.ToString(CultureInfo.InvariantCulture) + " lines)");
                }

                lines.Add(last);
                more = !(last.Length >= 4 && last[3] == ' ' && int.TryParse(last.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int c) && c == code)
                    && !(last.Length == 3 && last == first[..3]);
            }

            string text = last.Length > 4 ? last[4..] : "";
            return new UftpReply(code, text, lines);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("no reply to " + verb + " on the UFTP control connection to " + _server + " within " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
        }
    }

    private static int ParseCode(string line, string verb, out bool more)
    {
        if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int code) || code < 100 || code > 599
            || (line.Length > 3 && line[3] != ' ' && line[3] != '-'))
        {
            throw new UftpReplyException(verb, 0, line, "malformed reply to " + verb + " (expected a three-digit code): '" + Printable(line) + "'");
        }

        more = line.Length > 3 && line[3] == '-';
        return code;
    }

    private async Task<string> ReadLineAsync(string verb, CancellationToken cancellationToken)
    {
        while (true)
        {
            int nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (nl >= 0)
            {
                int len = nl - _start;
                if (len > 0 && _buffer[nl - 1] == (byte)'\r')
                {
                    len--;
                }

                string line = Encoding.UTF8.GetString(_buffer, _start, len);
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
                throw new UftpReplyException(verb, 0, "", "reply line to " + verb + " longer than " + MaxLine.ToString(CultureInfo.InvariantCulture) + " bytes");
            }

            int n;
            try
            {
                n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new UftpReplyException(verb, 0, "", "the UFTP control connection failed while waiting for the reply to " + verb + ": " + e.Message, e);
            }

            if (n == 0)
            {
                throw new UftpReplyException(verb, 0, "", "uftpd closed the control connection while the reply to " + verb + " was expected");
            }

            _end += n;
        }
    }

    private static string Printable(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, 200));
        foreach (char c in s.AsSpan(0, Math.Min(s.Length, 200)))
        {
            sb.Append(char.IsControl(c) ? '?' : c);
        }

        return sb.ToString();
    }

    public void Dispose() => _stream.Dispose();
}
