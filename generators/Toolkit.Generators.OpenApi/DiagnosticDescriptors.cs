using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Toolkit.Generators.OpenApi;

/// <summary>Roslyn descriptors for the parser's diagnostics (IDs match <see cref="Parsing.Diagnostics"/>).</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Toolkit.OpenApi";

    public static readonly DiagnosticDescriptor InvalidJson = new("TKO001", "Invalid JSON or YAML", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor DanglingRef = new("TKO002", "Unresolved $ref", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor Unsupported = new("TKO003", "Unsupported OpenAPI construct", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor UnionWithoutDiscriminator = new("TKO004", "oneOf/anyOf without discriminator", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor InvalidDocument = new("TKO005", "Invalid OpenAPI document", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor InvalidExtension = new("TKO006", "Invalid x-toolkit extension", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor AmbiguousResponses = new("TKO007", "Success responses of different types", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor InvalidOption = new("TKO008", "Invalid generator option", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> ById = ImmutableDictionary.CreateRange(new[]
    {
        Pair(InvalidJson), Pair(DanglingRef), Pair(Unsupported), Pair(UnionWithoutDiscriminator), Pair(InvalidDocument),
        Pair(InvalidExtension), Pair(AmbiguousResponses), Pair(InvalidOption),
    });

    private static System.Collections.Generic.KeyValuePair<string, DiagnosticDescriptor> Pair(DiagnosticDescriptor d) => new(d.Id, d);
}
