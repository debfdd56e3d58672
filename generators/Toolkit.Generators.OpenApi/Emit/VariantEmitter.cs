using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Emit;

/// <summary>
/// Emits an undiscriminated union of JSON kinds (boolean | string, number | string, object | array, ...) as a
/// <c>readonly struct</c>: one constructor, <c>Is*</c>, <c>TryGet*</c> and <c>As*</c> per alternative, ordinal
/// equality, and reading that dispatches on the token kind, writing the alternative held.
/// </summary>
internal static class VariantEmitter
{
    private static readonly Dictionary<string, string> Tokens = new()
    {
        ["Boolean"] = "a boolean",
        ["Number"] = "a number",
        ["String"] = "a string",
        ["Array"] = "an array",
        ["Object"] = "an object",
    };

    /// <summary>What an alternative holds, for doc comments and messages: a JSON kind, or a record's name.</summary>
    private static string What(TypeDecl d, PropertyDecl a) => d.Shapes.Count > 0 ? "a " + a.CsName : Tokens[a.JsonName];

    public static void Emit(CodeWriter w, JsonCode code, TypeDecl d)
    {
        var alts = d.Properties.ToList();
        var expected = string.Join(" or ", alts.Select(a => What(d, a)));
        if (d.Description is not null)
        {
            w.DocTag("summary", d.Description);
        }
        else if (d.Shapes.Count > 0)
        {
            w.Line("/// <summary>One of: " + CSharp.XmlDoc(expected) + " (objects told apart by the members each requires).</summary>");
        }
        else
        {
            w.Line("/// <summary>One of: " + CSharp.XmlDoc(expected) + " (told apart by the JSON kind of the value).</summary>");
        }

        w.Line("/// <remarks>The default value holds no alternative: every <c>Is*</c> is false and writing it throws.</remarks>");
        if (d.Deprecated)
        {
            w.Line("[global::System.Obsolete(\"Deprecated by the schema.\")]");
        }

        w.Line(ModelEmitter.GeneratedCode);
        w.Open("public readonly partial struct " + d.Name + " : " + JsonCode.RtJson + "IJsonModel<" + d.Name + ">, global::System.IEquatable<" + d.Name + ">");
        w.Line("private readonly byte _kind;");
        for (var i = 0; i < alts.Count; i++)
        {
            w.Line("private readonly " + code.Type(alts[i].Type) + (alts[i].Type.IsValueType ? string.Empty : "?") + " _v" + N(i) + ";");
        }

        w.Line();
        for (var i = 0; i < alts.Count; i++)
        {
            EmitAlternative(w, code, d, alts[i], i);
        }

        EmitEquality(w, code, d, alts);
        EmitToString(w, code, d, alts);
        EmitRead(w, code, d, alts, expected);
        EmitWrite(w, code, d, alts);
        w.Close();
    }

