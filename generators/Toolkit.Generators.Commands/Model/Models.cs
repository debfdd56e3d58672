namespace Toolkit.Generators.Commands.Model;

/// <summary>The value type of an argument, an option value or a result field, as the schema names it.</summary>
internal enum ValueType
{
    String,
    Int,
    Int64,
    Bool,
    Lfn,
    LfnOrGuid,
    Enum,
    ReplicaSpec,
    UnixMs,
    UnixS,
    Guid,
    List,
    Map,
    Json,
}

/// <summary>How an option is written.</summary>
internal enum OptionKind
{
    Flag,
    Value,
    Repeated,
    Joined,
    Attached,
}

/// <summary>One enum word: its wire text and the C# member name.</summary>
internal sealed record EnumMember(string Wire, string Member);

/// <summary>A generated enum (an enum-typed argument or option).</summary>
internal sealed record EnumModel(string Name, string Doc, EquatableArray<EnumMember> Members);

/// <summary>A positional argument.</summary>
internal sealed record ArgModel(string Name, string Param, ValueType Type, string? EnumType, EquatableArray<EnumMember> EnumValues, bool Optional, bool Variadic, string? Default, string Help);

/// <summary>An option.</summary>
internal sealed record OptionModel(string Flag, string Name, string Param, OptionKind Kind, ValueType Type, string? EnumType, EquatableArray<EnumMember> EnumValues, string Separator, bool DefaultOn, string Help);

/// <summary>A result field of a row.</summary>
internal sealed record FieldModel(string Wire, string Property, ValueType Type, bool Required, string Separator, string? When, string Help);

/// <summary>A generated row type.</summary>
internal sealed record RowModel(string Name, string Command, string Doc, EquatableArray<FieldModel> Fields);

/// <summary>One command of the schema.</summary>
internal sealed record CommandModel(string Wire, string Pascal, bool IsClient, string Summary, string Help, EquatableArray<string> ApiFlags, EquatableArray<string> Requires, EquatableArray<ArgModel> Args, EquatableArray<OptionModel> Options, string? RowType);

/// <summary>Everything emitted for one schema file.</summary>
internal sealed record SchemaModel(string Path, string HintKey, string Namespace, string Prefix, EquatableArray<CommandModel> Commands, EquatableArray<RowModel> Rows, EquatableArray<EnumModel> Enums, long MaxSourceBytes);

/// <summary>The per-file options and budgets.</summary>
internal sealed record SchemaOptions(string? Namespace, string? RootNamespace, int MaxNodes = SchemaOptions.DefaultMaxNodes, long MaxSchemaBytes = SchemaOptions.DefaultMaxSchemaBytes, long MaxSourceBytes = SchemaOptions.DefaultMaxSourceBytes)
{
    /// <summary>Default of <c>ToolkitCommandsMaxNodes</c>: nodes walked (aliases count once per use).</summary>
    public const int DefaultMaxNodes = 100_000;

    /// <summary>Default of <c>ToolkitCommandsMaxSchemaBytes</c>: the schema's size in characters.</summary>
    public const long DefaultMaxSchemaBytes = 2L * 1024 * 1024;

    /// <summary>Default of <c>ToolkitCommandsMaxSourceBytes</c>: one generated file.</summary>
    public const long DefaultMaxSourceBytes = 8L * 1024 * 1024;
}

/// <summary>The parse of one schema: the model when there was no error, and every diagnostic.</summary>
internal sealed record ParseResult(SchemaModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
