using System;
using System.Linq;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// Schemas with valid-but-odd constructs injected at random objects (nullable on anything, foreign $refs, mixed
/// enums, extra required names, misplaced extensions...) may warn, but the generated code always compiles.
/// The suite runs 12 seeds to stay fast; TOOLKIT_FUZZ_SEEDS=N runs more.
/// </summary>
public class InjectedConstructTests
{
    private static readonly int SeedCount = int.TryParse(Environment.GetEnvironmentVariable("TOOLKIT_FUZZ_SEEDS"), out var n) ? n : 12;

    [Fact]
    public void Schemas_with_injected_constructs_still_compile()
    {
        var sources = new[] { "lab.json", "dispatch.json", "petstore.json" }.Select(GeneratorHarness.Schema).ToArray();
        var tokens = new[] { "\"nullable\": true, ", "\"type\": \"array\", ", "\"$ref\": \"#/components/schemas/Job\", ", "\"enum\": [1, \"a\"], ", "\"required\": [\"x\", \"job_id\"], ", "\"format\": \"date-time\", ", "\"oneOf\": [{\"$ref\": \"#/components/schemas/Circle\"}], ", "\"additionalProperties\": false, ", "\"items\": {}, ", "\"default\": \"zz\", ", "\"readOnly\": true, ", "\"x-toolkit-none\": true, ", "\"x-toolkit-error\": \"LabNotFoundException\", ", "\"in\": \"header\", ", "\"explode\": false, ", "\"discriminator\": {\"propertyName\": \"kind\"}, ", "\"allOf\": [{\"$ref\": \"#/components/schemas/Shape\"}], " };
        var failures = new System.Collections.Generic.List<string>();
        var generated = 0;
        for (var seed = 0; seed < SeedCount; seed++)
        {
            var rnd = new Random(seed);
            var text = sources[rnd.Next(sources.Length)];
            for (var k = 0; k < 3; k++)
            {
                // Object starts only (not "{name}" inside path strings), and only non-empty objects.
                var positions = Enumerable.Range(0, text.Length - 1).Where(i => text[i] == '{' && char.IsWhiteSpace(text[i + 1]) && text[(i + 1)..].TrimStart()[0] == '"').ToList();
                var p = positions[rnd.Next(positions.Count)] + 1;
                text = text.Insert(p, " " + tokens[rnd.Next(tokens.Length)]);
            }

            var r = GeneratorHarness.Run(("/p/Schemas/x.json", text), ("/p/Schemas/common.json", GeneratorHarness.Schema("common.json")));
            generated += r.Run.GeneratedTrees.Length > 0 ? 1 : 0;
            if (r.CompileDiagnostics.Length > 0)
            {
                failures.Add("seed " + seed + ": " + string.Join("; ", r.CompileDiagnostics.Take(3)));
            }
        }

        Assert.Empty(failures);
        Assert.True(generated >= SeedCount / 2, "most mutated schemas must still generate code (" + generated + " did)");
    }
}
