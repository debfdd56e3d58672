using BenchmarkDotNet.Running;

namespace Toolkit.Bench;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/Toolkit.Bench -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