    private static string N(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Kind(int i) => (i + 1).ToString(CultureInfo.InvariantCulture);

    private static void EmitAlternative(CodeWriter w, JsonCode code, TypeDecl d, PropertyDecl a, int i)
    {
        var type = code.Type(a.Type);
        var label = a.CsName;
        var what = What(d, a);
        if (a.Description is not null)
        {
            w.DocTag("summary", "Holds " + what + ": " + a.Description);
        }
        else
        {
            w.Line("/// <summary>Holds " + CSharp.XmlDoc(what) + ".</summary>");
        }

        w.Line("/// <param name=\"value\">The value.</param>");
        w.Open("public " + d.Name + "(" + type + " value)");
        if (!a.Type.IsValueType)
        {
            w.Line("global::System.ArgumentNullException.ThrowIfNull(value);");
        }

        w.Line("_kind = " + Kind(i) + ";");
        w.Line("_v" + N(i) + " = value;");
        w.Close();
        w.Line();
        // Implicit conversions from value types only: one from a reference type would also take a bare null
        // (`flag ? null : x` would pick it and throw), and C# allows none from an interface.
        if (a.Type.IsValueType)
        {
            w.Line("/// <summary>Holds " + CSharp.XmlDoc(what) + ".</summary>");
            w.Line("/// <param name=\"value\">The value.</param>");
            w.Line("public static implicit operator " + d.Name + "(" + type + " value) => new(value);");
            w.Line();
        }

        w.Line("/// <summary>Whether the value is " + CSharp.XmlDoc(what) + ".</summary>");
        w.Line("public bool Is" + label + " => _kind == " + Kind(i) + ";");
        w.Line();
        w.Line("/// <summary>Gets the value when it is " + CSharp.XmlDoc(what) + ".</summary>");
        w.Line("/// <param name=\"value\">The value, or the default when it is of another kind.</param>");
        w.Line("/// <returns>Whether the value is " + CSharp.XmlDoc(what) + ".</returns>");
        w.Open("public bool TryGet" + label + "(" + (a.Type.IsValueType ? string.Empty : "[global::System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] ") + "out " + type + " value)");
        w.Line("value = _v" + N(i) + (a.Type.IsValueType ? string.Empty : "!") + ";");
        w.Line("return _kind == " + Kind(i) + ";");
        w.Close();
        w.Line();
        w.Line("/// <summary>The value, which must be " + CSharp.XmlDoc(what) + ".</summary>");
        w.Line("/// <returns>The value.</returns>");
        w.Line("/// <exception cref=\"global::System.InvalidOperationException\">The value is of another kind.</exception>");
        w.Line("public " + type + " As" + label + "() => _kind == " + Kind(i) + " ? _v" + N(i) + (a.Type.IsValueType ? string.Empty : "!") + " : throw new global::System.InvalidOperationException(" + CSharp.Literal(d.Name + " does not hold " + what) + ");");
        w.Line();
    }

    private static string SameExpr(JsonCode code, TypeRef t, string a, string b) => t.Kind switch
    {
        TypeKind.String => "string.Equals(" + a + ", " + b + ", global::System.StringComparison.Ordinal)",
        TypeKind.Bytes => "global::System.MemoryExtensions.SequenceEqual<byte>(" + a + ", " + b + ")",
        TypeKind.Json => a + ".Equals(" + b + ")",
        TypeKind.Array => "global::System.Linq.Enumerable.SequenceEqual(" + a + "!, " + b + "!)",
        TypeKind.Map => "SameMap(" + a + "!, " + b + "!)",
        _ => "global::System.Collections.Generic.EqualityComparer<" + code.Type(t) + (t.IsValueType ? string.Empty : "?") + ">.Default.Equals(" + a + ", " + b + ")",
    };

    private static void EmitEquality(CodeWriter w, JsonCode code, TypeDecl d, List<PropertyDecl> alts)
    {
        w.Line("/// <summary>Same kind and equal values (strings ordinal, lists and maps element by element).</summary>");
        w.Line("/// <param name=\"other\">The other value.</param>");
        w.Line("/// <returns>Whether both are equal.</returns>");
        w.Open("public bool Equals(" + d.Name + " other)");
        w.Open("if (_kind != other._kind)");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Open("return _kind switch");
        for (var i = 0; i < alts.Count; i++)
        {
            w.Line(Kind(i) + " => " + SameExpr(code, alts[i].Type, "_v" + N(i), "other._v" + N(i)) + ",");
        }

        w.Line("_ => true,");
        w.Close(";");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public override bool Equals(object? obj) => obj is " + d.Name + " other && Equals(other);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public override int GetHashCode() => _kind switch");
        for (var i = 0; i < alts.Count; i++)
        {
            var t = alts[i].Type;
            var h = t.Kind switch
            {
                TypeKind.String => "global::System.StringComparer.Ordinal.GetHashCode(_v" + N(i) + "!)",
                TypeKind.Array or TypeKind.Map => "_v" + N(i) + "!.Count",
                TypeKind.Bytes => "_v" + N(i) + "!.Length",
                TypeKind.Json => "_v" + N(i) + ".GetHashCode()",
                _ => "_v" + N(i) + (t.IsValueType ? string.Empty : "!") + ".GetHashCode()",
            };
            w.Line(Kind(i) + " => global::System.HashCode.Combine(" + Kind(i) + ", " + h + "),");
        }

        w.Line("_ => 0,");
        w.Close(";");
        w.Line();
        w.Line("/// <summary>Equality of two values.</summary>");
        w.Line("/// <param name=\"left\">The first value.</param>");
        w.Line("/// <param name=\"right\">The second value.</param>");
        w.Line("/// <returns>Whether both are equal.</returns>");
        w.Line("public static bool operator ==(" + d.Name + " left, " + d.Name + " right) => left.Equals(right);");
        w.Line();
        w.Line("/// <summary>Inequality of two values.</summary>");
        w.Line("/// <param name=\"left\">The first value.</param>");
        w.Line("/// <param name=\"right\">The second value.</param>");
        w.Line("/// <returns>Whether they differ.</returns>");
        w.Line("public static bool operator !=(" + d.Name + " left, " + d.Name + " right) => !left.Equals(right);");
        w.Line();
        if (alts.Any(a => a.Type.Kind == TypeKind.Map))
        {
            w.Open("private static bool SameMap<T>(global::System.Collections.Generic.IReadOnlyDictionary<string, T> a, global::System.Collections.Generic.IReadOnlyDictionary<string, T> b)");
            w.Open("if (a.Count != b.Count)");
            w.Line("return false;");
            w.Close();
            w.Line();
            w.Open("foreach (var kv in a)");
            w.Open("if (!b.TryGetValue(kv.Key, out var v) || !global::System.Collections.Generic.EqualityComparer<T>.Default.Equals(kv.Value, v))");
            w.Line("return false;");
            w.Close();
            w.Close();
            w.Line();
            w.Line("return true;");
            w.Close();
            w.Line();
        }
    }

    private static void EmitToString(CodeWriter w, JsonCode code, TypeDecl d, List<PropertyDecl> alts)
    {
        _ = code;
        w.Line("/// <summary>A string as it is, a boolean or number in invariant form, anything else as compact JSON; empty for the default value.</summary>");
        w.Line("/// <returns>The text.</returns>");
        w.Open("public override string ToString() => _kind switch");
        for (var i = 0; i < alts.Count; i++)
        {
            var t = alts[i].Type;
            var v = "_v" + N(i);
            var text = t.Kind switch
            {
                TypeKind.String => v + "!",
                TypeKind.Boolean => v + " ? \"true\" : \"false\"",
                TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Single or TypeKind.Decimal => v + ".ToString(global::System.Globalization.CultureInfo.InvariantCulture)",
                TypeKind.Enum => v + ".ToString()",
                _ => "global::System.Text.Encoding.UTF8.GetString(" + JsonCode.ApiJson + ".Serialize(this))",
            };
            w.Line(Kind(i) + " => " + text + ",");
        }

        w.Line("_ => string.Empty,");
        w.Close(";");
        w.Line();
    }

    private static void EmitRead(CodeWriter w, JsonCode code, TypeDecl d, List<PropertyDecl> alts, string expected)
    {
        if (d.Shapes.Count > 0)
        {
            EmitShapeRead(w, code, d, alts);
            return;
        }

        w.Line("/// <summary>Reads the alternative of the current token's kind.</summary>");
        w.Line("/// <param name=\"reader\">The reader, on the value token; left on its last token.</param>");
        w.Line("/// <returns>The value.</returns>");
        w.Line("/// <exception cref=\"global::System.Text.Json.JsonException\">The token is of no alternative's kind, or the value does not match it.</exception>");
        w.Open("public static " + d.Name + " ReadJson(ref " + JsonCode.Reader + " reader)");
        w.Open("switch (reader.TokenType)");
        for (var i = 0; i < alts.Count; i++)
        {
            var tokens = alts[i].JsonName switch
            {
                "Boolean" => new[] { "True", "False" },
                "Number" => new[] { "Number" },
                "String" => new[] { "String" },
                "Array" => new[] { "StartArray" },
                _ => new[] { "StartObject" },
            };
            foreach (var t in tokens)
            {
                w.Line("case " + JsonCode.TokenType + "." + t + ":");
            }

            w.Line("    return new " + d.Name + "(" + code.Read(alts[i].Type, "reader") + ");");
        }

        w.Line("default:");
        w.Line("    throw " + JsonCode.ApiJson + ".Error(ref reader, " + CSharp.Literal(d.Name + ": expected " + expected + ", found ") + " + reader.TokenType.ToString());");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitShapeRead(CodeWriter w, JsonCode code, TypeDecl d, List<PropertyDecl> alts)
    {
        var required = d.Shapes.Select(s => s.Required.Count == 0
            ? "global::System.Array.Empty<string>()"
            : "new[] { " + string.Join(", ", s.Required.Select(CSharp.Literal)) + " }");
        w.Line("private static readonly " + JsonCode.RtJson + "ApiJsonShapes __Shapes = new(" + CSharp.Literal(d.Name) + ", new[] { "
            + string.Join(", ", d.Shapes.Select(s => CSharp.Literal(s.Label))) + " }, new string[][] { " + string.Join(", ", required) + " });");
        w.Line();
        w.Line("/// <summary>Reads the alternative whose required members the object has (the one requiring the most, when several).</summary>");
        w.Line("/// <remarks>" + CSharp.XmlDoc(string.Join("; ", d.Shapes.Select(s => s.Label + " requires " + (s.Required.Count == 0 ? "nothing" : string.Join(", ", s.Required))))) + ".</remarks>");

        w.Line("/// <param name=\"reader\">The reader, on the value token; left on its last token.</param>");
        w.Line("/// <returns>The value.</returns>");
        w.Line("/// <exception cref=\"global::System.Text.Json.JsonException\">The value is not an object, lacks members every alternative requires, or does not match the alternative chosen.</exception>");
        w.Open("public static " + d.Name + " ReadJson(ref " + JsonCode.Reader + " reader)");
        w.Open("switch (__Shapes.Choose(reader))");
        for (var i = 0; i < alts.Count; i++)
        {
            w.Line("case " + N(i) + ":");
            w.Line("    return new " + d.Name + "(" + code.Read(alts[i].Type, "reader") + ");");
        }

        w.Line("default:");
        w.Line("    throw " + JsonCode.ApiJson + ".Error(ref reader, " + CSharp.Literal(d.Name + ": no alternative chosen") + ");");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitWrite(CodeWriter w, JsonCode code, TypeDecl d, List<PropertyDecl> alts)
    {
        w.Line("/// <summary>Writes the alternative held.</summary>");
        w.Line("/// <param name=\"writer\">The writer.</param>");
        w.Line("/// <exception cref=\"global::System.InvalidOperationException\">This is the default value, which holds no alternative.</exception>");
        w.Open("public void WriteJson(" + JsonCode.Writer + " writer)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(writer);");
        w.Open("switch (_kind)");
        for (var i = 0; i < alts.Count; i++)
        {
            w.Open("case " + Kind(i) + ":");
            w.Line(code.Write(alts[i].Type, "_v" + N(i) + (alts[i].Type.IsValueType ? string.Empty : "!"), "writer"));
            w.Line("break;");
            w.Close();
        }

        w.Open("default:");
        w.Line("throw new global::System.InvalidOperationException(" + CSharp.Literal(d.Name + " holds no value (default)") + ");");
        w.Close();
        w.Close();
        w.Close();
    }
}
