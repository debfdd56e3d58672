using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// A logged-in UFTP session (one control connection to uftpd): a filesystem-style API over the FTP dialect and
/// streams for the data. Not thread-safe: one command at a time (open several sessions with a persistent secret
/// for parallel files). <see cref="DisposeAsync"/> sends <c>QUIT</c>, which uftpd answers by closing, not with 221.
/// </summary>
public sealed partial class UftpSession : IAsyncDisposable
{
    private readonly UftpControl _control;
    private readonly UftpSessionOptions _options;
    private bool _busy;
    private bool _disposed;

    private UftpSession(UftpControl control, UftpSessionOptions options, string version)
    {
        _control = control;
        _options = options;
        ServerVersion = version;
    }

    /// <summary>The version from uftpd's greeting (<c>220 UFTPD 3.5.3, https://www.unicore.eu</c>), or the whole greeting text.</summary>
    public string ServerVersion { get; }

    /// <summary>The options the session runs with.</summary>
    public UftpSessionOptions Options => _options;

    /// <summary>Connects and logs in with the one-time secret (<c>USER anonymous</c>, <c>PASS secret</c>).</summary>
    /// <param name="host">uftpd's host (the auth reply's <c>serverHost</c>).</param>
    /// <param name="port">uftpd's listen port (<c>serverPort</c>).</param>
    /// <param name="secret">The one-time secret (never logged or put in an error).</param>
    /// <param name="options">Streams, encryption and compression as in the auth request.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The session.</returns>
    /// <exception cref="UftpReplyException">uftpd refused the login (<see cref="UftpReplyException.IsLoginRefused"/> for 530) or sent a malformed reply.</exception>
    /// <exception cref="TimeoutException">No connection or reply within the timeout.</exception>
    public static async Task<UftpSession> ConnectAsync(string host, int port, string secret, UftpSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        options ??= new UftpSessionOptions();
        if (options.Streams < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "at least one stream");
        }

