using System.Text.Json;

namespace Cmp.Pets.NSwag;

/// <summary>Exposes the serializer options NSwag's generated client uses (its own lazily made <c>_settings</c>).</summary>
public partial class NSwagClient
{
    /// <summary>The options <c>ListJobsAsync</c> and friends deserialize with.</summary>
    public static JsonSerializerOptions SharedOptions => _settings.Value;
}
