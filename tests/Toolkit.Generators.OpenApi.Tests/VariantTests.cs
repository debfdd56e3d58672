using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.OpenApi.Tests.Variants;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// Undiscriminated unions of JSON kinds (Schemas/variants.json, generated into this assembly): a readonly struct per
/// union, told apart by the token kind, with exact round trips, typed accessors and value equality.
/// </summary>
public class VariantTests
{
    private static Settings Parse(string json) => ApiJson.Parse<Settings>(Encoding.UTF8.GetBytes(json));

    private static string Text(Settings s) => Encoding.UTF8.GetString(ApiJson.Serialize(s));

    [Fact]
    public void Each_alternative_is_read_by_its_json_kind_with_typed_accessors()
    {
        var a = Parse("""{"verify":true,"timeout":30,"ratio":0.5,"level":{"transfer":"vo"},"tags":"x","owner":{"name":"n"},"either":false}""");
        Assert.True(a.Verify.IsBoolean && a.Verify.AsBoolean());
        Assert.False(a.Verify.IsString);
        Assert.Equal(30, a.Timeout!.Value.AsNumber());
        Assert.Equal(0.5, a.Ratio!.Value.AsNumber());
        Assert.Equal("vo", a.Level!.Value.AsObject()["transfer"]);
        Assert.True(a.Tags!.Value.TryGetString(out var tag) && tag == "x");
        Assert.Equal("n", a.Owner!.Value.AsObject().Name);
        Assert.True(a.Either!.Value.IsBoolean);
        Assert.Equal(3L, a.Retries.AsNumber());

        var b = Parse("""{"verify":"both","timeout":"2h","ratio":"2026-11-22T11:08:22Z","level":[],"tags":["p","q"],"owner":"ac4ba2be-1835-46e6-9a4e-2f1c8a0c1d00","either":"s","retries":"many"}""");
        Assert.True(b.Verify.TryGetString(out var mode));
        Assert.Equal(Mode.Both, mode);
        Assert.Equal("2h", b.Timeout!.Value.AsString());
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 8, 22, TimeSpan.Zero), b.Ratio!.Value.AsString());
        Assert.Empty(b.Level!.Value.AsArray());
        Assert.Equal(new[] { "p", "q" }, b.Tags!.Value.AsArray());
        Assert.Equal(Guid.Parse("ac4ba2be-1835-46e6-9a4e-2f1c8a0c1d00"), b.Owner!.Value.AsString());
        Assert.Equal("s", b.Either!.Value.AsString());
        Assert.Equal("many", b.Retries.AsString());
        Assert.Throws<InvalidOperationException>(() => b.Verify.AsBoolean());
    }

    [Fact]
    public void Null_is_kept_where_the_schema_allows_it_and_refused_elsewhere()
    {
        var a = Parse("""{"verify":false,"timeout":null,"either":null}""");
        Assert.Null(a.Timeout);
        Assert.Null(a.Either);
        Assert.Equal("""{"verify":false,"retries":3}""", Text(a)); // optional and null: omitted, as for any property
        var ex = Assert.Throws<JsonException>(() => Parse("""{"verify":null}"""));
        Assert.Contains("verify", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"verify":3}""", "SettingsVerify: expected a boolean or a string, found Number (at byte 10)")]
    [InlineData("""{"verify":true,"tags":{"a":1}}""", "SettingsTags: expected a string or an array, found StartObject (at byte 22)")]
    [InlineData("""{"verify":true,"timeout":1.5}""", "at byte 25")]
    [InlineData("""{"verify":"sometimes","owner":"not-a-guid"}""", "at byte 30")]
    public void A_value_of_another_kind_is_a_JsonException_naming_the_type_and_byte(string json, string expected)
    {
        var ex = Assert.Throws<JsonException>(() => Parse(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_is_by_kind_and_value_and_the_default_holds_nothing()
    {
        Assert.Equal(new SettingsTags(new[] { "a", "b" }), new SettingsTags(new List<string> { "a", "b" }));
        Assert.NotEqual(new SettingsTags(new[] { "a" }), new SettingsTags("a"));
        Assert.True((SettingsVerify)true == new SettingsVerify(true));
        Assert.True((SettingsVerify)true != (SettingsVerify)false);
        Assert.NotEqual(new SettingsVerify(Mode.Both), new SettingsVerify(new Mode("BOTH")));
        Assert.Equal(new SettingsLevel(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }), new SettingsLevel(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));
        Assert.Equal(new SettingsTimeout(7).GetHashCode(), new SettingsTimeout(7).GetHashCode());
        var none = default(SettingsVerify);
        Assert.False(none.IsBoolean || none.IsString);
        Assert.Equal(string.Empty, none.ToString());
        Assert.Throws<InvalidOperationException>(() => ApiJson.Serialize(none));
        Assert.Throws<ArgumentNullException>(() => new SettingsTimeout((string)null!));
        Assert.Equal("2h", new SettingsTimeout("2h").ToString());
        Assert.Equal("true", new SettingsVerify(true).ToString());
        Assert.Equal("[\"a\"]", new SettingsTags(new[] { "a" }).ToString());
    }

    [Fact]
    public void A_scalar_variant_is_a_query_argument()
    {
        var method = typeof(VariantsClient).GetMethod(nameof(VariantsClient.GetSettingsAsync))!;
        Assert.Equal(typeof(GetSettingsLimit?), method.GetParameters().Single(p => p.Name == "limit").ParameterType);
    }

    [Fact]
    public void Random_settings_round_trip_exactly()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var s = RandomSettings(rnd);
            var bytes = ApiJson.Serialize(s);
            var back = ApiJson.Parse<Settings>(bytes);
            Assert.Equal(s.Verify, back.Verify);
            Assert.Equal(s.Timeout, back.Timeout);
            Assert.Equal(s.Tags, back.Tags);
            Assert.Equal(s.Level, back.Level);
            Assert.Equal(s.Either, back.Either);
            Assert.Equal(s.Retries, back.Retries);
            Assert.Equal(s.Ratio, back.Ratio);
            Assert.True(bytes.AsSpan().SequenceEqual(ApiJson.Serialize(back)), Encoding.UTF8.GetString(bytes));
        }).QuickCheckThrowOnFailure();
    }

    private static readonly string[] Words = { string.Empty, "a", "both", "quote\"back\\slash", "tab\tnew\nline", "emoji 😀", "\u2028" };

    private static Settings RandomSettings(Random rnd)
    {
        string W() => Words[rnd.Next(Words.Length)];
        return new Settings
        {
            Verify = rnd.Next(3) switch { 0 => new SettingsVerify(rnd.Next(2) == 0), 1 => new SettingsVerify(Mode.KnownValues[rnd.Next(4)]), _ => new SettingsVerify(new Mode(W())) },
            Timeout = rnd.Next(3) switch { 0 => null, 1 => new SettingsTimeout(rnd.Next(int.MinValue, int.MaxValue)), _ => new SettingsTimeout(W()) },
            Ratio = rnd.Next(3) switch { 0 => null, 1 => new SettingsRatio(Math.Round(rnd.NextDouble() * 1e6, 3)), _ => new SettingsRatio(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(rnd.Next(-12, 13))).AddSeconds(rnd.Next(1_000_000))) },
            Level = rnd.Next(3) switch { 0 => null, 1 => new SettingsLevel(Enumerable.Range(0, rnd.Next(3)).ToDictionary(i => "k" + i, _ => W())), _ => new SettingsLevel(Array.Empty<ApiJsonValue>()) },
            Tags = rnd.Next(3) switch { 0 => null, 1 => new SettingsTags(W()), _ => new SettingsTags(Enumerable.Range(0, rnd.Next(4)).Select(_ => W()).ToArray()) },
            Either = rnd.Next(3) switch { 0 => null, 1 => new SettingsEither(rnd.Next(2) == 1), _ => new SettingsEither(W()) },
            Retries = rnd.Next(2) == 0 ? new SettingsRetries(rnd.NextInt64()) : new SettingsRetries(W()),
        };
    }

    [Fact]
    public void The_variants_document_generates_no_TKO004_and_compiles_clean()
    {
        var r = GeneratorHarness.Run(("/p/variants.json", GeneratorHarness.Schema("variants.json")));
        Assert.Empty(r.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        var verify = r.Output.GetTypeByMetadataName("Consumer.Variants.SettingsVerify");
        Assert.NotNull(verify);
        Assert.True(verify!.IsValueType && verify.IsReadOnly);
        Assert.Equal(
            new[] { "AsBoolean", "AsString", "IsBoolean", "IsString", "TryGetBoolean", "TryGetString" },
            verify.GetMembers().Where(m => m.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public && (m.Name.StartsWith("Is", StringComparison.Ordinal) || m.Name.StartsWith("As", StringComparison.Ordinal) || m.Name.StartsWith("TryGet", StringComparison.Ordinal))).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Two_branches_of_one_json_kind_stay_TKO004_unless_all_are_strings()
    {
        var doc = """
            {"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{},"components":{"schemas":{"A":{"type":"object","properties":{
              "v":{"oneOf":[{"type":"integer"},{"type":"number"},{"type":"string"}]},
              "w":{"oneOf":[{"type":"string","format":"uuid"},{"type":"string","format":"date-time"}]}}}}}}
            """;
        var r = GeneratorHarness.Run(("/p/t.json", doc));
        // v: an integer, a number and a string; w: two strings, which a string holds whatever their formats.
        Assert.Single(r.GeneratorDiagnostics, d => d.Id == "TKO004");
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        var w = r.Output.GetTypeByMetadataName("Consumer.T.A")!.GetMembers("W").OfType<Microsoft.CodeAnalysis.IPropertySymbol>().Single();
        Assert.Equal("string?", w.Type.ToDisplayString());
    }
}
