using System.Linq;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Emit;

/// <summary>
/// <c>multipart/form-data</c> bodies: the parts record of an operation (one property per part, plus one string
/// property per part header the Encoding Object declares) and the statements building the body with the Runtime's
/// <c>ApiMultipartContent</c>.
/// </summary>
internal static class MultipartEmitter
{
    private const string Rt = JsonCode.Rt;
    private const string FilePart = Rt + "ApiFilePart";

    /// <summary>The C# type of a part property: nullable unless the part is required and not nullable.</summary>
    public static string PartType(JsonCode code, MultipartPart p)
    {
        var element = p.Kind == PartKind.File ? FilePart + (p.Repeated && p.Type.Nullable ? "?" : string.Empty) : p.Repeated ? code.Nullable(p.Type) : code.Type(p.Type);
        var type = p.Repeated ? "global::System.Collections.Generic.IReadOnlyList<" + element + ">" : element;
        return type + (!p.Required || p.Nullable ? "?" : string.Empty);
    }

    /// <summary>The parts record of an operation with a multipart body.</summary>
    public static void EmitPartsRecord(CodeWriter w, JsonCode code, ClientModel c, OperationModel op)
    {
        var b = op.Body!;
        w.Line("/// <summary>The parts of the <c>" + CSharp.XmlDoc(b.MediaType) + "</c> body of <see cref=\"" + c.ClientName + "." + op.Name + "Async\"/>.</summary>");
        w.Line(ModelEmitter.GeneratedCode);
        w.Open("public sealed partial record " + b.Type!.Name);
        foreach (var p in b.Parts)
        {
            var what = p.Kind switch
            {
                PartKind.File => "file part",
                PartKind.Json => "JSON part",
                _ => p.Type.Kind == TypeKind.Bytes ? "text part holding the base64 of the bytes" : "text part",
            };
            var how = (p.Repeated ? "One " + what + " per element" : "Sent as a " + what)
                + (p.Required && p.Nullable && p.Kind == PartKind.Json ? "; null is sent as the JSON part null." : !p.Required || p.Nullable ? "; not sent when null." : ".");
            w.DocTag("summary", (p.Description is null ? "The part '" + p.Name + "'." : p.Description) + "\n" + how);
            w.Line("public " + (p.Required ? "required " : string.Empty) + PartType(code, p) + " " + p.CsName + " { get; init; }");
            w.Line();
            foreach (var h in p.Headers)
            {
                w.DocTag("summary", (h.Description ?? "The header '" + h.WireName + "' of the part '" + p.Name + "'.") + (h.Required ? string.Empty : "\nNot sent when null."));
                w.Line("public " + (h.Required ? "required string " : "string? ") + h.CsName + " { get; init; }");
                w.Line();
            }
        }

        w.Close();
        w.Line();
    }

    /// <summary>Statements setting <c>__request.Content</c> from the parts record <paramref name="v"/> (not null).</summary>
    public static void EmitContent(CodeWriter w, JsonCode code, BodyModel b, string v)
    {
        w.Line("var __parts = new " + Rt + "ApiMultipartContent(" + CSharp.Literal(b.MediaType) + ");");
        foreach (var p in b.Parts)
        {
            var headers = p.Headers.Count == 0
                ? "null"
                : "new global::System.Collections.Generic.KeyValuePair<string, string?>[] { " + string.Join(", ", p.Headers.Select(h => "new(" + CSharp.Literal(h.WireName) + ", " + v + "." + h.CsName + ")")) + " }";
            var value = "m_" + p.CsName;
            var optional = !p.Required || p.Nullable;
            if (optional)
            {
                w.Open("if (" + v + "." + p.CsName + " is { } " + value + ")");
            }
            else
            {
                w.Line("var " + value + " = " + v + "." + p.CsName + ";");
            }

            if (p.Repeated)
            {
                w.Open("foreach (var " + value + "_e in " + value + ")");
                if (p.Type.Nullable)
                {
                    w.Open("if (" + value + "_e is { } " + value + "_x)");
                    Add(w, code, b, p, value + "_x", headers);
                    w.Close();
                    if (p.Kind == PartKind.Json)
                    {
                        w.Open("else");
                        w.Line("__parts.AddBytes(" + CSharp.Literal(p.Name) + ", \"null\"u8.ToArray(), " + JsonType(p) + ", " + headers + ");");
                        w.Close();
                    }
                }
                else
                {
                    Add(w, code, b, p, value + "_e", headers);
                }

                w.Close();
            }
            else
            {
                Add(w, code, b, p, value, headers);
            }

            if (optional)
            {
                w.Close();
                if (p.Required && p.Kind == PartKind.Json)
                {
                    // Required and nullable: the JSON part says null.
                    w.Open("else");
                    w.Line("__parts.AddBytes(" + CSharp.Literal(p.Name) + ", \"null\"u8.ToArray(), " + JsonType(p) + ", " + headers + ");");
                    w.Close();
                }
            }
        }

        w.Line("__request.Content = __parts;");
    }

    private static string JsonType(MultipartPart p) => CSharp.Literal(First(p.ContentType) ?? "application/json");

    /// <summary>The first media type of an Encoding Object's <c>contentType</c> list, unless it is a wildcard.</summary>
    private static string? First(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var first = contentType.Split(',')[0].Trim();
        return first.Length == 0 || first.Contains("*") ? null : first;
    }

    private static void Add(CodeWriter w, JsonCode code, BodyModel b, MultipartPart p, string x, string headers)
    {
        var name = CSharp.Literal(p.Name);
        var ct = First(p.ContentType) is { } t ? CSharp.Literal(t) : "null";
        var type = p.Type.WithNullable(false);
        switch (p.Kind)
        {
            case PartKind.File:
                w.Line("__parts.AddFile(" + name + ", " + x + ", " + ct + ", " + headers + ");");
                break;
            case PartKind.Json:
                w.Line("__parts.AddBytes(" + name + ", " + JsonCode.ApiJson + ".Serialize(" + x + ", " + code.WriteFunc(type, 1) + "), " + JsonType(p) + ", " + headers + ");");
                break;
            default:
                var text = type.Kind == TypeKind.Bytes ? "global::System.Convert.ToBase64String(" + x + ")" : JsonCode.Format(type, x);
                w.Line("__parts.AddText(" + name + ", " + text + ", " + ct + ", " + headers + ");");
                break;
        }

        _ = b;
    }
}
