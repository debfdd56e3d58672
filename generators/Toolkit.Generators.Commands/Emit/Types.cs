using System.Globalization;
using Toolkit.Generators.Commands.Model;
using ValueType = Toolkit.Generators.Commands.Model.ValueType;

namespace Toolkit.Generators.Commands.Emit;

/// <summary>C# type names and wire conversions shared by the emitters. Every runtime type is written with global::.</summary>
internal static class Types
{
    public const string Rt = "global::Toolkit.JAliEn.";
    public const string Inv = "global::System.Globalization.CultureInfo.InvariantCulture";

    public static string Hash(string text)
    {
        // FNV-1a: a stable hint-name suffix (string.GetHashCode differs between runs).
        var h = 2166136261u;
        foreach (var c in text)
        {
            h = unchecked((h ^ c) * 16777619u);
        }

        return h.ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>The C# type of one value (not a sequence), without nullability.</summary>
    public static string Scalar(ValueType t, string? enumType) => t switch
    {
        ValueType.Int => "int",
        ValueType.Int64 => "long",
        ValueType.Bool => "bool",
        ValueType.Enum => enumType ?? "string",
        ValueType.ReplicaSpec => Rt + "AlienReplicaSpec",
        ValueType.UnixMs or ValueType.UnixS => "global::System.DateTimeOffset",
        ValueType.Guid => "global::System.Guid",
        ValueType.List => "global::System.Collections.Generic.IReadOnlyList<string>",
        ValueType.Map => "global::System.Collections.Generic.IReadOnlyDictionary<string, string>",
        ValueType.Json => "global::System.Text.Json.JsonElement",
        _ => "string",
    };

    public static bool IsNumeric(ValueType t) => t is ValueType.Int or ValueType.Int64;

    /// <summary>The C# parameter of an argument (type, name and default).</summary>
    public static string ArgParam(ArgModel a)
    {
        if (a.Variadic)
        {
            var item = a.Type == ValueType.Int64 ? "long" : "string";
            return "global::System.Collections.Generic.IEnumerable<" + item + ">" + (a.Optional ? "? " + a.Param + " = null" : " " + a.Param);
        }

        var type = Scalar(a.Type, a.EnumType);
        if (a.Default is not null)
        {
            return type + " " + a.Param + " = " + DefaultLiteral(a);
        }

        return a.Optional ? type + "? " + a.Param + " = null" : type + " " + a.Param;
    }

    private static string DefaultLiteral(ArgModel a) => a.Type switch
    {
        ValueType.Int => int.Parse(a.Default!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        ValueType.Int64 => long.Parse(a.Default!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L",
        ValueType.Enum => a.EnumType + "." + MemberOf(a.EnumValues, a.Default!),
        _ => CSharp.Literal(a.Default!),
    };

    public static string MemberOf(EquatableArray<EnumMember> values, string wire)
    {
        foreach (var v in values)
        {
            if (v.Wire == wire)
            {
                return v.Member;
            }
        }

        return values[0].Member;
    }

    /// <summary>The C# parameter of an option.</summary>
    public static string OptionParam(OptionModel o) => o.Kind switch
    {
        OptionKind.Flag => "bool " + o.Param + " = " + (o.DefaultOn ? "true" : "false"),
        OptionKind.Repeated => "global::System.Collections.Generic.IEnumerable<string>? " + o.Param + " = null",
        OptionKind.Joined => "global::System.Collections.Generic.IEnumerable<" + (IsNumeric(o.Type) ? "long" : "string") + ">? " + o.Param + " = null",
        _ => Scalar(o.Type, o.EnumType) + "? " + o.Param + " = null",
    };

    /// <summary>The wire text of a nullable scalar parameter (an expression of type string?).</summary>
    public static string NullableWire(string prefix, ValueType t, string? enumType, string param) => t switch
    {
        ValueType.Int or ValueType.Int64 => param + "?.ToString(" + Inv + ")",
        ValueType.Enum => "(" + param + ".HasValue ? " + prefix + "Enums.ToWire(" + param + ".Value) : null)",
        ValueType.ReplicaSpec => param + "?.ToString()",
        _ => param,
    };

    /// <summary>The wire text of a non-nullable scalar parameter.</summary>
    public static string Wire(string prefix, ValueType t, string param) => t switch
    {
        ValueType.Int or ValueType.Int64 => param + ".ToString(" + Inv + ")",
        ValueType.Enum => prefix + "Enums.ToWire(" + param + ")",
        ValueType.ReplicaSpec => param + ".ToString()",
        _ => param,
    };

    /// <summary>The runtime's AlienValueKind member for a type.</summary>
    public static string ValueKind(ValueType t) => Rt + "AlienValueKind." + t switch
    {
        ValueType.Int => "Number32",
        ValueType.Int64 => "Number64",
        ValueType.Lfn => "Lfn",
        ValueType.LfnOrGuid => "LfnOrGuid",
        ValueType.Enum => "Enum",
        ValueType.ReplicaSpec => "ReplicaSpec",
        ValueType.Bool => "None",
        _ => "Text",
    };

    /// <summary>The cursor call that reads a field of this type.</summary>
    public static string Read(FieldModel f) => f.Type switch
    {
        ValueType.Int => "cursor.ReadInt32()",
        ValueType.Int64 => "cursor.ReadInt64()",
        ValueType.Bool => "cursor.ReadBoolean()",
        ValueType.UnixMs => "cursor.ReadUnixMilliseconds()",
        ValueType.UnixS => "cursor.ReadUnixSeconds()",
        ValueType.Guid => "cursor.ReadGuid()",
        ValueType.List => "cursor.ReadList(" + CSharp.CharLiteral(f.Separator[0]) + ")",
        ValueType.Map => "cursor.ReadMap()",
        ValueType.Json => "cursor.ReadJson()",
        _ => "cursor.ReadString()",
    };

    public static bool IsValueType(ValueType t) => t is ValueType.Int or ValueType.Int64 or ValueType.Bool or ValueType.UnixMs or ValueType.UnixS or ValueType.Guid or ValueType.Json;
}
