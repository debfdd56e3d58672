
namespace Toolkit.Generators.OpenApi.Model;

/// <summary>What a schema maps to in C#.</summary>
internal enum TypeKind
{
    String,
    Int32,
    Int64,
    Double,
    Single,
    Decimal,
    Boolean,
    DateTime,
    Date,
    Guid,
    Bytes,
    Json,
    Named,
    Enum,
    Array,
    Map,
    Stream,

    /// <summary>An undiscriminated union of JSON kinds (a generated readonly struct).</summary>
    Variant,
}

/// <summary>A reference to a C# type. <see cref="Nullable"/> is the schema's own nullability.</summary>
internal sealed record TypeRef(TypeKind Kind, string? Name = null, TypeRef? Element = null, bool Nullable = false, bool WithoutOffset = false)
{
    public static TypeRef Json { get; } = new(TypeKind.Json);

    public TypeRef WithNullable(bool nullable) => Nullable == nullable ? this : this with { Nullable = nullable };

    public bool IsValueType => Kind switch
    {
        TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Single or TypeKind.Decimal or TypeKind.Boolean
            or TypeKind.DateTime or TypeKind.Date or TypeKind.Guid or TypeKind.Json or TypeKind.Enum or TypeKind.Variant => true,
        _ => false,
    };
}

internal enum DeclKind
{
    Record,
    Enum,
    Union,

    /// <summary>An undiscriminated union told apart by the JSON kind of the value; its alternatives are the properties
    /// (<see cref="PropertyDecl.JsonName"/> is the JSON kind, <see cref="PropertyDecl.CsName"/> the accessor label).
    /// With <see cref="TypeDecl.Shapes"/>, every alternative is an object (a record) told apart by the members it requires.</summary>
    Variant,
}

/// <summary>One generated model type (record, open enum struct or discriminated union base).</summary>
/// <remarks>
/// A record with <see cref="Wraps"/> is the case of its union (<see cref="BaseType"/>) for a record that derives from
/// another union: it holds that record (<see cref="Properties"/> and <see cref="AdditionalProperties"/> are the record's)
/// and reads and writes it with this union's discriminator. <see cref="WrappedProperty"/> is the record's own
/// discriminator when it is another property (skipped when read; a property named like this union's discriminator is
/// read into the record but written as the discriminator); <see cref="WrappedValue"/>, the record's value written after
/// this union's discriminator when the record's schema declares that property.
/// </remarks>
internal sealed record TypeDecl(
    DeclKind Kind,
    string Name,
    string? Description,
    EquatableArray<PropertyDecl> Properties,
    TypeRef? AdditionalProperties,
    bool EnumIsInteger,
    EquatableArray<EnumMember> Members,
    string? DiscriminatorProperty,
    EquatableArray<UnionCase> Cases,
    string? BaseType,
    string? DiscriminatorValue,
    bool Deprecated,
    EquatableArray<ShapeBranch> Shapes = default,
    string? Wraps = null,
    string? WrappedProperty = null,
    string? WrappedValue = null);

/// <summary>
/// A branch of a variant of objects told apart by their members (<see cref="TypeDecl.Shapes"/>, one per alternative, in
/// order): the alternative's accessor label and the JSON names of the members it requires.
/// </summary>
internal sealed record ShapeBranch(string Label, EquatableArray<string> Required);

/// <summary>A property of a generated record.</summary>
internal sealed record PropertyDecl(
    string JsonName,
    string CsName,
    TypeRef Type,
    bool Required,
    bool ReadOnly,
    bool WriteOnly,
    string? DefaultLiteral,
    string? Description,
    bool Deprecated);

/// <summary>A known value of an open enum.</summary>
internal sealed record EnumMember(string CsName, string Value, string? Description);

/// <summary>A discriminator value and the derived record it selects.</summary>
internal sealed record UnionCase(string DiscriminatorValue, string TypeName);

internal enum ParameterLocation
{
    Path,
    Query,
    Header,
    Cookie,
}

/// <summary>The shape of a parameter value, as in the columns of the OpenAPI "Style Examples" table.</summary>
internal enum ParameterShape
{
    Primitive,
    Array,

    /// <summary>An object: the members of a generated record (<see cref="ParameterModel.Members"/>) or a map.</summary>
    Properties,
}

/// <summary>
/// A property of an object-valued parameter; <see cref="CsNullable"/> follows the record's C# property. A
/// <see cref="Nested"/> one (an object, array, union or free-form value) is written from its JSON (<c>MemberJson</c>).
/// </summary>
internal sealed record ParameterMember(string JsonName, string CsName, TypeRef Type, bool CsNullable, bool Nested = false);

/// <summary>
/// An operation parameter (or a property of a form body, written the same way). <see cref="Json"/>: the value (a
/// primitive shape), each item (an array) or each map value is written from its JSON (<c>ItemJson</c>/<c>MemberJson</c>):
/// a content-based parameter, or a value nested deeper than the styles define.
/// </summary>
internal sealed record ParameterModel(
    string WireName,
    string ArgName,
    string PropertyName,
    ParameterLocation In,
    TypeRef Type,
    bool Required,
    bool Explode,
    string? DefaultLiteral,
    string? Description,
    string Style = "Form",
    ParameterShape Shape = ParameterShape.Primitive,
    bool AllowReserved = false,
    bool AllowEmptyValue = false,
    EquatableArray<ParameterMember> Members = default,
    bool Json = false);

internal enum BodyKind
{
    None,
    Json,
    Text,
    Binary,
    Form,
    Raw,

    /// <summary>A <c>multipart/form-data</c> body sent as typed parts (<see cref="BodyModel.Parts"/>).</summary>
    Multipart,
}

