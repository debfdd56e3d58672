namespace Toolkit.Generators.OpenApi.Parsing;

/// <summary>
/// The generator's diagnostics, defined without Roslyn types so the parser stays pure. IDs are stable and listed
/// in AnalyzerReleases.Unshipped.md.
/// </summary>
internal static class Diagnostics
{
    public static readonly Descriptor InvalidJson = new("TKO001", "Invalid JSON or YAML", Level.Error);
    public static readonly Descriptor DanglingRef = new("TKO002", "Unresolved $ref", Level.Error);
    public static readonly Descriptor Unsupported = new("TKO003", "Unsupported OpenAPI construct", Level.Warning);
    public static readonly Descriptor UnionWithoutDiscriminator = new("TKO004", "oneOf/anyOf without discriminator", Level.Warning);
    public static readonly Descriptor InvalidDocument = new("TKO005", "Invalid OpenAPI document", Level.Error);
    public static readonly Descriptor InvalidExtension = new("TKO006", "Invalid x-toolkit extension", Level.Warning);
    public static readonly Descriptor AmbiguousResponses = new("TKO007", "Success responses of different types", Level.Warning);
    public static readonly Descriptor InvalidOption = new("TKO008", "Invalid generator option", Level.Warning);

    public static readonly Descriptor[] All =
    {
        InvalidJson, DanglingRef, Unsupported, UnionWithoutDiscriminator, InvalidDocument, InvalidExtension, AmbiguousResponses, InvalidOption,
    };

    internal enum Level
    {
        Warning,
        Error,
    }

    internal sealed record Descriptor(string Id, string Title, Level Level);
}
