// Calls a local stand-in of the Pet Shelter service (shelter.json) through the typed client the Toolkit.Runtime
// package generated from the document at compile time. Exits 1 when an answer is not what the service promised.
using OpenApiClient;
using OpenApiClient.Shelter;
using Toolkit.Runtime.Http;

await using var stub = await Stub.StartAsync();
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
var client = new ShelterClient(http, new ShelterClientOptions { BaseAddress = stub.BaseAddress });
Console.WriteLine($"Pet Shelter stub at {client.BaseAddress}");

var failures = new List<string>();
void Check(bool ok, string what)
{
    Console.WriteLine((ok ? "ok    " : "FAIL  ") + what);
    if (!ok)
    {
        failures.Add(what);
    }
}

var rex = await client.CreatePetAsync(new NewPet { Name = "Rex", Species = "dog", Tags = ["friendly", "large"] });
var tom = await client.CreatePetAsync(new NewPet { Name = "Tom", Species = "cat" });
Check(rex.Id > 0 && rex.Name == "Rex" && rex.Status == PetStatus.Available, $"createPet registered {rex.Name} as {rex.Id} ({rex.Status})");
Check(rex.Tags is ["friendly", "large"], "the tags were sent and read back");
Check(rex.Arrived == new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), "date-time read as a DateTimeOffset");

var all = await client.ListPetsAsync();
Check(all.Select(p => p.Name).SequenceEqual(["Tom", "Rex"]), $"listPets: {string.Join(", ", all.Select(p => p.Name))}");
var one = await client.ListPetsAsync(limit: 1, state: PetStatus.Available);
Check(one.Count == 1 && one[0].Id == tom.Id, "listPets sends limit and state as query parameters");
var shown = await client.ShowPetAsync(rex.Id);
Check(shown.Id == rex.Id && shown.Name == "Rex" && shown.Species == "dog" && shown.Tags!.SequenceEqual(rex.Tags!), "showPet gives back the same pet");

await client.RemovePetAsync(tom.Id);
try
{
    await client.ShowPetAsync(tom.Id);
    Check(false, "showPet of a removed pet throws");
}
catch (ApiException e)
{
    Check(e.StatusCode == 404 && e.Message.Contains($"no pet {tom.Id}", StringComparison.Ordinal), $"showPet of a removed pet: ApiException {e.StatusCode} \"{e.Message}\"");
}

if (failures.Count > 0)
{
    Console.Error.WriteLine($"{failures.Count} check(s) failed");
    return 1;
}

Console.WriteLine("all calls OK");
return 0;