/// <summary>A request body. <see cref="Parts"/> are the parts of a multipart body, whose <see cref="Type"/> names the generated parts record;
/// <see cref="FormFields"/> are the properties of a form body, each written as a query parameter with its Encoding Object's style.</summary>
internal sealed record BodyModel(BodyKind Kind, string MediaType, TypeRef? Type, bool Required, string? Description, EquatableArray<MultipartPart> Parts = default, EquatableArray<ParameterModel> FormFields = default);

/// <summary>How a multipart part's value goes on the wire.</summary>
internal enum PartKind
{
    /// <summary>A primitive as text (a <c>format: byte</c> value as its base64 text).</summary>
    Text,

    /// <summary>A <c>format: binary</c> value: a file part with a file name and a content type.</summary>
    File,

    /// <summary>An object, map or free-form value as a JSON part.</summary>
    Json,
}

/// <summary>A header a part carries (from the Encoding Object's <c>headers</c>), set through a string property of the parts record.</summary>
internal sealed record PartHeader(string WireName, string CsName, bool Required, string? Description);

/// <summary>
/// One part of a multipart body: a property of the body schema. <see cref="Type"/> is the element type when
/// <see cref="Repeated"/> (an array property: one part per element, all with the same name).
/// </summary>
internal sealed record MultipartPart(
    string Name,
    string CsName,
    PartKind Kind,
    TypeRef Type,
    bool Repeated,
    bool Required,
    bool Nullable,
    string? ContentType,
    EquatableArray<PartHeader> Headers,
    string? Description);

/// <summary>One documented response of an operation.</summary>
internal sealed record ResponseModel(
    string Status,
    bool IsSuccess,
    BodyKind Kind,
    TypeRef? Type,
    string? MediaType,
    bool None,
    string? Description,
    string? ExceptionType,
    EquatableArray<string> NoneBodies = default);

/// <summary>One operation of a client.</summary>
internal sealed record OperationModel(
    string Name,
    string OperationId,
    string Method,
    string Path,
    string? Summary,
    string? Description,
    bool Deprecated,
    EquatableArray<ParameterModel> Parameters,
    BodyModel? Body,
    EquatableArray<ResponseModel> Responses,
    string? RequestRecordName,
    BodyKind ResultKind,
    TypeRef? ResultType,
    bool ResultNullable);

/// <summary>A service exception type declared through <c>x-toolkit-errors</c>.</summary>
internal sealed record ExceptionDecl(string Name, string? BaseName, string? Description);

/// <summary>A status code (or range such as <c>4XX</c>, or <c>default</c>) mapped to an exception type.</summary>
internal sealed record StatusMapping(string Status, string ExceptionName);

/// <summary>The error model of a document.</summary>
internal sealed record ErrorModel(
    string RootName,
    EquatableArray<ExceptionDecl> Exceptions,
    EquatableArray<StatusMapping> Statuses,
    string? MessageProperty,
    string? RootBase = null);

/// <summary>A header that carries credentials (from <c>components.securitySchemes</c>).</summary>
internal sealed record AuthHeader(string SchemeName, string HeaderName, string? Description);

/// <summary>The client-level part of a document: everything the client class needs.</summary>
internal sealed record ClientModel(
    string Namespace,
    string ClientName,
    string? Title,
    string? Description,
    string? Version,
    string? DefaultServer,
    EquatableArray<OperationModel> Operations,
    ErrorModel? Errors,
    EquatableArray<AuthHeader> AuthHeaders);

/// <summary>One model type with the context it is emitted in (one generated file each).</summary>
internal sealed record TypeUnit(string Namespace, string ClientName, TypeDecl Decl, string SourcePath, long MaxSourceBytes = DocumentOptions.DefaultMaxSourceBytes);

/// <summary>The result of parsing one document.</summary>
internal sealed record DocumentModel(
    string Path,
    string HintKey,
    ClientModel? Client,
    EquatableArray<TypeUnit> Types,
    EquatableArray<DiagnosticInfo> Diagnostics,
    long MaxSourceBytes = DocumentOptions.DefaultMaxSourceBytes);

/// <summary>Per-file options coming from MSBuild item metadata or the document.</summary>
/// <remarks><see cref="HintKey"/> names the document in generated file names: its path relative to the project when the
/// build says where that is, so the names (and <c>src/Generated</c>) are the same on every clone.
/// <see cref="MaxNodes"/> and <see cref="MaxDepth"/> are the document's budget (issue 17): the schema nodes the parser may
/// walk, counting a YAML alias or an inline schema once for every place it is used, and how deeply schemas may nest;
/// <see cref="MaxSourceBytes"/> caps each generated file (UTF-8 bytes).</remarks>
internal sealed record DocumentOptions(string? Namespace, string? ClientName, string? RootNamespace, bool KeepUnknownProperties, int MaxArguments, string? HintKey = null, int MaxNodes = DocumentOptions.DefaultMaxNodes, int MaxDepth = DocumentOptions.DefaultMaxDepth, long MaxSourceBytes = DocumentOptions.DefaultMaxSourceBytes)
{
    /// <summary>Default of <c>ToolkitOpenApiMaxSourceBytes</c>: 16 MiB per generated file (the FTS3 client, the largest today, is about 0.2 MiB).</summary>
    public const long DefaultMaxSourceBytes = 16L << 20;

    /// <summary>Default of <c>ToolkitOpenApiMaxNodes</c>: far above any real document (fts3.json walks a few hundred).</summary>
    public const int DefaultMaxNodes = 100_000;

    /// <summary>Default of <c>ToolkitOpenApiMaxDepth</c>: schemas nested (through properties, items, unions) this deep.</summary>
    public const int DefaultMaxDepth = 64;
}
