using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolkit.Bench.BenchFts;

namespace Toolkit.Bench.OpenApi;

/// <summary>
/// <c>openapi-stream stream|buffered [megabytes]</c> (default 1024): an in-process Kestrel server answers
/// <c>GET /jobs</c> with a JSON array of FTS3-like jobs (the <see cref="JobCorpus"/> jobs repeated) of the given
/// size, and the generated client reads it with <c>ListJobsStreamAsync</c> (item by item) or <c>ListJobsAsync</c>
/// (the whole body, then the list). Prints items, seconds, CPU seconds, the peak working set and GC heap sampled
/// every 20 ms, and the bytes allocated per item. The server writes one pre-encoded chunk again and again, so
/// nearly all allocation is the client's. Run each mode in its own process: the peaks are per process.
/// </summary>
public static class StreamingMemoryRun
{
    public static int Run(string[] args)
    {
        if (args.Length < 1 || args[0] is not ("stream" or "buffered"))
        {
            Console.Error.WriteLine("usage: openapi-stream stream|buffered [megabytes]");
            return 2;
        }

        var megabytes = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1024;
        return RunAsync(args[0] == "stream", megabytes << 20).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(bool stream, long target)
    {
        const int JobsPerChunk = 1000;
        var corpus = JobCorpus.Create(JobsPerChunk);
        var chunk = corpus.AsMemory(1, corpus.Length - 2); // the jobs without the array brackets
        var chunks = (int)Math.Max(1, target / chunk.Length);
        var items = (long)chunks * JobsPerChunk;
        var total = 2 + ((long)chunks * chunk.Length) + (chunks - 1);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/jobs", (RequestDelegate)(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = total;
            await ctx.Response.Body.WriteAsync("["u8.ToArray(), ctx.RequestAborted);
            for (var i = 0; i < chunks; i++)
            {
                if (i > 0)
                {
                    await ctx.Response.Body.WriteAsync(","u8.ToArray(), ctx.RequestAborted);
                }

                await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
            }

            await ctx.Response.Body.WriteAsync("]"u8.ToArray(), ctx.RequestAborted);
        }));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new BenchFtsClient(http, new BenchFtsClientOptions { BaseAddress = address, MaxResponseBytes = Array.MaxLength });

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        long peakWorkingSet = 0, peakHeap = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                await Task.Delay(20).ConfigureAwait(false);
            }
        });
        var baseWorkingSet = process.WorkingSet64;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long seen = 0, files = 0;
        if (stream)
        {
            await foreach (var job in client.ListJobsStreamAsync())
            {
                seen++;
                files += job.Files?.Count ?? 0;
            }
        }
        else
        {
            var jobs = await client.ListJobsAsync();
            seen = jobs.Count;
            files = jobs.Sum(j => (long)(j.Files?.Count ?? 0));
            GC.KeepAlive(jobs);
        }

        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        await sampling.CancelAsync();
        await sampler;
        await app.StopAsync();
        if (seen != items)
        {
            Console.Error.WriteLine("expected " + items + " jobs, read " + seen);
            return 1;
        }

        var mib = 1024.0 * 1024.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mode={(stream ? "stream" : "buffered")} body={total / mib:F0} MiB jobs={seen} files={files} wall={clock.Elapsed.TotalSeconds:F1} s cpu={cpu.TotalSeconds:F1} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  working set before={baseWorkingSet / mib:F0} MiB peak={peakWorkingSet / mib:F0} MiB (process peak {process.PeakWorkingSet64 / mib:F0} MiB); GC heap peak={peakHeap / mib:F0} MiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  allocated={allocated / mib:F0} MiB, {allocated / (double)seen:F0} bytes per job ({allocated / (double)total:F2} bytes per body byte)"));
        return 0;
    }
}
