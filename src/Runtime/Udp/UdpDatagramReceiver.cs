using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Toolkit.Runtime.Udp;

/// <summary>
/// A UDP receive loop over one bound socket (IPv4 or IPv6), allocation-free per datagram. On 64-bit Linux one
/// <c>recvmmsg</c> system call takes up to 64 queued datagrams (and a <c>poll</c> waits when none is queued);
/// elsewhere a blocking receive takes one. The buffers and the <see cref="SocketAddress"/> are reused for every receive.
/// When a batch comes back short (the queue was drained), the loop sleeps for <see cref="CoalesceDelay"/> before the
/// next call, so that under load the next call takes a fuller batch: fewer system calls and wake-ups per datagram,
/// at the price of a bounded delay (the delay plus the kernel's timer slack) for the next datagram.
/// </summary>
public sealed class UdpDatagramReceiver : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[65536];
    private readonly SocketAddress _sender;
    private readonly RecvMmsgBatch? _batch;
    private TimeSpan _coalesceDelay = EnvironmentCoalesceDelay ?? DefaultCoalesceDelay;

    /// <summary>Binds a socket.</summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port (see <see cref="LocalEndPoint"/>).</param>
    /// <param name="receiveBufferBytes">Requested kernel receive buffer (Linux caps it at net.core.rmem_max unless the process has CAP_NET_ADMIN, when SO_RCVBUFFORCE is used).</param>
    public UdpDatagramReceiver(IPEndPoint endpoint, int receiveBufferBytes = 64 << 20)
        : this(endpoint, receiveBufferBytes, reusePort: false)
    {
    }

    /// <summary>Binds a socket, optionally sharing the port with other sockets of this user (<c>SO_REUSEPORT</c>, Linux).</summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port (see <see cref="LocalEndPoint"/>).</param>
    /// <param name="receiveBufferBytes">Requested kernel receive buffer (Linux caps it at net.core.rmem_max unless the process has CAP_NET_ADMIN, when SO_RCVBUFFORCE is used).</param>
    /// <param name="reusePort">
    /// Set <c>SO_REUSEPORT</c> before binding, so that several sockets share the port; the kernel then gives each
    /// datagram to one of them by a hash of its source and destination addresses and ports (one sender, one socket).
    /// </param>
    public UdpDatagramReceiver(IPEndPoint endpoint, int receiveBufferBytes, bool reusePort)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                _socket.DualMode = true;
            }

            if (reusePort)
            {
                if (!OperatingSystem.IsLinux())
                {
                    throw new PlatformNotSupportedException("several sockets on one UDP port (SO_REUSEPORT) need Linux");
                }

                const int SolSocket = 1, SoReusePort = 15;
                _socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }

            _socket.ReceiveBufferSize = receiveBufferBytes;
            ForceReceiveBuffer(_socket, receiveBufferBytes);
            _socket.Bind(endpoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        _sender = new SocketAddress(endpoint.AddressFamily);
        _batch = RecvMmsgBatch.IsSupported && !NoBatch ? new RecvMmsgBatch() : null;
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The kernel receive buffer size actually granted.</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    /// <summary>Whether receives are batched (<c>recvmmsg</c>, up to 64 datagrams per system call).</summary>
    public bool IsBatched => _batch is not null;

    /// <summary>
    /// The <see cref="System.Diagnostics.Stopwatch"/> timestamp of the receive that returned the datagram being handled
    /// (one clock reading per system call, so a handler needs no clock of its own per datagram).
    /// </summary>
    public long LastReceiveTimestamp { get; private set; }

    /// <summary>The longest <see cref="CoalesceDelay"/>: 1 ms.</summary>
    public static readonly TimeSpan MaxCoalesceDelay = TimeSpan.FromMilliseconds(1);

    /// <summary>The default <see cref="CoalesceDelay"/>: 100 µs.</summary>
    public static readonly TimeSpan DefaultCoalesceDelay = TimeSpan.FromMicroseconds(100);

    /// <summary>
    /// Batched receives only: how long the loop sleeps after a system call that returned fewer datagrams than a full
    /// batch, before it asks again (0: never; at most <see cref="MaxCoalesceDelay"/>). It bounds the extra delay of a
    /// datagram arriving after a short batch (plus the kernel's timer slack, 50 µs by default); a lone datagram on an
    /// idle socket is never delayed, as the loop then waits in the kernel. The default is
    /// <see cref="DefaultCoalesceDelay"/>, or <c>TOOLKIT_UDP_COALESCE_US</c> microseconds when that is set (for A/B runs).
    /// Set it before <see cref="Run"/>.
    /// </summary>
    public TimeSpan CoalesceDelay
    {
        get => _coalesceDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxCoalesceDelay);
            _coalesceDelay = value;
        }
    }

    /// <summary>Receive counters.</summary>
    public UdpReceiverCounters Counters { get; } = new();

    /// <summary>
    /// Parses <c>IPv4:PORT</c>, <c>[IPv6]:PORT</c>, <c>localhost:PORT</c> or <c>*:PORT</c> (all interfaces, IPv4 and
    /// IPv6) into an endpoint.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>False when the text is not an address with a port.</returns>
    public static bool TryParseEndpoint(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        int colon = text?.LastIndexOf(':') ?? -1;
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return false;
        }

        string host = text![..colon];
        IPAddress? address = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "" => IPAddress.IPv6Any,
            _ when host.StartsWith('[') && host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out IPAddress? v6) => v6,
            _ when !host.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(host, out IPAddress? v4) => v4,
            _ => null,
        };
        if (address is null)
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>
    /// Receives until <paramref name="cancellationToken"/> is cancelled, handing every datagram to <paramref name="handler"/>;
    /// on cancellation the datagrams already queued in the socket are handed over before it returns.
    /// </summary>
    /// <typeparam name="THandler">The handler type (generic to avoid interface dispatch on structs).</typeparam>
    /// <param name="handler">Receives datagrams and idle ticks.</param>
    /// <param name="idleInterval">How long to wait for data before calling <see cref="IUdpDatagramHandler.OnIdle"/>.</param>
    /// <param name="cancellationToken">Stops the loop (checked at least every <paramref name="idleInterval"/>).</param>
    public void Run<THandler>(THandler handler, TimeSpan idleInterval, CancellationToken cancellationToken)
        where THandler : IUdpDatagramHandler
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_batch is not null)
        {
            RunBatched(_batch, ref handler, idleInterval, cancellationToken);
            return;
        }

        // One system call per datagram: a blocking receive that times out after the idle interval (no poll first).
        _socket.ReceiveTimeout = (int)Math.Clamp(idleInterval.TotalMilliseconds, 1, int.MaxValue);
        while (!cancellationToken.IsCancellationRequested)
        {
            ReceiveOne(ref handler, idleOnTimeout: true);
        }

        // Stopping: hand over what the kernel already holds, so a clean shutdown loses nothing that arrived.
        while (_socket.Available > 0)
        {
            ReceiveOne(ref handler, idleOnTimeout: false);
        }
    }

    /// <summary>Set <c>TOOLKIT_UDP_NO_RECVMMSG=1</c> to receive one datagram per system call (for A/B measurements).</summary>
    private static bool NoBatch => Environment.GetEnvironmentVariable("TOOLKIT_UDP_NO_RECVMMSG") == "1";

    /// <summary><c>TOOLKIT_UDP_COALESCE_US</c>: the coalescing delay in microseconds (0 to 1000; for A/B measurements).</summary>
    private static TimeSpan? EnvironmentCoalesceDelay =>
        int.TryParse(Environment.GetEnvironmentVariable("TOOLKIT_UDP_COALESCE_US"), NumberStyles.None, CultureInfo.InvariantCulture, out int us) && us <= 1000
            ? TimeSpan.FromMicroseconds(us)
            : null;

    /// <summary>
    /// The batched loop: one system call waits for a datagram and takes what is queued with it, up to 64; the socket's
    /// receive timeout (the idle interval) makes it return empty, which ticks the handler. After a short batch the
    /// loop sleeps for the coalescing delay: datagrams that arrive meanwhile queue up (no wake-up per arrival) and
    /// the next call takes them together. A full batch means more is queued, so the next call follows at once.
    /// </summary>
    private void RunBatched<THandler>(RecvMmsgBatch batch, ref THandler handler, TimeSpan idleInterval, CancellationToken cancellationToken)
        where THandler : IUdpDatagramHandler
    {
        _socket.Blocking = true;
        SetReceiveTimeout(_socket, idleInterval);
        int idleMicroseconds = (int)Math.Clamp(idleInterval.TotalMicroseconds, 1000, int.MaxValue);
        long halfIdle = (long)(idleInterval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency / 2);
        int coalesceMicroseconds = (int)_coalesceDelay.TotalMicroseconds;
        while (!cancellationToken.IsCancellationRequested)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            int n = ReceiveBatch(batch, ref handler, wait: true);
            if (n > 0)
            {
                if (n < RecvMmsgBatch.Slots && coalesceMicroseconds > 0)
                {
                    RecvMmsgBatch.Sleep(coalesceMicroseconds);
                }
            }
            else if (n == 0)
            {
                // Empty: the timeout passed. Should the descriptor be non-blocking after all (an empty return well
                // before the timeout), wait for data with poll instead of spinning.
                if (System.Diagnostics.Stopwatch.GetTimestamp() - start < halfIdle && _socket.Poll(idleMicroseconds, SelectMode.SelectRead))
                {
                    continue;
                }

                handler.OnIdle();
            }
        }

        // Stopping: hand over what the kernel already holds, so a clean shutdown loses nothing that arrived.
        while (ReceiveBatch(batch, ref handler, wait: false) != 0)
        {
        }
    }

    /// <summary>One <c>recvmmsg</c>: hands every datagram to the handler; returns how many (0: none, -1: an error, counted).</summary>
    private int ReceiveBatch<THandler>(RecvMmsgBatch batch, ref THandler handler, bool wait)
        where THandler : IUdpDatagramHandler
    {
        int n = batch.Receive(_socket, wait, out SocketError error);
        if (n == 0)
        {
            if (error == SocketError.WouldBlock)
            {
                return 0;
            }

            Counters.SocketErrors++;
            return -1;
        }

        LastReceiveTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        Counters.Batches++;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> datagram = batch.Datagram(i);
            batch.CopySender(i, _sender);
            Counters.Datagrams++;
            Counters.Bytes += datagram.Length;
            handler.OnDatagram(datagram, _sender);
        }

        return n;
    }

    /// <summary>SO_RCVTIMEO (struct timeval) on the descriptor itself, which the raw <c>recvmmsg</c> honours.</summary>
    private static void SetReceiveTimeout(Socket socket, TimeSpan timeout)
    {
        const int SolSocket = 1, SoRcvTimeo = 20;
        long micros = (long)Math.Clamp(timeout.TotalMicroseconds, 1000, int.MaxValue);
        Span<byte> timeval = stackalloc byte[16];
        BitConverter.TryWriteBytes(timeval, micros / 1_000_000);
        BitConverter.TryWriteBytes(timeval[8..], micros % 1_000_000);
        socket.SetRawSocketOption(SolSocket, SoRcvTimeo, timeval);
    }

    /// <summary>
    /// Receives one datagram and hands it to <paramref name="handler"/>. A socket error is counted, except a timeout
    /// when <paramref name="idleOnTimeout"/>: that is an idle tick for the handler.
    /// </summary>
    private void ReceiveOne<THandler>(ref THandler handler, bool idleOnTimeout)
        where THandler : IUdpDatagramHandler
    {
        int n;
        try
        {
            n = _socket.ReceiveFrom(_buffer, SocketFlags.None, _sender);
        }
        catch (SocketException ex) when (idleOnTimeout && ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            handler.OnIdle();
            return;
        }
        catch (SocketException)
        {
            Counters.SocketErrors++;
            return;
        }

        LastReceiveTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        Counters.Batches++;
        Counters.Datagrams++;
        Counters.Bytes += n;
        handler.OnDatagram(_buffer.AsSpan(0, n), _sender);
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _socket.Dispose();

    /// <summary>
    /// Linux caps SO_RCVBUF at net.core.rmem_max; a process with CAP_NET_ADMIN may go beyond it with SO_RCVBUFFORCE.
    /// Tried only when the cap cut the request; without the privilege the capped size stays.
    /// </summary>
    private static void ForceReceiveBuffer(Socket socket, int bytes)
    {
        const int SolSocket = 1, SoRcvBufForce = 33;
        if (!OperatingSystem.IsLinux() || socket.ReceiveBufferSize >= bytes)
        {
            return;
        }

        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(bytes));
        }
        catch (SocketException)
        {
            // Not privileged: keep what the kernel granted (see ReceiveBufferSize).
        }
    }
}
