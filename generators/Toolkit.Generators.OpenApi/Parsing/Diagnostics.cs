using Microsoft.CodeAnalysis;

namespace Toolkit.Generators.OpenApi.Parsing;

/// <summary>
/// The generator's diagnostics: the one table of descriptors. IDs are stable (users may suppress them) and listed
/// in AnalyzerReleases.Unshipped.md. Built with the
/// DiagnosticDescriptor constructor, so the release-tracking analyzer checks this table against those files.
/// </summary>
internal static class Diagnostics
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
    public static readonly DiagnosticDescriptor OverBudget = new("TKO010", "OpenAPI document exceeds its budget", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor Internal = new("TKO009", "Internal OpenAPI generator error", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticTable Table = new(
        Internal, InvalidJson, DanglingRef, Unsupported, UnionWithoutDiscriminator, InvalidDocument, InvalidExtension, AmbiguousResponses, InvalidOption, OverBudget);
}
