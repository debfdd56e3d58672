using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace Toolkit.Fuzz;

/// <summary>
/// <c>Toolkit.Fuzz TARGET</c> runs one fuzz target under afl-fuzz (SharpFuzz's out-of-process fork server: a stack
/// overflow or a hang ends the child, not the fuzzer). <c>Toolkit.Fuzz TARGET FILE...</c> replays inputs without afl
/// (exit 1 on the first crash, with its stack trace). Each target catches only the typed exceptions its parser
/// documents for bad input; any other exception is a crash.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Action<byte[]>> Targets = new(StringComparer.Ordinal)
    {
        ["xrdmon"] = XrdMonTarget.Run,
        ["capture"] = CaptureTarget.Run,
        ["json"] = JsonTarget.Run,
        ["openapi-json"] = GeneratorTargets.JsonText,
        ["openapi-yaml"] = GeneratorTargets.YamlText,
        ["openapi"] = GeneratorTargets.ParseAndEmit,
        ["pem"] = PemTarget.Run,
        ["uftp"] = UftpTargets.Data,
        ["uftp-control"] = UftpTargets.Control,
        ["jalien-schema"] = JAliEnTargets.Schema,
        ["jalien-reply"] = JAliEnTargets.Reply,
    };

    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--write-uftp-seeds")
        {
            UftpTargets.WriteSeeds(args[1]);
            return 0;
        }

        if (args.Length == 0 || !Targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine("usage: Toolkit.Fuzz TARGET [FILE...]; targets: " + string.Join(", ", Targets.Keys));
            return 2;
        }

        if (args.Length > 1)
        {
            foreach (var file in args.Skip(1))
            {
                try
                {
                    target(File.ReadAllBytes(file));
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine(file + ": " + e);
                    return 1;
                }
            }

            Console.WriteLine(args.Length - 1 + " inputs, no crash");
            return 0;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }
}
