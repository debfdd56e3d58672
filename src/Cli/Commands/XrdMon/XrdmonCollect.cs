using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Metrics;
using Toolkit.XrdMon.Bus;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.Cli;

/// <summary>The options of <c>toolkit xrdmon collect</c>.</summary>
/// <param name="Amqp">The broker URL.</param>
/// <param name="PasswordFile">A 0600 file with the broker password or token.</param>
/// <param name="Queue">The queue, or the base name of the shard queues.</param>
/// <param name="Exchange">The exchange to bind the queues to (null: consume the queue as it is).</param>
/// <param name="ExchangeType">Its type when declared.</param>
/// <param name="Shards">Shard queues (0: one queue).</param>
/// <param name="Collectors">Collectors sharing the shards.</param>
/// <param name="Index">This collector's index.</param>
/// <param name="Out">JSON lines file, - for standard output, or none.</param>
/// <param name="Summaries">Only the summaries.</param>
/// <param name="Window">Reorder window.</param>
/// <param name="WlcgOut">WLCG records as JSON lines to this file.</param>
/// <param name="WlcgExchange">WLCG records to this exchange.</param>
/// <param name="WlcgVos">VOs routed to WLCG.</param>
/// <param name="WlcgPathPrefixes">Path prefixes routed to WLCG.</param>
/// <param name="Metrics">Where to serve Prometheus metrics.</param>
/// <param name="StatsEverySeconds">Counters on standard error every so many seconds (0: only on exit).</param>
internal sealed record XrdmonCollectOptions(
    string Amqp, string? PasswordFile, string Queue, string? Exchange, string ExchangeType, int Shards, int Collectors, int Index,
    string Out, bool Summaries, int Window, string? WlcgOut, string? WlcgExchange, string[] WlcgVos, string[] WlcgPathPrefixes,
    IPEndPoint? Metrics, double StatsEverySeconds)
{
    /// <summary>VOs whose accesses are dropped (neither summary line nor WLCG record).</summary>
    public string[] DropVos { get; init; } = [];

    /// <summary>Path prefixes whose accesses are dropped.</summary>
    public string[] DropPathPrefixes { get; init; } = [];

    /// <summary>Reverse DNS lookups (in the background, cached) for the WLCG records' server and client names.</summary>
    public bool ResolveHosts { get; init; }

    /// <summary>How long a reverse DNS lookup may take.</summary>
    public double DnsTimeoutSeconds { get; init; } = 2;

    /// <summary>How long a resolved name is cached.</summary>
    public double DnsCacheTtlSeconds { get; init; } = 3600;

    /// <summary>Seconds between hand-backs of standby shards to their restarted owner (0: never).</summary>
    public double HandBackSeconds { get; init; } = 30;
}

