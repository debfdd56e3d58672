using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Threading;
using Toolkit.Runtime.Capture;
using Toolkit.Runtime.Udp;

namespace Toolkit.Cli;

/// <summary><c>toolkit xrdmon capture</c>: write every datagram received on a UDP port to a capture container.</summary>
internal static class XrdmonCapture
{
    /// <summary>The command: captures until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="options">The parsed options.</param>
    /// <param name="console">Standard output (for <c>--out -</c>) and error.</param>
    /// <param name="cancellationToken">Stops the capture (SIGINT/SIGTERM on the command line).</param>
    /// <returns>The exit code.</returns>
    public static int Run(XrdmonCaptureOptions options, CliConsole console, CancellationToken cancellationToken)
        => CliErrors.Run(console.Error, () => Run(options.Udp, options.Out, console.Error, cancellationToken, console.OpenStandardOutput));

    /// <summary>Captures on <paramref name="endpoint"/> to <paramref name="outPath"/>.</summary>
    public static int Run(IPEndPoint endpoint, string outPath, TextWriter log, CancellationToken cancellationToken, Func<Stream>? openStandardOutput = null)
    {
        using var receiver = new UdpDatagramReceiver(endpoint);
        Stream stream = outPath == "-" ? (openStandardOutput ?? Console.OpenStandardOutput)() : new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        using var writer = new CaptureWriter(stream);
        log.WriteLine($"capturing on udp {receiver.LocalEndPoint} -> {outPath} (receive buffer {receiver.ReceiveBufferSize} bytes)");
        var handler = new Handler(writer);
        var clock = Stopwatch.StartNew();
        receiver.Run(handler, TimeSpan.FromMilliseconds(200), cancellationToken);
        writer.Flush();
        log.WriteLine($"captured {receiver.Counters.Datagrams} datagrams, {receiver.Counters.Bytes} bytes in {clock.Elapsed.TotalSeconds:F1} s; socket errors {receiver.Counters.SocketErrors}");
        return 0;
    }

    private sealed class Handler(CaptureWriter writer) : IUdpDatagramHandler
    {
        private long _lastFlushed;

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender) => writer.Write(datagram);

        public void OnIdle()
        {
            if (writer.Count != _lastFlushed)
            {
                writer.Flush();
                _lastFlushed = writer.Count;
            }
        }
    }
}
