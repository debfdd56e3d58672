using System;
using System.Diagnostics;
using System.Globalization;

namespace Toolkit.Bench.OpenApi;

/// <summary>
/// <c>openapi-loop decode|encode|decode-reflection|encode-reflection|reader|reader-stj [seconds]</c>: runs one OpenAPI JSON benchmark
/// body in a loop for a sampling profiler (<c>DOTNET_PerfMapEnabled=1 perf record -g ...</c>), printing the mean.
/// <c>OPENAPI_LAYOUT=python</c> selects the spaced document.
/// </summary>
public static class OpenApiProfileLoop
{
    public static int Run(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: openapi-loop decode|encode|decode-reflection|encode-reflection|reader|reader-stj [seconds]");
            return 2;
        }

        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var bench = new OpenApiJsonBenchmarks { Jobs = 10_000, Layout = Environment.GetEnvironmentVariable("OPENAPI_LAYOUT") ?? "compact" };
        bench.Setup();
        Func<object> body = args[0] switch
        {
            "decode" => () => bench.DecodeGenerated(),
            "decode-reflection" => () => bench.DecodeReflection(),
            "encode" => () => bench.EncodeGenerated(),
            "encode-reflection" => () => bench.EncodeReflection(),
            "reader" => () => bench.ApiJsonReaderOnly(),
            "reader-stj" => () => bench.Utf8JsonReaderOnly(),
            _ => throw new ArgumentException("unknown body " + args[0]),
        };

        var clock = Stopwatch.StartNew();
        var n = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            GC.KeepAlive(body());
            n++;
        }

        Console.WriteLine(args[0] + ": " + (clock.Elapsed.TotalMilliseconds / n).ToString("F2", CultureInfo.InvariantCulture) + " ms per call over " + n + " calls");
        return 0;
    }
}