/// <summary><c>toolkit xrdmon collect</c>: the collector fed from a broker queue (shoveler messages, ours or the OSG shoveler's).</summary>
internal static class XrdmonCollect
{
    public static Command Create()
    {
        var amqp = XrdmonShovel.AmqpOption();
        var passwordFile = XrdmonShovel.PasswordFileOption();
        var queue = new Option<string>("--queue") { Description = "queue to consume (with --shards: base name of the shard queues QUEUE.0 .. QUEUE.S-1)", Required = true };
        var exchange = new Option<string?>("--exchange") { Description = "exchange to declare and bind the queues to (the shovel's); without it the queue is consumed as it is" };
        var exchangeType = new Option<string>("--exchange-type") { Description = "type of the exchange when declared: direct (shard queue i bound with key i; the shovel's --shards routes) or x-consistent-hash", DefaultValueFactory = _ => "direct" };
        var shards = new Option<int>("--shards") { Description = "shard queues (durable, single-active-consumer), the same S as the shovels' --shards; 0: one queue", DefaultValueFactory = _ => 0 };
        var collectors = new Option<int>("--collectors") { Description = "collectors sharing the shards", DefaultValueFactory = _ => 1 };
        var index = new Option<int>("--index") { Description = "this collector's index (0 .. N-1): it owns shards s with s mod N = index and stands by for the others", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "where to write JSON lines: a file, - for standard output (default), or none", DefaultValueFactory = _ => "-" };
        var summaries = XrdmonCommands.SummariesOption();
        var window = XrdmonCommands.WindowOption();
        var wlcgOut = new Option<string?>("--wlcg-out") { Description = "write WLCG GenericFileMonitoring records as JSON lines to this file" };
        var wlcgExchange = new Option<string?>("--wlcg-exchange") { Description = "publish WLCG GenericFileMonitoring records to this exchange (durable fanout, confirmed)" };
        var wlcgVo = new Option<string[]>("--wlcg-vo") { Description = "VO routed to WLCG records (repeatable; default cms)" };
        var wlcgPrefix = new Option<string[]>("--wlcg-path-prefix") { Description = "path prefix routed to WLCG records (repeatable; default /store and /user/dteam)" };
        var dropVo = new Option<string[]>("--drop-vo") { Description = "drop the file accesses of this VO (repeatable, case-insensitive): neither summary line nor WLCG record; counted" };
        var dropPrefix = new Option<string[]>("--drop-path-prefix") { Description = "drop the file accesses under this path prefix (repeatable); checked before the WLCG routing; counted" };
        var resolveHosts = new Option<bool>("--resolve-hosts") { Description = "reverse DNS names of the servers and of clients given as addresses in the WLCG records (looked up in the background, cached; an address not resolved yet is written as it is)" };
        var dnsTimeout = new Option<double>("--dns-timeout") { Description = "seconds a reverse DNS lookup may take", DefaultValueFactory = _ => 2 };
        var dnsTtl = new Option<double>("--dns-cache-ttl") { Description = "seconds a resolved name is cached", DefaultValueFactory = _ => 3600 };
        var handBack = new Option<double>("--hand-back") { Description = "every SECONDS, give standby shards this collector took over back to the broker, so their restarted owner gets them again (0: never)", DefaultValueFactory = _ => 30 };
        var metrics = XrdmonShovel.MetricsOption();
        var statsEvery = new Option<double>("--stats-every") { Description = "print the counters to standard error every SECONDS (0: only on exit)", DefaultValueFactory = _ => 0 };
        var command = new Command("collect", "consume OSG shoveler messages from an AMQP queue (or shard queues), correlate and write events, summaries and WLCG records; acknowledges after output (at least once); SIGINT/SIGTERM flush and exit");
        foreach (Option o in new Option[] { amqp, passwordFile, queue, exchange, exchangeType, shards, collectors, index, output, summaries, window, wlcgOut, wlcgExchange, wlcgVo, wlcgPrefix, dropVo, dropPrefix, resolveHosts, dnsTimeout, dnsTtl, handBack, metrics, statsEvery })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            using var shutdown = new ShutdownSignal();
            return Run(new XrdmonCollectOptions(parse.GetValue(amqp)!, parse.GetValue(passwordFile), parse.GetValue(queue)!, parse.GetValue(exchange),
                parse.GetValue(exchangeType)!, parse.GetValue(shards), parse.GetValue(collectors), parse.GetValue(index), parse.GetValue(output)!,
                parse.GetValue(summaries), parse.GetValue(window), parse.GetValue(wlcgOut), parse.GetValue(wlcgExchange), parse.GetValue(wlcgVo) ?? [],
                parse.GetValue(wlcgPrefix) ?? [], parse.GetValue(metrics), parse.GetValue(statsEvery))
            {
                DropVos = parse.GetValue(dropVo) ?? [],
                DropPathPrefixes = parse.GetValue(dropPrefix) ?? [],
                ResolveHosts = parse.GetValue(resolveHosts),
                DnsTimeoutSeconds = parse.GetValue(dnsTimeout),
                DnsCacheTtlSeconds = parse.GetValue(dnsTtl),
                HandBackSeconds = parse.GetValue(handBack),
            }, CliConsole.System(), shutdown.Token);
        });
        return command;
    }

    /// <summary>Runs the collector until <paramref name="cancellationToken"/> is cancelled, then flushes and acknowledges.</summary>
    public static int Run(XrdmonCollectOptions options, CliConsole console, CancellationToken cancellationToken) => CliErrors.Run(console.Error, () =>
    {
        AmqpEndpoint endpoint = XrdmonShovel.Endpoint(options.Amqp, options.PasswordFile);
        if (options.Shards < 0 || options.Collectors < 1 || options.Index < 0 || options.Index >= options.Collectors)
        {
            throw new ArgumentException("--shards must be >= 0, --collectors >= 1 and 0 <= --index < --collectors");
        }

        if (!(options.HandBackSeconds >= 0 && options.HandBackSeconds <= 86_400))
        {
            throw new ArgumentException("--hand-back must be between 0 and 86400 seconds");
        }

        if (options.WlcgOut is not null && options.WlcgExchange is not null)
        {
            throw new ArgumentException("--wlcg-out and --wlcg-exchange: choose one");
        }

        var wlcg = new WlcgOptions
        {
            Vos = options.WlcgVos.Length > 0 ? options.WlcgVos : ["cms"],
            PathPrefixes = options.WlcgPathPrefixes.Length > 0 ? options.WlcgPathPrefixes : ["/store", "/user/dteam"],
            DropVos = options.DropVos,
            DropPathPrefixes = options.DropPathPrefixes,
        };
        if (options.ResolveHosts && !(options.DnsTimeoutSeconds > 0 && options.DnsTimeoutSeconds <= 60 && options.DnsCacheTtlSeconds > 0))
        {
            throw new ArgumentException("--dns-timeout must be in (0, 60] seconds and --dns-cache-ttl positive");
        }

        using ReverseDnsCache? hostNames = options.ResolveHosts
            ? new ReverseDnsCache(new ReverseDnsOptions { Timeout = TimeSpan.FromSeconds(options.DnsTimeoutSeconds), Ttl = TimeSpan.FromSeconds(options.DnsCacheTtlSeconds) })
            : null;
        var busOptions = new XrdMonBusCollectorOptions
        {
            Queue = options.Queue,
            Exchange = options.Exchange,
            ExchangeType = options.ExchangeType,
            Shards = options.Shards,
            Collectors = options.Collectors,
            Index = options.Index,
            WlcgExchange = options.WlcgExchange,
            Wlcg = wlcg,
            HostNames = hostNames,
            HandBackInterval = TimeSpan.FromSeconds(options.HandBackSeconds),
        };
        TextWriter log = TextWriter.Synchronized(console.Error);
        using Stream? output = options.Out switch
        {
            "none" => null,
            "-" => console.OpenStandardOutput(),
            _ => new FileStream(options.Out, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16),
        };
        using Stream? wlcgFile = options.WlcgOut is null ? null : new FileStream(options.WlcgOut, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        using var bus = new XrdMonBusCollector(busOptions, XrdmonCommands.CollectorOptions(options.Summaries, options.Window), output, wlcgFile, log);
        var registry = new MetricsRegistry();
        bus.AddMetrics(registry);
        using MetricsServer? metrics = options.Metrics is null ? null : new MetricsServer(options.Metrics, registry);
        log.WriteLine($"xrdmon collect: {endpoint.Redacted} queue '{options.Queue}'" + (options.Shards > 0 ? $" ({options.Shards} shards, collector {options.Index} of {options.Collectors})" : string.Empty)
            + (metrics is null ? string.Empty : $", metrics http://{metrics.LocalEndPoint}/metrics"));
        using var statsStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task stats = options.StatsEverySeconds > 0 ? StatsLoop(bus, TimeSpan.FromSeconds(options.StatsEverySeconds), log, statsStop.Token) : Task.CompletedTask;
        bus.RunAsync(endpoint, cancellationToken).GetAwaiter().GetResult();
        statsStop.Cancel();
        stats.Wait(TimeSpan.FromSeconds(5));
        output?.Flush();
        bus.WriteStats(log);
        log.Flush();
        return 0;
    });

    private static async Task StatsLoop(XrdMonBusCollector bus, TimeSpan every, TextWriter log, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            log.WriteLine($"{{\"event\":\"bus_stats\",\"messages\":{bus.Messages},\"acked\":{bus.Acked},\"redelivered\":{bus.Redelivered},\"summaries\":{bus.Summaries},\"wlcg_records\":{bus.WlcgRecords}}}");
        }
    }
}
