using System;
using System.IO;

namespace Toolkit.TestSupport;

/// <summary>Paths inside the repository the tests run from, found above the test binaries (a CI build maps source
/// paths to <c>/_/</c>, so <c>[CallerFilePath]</c> cannot be used).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootDir = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Toolkit.slnx")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException("Toolkit.slnx not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root (the folder holding Toolkit.slnx).</summary>
    public static string Root => RootDir.Value;

    /// <summary>A path below the repository root.</summary>
    /// <param name="parts">Path segments.</param>
    public static string Combine(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

    /// <summary>The committed generated sources of one protocol project: <c>src/Generated/PROTOCOL/GENERATOR/TYPE</c>.</summary>
    /// <param name="protocol">XrdMon, Fts3, DataDispatcher, ...</param>
    /// <param name="generatorAssembly">The generator's assembly name.</param>
    /// <param name="generatorType">The generator's full type name.</param>
    public static string Generated(string protocol, string generatorAssembly, string generatorType)
        => Combine("src", "Generated", protocol, generatorAssembly, generatorType);
}
