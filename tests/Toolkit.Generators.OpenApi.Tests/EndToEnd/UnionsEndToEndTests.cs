using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Toolkit.OpenApi.Tests.Unions;
using Toolkit.Runtime.Http;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// The client generated from Schemas/unions.json against an in-process Kestrel server on 127.0.0.1: a record that
/// belongs to several unions arrives through each of them, over HTTP, as the right case holding the right record,
/// and a case record sent as a body reaches the server with its own union's discriminator.
/// </summary>
public sealed class UnionsEndToEndTests : LoopbackServer
{
    private const string Household = """
        {"pets":[{"pet_type":"dog","name":"Rex","bark":true,"born":"2020-02-29","zz":1},{"pet_type":"cat","kind":"tabby","lives":9,"indoor":false}],
         "animals":[{"kind":"canine","pet_type":"dog","name":"Fido"},{"kind":"bird","wingspan":0.25}],
         "creature":{"kind":"feline","lives":7,"indoor":true},
         "listing":{"pet_type":"Cat","lives":3}}
        """;

    private readonly ConcurrentQueue<string> _received = new();

    protected override void Map(WebApplication app)
    {
        app.MapGet("/household", (HttpContext ctx) => Json(ctx, 200, Household));
        app.MapPost("/animals", async (HttpContext ctx) =>
        {
            // The body goes back byte for byte, so what the client reads is what it wrote.
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            _received.Enqueue(body);

            // A bird of wingspan 13 is answered with a Pet where an Animal belongs ("dog" is Pet's value, not Animal's).
            await Json(ctx, 200, body.Contains("\"wingspan\":13", StringComparison.Ordinal) ? """{"kind":"dog","name":"Rex"}""" : body);
        });
    }

    private UnionsClient Client() => new(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, new UnionsClientOptions { BaseAddress = BaseAddress });

    [Fact]
    public async Task Each_union_in_a_reply_gives_its_own_case_holding_the_record()
    {
        var household = await Client().GetHouseholdAsync();

        // Pet is the first union of Dog and Cat: they derive from it. Dog keeps its unknown member.
        var rex = Assert.IsType<Dog>(household.Pets[0]);
        Assert.Equal("Rex", rex.Name);
        Assert.Equal(new DateOnly(2020, 2, 29), rex.Born);
        Assert.Equal("1", Assert.Single(rex.AdditionalProperties!, e => e.Key == "zz").Value.ToString());
        Assert.Equal(new Cat { Kind = "tabby", Lives = 9, Indoor = false }, Assert.IsType<Cat>(household.Pets[1]));

        // Animal holds Dog in a case record; Bird derives from Animal.
        Assert.Equal("Fido", Assert.IsType<AnimalDog2>(household.Animals![0]).Value.Name);
        Assert.Equal(0.25, Assert.IsType<Bird>(household.Animals[1]).Wingspan);

        // Creature's value for Cat fills Cat's own kind property; Listing uses the schema names as values.
        Assert.Equal(new Cat { Kind = "feline", Lives = 7, Indoor = true }, Assert.IsType<CreatureCat>(household.Creature).Value);
        Assert.Equal(3, Assert.IsType<ListingCat>(household.Listing).Value.Lives);
    }

    [Fact]
    public async Task A_case_record_sent_as_a_body_carries_its_unions_discriminator_and_comes_back_equal()
    {
        _received.Clear();
        var dog = new Dog { Name = "Laika", Bark = false, Born = null };
        var echoed = await Client().EchoAnimalAsync(new AnimalDog2(dog));

        Assert.Equal(new AnimalDog2(dog), echoed);
        Assert.True(_received.TryDequeue(out var sent));
        Assert.Equal("""{"kind":"canine","pet_type":"dog","name":"Laika","bark":false}""", sent); // an optional member left null is not sent

        // A record that derives from the union goes as itself.
        var bird = new Bird { Wingspan = 1.5 };
        Assert.Equal(bird, await Client().EchoAnimalAsync(bird));
        Assert.True(_received.TryDequeue(out sent));
        Assert.Equal("""{"kind":"bird","wingspan":1.5}""", sent);
    }

    [Fact]
    public async Task A_reply_with_another_unions_discriminator_value_is_a_typed_error_naming_it()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => Client().EchoAnimalAsync(new Bird { Wingspan = 13 }));
        Assert.Contains("does not match the schema", e.Message, StringComparison.Ordinal);
        Assert.Contains("Animal: unknown discriminator value 'dog'", e.Message, StringComparison.Ordinal);
        Assert.Equal(200, e.StatusCode);
    }
}
