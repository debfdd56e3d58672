namespace Toolkit.Generators.Structs;

/// <summary>Stable diagnostic ids of the struct generator (see AnalyzerReleases.Unshipped.md).</summary>
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
