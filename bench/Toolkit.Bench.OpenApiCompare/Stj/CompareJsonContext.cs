using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolkit.Bench.OpenApiCompare.Stj;

/// <summary>
/// System.Text.Json source generation over NSwag's DTO classes (generated at build into obj/compare/nswag): the same
/// object model as NSwag's client, with serialization code generated at compile time instead of reflection.
/// </summary>
[JsonSourceGenerationOptions]
[JsonSerializable(typeof(ICollection<Cmp.Jobs.NSwag.Job>))]
[JsonSerializable(typeof(Cmp.Dd.NSwag.Project))]
[JsonSerializable(typeof(Cmp.Pets.NSwag.Pets))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class CompareJsonContext : JsonSerializerContext;
