using BenchmarkDotNet.Running;

namespace Toolkit.Bench;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Toolkit.Bench -- --filter '*'</c> runs BenchmarkDotNet;
/// the first argument <c>collector-memory</c>, <c>udp-ingest</c>, <c>udp-send</c>, <c>listen-ingest</c>, <c>listen-send</c>, <c>json-probe</c>, <c>openapi-loop</c>, <c>openapi-stream</c> or <c>uftp-throughput</c> selects a measurement that
/// BenchmarkDotNet cannot express (a long run watching memory; a sender in another process; a loop for a sampling profiler).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : string.Empty)
        {
            case "udp-ingest":
                return Collector.UdpIngestRun.Run(args[1..]);
            case "udp-send":
                return Collector.UdpSendRun.Run(args[1..]);
            case "listen-ingest":
                return Collector.ListenIngestRun.Run(args[1..]);
            case "listen-send":
                return Collector.ListenSendRun.Run(args[1..]);
            case "udp-drain-probe":
                return Collector.UdpDrainProbe.Run(args[1..]);
            case "events-probe":
                return XrdMon.XrdMonEventWriterBenchmarks.Probe(args[1..]);
            case "json-probe":
                return XrdMon.XrdMonJsonBenchmarks.Probe(args[1..]);
            case "collector-probe":
                return Collector.CollectorProbe.Run(args[1..]);
            case "collector-memory":
                return Collector.CollectorMemoryRun.Run(args[1..]);
            case "uftp-throughput":
                return Uftp.UftpThroughputRun.Run(args[1..]);
            case "xrdmon-bus":
                return XrdMonBusRun.Run(args[1..]);
            case "openapi-loop":
                return OpenApi.OpenApiProfileLoop.Run(args[1..]);
            case "openapi-stream":
                return OpenApi.StreamingMemoryRun.Run(args[1..]);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
