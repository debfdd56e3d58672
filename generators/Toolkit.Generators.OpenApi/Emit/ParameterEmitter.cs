using System;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Emit;

/// <summary>
/// Emits the statements that write an operation's parameters through the runtime's <c>ApiStyleWriter</c>: one
/// <c>Begin</c> with the style, shape, explode and encoding, a typed <c>Item</c> or <c>Member</c> call per value (no
/// LINQ, no boxing, no reflection), and <c>End</c>. Wire names reach the code only as <see cref="CSharp.Literal"/>s.
/// </summary>
internal static class ParameterEmitter
{
    private const string Rt = JsonCode.Rt;

    /// <summary>Writes the path parameter <paramref name="p"/> where the template has it.</summary>
    public static void EmitPath(CodeWriter w, JsonCode code, ParameterModel p, string expr) => EmitValue(w, code, p, expr, "__uri.Path", "Unreserved", string.Empty);

    /// <summary>Writes a form body's fields (the properties of <paramref name="body"/>) as query parameters are written, into <c>__form</c>.</summary>
    public static void EmitForm(CodeWriter w, JsonCode code, EquatableArray<ParameterModel> fields, string body)
    {
        w.Line("var __form = " + Rt + "ApiStyleWriter.ForForm();");
        foreach (var p in fields)
        {
            var v = "f_" + p.PropertyName.TrimStart('@');
            w.Open("if (" + body + "." + p.PropertyName + " is { } " + v + ")");
            EmitValue(w, code, p, v, "__form", p.AllowReserved ? "Reserved" : "Unreserved", "f");
            w.Close();
        }
    }

    /// <summary>Writes the query, header and cookie parameters among <paramref name="parameters"/> of one location.</summary>
    public static void Emit(CodeWriter w, JsonCode code, EquatableArray<ParameterModel> parameters, ParameterLocation location, Func<ParameterModel, string> expr)
    {
        var any = false;
        foreach (var p in parameters)
        {
            if (p.In != location)
            {
                continue;
            }

            if (!any)
            {
                if (location == ParameterLocation.Header)
                {
                    w.Line("var __headers = " + Rt + "ApiStyleWriter.ForHeaders();");
                }
                else if (location == ParameterLocation.Cookie)
                {
                    w.Line("var __cookies = " + Rt + "ApiStyleWriter.ForCookies();");
                }

                any = true;
            }

            var e = expr(p);
            var nullable = !p.Required || p.Type.Nullable;
            var v = nullable ? Local(location) + p.PropertyName.TrimStart('@') : e;
            if (nullable)
            {
                w.Open("if (" + e + " is { } " + v + ")");
            }

            switch (location)
            {
                case ParameterLocation.Query:
                    EmitValue(w, code, p, v, "__uri.Query", p.AllowReserved ? "Reserved" : "Unreserved", string.Empty);
                    break;
                case ParameterLocation.Cookie:
                    EmitValue(w, code, p, v, "__cookies", "Cookie", string.Empty);
                    break;
                default:
                    EmitValue(w, code, p, v, "__headers", "Header", string.Empty);
                    w.Open("if (__headers.End())");
                    w.Line("__request.Headers.TryAddWithoutValidation(" + CSharp.Literal(p.WireName) + ", __headers.ToString());");
                    w.Close();
                    break;
            }

            if (nullable)
            {
                w.Close();
            }
        }

        if (any && location == ParameterLocation.Cookie)
        {
            w.Line(Rt + "ApiCookies.Apply(__request, _http, __cookies);");
        }
    }

    private static string Local(ParameterLocation location) => location switch
    {
        ParameterLocation.Query => "q_",
        ParameterLocation.Header => "h_",
        ParameterLocation.Cookie => "c_",
        _ => "p_",
    };

