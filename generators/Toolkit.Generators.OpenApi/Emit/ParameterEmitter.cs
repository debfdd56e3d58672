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
    public static void EmitPath(CodeWriter w, ParameterModel p, string expr) => EmitValue(w, p, expr, "__uri.Path", "Unreserved");

    /// <summary>Writes the query, header and cookie parameters among <paramref name="parameters"/> of one location.</summary>
    public static void Emit(CodeWriter w, EquatableArray<ParameterModel> parameters, ParameterLocation location, Func<ParameterModel, string> expr)
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
                    EmitValue(w, p, v, "__uri.Query", p.AllowReserved ? "Reserved" : "Unreserved");
                    break;
                case ParameterLocation.Cookie:
                    EmitValue(w, p, v, "__cookies", "Cookie");
                    break;
                default:
                    EmitValue(w, p, v, "__headers", "Header");
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

    private static void EmitValue(CodeWriter w, ParameterModel p, string v, string writer, string encoding)
    {
        var begin = writer + ".Begin(" + CSharp.Literal(p.WireName) + ", " + Rt + "ApiParameterStyle." + p.Style + ", " + Rt + "ApiParameterShape." + p.Shape
            + ", " + (p.Explode ? "true" : "false") + ", " + Rt + "ApiParameterEncoding." + encoding + ")";
        var end = writer + ".End(" + (p.AllowEmptyValue ? "allowEmptyValue: true" : string.Empty) + ");";
        var header = writer == "__headers";
        switch (p.Shape)
        {
            case ParameterShape.Primitive:
                w.Line(begin + ".Item(" + Arg(p.Type, v) + ");");
                return;
            case ParameterShape.Array:
            {
                var e = p.Type.Element!;
                var item = "i_" + p.PropertyName.TrimStart('@');
                w.Line(begin + ";");
                w.Open("foreach (var " + item + " in " + v + ")");
                if (e.Nullable)
                {
                    w.Open("if (" + item + " is { } " + item + "_)");
                    w.Line(writer + ".Item(" + Arg(e, item + "_") + ");");
                    w.Close();
                }
                else
                {
                    w.Line(writer + ".Item(" + Arg(e, item) + ");");
                }

                w.Close();
                break;
            }

            default:
                w.Line(begin + ";");
                if (p.Type.Kind == TypeKind.Map)
                {
                    var e = p.Type.Element!;
                    var kv = "kv_" + p.PropertyName.TrimStart('@');
                    w.Open("foreach (var " + kv + " in " + v + ")");
                    if (e.Nullable)
                    {
                        w.Open("if (" + kv + ".Value is { } " + kv + "_)");
                        w.Line(writer + ".Member(" + kv + ".Key, " + Arg(e, kv + "_") + ");");
                        w.Close();
                    }
                    else
                    {
                        w.Line(writer + ".Member(" + kv + ".Key, " + Arg(e, kv + ".Value") + ");");
                    }

                    w.Close();
                    break;
                }

                foreach (var m in p.Members)
                {
                    var key = CSharp.Literal(m.JsonName);
                    if (m.CsNullable)
                    {
                        var local = "m_" + p.PropertyName.TrimStart('@') + "_" + m.CsName.TrimStart('@');
                        w.Open("if (" + v + "." + m.CsName + " is { } " + local + ")");
                        w.Line(writer + ".Member(" + key + ", " + Arg(m.Type, local) + ");");
                        w.Close();
                    }
                    else
                    {
                        w.Line(writer + ".Member(" + key + ", " + Arg(m.Type, v + "." + m.CsName) + ");");
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
