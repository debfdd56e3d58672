using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

public sealed partial class UftpSession
{
    /// <summary>
    /// Opens a remote file for reading: <c>RANG</c>/<c>REST</c>, <c>NOOP n</c>, n × <c>EPSV</c>, <c>RETR</c>. The stream
    /// ends where uftpd closes the data; reading past that checks the byte count against the <c>150</c> announcement
    /// and reads the <c>226</c>. Dispose it before the next command.
    /// </summary>
    /// <param name="path">The remote file.</param>
    /// <param name="offset">The first byte.</param>
    /// <param name="length">The number of bytes, or -1 for the rest.</param>
    /// <param name="cancellationToken">Cancels the open and every later read.</param>
    /// <returns>The stream; <see cref="UftpTransferStream.Length"/> is what uftpd announced.</returns>
    public async Task<UftpReadStream> OpenReadAsync(string path, long offset = 0, long length = -1, CancellationToken cancellationToken = default)
    {
        BeginCommand();
        UftpDataChannel? channel = null;
        try
        {
            await SendRangeAsync(offset, length, cancellationToken).ConfigureAwait(false);
            channel = await OpenDataAsync(write: false, cancellationToken).ConfigureAwait(false);
            var reply = UftpControl.Check(await _control.CommandAsync("RETR " + Arg(path), "RETR", cancellationToken).ConfigureAwait(false), "RETR", 150);

            // "150 OK <n> bytes available for reading."
            var words = reply.Text.Split(' ');
            if (words.Length < 2 || !long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
            {
                throw new UftpReplyException("RETR", reply.Code, reply.Lines[^1], "RETR reply without the byte count: '" + reply.Lines[^1] + "'");
            }

            // After REST (no RANG) uftpd announces the whole file size but sends the rest from the offset.
            if (length < 0 && offset > 0)
            {
                size = Math.Max(0, size - offset);
            }

            var stream = new UftpReadStream(this, channel, size, cancellationToken);
            channel = null;
            return stream;
        }
        catch
        {
            channel?.Dispose();
            _busy = false;
            throw;
        }
    }

    /// <summary>
    /// Opens a remote file for writing. With <paramref name="partial"/> the bytes land at <paramref name="offset"/> in
    /// the existing file (<c>RANG offset offset+length</c>); otherwise the file is truncated (<c>ALLO length</c>).
    /// Write exactly <paramref name="length"/> bytes (or any number when it is -1), then <see cref="UftpWriteStream.CompleteAsync"/>.
    /// </summary>
    /// <param name="path">The remote file.</param>
    /// <param name="length">The byte count (sent as ALLO/RANG), or -1 for unknown (uftpd reads to the end).</param>
    /// <param name="offset">Where to write, with <paramref name="partial"/>.</param>
    /// <param name="partial">Write into the existing file at <paramref name="offset"/> instead of replacing it.</param>
    /// <param name="cancellationToken">Cancels the open and every later write.</param>
    /// <returns>The stream.</returns>
    public async Task<UftpWriteStream> OpenWriteAsync(string path, long length = -1, long offset = 0, bool partial = false, CancellationToken cancellationToken = default)
    {
        BeginCommand();
        UftpDataChannel? channel = null;
        try
        {
            if (partial)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(length);
                await SendRangeAsync(offset, length, cancellationToken).ConfigureAwait(false);
            }
            else if (length >= 0)
            {
                await _control.ExpectAsync("ALLO " + length.ToString(CultureInfo.InvariantCulture), "ALLO", 200, cancellationToken).ConfigureAwait(false);
            }

            channel = await OpenDataAsync(write: true, cancellationToken).ConfigureAwait(false);
            UftpControl.Check(await _control.CommandAsync("STOR " + Arg(path), "STOR", cancellationToken).ConfigureAwait(false), "STOR", 150);
            var stream = new UftpWriteStream(this, channel, length, cancellationToken);
            channel = null;
            return stream;
        }
        catch
        {
            channel?.Dispose();
            _busy = false;
            throw;
        }
    }

