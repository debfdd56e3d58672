using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.OpenApi.Tests.ShapesApi;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// Property defaults beyond scalars and enums (Schemas/shapes.json, Preferences): uuid, date, date-time, arrays
/// (empty or of literals), empty maps, empty free-form objects and arrays and a union of strings; what cannot be a
/// literal stays TKO003.
/// </summary>
public class DefaultTests
{
    [Fact]
    public void A_new_value_holds_the_schema_defaults()
    {
        var p = new Preferences();
        Assert.Equal(Guid.Parse("123e4567-e89b-12d3-a456-426614174000"), p.Id);
        Assert.Equal(new DateOnly(1985, 4, 12), p.Since);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 8, 22, 500, TimeSpan.FromHours(1)), p.At);
        Assert.Equal(TimeSpan.Zero, p.Naive.Offset);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), p.Naive);
        Assert.Empty(p.Columns);
        Assert.Equal(new long[] { 1, 2, 3 }, p.Sizes);
        Assert.Equal(new double?[] { 0.5, null }, p.Ratios);
        Assert.Equal(new[] { Mode.Fast, Mode.Safe }, p.Modes);
        Assert.Empty(p.Labels);
        Assert.Equal("{}", p.Custom.ToString());
        Assert.Equal("[]", p.Extra.ToString());
        Assert.Equal("https://example.org/blank.pdf", p.Template);
    }

    [Fact]
    public void Absent_members_read_as_the_defaults_and_present_ones_override_them()
    {
        var empty = ApiJson.Parse<Preferences>("{}"u8);
        Assert.Equal(ApiJson.Serialize(new Preferences()), ApiJson.Serialize(empty));
        var set = ApiJson.Parse<Preferences>("""{"sizes":[],"since":"2000-01-31","labels":{"a":"b"}}"""u8);
        Assert.Empty(set.Sizes);
        Assert.Equal(new DateOnly(2000, 1, 31), set.Since);
        Assert.Equal("b", set.Labels["a"]);
        Assert.Equal(new long[] { 1, 2, 3 }, new Preferences().Sizes); // each value its own array
    }

    [Fact]
    public void Random_preferences_round_trip_exactly()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var p = new Preferences
            {
                Id = rnd.Next(2) == 0 ? new Preferences().Id : Guid.NewGuid(),
                Since = new DateOnly(1900 + rnd.Next(200), 1 + rnd.Next(12), 1 + rnd.Next(28)),
                At = new DateTimeOffset(2000 + rnd.Next(50), 1, 1, 0, 0, 0, TimeSpan.FromHours(rnd.Next(-12, 13))).AddMilliseconds(rnd.Next()),
                Columns = Enumerable.Range(0, rnd.Next(3)).Select(i => "c" + i).ToArray(),
                Sizes = Enumerable.Range(0, rnd.Next(4)).Select(_ => rnd.NextInt64()).ToArray(),
                Ratios = Enumerable.Range(0, rnd.Next(4)).Select(_ => rnd.Next(2) == 0 ? (double?)null : rnd.NextDouble()).ToArray(),
                Modes = Enumerable.Range(0, rnd.Next(3)).Select(_ => rnd.Next(3) == 0 ? new Mode("other") : Mode.Safe).ToArray(),
                Labels = Enumerable.Range(0, rnd.Next(3)).ToDictionary(i => "k" + i, i => "v" + i),
            };
            var bytes = ApiJson.Serialize(p);
            var back = ApiJson.Parse<Preferences>(bytes);
            Assert.True(bytes.AsSpan().SequenceEqual(ApiJson.Serialize(back)), Encoding.UTF8.GetString(bytes));
            Assert.Equal(p.Sizes, back.Sizes);
            Assert.Equal(p.At, back.At);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_default_that_is_not_a_literal_of_its_type_stays_TKO003_and_compiles()
    {
        var doc = """
            {"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{},"components":{"schemas":{"A":{"type":"object","properties":{
              "a":{"type":"array","items":{"type":"integer"},"default":["x"]},
              "b":{"type":"string","format":"uuid","default":"not-a-uuid"},
              "c":{"type":"string","format":"date","default":"12/04/1985"},
              "d":{"type":"object","additionalProperties":{"type":"string"},"default":{"k":"v"}},
              "e":{"type":"array","items":{"type":"string"},"default":["ok","\"quoted\"\n*/"]}}}}}}
            """;
        var r = GeneratorHarness.Run(("/p/t.json", doc));
        Assert.Equal(4, r.GeneratorDiagnostics.Count(d => d.Id == "TKO003" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("default", StringComparison.Ordinal)));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void An_unsupported_default_of_a_refd_schema_is_reported_in_that_file_at_the_default()
    {
        var r = GeneratorHarness.Run(
            ("/p/api/root.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        when:\n          $ref: models/when.yaml\n"),
            ("/p/api/models/when.yaml", "type: string\nformat: date\n\ndefault: 12/04/1985\n"));
        var d = Assert.Single(r.GeneratorDiagnostics);
        Assert.Equal("TKO003", d.Id);
        Assert.Equal("/p/api/models/when.yaml", d.Location.GetLineSpan().Path);
        Assert.Equal(3, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Empty(r.CompileDiagnostics.Select(x => x.ToString()));
    }
}
