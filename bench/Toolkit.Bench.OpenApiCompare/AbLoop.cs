using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace Toolkit.Bench.OpenApiCompare;

/// <summary>
/// <c>ab decode|encode DOC SECONDS LABEL=DIR[:who] ...</c>: builds of this benchmark (each DIR holds one, with its own
/// Toolkit.Runtime) loaded side by side in one process, each in its own load context, and run in turns of 300 ms
/// until SECONDS have passed; prints each one's CPU per call and its ratio to the first, paired turn by turn.
/// </summary>
/// <remarks>
/// For A/B figures of our own changes on a VM whose speed drifts by minutes: turns of 300 ms see the same drift, where
/// separate processes (<c>loop</c>) a minute apart do not. All builds share one heap, so ratios against the other
/// generators are taken from <c>loop</c> (one process each), not from here.
/// </remarks>
public static class AbLoop
{
    public static int Run(string[] args)
    {
        if (args.Length < 4 || args[0] is not ("decode" or "encode"))
        {
            Console.Error.WriteLine("usage: ab decode|encode jobs-compact|jobs-python|dd-project|pets SECONDS LABEL=DIR[:ours|stj|nswag|kiota] LABEL=DIR ...");
            return 2;
        }

        var kind = args[0];
        var document = args[1];
        if (document is not ("jobs-compact" or "jobs-python" or "dd-project" or "pets"))
        {
            Console.Error.WriteLine("ab: unknown document '" + document + "'");
            return 2;
        }

        if (!double.TryParse(args[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0))
        {
            Console.Error.WriteLine("ab: SECONDS must be a positive number, not '" + args[2] + "'");
            return 2;
        }

        // Each build is checked before any is loaded: a label, a directory holding this benchmark, a known generator.
        foreach (var arg in args.Skip(3))
        {
            var problem = Problem(arg);
            if (problem is not null)
            {
                Console.Error.WriteLine("ab: " + problem);
                return 2;
            }
        }

        var subjects = args.Skip(3).Select(a => Load(kind, document, a)).ToList();

        // Every build warms up until the JIT has settled (no method compiled for a second, at most 60 s).
        var quiet = Stopwatch.StartNew();
        var total = Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (quiet.Elapsed.TotalSeconds < 1 && total.Elapsed.TotalSeconds < 60)
        {
            foreach (var (_, body) in subjects)
            {
                for (var i = 0; i < 3; i++)
                {
                    GC.KeepAlive(body());
                }
            }

            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quiet.Restart();
            }
        }

        var samples = subjects.Select(_ => new List<double>()).ToArray();
        var clock = Stopwatch.StartNew();
        using var process = Process.GetCurrentProcess();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var k = 0; k < subjects.Count; k++)
            {
                var body = subjects[k].Body;
                GC.Collect();
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var turn = Stopwatch.StartNew();
                var n = 0;
                while (turn.Elapsed.TotalMilliseconds < 300)
                {
                    GC.KeepAlive(body());
                    n++;
                }

                process.Refresh();
                samples[k].Add((process.TotalProcessorTime - cpu).TotalMilliseconds / n);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind} {document}: {samples[0].Count} turns of 300 ms each, CPU ms per call; {System.Runtime.JitInfo.GetCompiledMethodCount() - compiled} methods compiled meanwhile"));
        for (var k = 0; k < subjects.Count; k++)
        {
            var s = samples[k].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{subjects[k].Label,-16} min {s[0]:F2}  p25 {s[s.Length / 4]:F2}  median {s[s.Length / 2]:F2}  mean {s.Average():F2}"));
        }

        for (var k = 1; k < subjects.Count; k++)
        {
            var r = samples[k].Zip(samples[0], (x, y) => x / y).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{subjects[k].Label} / {subjects[0].Label}: median paired ratio {r[r.Length / 2]:F3} (p25 {r[r.Length / 4]:F3}, p75 {r[3 * r.Length / 4]:F3})"));
        }

        return 0;
    }

    /// <summary>LABEL=DIR[:who] split; null parts when there is no '='.</summary>
    private static (string? Label, string? Dir, string Who) Split(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return (null, null, "ours");
        }

        var dir = arg[(eq + 1)..];
        var colon = dir.LastIndexOf(':');
        return colon > 0 ? (arg[..eq], dir[..colon], dir[(colon + 1)..]) : (arg[..eq], dir, "ours");
    }

    /// <summary>What is wrong with a build argument, or null.</summary>
    private static string? Problem(string arg)
    {
        var (label, dir, who) = Split(arg);
        if (label is null || string.IsNullOrEmpty(dir))
        {
            return "'" + arg + "' is not LABEL=DIR[:ours|stj|nswag|kiota]";
        }

        if (!File.Exists(Path.Combine(dir, "Toolkit.Bench.OpenApiCompare.dll")))
        {
            return "'" + dir + "' (build " + label + ") holds no Toolkit.Bench.OpenApiCompare.dll";
        }

        return who is "ours" or "stj" or "nswag" or "kiota" ? null : "unknown generator '" + who + "' for build " + label;
    }

    private static (string Label, Func<object> Body) Load(string kind, string document, string arg)
    {
        var (label, dir, who) = Split(arg);
        label ??= arg;
        dir ??= ".";

        var context = new BuildContext(Path.GetFullPath(dir));
        var assembly = context.LoadFromAssemblyPath(Path.Combine(context.Directory, "Toolkit.Bench.OpenApiCompare.dll"));
        var type = assembly.GetType(typeof(Subjects.Subject).FullName!, throwOnError: true)!;
        var subject = type.GetMethod(nameof(Subjects.Subject.Create))!.Invoke(null, [document])!;
        type.GetMethod(nameof(Subjects.Subject.Verify))!.Invoke(subject, [type.GetMethod(nameof(Subjects.Subject.Expected))!.Invoke(null, [document])]);
        var method = subject.GetType().GetMethod((kind == "decode" ? "Decode" : "Encode") + who switch
        {
            "ours" => "Ours",
            "stj" => "Stj",
            "nswag" => "NSwag",
            "kiota" => "Kiota",
            _ => throw new InvalidOperationException("checked by Problem"),
        })!;
        if (kind == "decode")
        {
            return (label + " (" + who + ")", method.CreateDelegate<Func<object>>(subject));
        }

        var encode = method.CreateDelegate<Func<long>>(subject);
        return (label + " (" + who + ")", () => encode());
    }

    /// <summary>One build's own assemblies (this benchmark, Toolkit.Runtime, the generated clients' dependencies); the shared framework from the default context.</summary>
    private sealed class BuildContext(string directory) : AssemblyLoadContext(directory, isCollectible: false)
    {
        public string Directory { get; } = directory;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(Directory, assemblyName.Name + ".dll");
            return File.Exists(path) && !IsShared(assemblyName.Name!) ? LoadFromAssemblyPath(path) : null;
        }

        private static bool IsShared(string name)
            => name is "netstandard" or "mscorlib" or "System"
                || (name.StartsWith("System.", StringComparison.Ordinal) && File.Exists(Path.Combine(RuntimeDir, name + ".dll")))
                || name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal);

        private static readonly string RuntimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
    }
}
