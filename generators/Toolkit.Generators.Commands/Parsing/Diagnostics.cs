using Microsoft.CodeAnalysis;

namespace Toolkit.Generators.Commands.Parsing;

/// <summary>
/// The command-schema generator's diagnostics: the one table of descriptors. IDs are stable (users may suppress the
/// warnings) and listed in AnalyzerReleases.Unshipped.md. Any error in a schema means nothing is generated for it.
/// </summary>
internal static class Diagnostics
{
    private const string Category = "Toolkit.Commands";

    public static readonly DiagnosticDescriptor InvalidText = new("TKC001", "Invalid YAML or JSON", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor InvalidSchema = new("TKC002", "Invalid command schema", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor UnknownType = new("TKC003", "Unknown type or option kind", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor Duplicate = new("TKC004", "Duplicate or conflicting name", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor InvalidName = new("TKC005", "Invalid name", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor InvalidReference = new("TKC006", "Invalid when, default or argument order", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor OverBudget = new("TKC007", "Command schema exceeds its budget", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor InvalidOption = new("TKC008", "Invalid generator option", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor Internal = new("TKC009", "Internal command generator error", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticTable Table = new(Internal, InvalidText, InvalidSchema, UnknownType, Duplicate, InvalidName, InvalidReference, OverBudget, InvalidOption);
}
