using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Generators.OpenApi.Model;
using Toolkit.Generators.OpenApi.Parsing;
using Toolkit.OpenApi.Tests.Unions;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// A record that belongs to several discriminated unions (Schemas/unions.json, generated into this assembly): it
/// derives from the first union that names it; every other union gets a case record that holds it and reads and
/// writes it with that union's discriminator property and value.
/// </summary>
public class SharedCaseTests
{
    private static readonly Dog Rex = new() { Name = "Rex", Bark = true, Born = new DateOnly(2020, 2, 29) };

    [Fact]
    public void A_record_in_several_unions_compiles_without_any_diagnostic_or_warning()
    {
        var r = GeneratorHarness.Run(("/p/unions.json", GeneratorHarness.Schema("unions.json")));
        Assert.Empty(r.GeneratorDiagnostics);
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));

        var doc = OpenApiParser.Parse("/p/unions.json", GeneratorHarness.Schema("unions.json"), new DocumentOptions(null, null, null, false, 4));
        Assert.Empty(doc.Diagnostics);
        var decls = doc.Types.Select(t => t.Decl).ToDictionary(d => d.Name);

        // Dog derives from Pet, the first union that names it; its code is that of a record in one union.
        Assert.Equal("Pet", decls["Dog"].BaseType);
        Assert.Null(decls["Dog"].Wraps);
        Assert.Equal(new[] { ("canine", "AnimalDog2"), ("bird", "Bird") }, decls["Animal"].Cases.Select(c => (c.DiscriminatorValue, c.TypeName)));

        // The component schema AnimalDog keeps its name; the case record is numbered after it.
        Assert.Equal(DeclKind.Record, decls["AnimalDog"].Kind);
        Assert.Null(decls["AnimalDog"].Wraps);
        var canine = decls["AnimalDog2"];
        Assert.Equal(("Dog", "Animal", "kind", "canine", "pet_type", "dog"), (canine.Wraps, canine.BaseType, canine.DiscriminatorProperty, canine.DiscriminatorValue, canine.WrappedProperty, canine.WrappedValue));

        // Cat does not declare Pet's discriminator: it is skipped when read through Creature, never written there.
        var feline = decls["CreatureCat"];
        Assert.Equal(("Cat", "pet_type", (string?)null), (feline.Wraps, feline.WrappedProperty, feline.WrappedValue));
        Assert.Contains(feline.Properties, p => p.JsonName == "kind");
        Assert.Equal(new[] { ("Dog", "ListingDog"), ("Cat", "ListingCat") }, decls["Listing"].Cases.Select(c => (c.DiscriminatorValue, c.TypeName)));
    }

    [Fact]
    public void A_record_in_further_unions_is_TKO003_only_when_it_declares_their_discriminator_as_no_string()
    {
        // R derives from A; B (no mapping), C (two values for R) hold it; D's discriminator is R's integer 'x'.
        var json = """
            {"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{},
             "components":{"schemas":{
               "A":{"oneOf":[{"$ref":"#/components/schemas/R"}],"discriminator":{"propertyName":"t","mapping":{"r":"R"}}},
               "B":{"anyOf":[{"$ref":"#/components/schemas/R"}],"discriminator":{"propertyName":"u"}},
               "C":{"oneOf":[{"$ref":"#/components/schemas/R"}],"discriminator":{"propertyName":"t","mapping":{"c1":"R","c2":"#/components/schemas/R"}}},
               "D":{"oneOf":[{"$ref":"#/components/schemas/R"}],"discriminator":{"propertyName":"x"}},
               "R":{"type":"object","properties":{"t":{"type":"string"},"x":{"type":"integer"}}}}}}
            """;
        var r = GeneratorHarness.Run(("/p/two.json", json));
        var d = Assert.Single(r.GeneratorDiagnostics);
        Assert.Equal("TKO003", d.Id);
        Assert.Contains("'R' declares 'x', the discriminator of union 'D', as a value that is not a string", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(r.CompileDiagnostics.Select(x => x.ToString()));

        var decls = OpenApiParser.Parse("/p/two.json", json, new DocumentOptions(null, null, null, false, 4)).Types.Select(t => t.Decl).ToDictionary(x => x.Name);
        Assert.Equal(new[] { ("R", "BR") }, decls["B"].Cases.Select(c => (c.DiscriminatorValue, c.TypeName)));
        Assert.Equal(new[] { ("c1", "CR"), ("c2", "CR") }, decls["C"].Cases.Select(c => (c.DiscriminatorValue, c.TypeName)));
        Assert.Equal("c1", decls["CR"].DiscriminatorValue);
        Assert.Null(decls["CR"].WrappedProperty);
        Assert.Equal(("t", "r"), (decls["BR"].WrappedProperty, decls["BR"].WrappedValue));
        Assert.Empty(decls["D"].Cases);
        Assert.DoesNotContain("DR", decls.Keys);
    }

    [Fact]
    public void Hostile_discriminator_names_and_values_and_a_taken_case_name_still_compile_without_warnings()
    {
        // "Property" + "Index" would name the case record like the PropertyIndex member every record declares.
        var json = """
            {"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{},
             "components":{"schemas":{
               "Owner":{"oneOf":[{"$ref":"#/components/schemas/Index"}],"discriminator":{"propertyName":"*/ \" </summary>\u2028#if X","mapping":{"a\"b\\c */\n}":"Index"}}},
               "Property":{"oneOf":[{"$ref":"#/components/schemas/Index"}],"discriminator":{"propertyName":"Value","mapping":{"</c><see cref=\"x\"/>\u0085":"Index"}}},
               "Index":{"type":"object","required":["Value"],"properties":{"Value":{"type":"string"},"*/ \" </summary>\u2028#if X":{"type":"string"}}}}}}
            """;
        var r = GeneratorHarness.Run(("/p/hostile.json", json));
        Assert.Empty(r.GeneratorDiagnostics);
        Assert.Empty(r.CompileDiagnostics.Select(x => x.ToString()));
        var decls = OpenApiParser.Parse("/p/hostile.json", json, new DocumentOptions(null, null, null, false, 4)).Types.Select(t => t.Decl).ToDictionary(x => x.Name);
        Assert.Equal("PropertyIndex2", Assert.Single(decls["Property"].Cases).TypeName);
        Assert.Equal("Index", decls["PropertyIndex2"].Wraps);
    }

    [Fact]
    public void Each_union_reads_and_writes_the_record_with_its_own_discriminator()
    {
        var asPet = """{"pet_type":"dog","name":"Rex","bark":true,"born":"2020-02-29"}""";
        var asAnimal = """{"kind":"canine","pet_type":"dog","name":"Rex","bark":true,"born":"2020-02-29"}""";
        var asListing = """{"pet_type":"Dog","name":"Rex","bark":true,"born":"2020-02-29"}""";

        Assert.Equal(asPet, Text(ApiJson.Serialize<Pet>(Rex)));
        Assert.Equal(asAnimal, Text(ApiJson.Serialize<Animal>(new AnimalDog2(Rex))));
        Assert.Equal(asListing, Text(ApiJson.Serialize<Listing>(new ListingDog(Rex))));

        Assert.Equal(Rex, Assert.IsType<Dog>(ApiJson.Parse<Pet>(Encoding.UTF8.GetBytes(asPet))));
        Assert.Equal(Rex, Assert.IsType<AnimalDog2>(ApiJson.Parse<Animal>(Encoding.UTF8.GetBytes(asAnimal))).Value);
        Assert.Equal(Rex, Assert.IsType<ListingDog>(ApiJson.Parse<Listing>(Encoding.UTF8.GetBytes(asListing))).Value);

        // Exact round trips through every union, also with the members in another order on the way in.
        Assert.Equal(asPet, Text(ApiJson.Serialize(ApiJson.Parse<Pet>(Encoding.UTF8.GetBytes(asPet)))));
        Assert.Equal(asAnimal, Text(ApiJson.Serialize(ApiJson.Parse<Animal>(Encoding.UTF8.GetBytes(asAnimal)))));
        Assert.Equal(asListing, Text(ApiJson.Serialize(ApiJson.Parse<Listing>(Encoding.UTF8.GetBytes(asListing)))));
        Assert.Equal(asAnimal, Text(ApiJson.Serialize(ApiJson.Parse<Animal>(Encoding.UTF8.GetBytes("""{"name":"Rex","born":"2020-02-29","kind":"canine","bark":true}""")))));

        // The other discriminator, when the record has no property for it, is not kept as an unknown member.
        var other = """{"kind":"canine","pet_type":"something else","name":"Rex","zz":1}""";
        var read = Assert.IsType<AnimalDog2>(ApiJson.Parse<Animal>(Encoding.UTF8.GetBytes(other)));
        Assert.Equal("1", Assert.Single(read.Value.AdditionalProperties!, e => e.Key == "zz").Value.ToString());
        Assert.Equal("""{"kind":"canine","pet_type":"dog","name":"Rex","zz":1}""", Text(ApiJson.Serialize<Animal>(read)));
        Assert.Equal("""{"pet_type":"dog","name":"Rex","zz":1}""", Text(ApiJson.Serialize<Pet>(read.Value)));
    }

    [Fact]
    public void A_property_named_like_the_discriminator_is_read_into_the_record_and_written_once()
    {
        var asCreature = """{"kind":"feline","lives":9,"indoor":false}""";
        var cat = Assert.IsType<CreatureCat>(ApiJson.Parse<Creature>(Encoding.UTF8.GetBytes(asCreature))).Value;
        Assert.Equal(new Cat { Kind = "feline", Lives = 9, Indoor = false }, cat);
        Assert.Equal(asCreature, Text(ApiJson.Serialize<Creature>(new CreatureCat(cat))));
        Assert.Equal("""{"pet_type":"cat","kind":"feline","lives":9,"indoor":false}""", Text(ApiJson.Serialize<Pet>(cat)));

        // Written through Creature, the discriminator is Creature's value whatever the property holds.
        Assert.Equal("""{"kind":"feline","lives":1,"indoor":true}""", Text(ApiJson.Serialize<Creature>(new CreatureCat(new Cat { Kind = "tabby", Lives = 1 }))));

        // Pet's discriminator, which Cat does not declare, is skipped when read through Creature.
        Assert.Equal(cat, Assert.IsType<CreatureCat>(ApiJson.Parse<Creature>("""{"pet_type":"cat","kind":"feline","lives":9,"indoor":false}"""u8.ToArray())).Value);

        // A value that needs escaping, as the mapping key spells it.
        var bird = new Bird { Wingspan = 0.25 };
        var asCreatureBird = "{\"kind\":\"bird \\\"tweety\\\" <&>\\\\\",\"wingspan\":0.25}";
        Assert.Equal(asCreatureBird, Text(ApiJson.Serialize<Creature>(new CreatureBird(bird))));
        Assert.Equal(bird, Assert.IsType<CreatureBird>(ApiJson.Parse<Creature>(Encoding.UTF8.GetBytes(asCreatureBird))).Value);
        Assert.Equal("""{"kind":"bird","wingspan":0.25}""", Text(ApiJson.Serialize<Animal>(bird)));
    }

    [Fact]
    public void Unknown_or_missing_discriminators_are_errors_as_for_any_union()
    {
        // Pet's value for Dog is not one of Animal's.
        var e = Assert.Throws<JsonException>(() => ApiJson.Parse<Animal>("""{"kind":"dog","name":"Rex"}"""u8.ToArray()));
        Assert.Contains("Animal: unknown discriminator value 'dog'", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<JsonException>(() => ApiJson.Parse<Animal>("""{"pet_type":"dog","name":"Rex"}"""u8.ToArray()));
        Assert.Contains("discriminator property 'kind' is missing", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<JsonException>(() => ApiJson.Parse<Listing>("""{"pet_type":"dog","name":"Rex"}"""u8.ToArray()));
        Assert.Contains("Listing: unknown discriminator value 'dog'", e.Message, StringComparison.Ordinal);

        // A missing required member of the held record is reported as for the record.
        e = Assert.Throws<JsonException>(() => ApiJson.Parse<Animal>("""{"kind":"canine","bark":true}"""u8.ToArray()));
        Assert.Contains("'name'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new AnimalDog2(null!));
    }

    [Fact]
    public void Random_records_round_trip_through_both_unions()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<(string, bool?, int, int)>(),
            x =>
            {
                var (raw, bark, day, lives) = x;
                var name = new string((raw ?? string.Empty).Where(c => !char.IsSurrogate(c)).ToArray());
                var dog = new Dog { Name = name, Bark = bark, Born = day % 3 == 0 ? null : DateOnly.FromDayNumber(Math.Abs(day % 3_000_000)) };
                var cat = new Cat { Kind = "feline", Lives = lives, Indoor = bark ?? true };

                var viaPet = ApiJson.Serialize<Pet>(dog);
                var viaAnimal = ApiJson.Serialize<Animal>(new AnimalDog2(dog));
                Assert.Equal(dog, ApiJson.Parse<Pet>(viaPet));
                Assert.Equal(dog, Assert.IsType<AnimalDog2>(ApiJson.Parse<Animal>(viaAnimal)).Value);
                Assert.Equal(new AnimalDog2(dog), ApiJson.Parse<Animal>(viaAnimal));
                Assert.True(viaAnimal.AsSpan().SequenceEqual(ApiJson.Serialize(ApiJson.Parse<Animal>(viaAnimal))));
                Assert.True(viaPet.AsSpan().SequenceEqual(ApiJson.Serialize(ApiJson.Parse<Pet>(viaPet))));

                // What one union wrote, the other reads once its discriminator is there: the same record.
                using var written = JsonDocument.Parse(viaPet);
                Assert.Equal(name, written.RootElement.GetProperty("name").GetString());
                Assert.StartsWith("{\"kind\":\"canine\",\"pet_type\":\"dog\",", Text(viaAnimal), StringComparison.Ordinal);

                var viaCreature = ApiJson.Serialize<Creature>(new CreatureCat(cat));
                Assert.Equal(cat, Assert.IsType<CreatureCat>(ApiJson.Parse<Creature>(viaCreature)).Value);
                Assert.Equal(cat, ApiJson.Parse<Pet>(ApiJson.Serialize<Pet>(cat)));
                Assert.True(viaCreature.AsSpan().SequenceEqual(ApiJson.Serialize(ApiJson.Parse<Creature>(viaCreature))));
            }).QuickCheckThrowOnFailure();
    }

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
