using System;
using System.Collections.Generic;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Parsing;

/// <summary>
/// Parameter objects: location, style, explode, allowReserved and allowEmptyValue, and the shape of the value
/// (primitive, array of primitives, or object of primitive properties), as in OpenAPI 3.0.4 / 3.1.1 "Style Values".
/// </summary>
internal sealed partial class OpenApiParser
{
    private ParameterModel? ParseParameter(SourceDoc doc, string opName, JsonNode p, HashSet<string> argNames, HashSet<string> propNames)
    {
        var wire = p.GetString("name")!;
        var location = p.GetString("in");
        ParameterLocation loc;
        switch (location)
        {
            case "path": loc = ParameterLocation.Path; break;
            case "query": loc = ParameterLocation.Query; break;
            case "header": loc = ParameterLocation.Header; break;
            case "cookie": loc = ParameterLocation.Cookie; break;
            default:
                Report(Diagnostics.Unsupported, doc, p, "parameters in '" + location + "' are not supported; parameter '" + wire + "' is left out (set it with a DelegatingHandler)");
                return null;
        }

        var defaultStyle = loc is ParameterLocation.Query or ParameterLocation.Cookie ? "form" : "simple";
        var styleText = p.GetString("style") ?? defaultStyle;
        var style = StyleName(styleText, loc);
        if (style is null)
        {
            Report(Diagnostics.Unsupported, doc, p["style"] ?? p, "style '" + styleText + "' is not defined for " + location + " parameters; '" + defaultStyle + "' is used");
            styleText = defaultStyle;
            style = StyleName(defaultStyle, loc)!;
        }

        var explode = p.GetBool("explode") ?? styleText == "form";
        TypeRef type;
        if (p["schema"] is { } schema)
        {
            type = ResolveSchema(doc, schema, opName + Naming.Pascal(wire));
        }
        else
        {
            Report(Diagnostics.Unsupported, doc, p, "parameter '" + wire + "' has no 'schema' (content-based parameters are not supported); it is sent as a string");
            type = new TypeRef(TypeKind.String);
        }

        var shape = ParameterShape.Primitive;
        var members = new List<ParameterMember>();
        if (type.Kind == TypeKind.Array && type.Element is { } e && IsScalar(e) && e.Kind != TypeKind.Variant)
        {
            shape = ParameterShape.Array;
        }
        else if (type.Kind == TypeKind.Map && type.Element is { } me && IsScalar(me))
        {
            shape = ParameterShape.Properties;
        }
        else if (type.Kind == TypeKind.Named && ObjectMembers(doc, p, wire, type, members))
        {
            shape = ParameterShape.Properties;
        }
        else if (!IsScalar(type))
        {
            if (type.Kind != TypeKind.Named)
            {
                Report(Diagnostics.Unsupported, doc, p["schema"] ?? p, "parameter '" + wire + "' is not a primitive, an array of primitives or an object of primitive properties; it is sent as a pre-formatted string");
            }

            // The fallback of before: one pre-formatted string in the location's default style (already reported).
            type = new TypeRef(TypeKind.String, Nullable: type.Nullable);
            members.Clear();
            style = StyleName(defaultStyle, loc)!;
        }

        // The combinations the "Style Examples" table marks n/a are reported, and the nearest defined form is used.
        if (style is "SpaceDelimited" or "PipeDelimited" or "DeepObject" && shape == ParameterShape.Primitive
            || style == "DeepObject" && shape == ParameterShape.Array)
        {
            Report(Diagnostics.Unsupported, doc, p["style"] ?? p, "style '" + styleText + "' is not defined for " + (shape == ParameterShape.Array ? "arrays" : "primitive values") + " (parameter '" + wire + "'); 'form' is used");
            style = "Form";
            explode = p.GetBool("explode") ?? true;
        }
        else if (style is "SpaceDelimited" or "PipeDelimited" && explode)
        {
            Report(Diagnostics.Unsupported, doc, p["explode"] ?? p, "explode: true is not defined for style '" + styleText + "' (parameter '" + wire + "'); explode: false is used");
            explode = false;
        }
        else if (style == "DeepObject" && !explode)
        {
            if (p["explode"] is { } ex)
            {
                Report(Diagnostics.Unsupported, doc, ex, "explode: false is not defined for style 'deepObject' (parameter '" + wire + "'); explode: true is used");
            }

            explode = true;
        }

        var required = loc == ParameterLocation.Path || p.GetBool("required") == true;
        var def = p["schema"]?["default"];
        var literal = def is null || required || shape != ParameterShape.Primitive ? null : DefaultLiteral(doc, type, def);
        return new ParameterModel(
            wire,
            Naming.Unique(Naming.Camel(wire), argNames),
            Naming.Unique(Naming.Pascal(wire), propNames),
            loc,
            type,
            required,
            explode,
            literal,
            p.GetDoc("description"),
            style,
            shape,
            loc == ParameterLocation.Query && p.GetBool("allowReserved") == true,
            loc == ParameterLocation.Query && p.GetBool("allowEmptyValue") == true,
            new EquatableArray<ParameterMember>(members));
    }

