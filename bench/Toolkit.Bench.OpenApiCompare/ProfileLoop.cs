using System;
using System.Diagnostics;
using System.Globalization;
using Toolkit.Bench.OpenApiCompare.Subjects;

namespace Toolkit.Bench.OpenApiCompare;

/// <summary>
/// <c>loop decode|encode ours|stj|nswag|kiota jobs-compact|jobs-python|dd-project|pets [seconds]</c>: one benchmark body
/// in a loop for a sampling profiler (<c>DOTNET_PerfMapEnabled=1 perf record -g ...</c>), printing the mean time and
/// the bytes allocated per call. Three floors stand in for the decoder with <c>decode</c>: <c>tokens</c> (every token read
/// with ours' reader, nothing decoded), <c>utf8tokens</c> (the same with <c>Utf8JsonReader</c>) and <c>rebuild</c> (the jobs
/// result's objects and unshared strings made again from a decoded one, no JSON read).
/// </summary>
public static class ProfileLoop
{
    private static readonly string[] Documents = ["jobs-compact", "jobs-python", "dd-project", "pets"];

    public static int Run(string[] args)
    {
        if (args.Length == 2 && args[0] == "show")
        {
            return Show(args[1]);
        }

        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: loop decode|encode ours|stj|nswag|kiota|tokens|utf8tokens|rebuild jobs-compact|jobs-python|dd-project|pets [seconds]");
            return 2;
        }

        var seconds = 10.0;
        if (args.Length > 3 && (!double.TryParse(args[3], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || !(seconds > 0)))
        {
            Console.Error.WriteLine("loop: seconds must be a positive number, not '" + args[3] + "'");
            return 2;
        }

        if (args[0] == "call")
        {
            if (args[1] is not ("ours" or "stj" or "nswag" or "kiota") || args[2] is not ("jobs" or "dd-project" or "pets"))
            {
                Console.Error.WriteLine("usage: loop call ours|stj|nswag|kiota jobs|dd-project|pets [seconds]");
                return 2;
            }

            return Call(args[1], args[2], seconds);
        }

        if (Array.IndexOf(Documents, args[2]) < 0)
        {
            Console.Error.WriteLine("loop: unknown document '" + args[2] + "' (" + string.Join(", ", Documents) + ")");
            return 2;
        }

        // Checked before the setup, which decodes the document with all four generators.
        var known = args[0] switch
        {
            "decode" => args[1] is "ours" or "stj" or "nswag" or "kiota" or "tokens" or "utf8tokens" || (args[1] == "rebuild" && args[2].StartsWith("jobs-", StringComparison.Ordinal)),
            "encode" => args[1] is "ours" or "stj" or "nswag" or "kiota",
            _ => false,
        };
        if (!known)
        {
            Console.Error.WriteLine("loop: no body '" + args[0] + " " + args[1] + "' for " + args[2] + " (rebuild is a decode floor of the jobs documents only)");
            return 2;
        }

        var subject = Subject.Create(args[2]);
        subject.Verify(Subject.Expected(args[2]));
        Func<object> body = (args[0], args[1]) switch
        {
            ("decode", "ours") => subject.DecodeOurs,
            ("decode", "stj") => subject.DecodeStj,
            ("decode", "nswag") => subject.DecodeNSwag,
            ("decode", "kiota") => subject.DecodeKiota,
            ("decode", "tokens") => subject.Tokens,
            ("decode", "utf8tokens") => subject.Utf8Tokens,
            ("decode", "rebuild") => RebuildAfterDecode(subject),
            ("encode", "ours") => () => subject.EncodeOurs(),
            ("encode", "stj") => () => subject.EncodeStj(),
            ("encode", "nswag") => () => subject.EncodeNSwag(),
            ("encode", "kiota") => () => subject.EncodeKiota(),
            _ => throw new InvalidOperationException("checked above"),
        };

        Settle(body);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var paused = GC.GetTotalPauseDuration();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var n = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            GC.KeepAlive(body());
            n++;
        }

        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[0]} {args[1]} {args[2]}: {clock.Elapsed.TotalMilliseconds / n:F2} ms wall, {cpuMs / n:F2} ms CPU, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / n} B allocated per call over {n} calls, {System.Runtime.JitInfo.GetCompiledMethodCount() - jitted} methods compiled meanwhile; per call {(double)(GC.CollectionCount(0) - gcs.Item1) / n:F2} gen0, {(double)(GC.CollectionCount(1) - gcs.Item2) / n:F2} gen1, {(double)(GC.CollectionCount(2) - gcs.Item3) / n:F2} gen2 collections, {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds / n:F2} ms paused"));
        return 0;
    }

    /// <summary>The decoded result <see cref="Subject.RebuildOurs"/> copies must exist first.</summary>
    private static Func<object> RebuildAfterDecode(Subject subject)
    {
        subject.DecodeAll();
        return subject.RebuildOurs;
    }

    /// <summary>
    /// Warms up until the JIT has settled: at least 5 calls, then until no method has been compiled for half a second
    /// (at most 20 s). Setup decodes with all four generators, so without this the background tier-1 compilation of
    /// the others' code would be charged to whichever subject runs first.
    /// </summary>
    private static void Settle(Func<object> body)
    {
        var clock = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        for (var i = 0; i < 5 || (quiet.Elapsed.TotalSeconds < 0.5 && clock.Elapsed.TotalSeconds < 20); i++)
        {
            GC.KeepAlive(body());
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quiet.Restart();
            }
        }
    }

    /// <summary><c>loop call ours|stj|nswag|kiota jobs|dd-project|pets [seconds]</c>: whole client calls in a loop.</summary>
    private static int Call(string who, string document, double seconds)
    {
        var bench = new CompareClientBenchmarks { Document = document };
        bench.Setup().GetAwaiter().GetResult();
        Func<System.Threading.Tasks.Task<int>> body = who switch
        {
            "ours" => bench.Ours,
            "stj" => bench.StjSourceGen,
            "nswag" => bench.NSwag,
            "kiota" => bench.Kiota,
            _ => throw new InvalidOperationException("checked by Run"),
        };
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var n = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            GC.KeepAlive(body().GetAwaiter().GetResult());
            n++;
        }

        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"call {who} {document}: {n / clock.Elapsed.TotalSeconds:F1} calls/s, {clock.Elapsed.TotalMilliseconds / n:F2} ms wall, {cpuMs / n:F2} ms CPU (client and server), {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / n} B allocated per call (client and server)"));
        bench.Cleanup().GetAwaiter().GetResult();
        return 0;
    }

    /// <summary><c>loop show DOCUMENT</c>: the start of what each encoder writes for the same decoded document.</summary>
    private static int Show(string document)
    {
        var subject = Subject.Create(document);
        subject.DecodeAll();
        foreach (var (who, encode) in new (string, Func<long>)[] { ("ours", subject.EncodeOurs), ("stj", subject.EncodeStj), ("nswag", subject.EncodeNSwag) })
        {
            encode();
            var bytes = who == "ours" ? subject.OursWritten : subject.StjWritten;
            Console.WriteLine(who + ": " + System.Text.Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 700)]));
        }

        Console.WriteLine("kiota: " + subject.KiotaText()[..700]);
        return 0;
    }
}
