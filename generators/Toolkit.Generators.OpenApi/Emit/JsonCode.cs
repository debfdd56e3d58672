using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Emit;

/// <summary>C# type names and ApiJsonReader/ApiJsonWriter expressions for a <see cref="TypeRef"/>.</summary>
internal sealed class JsonCode
{
    public const string Rt = "global::Toolkit.Runtime.Http.";
    public const string RtJson = "global::Toolkit.Runtime.Json.";
    public const string ApiJson = RtJson + "ApiJson";
    public const string Reader = RtJson + "ApiJsonReader";
    public const string Writer = RtJson + "ApiJsonWriter";
    public const string TokenType = "global::System.Text.Json.JsonTokenType";

    private readonly string _ns;

    public JsonCode(string ns) => _ns = ns;

    /// <summary>The C# type, without the outer nullable mark.</summary>
    public string Type(TypeRef t) => t.Kind switch
    {
        TypeKind.String => "string",
        TypeKind.Int32 => "int",
        TypeKind.Int64 => "long",
        TypeKind.Double => "double",
        TypeKind.Single => "float",
        TypeKind.Decimal => "decimal",
        TypeKind.Boolean => "bool",
        TypeKind.DateTime => "global::System.DateTimeOffset",
        TypeKind.Date => "global::System.DateOnly",
        TypeKind.Guid => "global::System.Guid",
        TypeKind.Bytes => "byte[]",
        TypeKind.Json => "global::Toolkit.Runtime.Json.ApiJsonValue",
        TypeKind.Named or TypeKind.Enum or TypeKind.Variant => "global::" + _ns + "." + t.Name,
        TypeKind.Array => "global::System.Collections.Generic.IReadOnlyList<" + Nullable(t.Element!) + ">",
        TypeKind.Map => "global::System.Collections.Generic.IReadOnlyDictionary<string, " + Nullable(t.Element!) + ">",
        TypeKind.Stream => "global::System.IO.Stream",
        _ => "object",
    };

    /// <summary>The C# type with <c>?</c> when the schema allows null.</summary>
    public string Nullable(TypeRef t) => Type(t) + (t.Nullable ? "?" : string.Empty);

    /// <summary>
    /// A statement moving the reader from a property name onto its value. The kind the schema expects picks a short
    /// path (taken when the value is of that kind, the check made at this call site); anything else, null included,
    /// goes through the general <c>Read</c>.
    /// </summary>
    public static string Advance(TypeRef t, string r)
    {
        var fast = t.Kind switch
        {
            TypeKind.String or TypeKind.DateTime or TypeKind.Date or TypeKind.Guid or TypeKind.Bytes or TypeKind.Enum => r + ".TryReadStringValue()",
            TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Single or TypeKind.Decimal => r + ".TryReadNumberValue()",
            TypeKind.Named or TypeKind.Map => r + ".TryReadStartValue((byte)'{')",
            TypeKind.Array => r + ".TryReadStartValue((byte)'[')",
            _ => null,
        };
        return fast is null
            ? ApiJson + ".Read(ref " + r + ");"
            : "if (!" + fast + ") { " + ApiJson + ".Read(ref " + r + "); }";
    }

    /// <summary>An expression reading the current token as <paramref name="t"/> (never null).</summary>
    public string Read(TypeRef t, string r, int depth = 0) => t.Kind switch
    {
        TypeKind.String => ApiJson + ".ReadString(ref " + r + ")",
        TypeKind.Int32 => ApiJson + ".ReadInt32(ref " + r + ")",
        TypeKind.Int64 => ApiJson + ".ReadInt64(ref " + r + ")",
        TypeKind.Double => ApiJson + ".ReadDouble(ref " + r + ")",
        TypeKind.Single => ApiJson + ".ReadSingle(ref " + r + ")",
        TypeKind.Decimal => ApiJson + ".ReadDecimal(ref " + r + ")",
        TypeKind.Boolean => ApiJson + ".ReadBoolean(ref " + r + ")",
        TypeKind.DateTime => ApiJson + ".ReadDateTime(ref " + r + ")",
        TypeKind.Date => ApiJson + ".ReadDate(ref " + r + ")",
        TypeKind.Guid => ApiJson + ".ReadGuid(ref " + r + ")",
        TypeKind.Bytes => ApiJson + ".ReadBytes(ref " + r + ")",
        TypeKind.Json => ApiJson + ".ReadValue(ref " + r + ")",
        TypeKind.Named or TypeKind.Enum or TypeKind.Variant => Type(t) + ".ReadJson(ref " + r + ")",
        TypeKind.Array => ApiJson + ".ReadList(ref " + r + ", " + ReadFunc(t.Element!, depth + 1) + ")",
        TypeKind.Map => ApiJson + ".ReadMap(ref " + r + ", " + ReadFunc(t.Element!, depth + 1) + ")",
        _ => ApiJson + ".ReadValue(ref " + r + ")",
    };