    /// <summary>The runtime's <c>ApiParameterStyle</c> member for a style defined at a location, or null.</summary>
    private static string? StyleName(string style, ParameterLocation loc) => (loc, style) switch
    {
        (ParameterLocation.Path, "simple") => "Simple",
        (ParameterLocation.Path, "matrix") => "Matrix",
        (ParameterLocation.Path, "label") => "Label",
        (ParameterLocation.Header, "simple") => "Simple",
        (ParameterLocation.Query, "form") => "Form",
        (ParameterLocation.Query, "spaceDelimited") => "SpaceDelimited",
        (ParameterLocation.Query, "pipeDelimited") => "PipeDelimited",
        (ParameterLocation.Query, "deepObject") => "DeepObject",
        (ParameterLocation.Cookie, "form") => "Form",
        _ => null,
    };

    /// <summary>A primitive, an enum or a union of primitive kinds: one value in a parameter.</summary>
    private bool IsScalar(TypeRef t) => t.Kind switch
    {
        TypeKind.Json or TypeKind.Named or TypeKind.Map or TypeKind.Stream or TypeKind.Bytes or TypeKind.Array => false,
        TypeKind.Variant => IsScalarVariant(t),
        _ => true,
    };

    /// <summary>
    /// The properties of a record-valued parameter when every one (but read-only ones, never sent) is a primitive.
    /// Anything nested is not defined by RFC 6570 or the deepObject style: that is reported, and false returned.
    /// </summary>
    private bool ObjectMembers(SourceDoc doc, JsonNode p, string wire, TypeRef type, List<ParameterMember> members)
    {
        if (!_declByName.TryGetValue(type.Name!, out var d) || d.Kind != DeclKind.Record)
        {
            Report(Diagnostics.Unsupported, doc, p["schema"] ?? p, "parameter '" + wire + "' is a union, not an object of primitive properties; it is sent as a pre-formatted string");
            return false;
        }

        foreach (var prop in d.Properties)
        {
            if (prop.ReadOnly)
            {
                continue;
            }

            if (!IsScalar(prop.Type))
            {
                Report(Diagnostics.Unsupported, doc, p["schema"] ?? p, "property '" + prop.JsonName + "' of parameter '" + wire + "' is not a primitive (nested values have no defined serialization in any style); the parameter is sent as a pre-formatted string");
                members.Clear();
                return false;
            }

            // As ModelEmitter's Shape: required follows the schema's nullability, a defaulted non-nullable one is set.
            var csNullable = prop.WriteOnly || (prop.Required ? prop.Type.Nullable : prop.DefaultLiteral is null || prop.Type.Nullable);
            members.Add(new ParameterMember(prop.JsonName, prop.CsName, prop.Type, csNullable));
        }

        return true;
    }
}
