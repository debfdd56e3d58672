using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Runtime.Metrics;

/// <summary>
/// A minimal HTTP/1.1 server for Prometheus scrapes: <c>GET /metrics</c> answers the registry's text exposition,
/// anything else 404 or 405. One request per connection, the request head bounded to 8 KiB and read within 5 s.
/// Plain sockets (no HttpListener, no Kestrel), so it is trim- and AOT-safe. Bind it to a loopback or management
/// address: it has no authentication.
/// </summary>
public sealed class MetricsServer : IDisposable
{
    private const int MaxHead = 8192;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);
    private readonly TcpListener _listener;
    private readonly MetricsRegistry _registry;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Binds and starts serving.</summary>
    /// <param name="endpoint">Where to listen (port 0 picks a free port, see <see cref="LocalEndPoint"/>).</param>
    /// <param name="registry">The metrics to serve.</param>
    public MetricsServer(IPEndPoint endpoint, MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _listener = new TcpListener(endpoint);
        _listener.Start(64);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>The bound address.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Scrapes served.</summary>
    public long Scrapes => Interlocked.Read(ref _scrapes);

    private long _scrapes;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            timeout.CancelAfter(ReadTimeout);
            try
            {
                string? target = await ReadRequestTargetAsync(client, timeout.Token).ConfigureAwait(false);
                (int status, string reason, string body, string type) = target switch
                {
                    null => (400, "Bad Request", "bad request\n", "text/plain; charset=utf-8"),
                    "-" => (405, "Method Not Allowed", "only GET\n", "text/plain; charset=utf-8"),
                    "/metrics" => (200, "OK", _registry.Scrape(), "text/plain; version=0.0.4; charset=utf-8"),
                    _ => (404, "Not Found", "try /metrics\n", "text/plain; charset=utf-8"),
                };
                if (status == 200)
                {
                    Interlocked.Increment(ref _scrapes);
                }

                byte[] payload = Encoding.UTF8.GetBytes(body);
                string head = string.Create(CultureInfo.InvariantCulture,
                    $"HTTP/1.1 {status} {reason}\r\nContent-Type: {type}\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
                await client.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                await client.SendAsync(payload, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // A slow or vanished scraper: drop the connection.
            }
        }
    }

    /// <summary>Reads the request head; returns its target, "-" for a method other than GET, null when malformed.</summary>
    private static async Task<string?> ReadRequestTargetAsync(Socket client, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxHead];
        int filled = 0;
        while (true)
        {
            int n = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }

            filled += n;
            int end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                break;
            }

            if (filled == buffer.Length)
            {
                return null;
            }
        }

        string line = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, filled).IndexOf("\r\n"u8));
        string[] parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }

        if (parts[0] != "GET")
        {
            return "-";
        }

        int query = parts[1].IndexOf('?', StringComparison.Ordinal);
        return query >= 0 ? parts[1][..query] : parts[1];
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The loop ends on cancellation.
        }

        _stop.Dispose();
    }

    /// <summary>Parses <c>HOST:PORT</c> (IPv4, <c>[IPv6]</c>, <c>localhost</c>) for <c>--metrics</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>False when it is not an address with a port.</returns>
    public static bool TryParseEndpoint(string? text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        int colon = text?.LastIndexOf(':') ?? -1;
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return false;
        }

        string host = text![..colon];
        IPAddress? address = host == "localhost" ? IPAddress.Loopback
            : host.StartsWith('[') && host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out IPAddress? v6) ? v6
            : !host.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(host, out IPAddress? v4) ? v4
            : null;
        if (address is null)
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
