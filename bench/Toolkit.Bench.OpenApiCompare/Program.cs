using BenchmarkDotNet.Running;

namespace Toolkit.Bench.OpenApiCompare;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/Toolkit.Bench.OpenApiCompare -- --filter '*' --job short</c>;
/// <c>loop ...</c> runs one body in a loop for a profiler (<see cref="ProfileLoop"/>); <c>ab ...</c> runs builds of this
/// benchmark side by side in one process, in turns, for A/B figures (<see cref="AbLoop"/>).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "loop")
        {
            return ProfileLoop.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "ab")
        {
            return AbLoop.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
