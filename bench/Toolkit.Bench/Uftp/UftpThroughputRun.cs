using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;
using Toolkit.TestSupport;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Bench.Uftp;

/// <summary>
/// <c>uftp-throughput [--size MiB] [--streams 1,2,4,8] [--modes plain,aes,blowfish,gzip] [--direction up,down]</c>:
/// uploads to and downloads from a sink uftpd peer running in another process (tests/Toolkit.Peers, built in
/// Release: <c>uftp --sink</c>), over loopback, and prints MB/s and this process's CPU seconds per GiB. Uploads send
/// a 1 MiB pseudo-random block over and over (incompressible for gzip); downloads read the sink's zero file.
/// </summary>
public static class UftpThroughputRun
{
    public static int Run(string[] args)
    {
        long sizeMiB = 1024;
        int[] streams = [1, 2, 4, 8];
        string[] modes = ["plain", "aes", "blowfish", "gzip"];
        string[] directions = ["up", "down"];
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--size":
                    sizeMiB = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--streams":
                    streams = Array.ConvertAll(args[i + 1].Split(','), s => int.Parse(s, CultureInfo.InvariantCulture));
                    break;
                case "--modes":
                    modes = args[i + 1].Split(',');
                    break;
                case "--direction":
                    directions = args[i + 1].Split(',');
                    break;
                default:
                    Console.Error.WriteLine("unknown argument " + args[i]);
                    return 2;
            }
        }

        return RunAsync(sizeMiB << 20, streams, modes, directions).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(long size, int[] streams, string[] modes, string[] directions)
    {
        string peerDll = RepoPaths.Combine("tests", "Toolkit.Peers", "bin", "Release", "net10.0", "Toolkit.Peers.dll");
        if (!File.Exists(peerDll))
        {
            Console.Error.WriteLine("build the peer first: dotnet build tests/Toolkit.Peers -c Release");
            return 2;
        }

        string root = Directory.CreateTempSubdirectory("uftp-sink-").FullName;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { peerDll, "uftp", "--listen", "127.0.0.1:0", "--auth", "127.0.0.1:0", "--user", "bench:bench", "--root", root, "--sink", "--max-streams", "8" })
        {
            psi.ArgumentList.Add(a);
        }

        using var peer = Process.Start(psi)!;
        try
        {
            var authUrl = new Uri((await peer.StandardOutput.ReadLineAsync())!.Trim());
            using var http = HttpPipeline.CreateClient(null, new SocketsHttpHandler(), new BasicAuthHandler("bench", "bench"));
            var block = new byte[1 << 20];
            new Random(42).NextBytes(block);
            Console.WriteLine($"UFTP loopback throughput, {size >> 20} MiB per run, sink peer in a separate process, {Environment.ProcessorCount} cores");
            Console.WriteLine("| direction | mode | streams | MB/s | client CPU s/GiB | peak working set MiB |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var direction in directions)
            {
                foreach (var mode in modes)
                {
                    foreach (int n in streams)
                    {
                        var request = new UftpAuthRequest
                        {
                            StreamCount = n,
                            Compress = mode == "gzip",
                            Encryption = mode switch
                            {
                                "aes" => UftpEncryption.Generate(UftpCipherAlgorithm.Aes),
                                "blowfish" => UftpEncryption.Generate(UftpCipherAlgorithm.Blowfish),
                                _ => null,
                            },
                        };
                        await using var session = await UftpClient.ConnectAsync(http, authUrl, request);
                        GC.Collect();
                        var me = Process.GetCurrentProcess();
                        me.Refresh();
                        var cpu0 = me.TotalProcessorTime;
                        var clock = Stopwatch.StartNew();
                        if (direction == "up")
                        {
                            var w = await session.OpenWriteAsync("sink.bin", size);
                            await using (w)
                            {
                                for (long sent = 0; sent < size; sent += block.Length)
                                {
                                    await w.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, size - sent)));
                                }

                                await w.CompleteAsync();
                            }
                        }
                        else
                        {
                            var r = await session.OpenReadAsync("zero/" + size.ToString(CultureInfo.InvariantCulture));
                            await using (r)
                            {
                                long got = 0;
                                int k;
                                while ((k = await r.ReadAsync(block)) > 0)
                                {
                                    got += k;
                                }

                                if (got != size)
                                {
                                    throw new InvalidOperationException("short read " + got);
                                }
                            }
                        }

                        double seconds = clock.Elapsed.TotalSeconds;
                        me.Refresh();
                        double cpu = (me.TotalProcessorTime - cpu0).TotalSeconds;
                        double gib = size / (double)(1L << 30);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {direction} | {mode} | {n} | {size / seconds / 1e6:0} | {cpu / gib:0.00} | {me.PeakWorkingSet64 >> 20} |"));
                    }
                }
            }

            return 0;
        }
        finally
        {
            peer.Kill(entireProcessTree: true);
            await peer.WaitForExitAsync();
            Directory.Delete(root, recursive: true);
        }
    }
}