    /// <summary>The UTF-8 JSON of a non-null value, for <c>ItemJson</c>/<c>MemberJson</c>.</summary>
    /// <remarks>A reference type is written as nullable (a null that slipped through is JSON null, which writes nothing).</remarks>
    private static string Json(JsonCode code, TypeRef t, string value) => JsonCode.ApiJson + ".Serialize(" + value + ", " + code.WriteFunc(t.WithNullable(!t.IsValueType), 1) + ")";

    private static void EmitValue(CodeWriter w, JsonCode code, ParameterModel p, string v, string writer, string encoding, string prefix)
    {
        var begin = writer + ".Begin(" + CSharp.Literal(p.WireName) + ", " + Rt + "ApiParameterStyle." + p.Style + ", " + Rt + "ApiParameterShape." + p.Shape
            + ", " + (p.Explode ? "true" : "false") + ", " + Rt + "ApiParameterEncoding." + encoding + ")";
        var end = writer + ".End(" + (p.AllowEmptyValue ? "allowEmptyValue: true" : string.Empty) + ");";
        var header = writer == "__headers";
        switch (p.Shape)
        {
            case ParameterShape.Primitive:
                w.Line(begin + (p.Json ? ".ItemJson(" + Json(code, p.Type, v) + ");" : ".Item(" + Arg(p.Type, v) + ");"));
                return;
            case ParameterShape.Array:
            {
                var e = p.Type.Element!;
                var item = prefix + "i_" + p.PropertyName.TrimStart('@');
                w.Line(begin + ";");
                w.Open("foreach (var " + item + " in " + v + ")");
                if (e.Nullable)
                {
                    w.Open("if (" + item + " is { } " + item + "_)");
                    w.Line(writer + (p.Json ? ".ItemJson(" + Json(code, e, item + "_") : ".Item(" + Arg(e, item + "_")) + ");");
                    w.Close();
                }
                else
                {
                    w.Line(writer + (p.Json ? ".ItemJson(" + Json(code, e, item) : ".Item(" + Arg(e, item)) + ");");
                }

                w.Close();
                break;
            }

            default:
                w.Line(begin + ";");
                if (p.Type.Kind == TypeKind.Map)
                {
                    var e = p.Type.Element!;
                    var kv = prefix + "kv_" + p.PropertyName.TrimStart('@');
                    w.Open("foreach (var " + kv + " in " + v + ")");
                    if (e.Nullable)
                    {
                        w.Open("if (" + kv + ".Value is { } " + kv + "_)");
                        w.Line(writer + (p.Json ? ".MemberJson(" + kv + ".Key, " + Json(code, e, kv + "_") : ".Member(" + kv + ".Key, " + Arg(e, kv + "_")) + ");");
                        w.Close();
                    }
                    else
                    {
                        w.Line(writer + (p.Json ? ".MemberJson(" + kv + ".Key, " + Json(code, e, kv + ".Value") : ".Member(" + kv + ".Key, " + Arg(e, kv + ".Value")) + ");");
                    }

                    w.Close();
                    break;
                }

                foreach (var m in p.Members)
                {
                    var key = CSharp.Literal(m.JsonName);
                    string Call(string x) => m.Nested ? ".MemberJson(" + key + ", " + Json(code, m.Type, x) + ");" : ".Member(" + key + ", " + Arg(m.Type, x) + ");";
                    if (m.CsNullable || (m.Nested && !m.Type.IsValueType))
                    {
                        var local = prefix + "m_" + p.PropertyName.TrimStart('@') + "_" + m.CsName.TrimStart('@');
                        w.Open("if (" + v + "." + m.CsName + " is { } " + local + ")");
                        w.Line(writer + Call(local));
                        w.Close();
                    }
                    else
                    {
                        w.Line(writer + Call(v + "." + m.CsName));
                    }
                }

                break;
        }

        if (!header)
        {
            w.Line(end);
        }
    }

    /// <summary>The argument of <c>Item</c>/<c>Member</c>: the value itself (typed overloads), or the text of an enum or union.</summary>
    private static string Arg(TypeRef t, string value) => t.Kind is TypeKind.Enum or TypeKind.Variant ? value + ".ToString()" : value;
}
