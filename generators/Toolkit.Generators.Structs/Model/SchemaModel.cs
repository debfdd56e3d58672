using Microsoft.CodeAnalysis.Text;

namespace Toolkit.Generators.Structs.Model;

/// <summary>A position in a schema file (1-based line and column, character offset) with the length of the token.</summary>
internal sealed record Loc(int Line, int Column, int Length, int Offset = 0);

/// <summary>A schema diagnostic: stable id, message and position.</summary>
internal sealed record SchemaDiagnostic(string Id, string Message, string Path, Loc Loc)
{
    /// <summary>The shared equatable form, with the character span and the (zero-based) line span of the token.</summary>
    public DiagnosticInfo ToInfo()
    {
        var start = new LinePosition(System.Math.Max(0, Loc.Line - 1), System.Math.Max(0, Loc.Column - 1));
        var end = new LinePosition(start.Line, start.Character + System.Math.Max(0, Loc.Length));
        return new DiagnosticInfo(Id, Message, Path, new TextSpan(System.Math.Max(0, Loc.Offset), System.Math.Max(0, Loc.Length)), new LinePositionSpan(start, end));
    }
}

/// <summary>An inclusive value range.</summary>
internal sealed record ValueRange(long Low, long High);

/// <summary>Length of a byte/char/text field or of a record.</summary>
internal enum LengthKind
{
    Fixed,
    Tail,
    Expr,
}

/// <summary>A length: fixed count, rest of the record, or <c>field * Mul + Add</c>.</summary>
internal sealed record LengthSpec(LengthKind Kind, int Count, string Field, long Mul, long Add, Loc Loc);

/// <summary>Kinds of field types.</summary>
internal enum TypeKind
{
    Int,
    F64,
    Named,
    Bytes,
    Char,
    Text,
    Array,
    Bits,
}

/// <summary>One member of a bits word (listed from the least significant bit).</summary>
internal sealed record BitMember(string Name, string Doc, int Width, string? EnumType, long? Const, EquatableArray<ValueRange> In, bool Reserved, Loc Loc);

/// <summary>A field type.</summary>
internal sealed record TypeRef(TypeKind Kind, string IntType, string Name, LengthSpec? Length, EquatableArray<BitMember> Bits, Loc Loc);

/// <summary>Expression of a computed (<c>let</c>) member.</summary>
internal sealed record Expr(string Op, string Name, long Value, Expr? Left, Expr? Right, Loc Loc);

/// <summary>A struct member: a field or a computed property.</summary>
internal sealed record Member(
    string Name,
    string Doc,
    bool IsComputed,
    TypeRef? Type,
    long? Const,
    EquatableArray<ValueRange> In,
    string? If,
    string? As,
    bool Reserved,
    string ComputedType,
    Expr? Computed,
    Loc Loc);

/// <summary>A constraint on an inherited field: <c>name = value</c> or <c>name in ranges</c>.</summary>
internal sealed record Constraint(string Field, long? Const, EquatableArray<ValueRange> In, Loc Loc);

/// <summary>An enum member.</summary>
internal sealed record EnumMember(string Name, string Doc, long Value, Loc Loc);

/// <summary>A union case: ranges (empty = default) and the variant struct.</summary>
internal sealed record UnionCase(EquatableArray<ValueRange> Ranges, bool IsDefault, string Variant, string Doc, Loc Loc);

/// <summary>A union selector: peek <c>IntType</c> at <c>Offset</c>, shift right, mask.</summary>
internal sealed record Selector(string IntType, int Offset, int Shift, long Mask, Loc Loc);

/// <summary>Kinds of text structures.</summary>
internal enum TextKind
{
    Split,
    Pattern,
    Cgi,
    Lines,
}

/// <summary>A part of a text structure: split part, pattern capture or cgi key.</summary>
internal sealed record TextPart(string Name, string Doc, string Type, string Key, bool IsInt, Loc Loc);

/// <summary>Kinds of declarations.</summary>
internal enum DeclKind
{
    Enum,
    Struct,
    Union,
    Text,
}

/// <summary>A top-level declaration.</summary>
internal sealed record Decl(
    DeclKind Kind,
    string Name,
    string Doc,
    string Path,
    Loc Loc,
    string IntType,
    EquatableArray<EnumMember> EnumMembers,
    string? Base,
    EquatableArray<Constraint> BaseConstraints,
    LengthSpec? Size,
    EquatableArray<Member> Members,
    Selector? Selector,
    EquatableArray<UnionCase> Cases,
    TextKind TextKind,
    int Separator,
    int Trim,
    string Pattern,
    EquatableArray<TextPart> Parts);

/// <summary>The result of parsing one schema file.</summary>
internal sealed record SchemaFile(string Path, string? Namespace, Loc? NamespaceLoc, EquatableArray<Decl> Decls, EquatableArray<SchemaDiagnostic> Diagnostics)
{
    /// <summary>The file's <c>visitor</c> declarations.</summary>
    public EquatableArray<VisitorDecl> Visitors { get; init; } = EquatableArray<VisitorDecl>.Empty;
}

/// <summary>All declarations of one namespace, ready to emit (empty when the namespace has errors).</summary>
internal sealed record NamespaceModel(string Namespace, EquatableArray<Decl> Decls, string Version)
{
    /// <summary>The namespace's <c>visitor</c> declarations (bound: every name they use exists).</summary>
    public EquatableArray<VisitorDecl> Visitors { get; init; } = EquatableArray<VisitorDecl>.Empty;
}