    /// <summary>An expression reading <paramref name="t"/>, yielding null for a JSON null when the schema allows it.</summary>
    public string ReadNullable(TypeRef t, string r, int depth = 0)
        => t.Nullable
            ? r + ".TokenType == " + TokenType + ".Null ? default(" + Type(t) + "?) : " + Read(t, r, depth)
            : Read(t, r, depth);

    /// <summary>A static lambda usable as <c>JsonReadFunc&lt;T&gt;</c>.</summary>
    public string ReadFunc(TypeRef t, int depth)
    {
        var r = "r" + depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "static (ref " + Reader + " " + r + ") => " + ReadNullable(t, r, depth);
    }

    /// <summary>A statement writing <paramref name="value"/> (a non-null expression of <paramref name="t"/>).</summary>
    public string Write(TypeRef t, string value, string w, int depth = 0) => t.Kind switch
    {
        TypeKind.String or TypeKind.Guid => w + ".WriteStringValue(" + value + ");",
        TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Single or TypeKind.Decimal => w + ".WriteNumberValue(" + value + ");",
        TypeKind.Boolean => w + ".WriteBooleanValue(" + value + ");",
        TypeKind.DateTime => w + ".WriteDateTimeValue(" + value + (t.WithoutOffset ? ", withoutOffset: true" : string.Empty) + ");",
        TypeKind.Date => w + ".WriteDateValue(" + value + ");",
        TypeKind.Bytes => w + ".WriteBase64StringValue(" + value + ");",
        TypeKind.Json => ApiJson + ".WriteValue(" + w + ", " + value + ");",
        TypeKind.Named or TypeKind.Enum or TypeKind.Variant => value + ".WriteJson(" + w + ");",
        TypeKind.Array => ApiJson + ".WriteList(" + w + ", " + value + ", " + WriteFunc(t.Element!, depth + 1) + ");",
        TypeKind.Map => ApiJson + ".WriteMap(" + w + ", " + value + ", " + WriteFunc(t.Element!, depth + 1) + ");",
        _ => w + ".WriteNullValue();",
    };

    /// <summary>
    /// Statements writing one object property: the name (a property returning the pre-encoded <c>"name":</c> bytes)
    /// and a non-null value.
    /// </summary>
    public string WriteProperty(TypeRef t, string nameField, string value, string w)
        => w + ".WritePropertyName(" + nameField + ");\n" + Write(t, value, w);

    /// <summary>A C# UTF-8 literal holding a property name as JSON text with its quotes and colon: <c>"\"name\":"u8</c>.</summary>
    public static string EncodedName(string name) => CSharp.Utf8Literal(JsonText(name) + ":");

    /// <summary>Whether a property name is written the same in JSON with no escapes (the fast name match needs that).</summary>
    public static bool IsPlainName(string name)
    {
        foreach (var c in name)
        {
            if (c < 0x20 || c == '"' || c == '\\' || char.IsSurrogate(c))
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    /// <summary>A string as JSON text, quoted, with the escapes JSON requires.</summary>
    public static string JsonText(string s)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A statement writing a possibly-null value: JSON null when it is null.</summary>
    public string WriteNullable(TypeRef t, string value, string w, int depth = 0)
    {
        if (!t.Nullable)
        {
            return Write(t, value, w, depth);
        }

        var v = "v" + depth.ToString(System.Globalization.CultureInfo.InvariantCulture) + "n";
        return "if (" + value + " is { } " + v + ") { " + Write(t, v, w, depth) + " } else { " + w + ".WriteNullValue(); }";
    }

    /// <summary>A static lambda usable as <c>Action&lt;ApiJsonWriter, T&gt;</c>.</summary>
    public string WriteFunc(TypeRef t, int depth)
    {
        var d = depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "static (w" + d + ", v" + d + ") => { " + WriteNullable(t, "v" + d, "w" + d, depth) + " }";
    }

    /// <summary>An expression formatting a non-null simple value for a URI or header.</summary>
    public static string Format(TypeRef t, string value) => t.Kind switch
    {
        TypeKind.Enum or TypeKind.Variant => value + ".ToString()",
        TypeKind.String => value,
        _ => Rt + "ApiFormat.Format(" + value + ")",
    };

    /// <summary>An <c>IEnumerable&lt;string&gt;</c> expression formatting each element of a non-null array.</summary>
    public static string FormatEach(TypeRef array, string value)
    {
        var e = array.Element!;
        var body = e.Nullable ? "x is { } y ? " + Format(e.WithNullable(false), "y") + " : string.Empty" : Format(e, "x");
        return "global::System.Linq.Enumerable.Select(" + value + ", static x => " + body + ")";
    }
}
