using System;
using System.IO;
using System.Linq;
using System.Text;
using Toolkit.Generators.Common.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// Inputs afl-fuzz found crashing the generator (fuzz/README.md), replayed: each YAML file in FuzzRegressions/ must be
/// read or refused with a positioned <see cref="JsonSyntaxException"/>, and the generator must turn it into
/// diagnostics, never an exception (the compiler would report CS8785 and generate nothing).
/// </summary>
public class FuzzRegressionTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(GeneratorHarness.SourceDir(), "FuzzRegressions", "openapi-yaml")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_crashing_yaml_input_is_read_or_refused_with_a_position(string name)
    {
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(GeneratorHarness.SourceDir(), "FuzzRegressions", "openapi-yaml", name)));
        try
        {
            YamlTextParser.Parse(text);
        }
        catch (JsonSyntaxException e)
        {
            Assert.InRange(e.Offset, 0, text.Length);
        }

        // ToolkitOpenApi=true: the generator reads the file as a document whatever its content looks like.
        var perFile = new System.Collections.Generic.Dictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, string>>
        {
            ["/p/" + name] = new System.Collections.Generic.Dictionary<string, string> { ["build_metadata.AdditionalFiles.ToolkitOpenApi"] = "true" },
        };
        var result = GeneratorHarness.Run(new[] { ("/p/" + name, text) }, perFile);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "CS8785");
        Assert.All(result.GeneratorDiagnostics, d => Assert.StartsWith("TKO", d.Id, StringComparison.Ordinal));
    }
}
