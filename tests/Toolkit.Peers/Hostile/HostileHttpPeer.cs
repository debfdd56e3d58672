using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolkit.Peers.Hostile;

/// <summary>What a <see cref="HostileHttpPeer"/> does to every request.</summary>
public enum HostileBehaviour
{
    /// <summary>200 JSON with no Content-Length (chunked), a body that starts like JSON and never ends (generated on the fly, capped at <see cref="HostileHttpPeer.HugeBytes"/>).</summary>
    EndlessBody,

    /// <summary>200 JSON announcing <see cref="HostileHttpPeer.HugeBytes"/> in Content-Length, then sending it (generated on the fly).</summary>
    HugeContentLength,

    /// <summary>200 with headers, then a body that never comes (the connection stays open).</summary>
    StalledBody,

    /// <summary>200 with <c>text/html</c> where JSON is expected.</summary>
    WrongContentType,

    /// <summary>200 JSON announcing 1,000 bytes in Content-Length, then 14 bytes of an object, then the connection is closed.</summary>
    TruncatedBody,

    /// <summary>200 JSON nested 10,000 arrays deep.</summary>
    DeepJson,

    /// <summary>200 with 2,000 headers of 64 bytes (about 150 KB of headers) and the body 1.0.</summary>
    HugeHeaders,
}

/// <summary>
/// A hostile HTTP server for client tests (issue 17): every request gets the same hostile answer. The huge bodies are
/// generated while they are sent, so the peer's own memory stays small; it stops when the client hangs up.
/// Run on its own: <c>Toolkit.Peers hostile-http endless|huge|stall|html [--port N]</c>.
/// </summary>
public sealed class HostileHttpPeer : IAsyncDisposable
{
    /// <summary>The size of the huge bodies: 1 GiB.</summary>
    public const long HugeBytes = 1L << 30;

    private readonly WebApplication _app;

    private HostileHttpPeer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The peer's address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>How many bytes of body the peer wrote (all requests).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    private long _bytesSent;

    /// <summary>Starts the peer on a loopback port.</summary>
    public static async Task<HostileHttpPeer> StartAsync(HostileBehaviour behaviour, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MinResponseDataRate = null;
        });
        var app = builder.Build();
        HostileHttpPeer? peer = null;
        app.Run(ctx => peer!.AnswerAsync(ctx, behaviour));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peer = new HostileHttpPeer(app, new Uri(address.TrimEnd('/') + "/"));
        return peer;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task AnswerAsync(HttpContext ctx, HostileBehaviour behaviour)
    {
        var aborted = ctx.RequestAborted;
        switch (behaviour)
        {
            case HostileBehaviour.WrongContentType:
                ctx.Response.ContentType = "text/html";
                await ctx.Response.WriteAsync("<html><body>502 Bad Gateway</body></html>", aborted).ConfigureAwait(false);
                return;
            case HostileBehaviour.TruncatedBody:
                ctx.Response.ContentType = "application/json";
                ctx.Response.ContentLength = 1000;
                await ctx.Response.WriteAsync("{\"user_dn\": \"/", aborted).ConfigureAwait(false);
                await ctx.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                ctx.Abort();
                return;
            case HostileBehaviour.DeepJson:
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(new string('[', 10_000) + new string(']', 10_000), aborted).ConfigureAwait(false);
                return;
            case HostileBehaviour.HugeHeaders:
                for (var i = 0; i < 2000; i++)
                {
                    ctx.Response.Headers["X-Junk-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new string('j', 64);
                }

                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("1.0", aborted).ConfigureAwait(false);
                return;
            case HostileBehaviour.StalledBody:
                ctx.Response.ContentType = "application/json";
                await ctx.Response.StartAsync(aborted).ConfigureAwait(false);
                await ctx.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up: what the test wants.
                }

                return;
            default:
                ctx.Response.ContentType = "application/json";
                if (behaviour == HostileBehaviour.HugeContentLength)
                {
                    ctx.Response.ContentLength = HugeBytes;
                }

                await SendHugeAsync(ctx, aborted).ConfigureAwait(false);
                return;
        }
    }

    private async Task SendHugeAsync(HttpContext ctx, CancellationToken aborted)
    {
        // {"version":"aaaa…: valid JSON so far, and never closed before the cap.
        var head = Encoding.ASCII.GetBytes("{\"version\":\"");
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        long sent = 0;
        try
        {
            await ctx.Response.Body.WriteAsync(head, aborted).ConfigureAwait(false);
            sent += head.Length;
            // Kestrel may drop writes after the client hung up without failing them: watch the token too.
            while (sent < HugeBytes && !aborted.IsCancellationRequested)
            {
                var n = (int)Math.Min(chunk.Length, HugeBytes - sent);
                await ctx.Response.Body.WriteAsync(chunk.AsMemory(0, n), aborted).ConfigureAwait(false);
                sent += n;
                Interlocked.Add(ref _bytesSent, n);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.IO.IOException or ObjectDisposedException)
        {
            // The client hung up.
        }
    }
}

/// <summary>
/// A TCP server that accepts every connection and never writes a byte (issue 17, defect 6): a client must give up
/// on its own timeout. Connections stay open until the listener is disposed.
/// </summary>
public sealed class SilentTcpPeer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Starts listening on a loopback port.</summary>
    public SilentTcpPeer()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    /// <summary>The peer's address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress => new("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");

    /// <summary>How many connections were accepted.</summary>
    public int Accepted { get; private set; }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                c.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                lock (_clients)
                {
                    _clients.Add(client);
                    Accepted++;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