    /// <summary>
    /// Lists a directory over a data connection (<c>MLSD</c>). uftpd can only do this on a plain session (no
    /// encryption, no compression): its listing code needs the plain connector. <see cref="ListAsync"/> works always.
    /// </summary>
    /// <param name="path">The directory.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="UftpException">The session is encrypted or compressed.</exception>
    public async Task<IReadOnlyList<UftpFileInfo>> ListDataAsync(string path = ".", CancellationToken cancellationToken = default)
    {
        if (_options.Encryption is not null || _options.Compress)
        {
            throw new UftpException("uftpd cannot send MLSD listings over an encrypted or compressed session; use ListAsync (STAT on the control connection)");
        }

        BeginCommand();
        try
        {
            var reply = UftpControl.Check(await _control.CommandAsync("EPSV", "EPSV", cancellationToken).ConfigureAwait(false), "EPSV", 229);
            using var socket = await UftpControl.ConnectSocketAsync(_control.RemoteAddress.ToString(), ParseEpsvPort(reply), _options.Timeout, cancellationToken).ConfigureAwait(false);
            UftpControl.Check(await _control.CommandAsync("MLSD " + Arg(path), "MLSD", cancellationToken).ConfigureAwait(false), "MLSD", 150);
            var text = new System.IO.MemoryStream();
            using (var net = new NetworkStream(socket, ownsSocket: false))
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                cts.CancelAfter(_options.Timeout);
                byte[] buf = new byte[16384];
                int n;
                while ((n = await net.ReadAsync(buf, cts.Token).ConfigureAwait(false)) > 0)
                {
                    text.Write(buf, 0, n);
                    if (text.Length > 64 << 20)
                    {
                        throw new UftpDataException(0, text.Length, "MLSD listing larger than 64 MiB");
                    }
                }
            }

            UftpControl.Check(await _control.ReadReplyAsync("MLSD", _options.Timeout, cancellationToken).ConfigureAwait(false), "MLSD", 226);
            var list = new List<UftpFileInfo>();
            foreach (var line in System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length).Split('\n'))
            {
                if (line.Trim('\r', ' ').Length > 0)
                {
                    list.Add(UftpFileInfo.ParseFacts(line.TrimEnd('\r')));
                }
            }

            return list;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Negotiates the streams (<c>NOOP n</c>, following a <c>223</c> cap) and connects one socket per <c>EPSV</c>.</summary>
    private async Task<UftpDataChannel> OpenDataAsync(bool write, CancellationToken cancellationToken)
    {
        int streams = _options.Streams;
        if (streams > 1)
        {
            var noop = await _control.CommandAsync("NOOP " + streams.ToString(CultureInfo.InvariantCulture), "NOOP", cancellationToken).ConfigureAwait(false);
            if (noop.Code == 223)
            {
                // "223 Opening <max> data connections": the server capped the count.
                var w = noop.Text.Split(' ');
                if (w.Length < 2 || !int.TryParse(w[1], NumberStyles.None, CultureInfo.InvariantCulture, out streams) || streams < 1)
                {
                    throw new UftpReplyException("NOOP", noop.Code, noop.Lines[^1], "NOOP reply without a stream count: '" + noop.Lines[^1] + "'");
                }
            }
            else if (noop.Code != 222)
            {
                UftpControl.Check(noop, "NOOP", 222);
            }
        }

        var lanes = new DataLane[streams];
        int opened = 0;
        try
        {
            for (int i = 0; i < streams; i++)
            {
                var reply = UftpControl.Check(await _control.CommandAsync("EPSV", "EPSV", cancellationToken).ConfigureAwait(false), "EPSV", 229);
                int port = ParseEpsvPort(reply);
                var socket = await UftpControl.ConnectSocketAsync(_control.RemoteAddress.ToString(), port, _options.Timeout, cancellationToken).ConfigureAwait(false);
                int ms = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds);
                socket.SendTimeout = ms;
                socket.ReceiveTimeout = ms;
                socket.SendBufferSize = 1 << 20;
                socket.ReceiveBufferSize = 1 << 20;
                lanes[i] = new DataLane(new NetworkStream(socket, ownsSocket: false), socket, i, write, _options.Encryption, _options.Compress);
                opened++;
            }

            return new UftpDataChannel(lanes, _options.Timeout, cancellationToken);
        }
        catch
        {
            for (int i = 0; i < opened; i++)
            {
                lanes[i].Dispose();
            }

            throw;
        }
    }

    /// <summary>Parses <c>229 Entering Extended Passive Mode (|||port|)</c>.</summary>
    internal static int ParseEpsvPort(UftpReply reply)
    {
        string t = reply.Text;
        int a = t.IndexOf("(|||", StringComparison.Ordinal);
        int b = a < 0 ? -1 : t.IndexOf("|)", a + 4, StringComparison.Ordinal);
        if (b < 0 || !int.TryParse(t.AsSpan(a + 4, b - a - 4), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new UftpReplyException("EPSV", reply.Code, reply.Lines[^1], "malformed EPSV reply (expected '(|||port|)'): '" + reply.Lines[^1] + "'");
        }

        return port;
    }

    /// <summary>Ends a transfer: reads the <c>226</c> (or the error uftpd sent) and frees the session for the next command.</summary>
    internal async Task FinishTransferAsync(string verb, bool aborted, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await _control.ReadReplyAsync(verb, _options.Timeout, cancellationToken).ConfigureAwait(false);
            if (!aborted)
            {
                UftpControl.Check(reply, verb, 226);
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
