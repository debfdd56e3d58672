using Microsoft.CodeAnalysis;

namespace Toolkit.Generators.Structs;

/// <summary>Stable diagnostic ids of the struct generator (see AnalyzerReleases.Unshipped.md); the pure parser and binder use them.</summary>
internal static class DiagnosticIds
{
    public const string Syntax = "TKS001";
    public const string Duplicate = "TKS002";
    public const string Unknown = "TKS003";
    public const string Layout = "TKS004";
    public const string Derived = "TKS005";
    public const string Union = "TKS006";
    public const string Value = "TKS007";
    public const string Text = "TKS008";
    public const string Computed = "TKS009";
    public const string Internal = "TKS010";
    public const string Visitor = "TKS011";
}

/// <summary>
/// The one table of the generator's descriptors. Built with the DiagnosticDescriptor constructor, so the
/// release-tracking analyzer checks it against AnalyzerReleases.*.md.
/// </summary>
internal static class Descriptors
{
    private const string Category = "Toolkit.Structs";

    public static readonly DiagnosticDescriptor Syntax = new(DiagnosticIds.Syntax, "Struct schema syntax error", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Duplicate = new(DiagnosticIds.Duplicate, "Duplicate or colliding name in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Unknown = new(DiagnosticIds.Unknown, "Unknown type or member in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Layout = new(DiagnosticIds.Layout, "Invalid record layout in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Derived = new(DiagnosticIds.Derived, "Invalid derived field in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Union = new(DiagnosticIds.Union, "Invalid union in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Value = new(DiagnosticIds.Value, "Invalid value in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Text = new(DiagnosticIds.Text, "Invalid text structure in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Computed = new(DiagnosticIds.Computed, "Invalid computed expression in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Internal = new(DiagnosticIds.Internal, "Internal struct generator error", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Visitor = new(DiagnosticIds.Visitor, "Invalid visitor in struct schema", "{0}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticTable Table = new(Internal, Syntax, Duplicate, Unknown, Layout, Derived, Union, Value, Text, Computed, Visitor);
}
