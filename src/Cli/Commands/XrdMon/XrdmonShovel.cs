using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Metrics;
using Toolkit.Runtime.Udp;
using Toolkit.XrdMon.Bus;

namespace Toolkit.Cli;

/// <summary>The options of <c>toolkit xrdmon shovel</c>.</summary>
/// <param name="Udp">Where to receive datagrams.</param>
/// <param name="Amqp">The broker URL.</param>
/// <param name="PasswordFile">A 0600 file with the broker password or token (replaces the URL's).</param>
/// <param name="Exchange">The exchange to publish to.</param>
/// <param name="ExchangeType">Its type when declared.</param>
/// <param name="Declare">Declare the exchange.</param>
/// <param name="RoutingKey"><c>remote</c> or <c>none</c>.</param>
/// <param name="Shards">With S &gt; 0, the routing key is the sender's shard (0 .. S-1) for <c>collect --shards S</c>.</param>
/// <param name="IpMap">FROM=TO entries (or *=TO).</param>
/// <param name="Verify">Drop datagrams failing the header check.</param>
/// <param name="Spool">The disk spool directory (null: memory only).</param>
/// <param name="SpoolMaxBytes">The disk spool's bound.</param>
/// <param name="SpoolMemory">Messages held in memory before spilling to disk.</param>
/// <param name="Batch">Messages per confirmed batch.</param>
/// <param name="Metrics">Where to serve Prometheus metrics (null: nowhere).</param>
/// <param name="StatsEverySeconds">Counters on standard error every so many seconds (0: only on exit).</param>
internal sealed record XrdmonShovelOptions(
    IPEndPoint Udp, string Amqp, string? PasswordFile, string Exchange, string ExchangeType, bool Declare, string RoutingKey, int Shards,
    string[] IpMap, bool Verify, string? Spool, long SpoolMaxBytes, int SpoolMemory, int Batch, IPEndPoint? Metrics, double StatsEverySeconds)
{
    /// <summary>A STOMP broker URL instead of <see cref="Amqp"/>.</summary>
    public string? Stomp { get; init; }

    /// <summary>The STOMP destination (a bare name is a topic, as the OSG shoveler's <c>stomp.topic</c>).</summary>
    public string StompDestination { get; init; } = "xrootd.shoveler";

    /// <summary>A PEM client certificate presented to the STOMP broker over TLS.</summary>
    public string? StompCert { get; init; }

    /// <summary>Its PEM private key (mode 0600).</summary>
    public string? StompKey { get; init; }
}

/// <summary><c>toolkit xrdmon shovel</c>: UDP datagrams to a broker exchange in the OSG shoveler's message format.</summary>
internal static class XrdmonShovel
{
    /// <summary>The version written in every message's <c>version</c> member.</summary>
    internal static string Version => "toolkit-" + (typeof(XrdmonShovel).Assembly.GetName().Version?.ToString(3) ?? "0");

