using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.CodeAnalysis;
using Toolkit.Generators.Commands.Model;
using Toolkit.Generators.Commands.Parsing;

namespace Toolkit.Commands.Tests;

/// <summary>
/// The generator's invariant: for any schema, hostile names included, either an error is reported and nothing is
/// generated, or the output compiles with no warning (Nullable, warning level 9999, missing docs as errors). And the
/// parser never throws, whatever the text.
/// </summary>
public sealed class InvariantTests
{
    private static readonly string[] Names = { "ls", "class", "long", "event", "a b", "", "x\"y", "é", "日本", "ToString", "message", "context", "api", "cancellationToken", "_1", "1a", "a-b", "a_b", "AB", "Read", "Value", "Alien", "AlienCommands", "-", "\\", "*/", "<x>", "\u2028", "Find", "All", "Equals" };
    private static readonly string[] ArgTypes = { "string", "int", "int64", "lfn", "lfn-or-guid", "enum", "replica-spec", "bool", "nope" };
    private static readonly string[] FieldTypes = { "string", "lfn", "int", "int64", "bool", "unix-ms", "unix-s", "guid", "list", "map", "json", "float" };
    private static readonly string[] Kinds = { "flag", "value", "repeated", "joined", "attached", "other" };
    private static readonly string[] Flags = { "-a", "-b", "-pwd=", "-l", "--x", "bad", "-a", "-\"", "-é" };

    private static Gen<string> Name => Gen.Elements(Names);

    private static Gen<Dictionary<string, object?>> Arg =>
        from name in Name
        from type in Gen.Elements(ArgTypes)
        from optional in Gen.Elements(true, false)
        from variadic in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
        from values in Gen.ListOf(Name).Select(l => l.Take(3).ToArray())
        from def in Gen.Elements<object?>(null, null, "x", 3, "read")
        select Obj(("name", name), ("type", type), ("optional", optional), ("variadic", variadic), ("values", type == "enum" ? values : null), ("default", def), ("help", name));

    private static Gen<Dictionary<string, object?>> Option =>
        from flag in Gen.Elements(Flags)
        from name in Name
        from kind in Gen.Elements(Kinds)
        from type in Gen.Elements(ArgTypes)
        from values in Gen.ListOf(Name).Select(l => l.Take(3).ToArray())
        from def in Gen.Elements<object?>(null, true, false, 1)
        select Obj(("flag", flag), ("name", name), ("kind", kind == "flag" ? null : kind), ("type", kind == "flag" ? null : type), ("values", type == "enum" && kind != "flag" ? values : null), ("default", def), ("help", name));

    private static Gen<Dictionary<string, object?>> Result =>
        from row in Gen.Elements<string?>(null, "Row", "LsEntry", "class", "AlienVerbs", "R1")
        from fields in Gen.ListOf(Gen.Zip(Name, Gen.Elements(FieldTypes), (n, t) => (n, t)).SelectMany(nt => Gen.Elements(true, false).Select(req => (nt.n, nt.t, req)))).Select(l => l.Take(5).ToArray())
        from when in Gen.Elements<string?>(null, "a", "-a")
        select Obj(("row", row), ("fields", Fields(fields, when)));

    private static Dictionary<string, object?> Fields((string Name, string Type, bool Required)[] fields, string? when)
        => fields.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => (object?)Obj(("type", g.First().Type), ("required", g.First().Required), ("when", g.First().Required ? null : when)));

    private static Gen<Dictionary<string, object?>> Command =>
        from kind in Gen.Frequency((5, Gen.Constant("server")), (1, Gen.Constant("client")))
        from args in Gen.ListOf(Arg).Select(l => l.Take(3).ToArray())
        from options in Gen.ListOf(Option).Select(l => l.Take(4).ToArray())
        from hasResult in Gen.Elements(true, false)
        from result in Result
        from summary in Name
        select Obj(("kind", kind), ("summary", summary), ("help", summary + "\n" + summary), ("api_flags", new[] { "-nomsg" }), ("args", args), ("options", options), ("result", hasResult ? result : null));

    public static Arbitrary<string> SchemaArb() => (
        from prefix in Gen.Elements("Alien", "X", "class", "1")
        from commands in Gen.ListOf(Gen.Zip(Name, Command)).Select(l => l.Take(4).ToArray())
        select JsonSerializer.Serialize(Obj(("commands-schema", 1), ("name", prefix), ("commands", commands.GroupBy(c => c.Item1).ToDictionary(g => g.Key, g => (object?)g.First().Item2))), InvariantJson.Default.DictionaryStringObject)).ToArbitrary();

    private static Dictionary<string, object?> Obj(params (string Key, object? Value)[] members)
        => members.Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value);

    [Property(MaxTest = 60, Arbitrary = new[] { typeof(InvariantTests) })]
    public bool OutputCompilesCleanOrNothingIsEmitted(string schema)
    {
        var r = Harness.Run("random.json", schema);
        if (r.GeneratorDiagnostics.Any(d => d.Id == "TKC009"))
        {
            return false;
        }

        return r.Errors.Any() ? r.Sources.IsEmpty : r.Sources.Length == 4 && r.CompileDiagnostics.IsEmpty;
    }

    [Property(MaxTest = 1000)]
    public bool TheParserNeverThrows(NonNull<string> text, bool yaml)
    {
        var r = CommandSchemaParser.Parse(yaml ? "x.yaml" : "x.json", "commands-schema: 1\n" + text.Get, new SchemaOptions(null, null), "x");
        return r.Model is null == r.Diagnostics.Any(d => d.Id is not "TKC008");
    }

    [Fact]
    public void ASchemaWithEveryHostileNameStillCompiles()
    {
        var yaml = "commands-schema: 1\ncommands:\n  \"class\":\n    args:\n      - {name: \"long\"}\n      - {name: \"日本 x\", optional: true}\n    options:\n      - {flag: \"-\\\"\", name: \"event\"}\n    result:\n      fields:\n        \"operator\": string\n        \"x*/y\": int64\n";
        var r = Harness.Run("k.yaml", yaml);
        Harness.AssertClean(r);
        Assert.Contains(r.Sources, s => s.SourceText.ToString().Contains("ClassAsync(string @long, string? x = null", StringComparison.Ordinal));
    }
}

/// <summary>STJ source generation for the random schemas.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object?>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object?>[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
[System.Text.Json.Serialization.JsonSerializable(typeof(bool))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class InvariantJson : System.Text.Json.Serialization.JsonSerializerContext
{
}
