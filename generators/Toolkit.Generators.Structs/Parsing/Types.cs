using System;
using System.Globalization;
using Toolkit.Generators.Structs.Model;

namespace Toolkit.Generators.Structs.Parsing;

/// <summary>Facts about the DSL's integer types.</summary>
internal static class Types
{
    public static bool IsSigned(string t) => t.Length > 0 && t[0] == 'i';

    public static int Bits(string t) => t.Length > 1 && int.TryParse(t.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : 0;

    public static int Bytes(string t) => Bits(t) / 8;

    public static bool Fits(string t, long v)
    {
        var bits = Bits(t);
        if (bits <= 0)
        {
            return false;
        }

        if (IsSigned(t))
        {
            return bits == 64 || (v >= -(1L << (bits - 1)) && v < 1L << (bits - 1));
        }

        return bits == 64 || (v >= 0 && v < 1L << bits);
    }

    public static int Compare(string t, long a, long b) => IsSigned(t) ? a.CompareTo(b) : ((ulong)a).CompareTo((ulong)b);

    /// <summary>C# type for a DSL integer type.</summary>
    public static string CSharp(string t) => t switch
    {
        "u8" => "byte",
        "u16" => "ushort",
        "u24" or "u32" => "uint",
        "u48" or "u56" or "u64" => "ulong",
        "i8" => "sbyte",
        "i16" => "short",
        "i24" or "i32" => "int",
        "i48" or "i56" or "i64" => "long",
        _ => "long",
    };

    /// <summary>C# type of a bit member of the given width.</summary>
    public static string BitsCSharp(int width) => width == 1 ? "bool" : width <= 8 ? "byte" : width <= 16 ? "ushort" : width <= 32 ? "uint" : "ulong";

    /// <summary>A C# literal of value <paramref name="v"/> typed as the C# type of <paramref name="t"/>.</summary>
    public static string Literal(string t, long v)
    {
        var cs = CSharp(t);
        if (IsSigned(t))
        {
            if (v == long.MinValue)
            {
                return "long.MinValue";
            }

            return cs == "long" ? v.ToString(CultureInfo.InvariantCulture) + "L" : "(" + cs + ")(" + v.ToString(CultureInfo.InvariantCulture) + ")";
        }

        var u = (ulong)v;
        return cs == "ulong" ? "0x" + u.ToString("X", CultureInfo.InvariantCulture) + "UL" : "(" + cs + ")0x" + u.ToString("X", CultureInfo.InvariantCulture) + "U";
    }

    public static string ULit(long v) => "0x" + ((ulong)v).ToString("X", CultureInfo.InvariantCulture) + "UL";

    public static string LLit(long v) => v == long.MinValue ? "long.MinValue" : v.ToString(CultureInfo.InvariantCulture) + "L";

    /// <summary>Read expression of an integer at <paramref name="span"/> start.</summary>
    public static string ReadExpr(string t, string span) => t switch
    {
        "u8" => span + "[0]",
        "i8" => "(sbyte)" + span + "[0]",
        "u16" => "global::System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(" + span + ")",
        "i16" => "global::System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(" + span + ")",
        "u32" => "global::System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(" + span + ")",
        "i32" => "global::System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(" + span + ")",
        "u64" => "global::System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(" + span + ")",
        "i64" => "global::System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(" + span + ")",
        "u24" => "global::Toolkit.Runtime.Binary.BigEndian.ReadUInt24(" + span + ")",
        "i24" => "global::Toolkit.Runtime.Binary.BigEndian.ReadInt24(" + span + ")",
        "u48" => "global::Toolkit.Runtime.Binary.BigEndian.ReadUInt48(" + span + ")",
        "i48" => "global::Toolkit.Runtime.Binary.BigEndian.ReadInt48(" + span + ")",
        "u56" => "global::Toolkit.Runtime.Binary.BigEndian.ReadUInt56(" + span + ")",
        "i56" => "global::Toolkit.Runtime.Binary.BigEndian.ReadInt56(" + span + ")",
        _ => throw new ArgumentException(t),
    };

    /// <summary>Write statement of an integer value at <paramref name="span"/> start.</summary>
    public static string WriteStmt(string t, string span, string value) => t switch
    {
        "u8" => span + "[0] = (byte)(" + value + ");",
        "i8" => span + "[0] = unchecked((byte)(" + value + "));",
        "u16" => "global::System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(" + span + ", (ushort)(" + value + "));",
        "i16" => "global::System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(" + span + ", (short)(" + value + "));",
        "u32" => "global::System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(" + span + ", (uint)(" + value + "));",
        "i32" => "global::System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(" + span + ", (int)(" + value + "));",
        "u64" => "global::System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(" + span + ", (ulong)(" + value + "));",
        "i64" => "global::System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(" + span + ", (long)(" + value + "));",
        "u24" => "global::Toolkit.Runtime.Binary.BigEndian.WriteUInt24(" + span + ", (uint)(" + value + "));",
        "i24" => "global::Toolkit.Runtime.Binary.BigEndian.WriteInt24(" + span + ", (int)(" + value + "));",
        "u48" => "global::Toolkit.Runtime.Binary.BigEndian.WriteUInt48(" + span + ", (ulong)(" + value + "));",
        "i48" => "global::Toolkit.Runtime.Binary.BigEndian.WriteInt48(" + span + ", (long)(" + value + "));",
        "u56" => "global::Toolkit.Runtime.Binary.BigEndian.WriteUInt56(" + span + ", (ulong)(" + value + "));",
        "i56" => "global::Toolkit.Runtime.Binary.BigEndian.WriteInt56(" + span + ", (long)(" + value + "));",
        _ => throw new ArgumentException(t),
    };

    /// <summary>Minimum and maximum of a type as C# long literals (max clamped to long.MaxValue).</summary>
    public static (long Min, long Max) Bounds(string t)
    {
        var bits = Bits(t);
        if (IsSigned(t))
        {
            return bits >= 64 ? (long.MinValue, long.MaxValue) : (-(1L << (bits - 1)), (1L << (bits - 1)) - 1);
        }

        return bits >= 63 ? (0, long.MaxValue) : (0, (1L << bits) - 1);
    }
}

/// <summary>Name conversions.</summary>
internal static class Naming
{
    public static string Pascal(string n) => n.Length == 0 ? n : char.ToUpperInvariant(n[0]) + n.Substring(1);

