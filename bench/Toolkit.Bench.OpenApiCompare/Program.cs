using BenchmarkDotNet.Running;

namespace Toolkit.Bench.OpenApiCompare;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/Toolkit.Bench.OpenApiCompare -- --filter '*' --job short</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