    internal static Option<IPEndPoint?> MetricsOption() => new("--metrics")
    {
        Description = "serve Prometheus metrics on http://HOST:PORT/metrics (for example 127.0.0.1:9100)",
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (MetricsServer.TryParseEndpoint(text, out IPEndPoint ep))
            {
                return ep;
            }

            result.AddError($"--metrics: '{text}' is not HOST:PORT (IPv4:PORT, [IPv6]:PORT, localhost:PORT)");
            return null;
        },
    };

    internal static Option<string> AmqpOption() => new("--amqp")
    {
        Description = "broker URL, amqp://[USER[:PASSWORD]@]HOST[:PORT][/VHOST] or amqps://... (TLS, certificate verified); never logged with its credentials",
        Required = true,
    };

    internal static Option<string?> PasswordFileOption() => new("--amqp-password-file")
    {
        Description = "file (mode 0600) whose first line is the broker password or token; keeps it off the command line",
    };

    internal static AmqpEndpoint Endpoint(string url, string? passwordFile) =>
        new(url, passwordFile is null ? null : AmqpEndpoint.ReadPasswordFile(passwordFile));

    public static Command Create()
    {
        var udp = XrdmonCommands.UdpOption(required: true);
        var amqp = AmqpOption();
        amqp.Required = false;
        amqp.Description = "broker URL, amqp://[USER[:PASSWORD]@]HOST[:PORT][/VHOST] or amqps://... (TLS, certificate verified); never logged with its credentials; or --stomp";
        var stomp = new Option<string?>("--stomp") { Description = "STOMP broker URL instead of --amqp: stomp://[USER[:PASSWORD]@]HOST[:PORT][/VHOST] or stomp+ssl://... (TLS, certificate verified); --amqp-password-file applies too" };
        var stompDestination = new Option<string>("--stomp-destination") { Description = "STOMP destination: a bare NAME is /topic/NAME as the OSG shoveler's topic; /exchange/X gets each message's routing key (shard) appended; /queue/Q, /amq/queue/Q as they are", DefaultValueFactory = _ => "xrootd.shoveler" };
        var stompCert = new Option<string?>("--stomp-cert") { Description = "PEM client certificate for a stomp+ssl broker (with --stomp-key)" };
        var stompKey = new Option<string?>("--stomp-key") { Description = "PEM private key of --stomp-cert (mode 0600)" };
        var passwordFile = PasswordFileOption();
        var exchange = new Option<string>("--exchange") { Description = "exchange to publish to (with --amqp)" };
        var exchangeType = new Option<string>("--exchange-type") { Description = "type of the exchange when declared: direct (with --shards), fanout, topic, x-consistent-hash (broker plugin)", DefaultValueFactory = _ => "direct" };
        var shards = new Option<int>("--shards") { Description = "route each sender to its shard 0..S-1 (routing key; FNV-1a of the sender mod S), for collect --shards S; 0: --routing-key decides", DefaultValueFactory = _ => 0 };
        var noDeclare = new Option<bool>("--no-declare") { Description = "do not declare the exchange (it is managed elsewhere, as for the OSG shoveler)" };
        var routingKey = new Option<string>("--routing-key") { Description = "routing key of each message: remote (the sender, for per-server shards) or none (empty, as the OSG shoveler)", DefaultValueFactory = _ => "remote" }.AcceptOnlyFromAmong("remote", "none");
        var ipMap = new Option<string[]>("--ip-map") { Description = "report sender ADDRESS as TEXT (ADDRESS=TEXT, repeatable; *=TEXT maps every sender), as the shoveler's ipmap", AllowMultipleArgumentsPerToken = false };
        var verify = new Option<bool>("--verify") { Description = "drop datagrams whose header length does not match (the shoveler's verify)" };
        var spool = new Option<string?>("--spool") { Description = "directory of the persistent spool used while the broker is slow or down (without it, the spool is memory only)" };
        var spoolMax = new Option<long>("--spool-max-bytes") { Description = "bound of the disk spool; messages beyond it are dropped and counted", DefaultValueFactory = _ => 1L << 30 };
        var spoolMemory = new Option<int>("--spool-memory") { Description = "messages held in memory before spilling to disk", DefaultValueFactory = _ => 10_000 };
        var batch = new Option<int>("--batch") { Description = "messages published before waiting for the broker's confirms", DefaultValueFactory = _ => 256 };
        var metrics = MetricsOption();
        var statsEvery = new Option<double>("--stats-every") { Description = "print the counters to standard error every SECONDS (0: only on exit)", DefaultValueFactory = _ => 0 };
        var command = new Command("shovel", "forward XRootD monitoring datagrams from a UDP port to an AMQP exchange as OSG shoveler messages ({\"remote\",\"version\",\"data\"}), with publisher confirms and a bounded persistent spool; SIGINT/SIGTERM drain and exit");
        foreach (Option o in new Option[] { udp, amqp, stomp, stompDestination, stompCert, stompKey, passwordFile, exchange, exchangeType, shards, noDeclare, routingKey, ipMap, verify, spool, spoolMax, spoolMemory, batch, metrics, statsEvery })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            using var shutdown = new ShutdownSignal();
            return Run(new XrdmonShovelOptions(parse.GetValue(udp)!, parse.GetValue(amqp) ?? string.Empty, parse.GetValue(passwordFile), parse.GetValue(exchange) ?? string.Empty,
                parse.GetValue(exchangeType)!, !parse.GetValue(noDeclare), parse.GetValue(routingKey)!, parse.GetValue(shards), parse.GetValue(ipMap) ?? [], parse.GetValue(verify),
                parse.GetValue(spool), parse.GetValue(spoolMax), parse.GetValue(spoolMemory), parse.GetValue(batch), parse.GetValue(metrics), parse.GetValue(statsEvery))
            {
                Stomp = parse.GetValue(stomp),
                StompDestination = parse.GetValue(stompDestination)!,
                StompCert = parse.GetValue(stompCert),
                StompKey = parse.GetValue(stompKey),
            }, CliConsole.System(), shutdown.Token);
        });
        return command;
    }

    /// <summary>Runs the shovel until <paramref name="cancellationToken"/> is cancelled, then drains the spool for up to 10 s.</summary>
    public static int Run(XrdmonShovelOptions options, CliConsole console, CancellationToken cancellationToken) => CliErrors.Run(console.Error, () =>
    {
        if ((options.Stomp is null) == (options.Amqp.Length == 0))
        {
            throw new ArgumentException("give one broker: --amqp URL or --stomp URL");
        }

        if (options.Stomp is null && options.Exchange.Length == 0)
        {
            throw new ArgumentException("--exchange is required with --amqp");
        }

        if ((options.StompCert is null) != (options.StompKey is null))
        {
            throw new ArgumentException("--stomp-cert and --stomp-key go together");
        }

        string? password = options.PasswordFile is null ? null : AmqpEndpoint.ReadPasswordFile(options.PasswordFile);
        AmqpEndpoint? endpoint = options.Stomp is null ? new AmqpEndpoint(options.Amqp, password) : null;
        StompEndpoint? stompEndpoint = options.Stomp is null ? null : new StompEndpoint(options.Stomp, password) { ClientCertificate = ClientCertificate(options.StompCert, options.StompKey) };
        string target = endpoint is not null ? $"{endpoint.Redacted} exchange '{options.Exchange}'" : $"{stompEndpoint!.Redacted} destination '{options.StompDestination}'";
        if (options.Batch < 1 || options.SpoolMemory < 1 || options.Shards < 0)
        {
            throw new ArgumentException("--batch and --spool-memory must be at least 1, --shards at least 0");
        }

        var shovelOptions = new XrdMonShovelOptions
        {
            Exchange = options.Exchange,
            ExchangeType = options.ExchangeType,
            DeclareExchange = options.Declare,
            RoutingKey = options.RoutingKey == "none" ? ShovelRoutingKey.None : ShovelRoutingKey.Remote,
            Shards = options.Shards,
            Version = Version,
            IpMap = ShovelerIpMap.Parse(options.IpMap),
            Verify = options.Verify,
            BatchSize = options.Batch,
        };
        TextWriter log = console.Error;
        using var spool = new XrdMonSpool(options.Spool, options.SpoolMemory, options.SpoolMaxBytes);
        using var shovel = new XrdMonShovel(shovelOptions, spool, TextWriter.Synchronized(log));
        var registry = new MetricsRegistry();
        shovel.AddMetrics(registry);
        using MetricsServer? metrics = options.Metrics is null ? null : new MetricsServer(options.Metrics, registry);
        using var receiver = new UdpDatagramReceiver(options.Udp);
        log.WriteLine($"xrdmon shovel: udp {receiver.LocalEndPoint} → {target}"
            + (options.Spool is null ? " (memory spool only)" : $" (spool {options.Spool}, {spool.Depth} waiting)")
            + (metrics is null ? string.Empty : $", metrics http://{metrics.LocalEndPoint}/metrics"));
        Task publisher = Task.Run(
            () => endpoint is not null
                ? shovel.RunAsync(endpoint, cancellationToken, TimeSpan.FromSeconds(10))
                : shovel.RunAsync(stompEndpoint!, options.StompDestination, cancellationToken, TimeSpan.FromSeconds(10)),
            CancellationToken.None);
        receiver.Run(new Handler(shovel, options.StatsEverySeconds, log), TimeSpan.FromMilliseconds(200), cancellationToken);
        publisher.Wait(TimeSpan.FromSeconds(15));
        WriteStats(shovel, log);
        return 0;
    });

    private static System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate(string? cert, string? key)
    {
        if (cert is null || key is null)
        {
            return null;
        }

        Toolkit.Runtime.Security.SecureFile.EnsurePrivate(key);
        return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(cert, key);
    }

    private static void WriteStats(XrdMonShovel shovel, TextWriter log)
    {
        log.WriteLine($"{{\"event\":\"shovel_stats\",\"datagrams\":{shovel.Datagrams},\"bytes\":{shovel.Bytes},\"invalid\":{shovel.Invalid},\"published\":{shovel.Published},\"nacked\":{shovel.Nacked},\"reconnects\":{shovel.Reconnects},\"spool_depth\":{shovel.Spool.Depth},\"spool_disk_bytes\":{shovel.Spool.DiskBytes},\"spool_dropped\":{shovel.Spool.Dropped}}}");
        log.Flush();
    }

    private sealed class Handler(XrdMonShovel shovel, double statsEvery, TextWriter log) : IUdpDatagramHandler
    {
        private readonly IPEndPoint _v4 = new(IPAddress.Any, 0);
        private readonly IPEndPoint _v6 = new(IPAddress.IPv6Any, 0);
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private double _nextStats = statsEvery > 0 ? statsEvery : double.MaxValue;

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress sender)
        {
            var ep = (IPEndPoint)(sender.Family == AddressFamily.InterNetworkV6 ? _v6 : _v4).Create(sender);
            shovel.Offer(datagram, ep.Address, ep.Port);
        }

        public void OnIdle()
        {
            if (_clock.Elapsed.TotalSeconds >= _nextStats)
            {
                WriteStats(shovel, log);
                _nextStats = _clock.Elapsed.TotalSeconds + statsEvery;
            }
        }
    }
}