    public static string Camel(string n) => n.Length == 0 ? n : char.ToLowerInvariant(n[0]) + n.Substring(1);
}

/// <summary>Static layout facts of structs and unions.</summary>
internal static class Layout
{
    /// <summary>Size of a field when it is the same for every record, else null.</summary>
    public static int? FieldStaticSize(Member m, Func<string, Decl?> lookup, int depth = 0)
    {
        if (m.IsComputed)
        {
            return 0;
        }

        if (m.If is not null)
        {
            return null;
        }

        var t = m.Type!;
        switch (t.Kind)
        {
            case TypeKind.Int:
            case TypeKind.Bits:
                return Types.Bytes(t.IntType);
            case TypeKind.F64:
                return 8;
            case TypeKind.Bytes:
            case TypeKind.Char:
            case TypeKind.Text:
                return t.Length!.Kind == LengthKind.Fixed ? t.Length.Count : null;
            case TypeKind.Named:
            {
                var d = lookup(t.Name);
                if (d is null)
                {
                    return null;
                }

                return d.Kind == DeclKind.Enum ? Types.Bytes(d.IntType) : depth > 32 ? null : StaticSize(d, lookup, depth + 1);
            }

            default:
                return null;
        }
    }

    /// <summary>Size of every record of a struct (or of every variant of a union) when it is fixed, else null.</summary>
    public static int? StaticSize(Decl d, Func<string, Decl?> lookup, int depth = 0)
    {
        if (depth > 32)
        {
            return null;
        }

        if (d.Kind == DeclKind.Struct)
        {
            var total = 0;
            foreach (var m in d.Members)
            {
                var s = FieldStaticSize(m, lookup, depth + 1);
                if (s is null)
                {
                    return null;
                }

                total += s.Value;
            }

            return total;
        }

        if (d.Kind == DeclKind.Union)
        {
            int? size = null;
            foreach (var c in d.Cases)
            {
                var v = lookup(c.Variant);
                var s = v is null ? null : StaticSize(v, lookup, depth + 1);
                if (s is null || (size is not null && size != s))
                {
                    return null;
                }

                size = s;
            }

            return size;
        }

        return null;
    }

    /// <summary>Smallest possible encoded size.</summary>
    public static int MinSize(Decl d, Func<string, Decl?> lookup, int depth = 0)
    {
        if (depth > 32)
        {
            return 0;
        }

        if (d.Kind == DeclKind.Union)
        {
            var min = int.MaxValue;
            foreach (var c in d.Cases)
            {
                var v = lookup(c.Variant);
                min = Math.Min(min, v is null ? 0 : MinSize(v, lookup, depth + 1));
            }

            return min == int.MaxValue ? 0 : min;
        }

        var total = 0;
        foreach (var m in d.Members)
        {
            if (m.IsComputed || m.If is not null)
            {
                continue;
            }

            var t = m.Type!;
            if (t.Kind == TypeKind.Named)
            {
                var nd = lookup(t.Name);
                total += nd is null ? 0 : nd.Kind == DeclKind.Enum ? Types.Bytes(nd.IntType) : MinSize(nd, lookup, depth + 1);
            }
            else
            {
                total += FieldStaticSize(m, lookup, depth + 1) ?? 0;
            }
        }

        return total;
    }

    /// <summary>The fixed prefix: number of leading fields of static size, and their total size.</summary>
    public static (int Count, int Size) FixedPrefix(Decl d, Func<string, Decl?> lookup)
    {
        var size = 0;
        var count = 0;
        foreach (var m in d.Members)
        {
            if (m.IsComputed)
            {
                count++;
                continue;
            }

            var s = FieldStaticSize(m, lookup);
            if (s is null)
            {
                break;
            }

            size += s.Value;
            count++;
        }

        return (count, size);
    }

    /// <summary>True when a struct (without size clause) consumes all the bytes it is given.</summary>
    public static bool IsGreedy(Decl d, Func<string, Decl?> lookup, int depth = 0)
    {
        if (depth > 32)
        {
            return false;
        }

        if (d.Kind == DeclKind.Union)
        {
            foreach (var c in d.Cases)
            {
                var v = lookup(c.Variant);
                if (v is not null && IsGreedy(v, lookup, depth + 1))
                {
                    return true;
                }
            }

            return false;
        }

        if (d.Size is not null)
        {
            return false;
        }

        for (var i = d.Members.Count - 1; i >= 0; i--)
        {
            var m = d.Members[i];
            if (m.IsComputed)
            {
                continue;
            }

            var t = m.Type!;
            if (t.Kind == TypeKind.Array || (t.Length is not null && t.Length.Kind == LengthKind.Tail))
            {
                return true;
            }

            if (t.Kind == TypeKind.Named)
            {
                var nd = lookup(t.Name);
                return nd is not null && nd.Kind != DeclKind.Enum && IsGreedy(nd, lookup, depth + 1);
            }

            return false;
        }

        return false;
    }
}