        var control = await UftpControl.ConnectAsync(host, port, options.Timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            var hello = UftpControl.Check(await control.ReadReplyAsync("the greeting", options.Timeout, cancellationToken).ConfigureAwait(false), "the greeting", 220);
            string version = hello.Text.StartsWith("UFTPD ", StringComparison.Ordinal) ? hello.Text[6..].Split(',')[0].Trim() : hello.Text;
            await control.ExpectAsync("USER anonymous", "USER", 331, cancellationToken).ConfigureAwait(false);
            var pass = await control.CommandAsync("PASS " + secret, "PASS", cancellationToken).ConfigureAwait(false);
            if (pass.Code != 230)
            {
                throw new UftpReplyException("PASS", pass.Code, pass.Lines[^1], pass.Code == 530
                    ? "uftpd refused the login (530): the secret is wrong, used, or expired: " + pass.Lines[^1]
                    : "uftpd refused the login: " + pass.Lines[^1]);
            }

            return new UftpSession(control, options, version);
        }
        catch
        {
            control.Dispose();
            throw;
        }
    }

    /// <summary>The features uftpd lists (<c>FEAT</c>), one entry per line as sent.</summary>
    public async Task<IReadOnlyList<string>> FeaturesAsync(CancellationToken cancellationToken = default)
    {
        var reply = await Expect("FEAT", "FEAT", 211, cancellationToken).ConfigureAwait(false);
        var list = new List<string>();
        for (int i = 1; i < reply.Lines.Count - 1; i++)
        {
            list.Add(reply.Lines[i].Trim());
        }

        return list;
    }

    /// <summary>The current directory (<c>PWD</c>).</summary>
    public async Task<string> CurrentDirectoryAsync(CancellationToken cancellationToken = default)
    {
        var reply = await Expect("PWD", "PWD", 257, cancellationToken).ConfigureAwait(false);
        string t = reply.Text;
        int a = t.IndexOf('"', StringComparison.Ordinal);
        int b = t.LastIndexOf('"');
        return a >= 0 && b > a ? t[(a + 1)..b] : t;
    }

    /// <summary>Changes directory (<c>CWD</c>; uftpd keeps the session inside its base directory).</summary>
    public Task ChangeDirectoryAsync(string path, CancellationToken cancellationToken = default) => Expect("CWD " + Arg(path), "CWD", 200, cancellationToken);

    /// <summary>Lists a directory (<c>STAT N path</c> on the control connection, as pyuftp does; works with any stream, encryption or compression setting).</summary>
    public async Task<IReadOnlyList<UftpFileInfo>> ListAsync(string path = ".", CancellationToken cancellationToken = default)
    {
        var reply = await Expect("STAT N " + Arg(path), "STAT", 211, cancellationToken).ConfigureAwait(false);
        var list = new List<UftpFileInfo>();
        for (int i = 1; i < reply.Lines.Count - 1; i++)
        {
            list.Add(UftpFileInfo.ParseStatLine(reply.Lines[i]));
        }

        return list;
    }

    /// <summary>Describes one file or directory (<c>MLST</c>; its time is the server's local time, read as local time here).</summary>
    /// <exception cref="UftpReplyException">Code 550 when it does not exist.</exception>
    public async Task<UftpFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        var reply = await Expect("MLST " + Arg(path), "MLST", 250, cancellationToken).ConfigureAwait(false);
        if (reply.Lines.Count != 3)
        {
            throw new UftpReplyException("MLST", reply.Code, reply.Lines[^1], "MLST reply with " + reply.Lines.Count.ToString(CultureInfo.InvariantCulture) + " lines (expected 3)");
        }

        return UftpFileInfo.ParseFacts(reply.Lines[1]);
    }

    /// <summary>True when <paramref name="path"/> exists (an MLST that does not answer 550 or 500).</summary>
    public async Task<UftpFileInfo?> TryStatAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await StatAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (UftpReplyException e) when (e.Code is 550 or 500)
        {
            return null;
        }
    }

    /// <summary>Creates a directory (<c>MKD</c>).</summary>
    public Task MakeDirectoryAsync(string path, CancellationToken cancellationToken = default) => Expect("MKD " + Arg(path), "MKD", 257, cancellationToken);

    /// <summary>Removes a file (<c>DELE</c>).</summary>
    public Task RemoveFileAsync(string path, CancellationToken cancellationToken = default) => Expect("DELE " + Arg(path), "DELE", 200, cancellationToken);

    /// <summary>Removes an empty directory (<c>RMD</c>).</summary>
    public Task RemoveDirectoryAsync(string path, CancellationToken cancellationToken = default) => Expect("RMD " + Arg(path), "RMD", 200, cancellationToken);

    /// <summary>Renames (<c>RNFR</c> then <c>RNTO</c>).</summary>
    public async Task RenameAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        await Expect("RNFR " + Arg(from), "RNFR", 350, cancellationToken).ConfigureAwait(false);
        await Expect("RNTO " + Arg(to), "RNTO", 200, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the modification time (<c>MFMT</c>, the server's local time as uftpd reads it).</summary>
    public Task SetModificationTimeAsync(string path, DateTimeOffset time, CancellationToken cancellationToken = default)
        => Expect("MFMT " + time.ToLocalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + " " + Arg(path), "MFMT", 213, cancellationToken);

    /// <summary>Sets a session option (<c>OPTS NAME value</c>, e.g. <c>HASH SHA-256</c>); returns uftpd's <c>NAME=value</c>.</summary>
    public async Task<string> SetOptionAsync(string name, string value, CancellationToken cancellationToken = default)
        => (await Expect("OPTS " + Arg(name) + " " + Arg(value), "OPTS", 200, cancellationToken).ConfigureAwait(false)).Text;

    /// <summary>
    /// Asks uftpd for a checksum (<c>HASH</c>), of the whole file or of <paramref name="length"/> bytes from
    /// <paramref name="offset"/> (sent as <c>RANG</c>, exclusive end).
    /// </summary>
    /// <param name="path">The remote file.</param>
    /// <param name="algorithm">MD5, SHA-1, SHA-256 or SHA-512 (<c>OPTS HASH</c>), or null for the session's current one (MD5 at first).</param>
    /// <param name="offset">The first byte.</param>
    /// <param name="length">The number of bytes, or -1 for the rest of the file.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<UftpHash> HashAsync(string path, string? algorithm = null, long offset = 0, long length = -1, CancellationToken cancellationToken = default)
    {
        BeginCommand();
        try
        {
            if (algorithm is not null)
            {
                await _control.ExpectAsync("OPTS HASH " + Arg(algorithm), "OPTS", 200, cancellationToken).ConfigureAwait(false);
            }

            await SendRangeAsync(offset, length, cancellationToken).ConfigureAwait(false);
            await _control.SendAsync("HASH " + Arg(path), cancellationToken).ConfigureAwait(false);
            var reply = UftpControl.Check(await _control.ReadReplyAsync("HASH", _options.HashTimeout, cancellationToken).ConfigureAwait(false), "HASH", 213);
            return UftpHash.Parse(reply.Text);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Sends a raw command and returns its reply as it is (for what the API does not cover).</summary>
    public async Task<UftpReply> SendCommandAsync(string line, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(line);
        Arg(line);
        BeginCommand();
        try
        {
            return await _control.CommandAsync(line, line.Split(' ')[0].ToUpperInvariant(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Sends <c>QUIT</c> (uftpd closes without a reply) and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_busy)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _control.SendAsync("QUIT", cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is TimeoutException or System.IO.IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing anyway.
        }
        finally
        {
            _control.Dispose();
        }
    }

    private async Task<UftpReply> Expect(string line, string verb, int code, CancellationToken cancellationToken)
    {
        BeginCommand();
        try
        {
            return await _control.ExpectAsync(line, verb, code, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _busy = false;
        }
    }

    private void BeginCommand()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_busy)
        {
            throw new InvalidOperationException("the UFTP session is busy (one command or transfer at a time; open another session for parallel work)");
        }

        _busy = true;
    }

    /// <summary>Sends <c>RANG a b</c> (b exclusive) or <c>REST a</c>, or nothing for a whole file.</summary>
    private async Task SendRangeAsync(long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length >= 0)
        {
            await _control.ExpectAsync("RANG " + offset.ToString(CultureInfo.InvariantCulture) + " " + (offset + length).ToString(CultureInfo.InvariantCulture), "RANG", 350, cancellationToken).ConfigureAwait(false);
        }
        else if (offset > 0)
        {
            await _control.ExpectAsync("REST " + offset.ToString(CultureInfo.InvariantCulture), "REST", 350, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A command argument: no line breaks (they would start a second command).</summary>
    private static string Arg(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("a UFTP path or argument cannot contain a line break", nameof(value));
        }

        return value;
    }
}
