using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Peers.JAliEn;

/// <summary>A reply being built: rows of key → value (string, or a map for <c>replicas</c>), plus the exit code and error.</summary>
internal sealed class JAlienReply
{
    public int ExitCode { get; set; }

    public string Error { get; set; } = string.Empty;

    public List<Dictionary<string, object>> Rows { get; } = [];

    public JAlienReply Row(string message, params (string Key, object Value)[] keys)
    {
        var row = new Dictionary<string, object>(StringComparer.Ordinal);
        if (message.Length > 0)
        {
            row["message"] = message;
        }
        foreach (var (k, v) in keys)
        {
            row[k] = v;
        }
        Rows.Add(row);
        return this;
    }

    public JAlienReply Fail(int errno, string error)
    {
        ExitCode = errno;
        Error = error;
        return this;
    }
}

/// <summary>One websocket session: a commander with its own cwd, one request at a time, replies in order.</summary>
internal sealed partial class JAlienSession(JAlienPeer peer, string user)
{
    private const int ENOENT = 2, EPERM = 1, EIO = 5, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENOTEMPTY = 39;

    private string _cwd = JAlienPeer.HomeOf(user);
    private long _lastMessage = Environment.TickCount64;
    private volatile bool _busy;

    private string Home => JAlienPeer.HomeOf(user);

    private JAlienCatalogue Catalogue => peer.Catalogue;

    public async Task RunAsync(WebSocket socket, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var reaper = ReapAsync(socket, stop.Token);
        var buffer = new byte[16384];
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                message.Clear();
                bool tooBig = false;
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false);
                        return;
                    }
                    if (message.WrittenCount + result.Count > peer.Options.MaxRequestBytes)
                    {
                        tooBig = true;
                    }
                    else
                    {
                        message.Write(buffer.AsSpan(0, result.Count));
                    }
                }
                while (!result.EndOfMessage);
                Interlocked.Exchange(ref _lastMessage, Environment.TickCount64);
                _busy = true;
                if (peer.StallNextReply)
                {
                    peer.StallNextReply = false;
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                byte[] reply;
                if (peer.NextRawReply is { } raw)
                {
                    peer.NextRawReply = null;
                    reply = Encoding.UTF8.GetBytes(raw);
                }
                else
                {
                    reply = tooBig ? Encode(new JAlienReply().Fail(EINVAL, "Message too big")) : Handle(message.WrittenSpan);
                }
                if (peer.DropNextReplyAfter is { } cut)
                {
                    peer.DropNextReplyAfter = null;
                    await socket.SendAsync(reply.AsMemory(0, Math.Min(cut, reply.Length)), WebSocketMessageType.Text, false, stop.Token).ConfigureAwait(false);
                    // Let the partial frame reach the client before the connection is cut.
                    await Task.Delay(200, stop.Token).ConfigureAwait(false);
                    socket.Abort();
                    return;
                }
                await socket.SendAsync(reply, WebSocketMessageType.Text, true, stop.Token).ConfigureAwait(false);
                _busy = false;
                // JAliEn's reaper counts idle time from the last activity: a long command does not count as idle.
                Interlocked.Exchange(ref _lastMessage, Environment.TickCount64);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away or the session was reaped.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reaper.ConfigureAwait(false);
        }
    }

    /// <summary>JAliEn's reaper: a session with no message for the idle timeout is closed with 1013 "Session timed out".</summary>
    private async Task ReapAsync(WebSocket socket, CancellationToken stop)
    {
        var idle = peer.Options.IdleTimeout;
        var step = TimeSpan.FromMilliseconds(Math.Clamp(idle.TotalMilliseconds / 4, 10, 1000));
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(step, stop).ConfigureAwait(false);
                if (!_busy && Environment.TickCount64 - Interlocked.Read(ref _lastMessage) > idle.TotalMilliseconds)
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)1013, "Session timed out", CancellationToken.None).ConfigureAwait(false);
                    await Task.Delay(200, CancellationToken.None).ConfigureAwait(false);
                    socket.Abort();
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private byte[] Handle(ReadOnlySpan<byte> request)
    {
        string command;
        List<string> args = [];
        try
        {
            using var doc = JsonDocument.Parse(request.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("command", out var c) || c.ValueKind != JsonValueKind.String)
            {
                return Encode(new JAlienReply().Fail(EINVAL, "Incoming JSON is not ok"));
            }
            command = c.GetString()!;
            if (doc.RootElement.TryGetProperty("options", out var o))
            {
                if (o.ValueKind != JsonValueKind.Array)
                {
                    return Encode(new JAlienReply().Fail(EINVAL, "Incoming JSON is not ok"));
                }
                // The server turns every option into a string (numbers included).
                args.AddRange(o.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText()));
            }
        }
        catch (JsonException)
        {
            return Encode(new JAlienReply().Fail(EINVAL, "Incoming JSON is not ok"));
        }
        peer.Log.Enqueue(command + (args.Count > 0 ? " " + string.Join(' ', args) : string.Empty));
        bool noMsg = args.Remove("-nomsg");
        bool noKeys = args.Remove("-nokeys");
        args.RemoveAll(a => a is "-silent" || a.StartsWith("-debug=", StringComparison.Ordinal));
        string? pwd = args.FirstOrDefault(a => a.StartsWith("-pwd=", StringComparison.Ordinal));
        string saved = _cwd;
        if (pwd is not null)
        {
            args.Remove(pwd);
            _cwd = JAlienCatalogue.Resolve(pwd[5..] + "/", _cwd, Home);
        }
        JAlienReply reply;
        if (args.Any(a => a is "-h" or "--h" or "-help" or "--help"))
        {
            reply = new JAlienReply().Row("usage: " + command + " [options] (JAliEn test peer)");
        }
        else
        {
            try
            {
                reply = Run(command, args);
            }
            catch (ArgumentException e)
            {
                reply = new JAlienReply().Fail(EINVAL, e.Message);
            }
        }
        if (pwd is not null)
        {
            _cwd = saved;
        }
        foreach (var row in reply.Rows)
        {
            if (noMsg)
            {
                row.Remove("message");
            }
            if (noKeys)
            {
                foreach (var key in row.Keys.Where(k => k != "message").ToList())
                {
                    row.Remove(key);
                }
            }
        }
        reply.Rows.RemoveAll(r => r.Count == 0);
        return Encode(reply);
    }

    private byte[] Encode(JAlienReply reply)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("metadata");
            w.WriteString("exitcode", reply.ExitCode.ToString(CultureInfo.InvariantCulture));
            w.WriteString("user", user);
            w.WriteString("error", reply.Error);
            w.WriteString("currentdir", _cwd);
            w.WriteEndObject();
            w.WriteStartArray("results");
            foreach (var row in reply.Rows)
            {
                w.WriteStartObject();
                foreach (var (k, v) in row)
                {
                    if (v is Dictionary<string, string> map)
                    {
                        w.WriteStartObject(k);
                        foreach (var (mk, mv) in map)
                        {
                            w.WriteString(mk, mv);
                        }
                        w.WriteEndObject();
                    }
                    else
                    {
                        w.WriteString(k, Convert.ToString(v, CultureInfo.InvariantCulture));
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
