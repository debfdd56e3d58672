using System;
using System.Collections.Generic;
using System.Linq;
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
        var members = new List<ParameterMember>();
        ParameterShape shape;
        var json = false;
        if (p["schema"] is { } schema)
        {
            type = ResolveSchema(doc, schema, opName + Naming.Pascal(wire));
            shape = ValueShape(doc, p["schema"] ?? p, wire, ref type, members, out json);
        }
        else if (p["content"] is { IsObject: true, Members.Count: > 0 } content && content.Members[0].Value["schema"] is { } cs)
        {
            // A content-based parameter: the value serialized as its media type says, then encoded as the location requires.
            var media = content.Members[0];
            type = ResolveSchema(doc, cs, opName + Naming.Pascal(wire));
            if (IsJsonMedia(media.Name, media.Value))
            {
                shape = ParameterShape.Primitive;
                json = true;
            }
            else if (IsScalar(type))
            {
                shape = ParameterShape.Primitive;
            }
            else
            {
                Report(Diagnostics.Unsupported, doc, p, "parameter '" + wire + "' has content '" + media.Name + "', which is neither JSON nor a primitive; it is sent as a string");
                type = new TypeRef(TypeKind.String, Nullable: type.Nullable);
                shape = ParameterShape.Primitive;
            }

            // The style and explode keywords do not apply to content-based parameters: the location's default.
            style = StyleName(defaultStyle, loc)!;
            styleText = defaultStyle;
            explode = defaultStyle == "form";
        }
        else
        {
            Report(Diagnostics.Unsupported, doc, p, "parameter '" + wire + "' has neither 'schema' nor a 'content' with a schema; it is sent as a string");
            type = new TypeRef(TypeKind.String);
            shape = ParameterShape.Primitive;
        }

        CheckStyle(doc, p, wire, styleText, ref style, shape, ref explode);

        var required = loc == ParameterLocation.Path || p.GetBool("required") == true;
        var def = p["schema"]?["default"];
        var literal = def is null || required || shape != ParameterShape.Primitive || json ? null : DefaultLiteral(doc, type, def);
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
            new EquatableArray<ParameterMember>(members),
            json);
    }

    /// <summary>
    /// The shape of a parameter's (or form field's) value: a primitive, an array (of primitives written as items, of
    /// anything else written from JSON), or an object (a record's members, a map's entries; nested ones from JSON).
    /// A union that is not of scalars, or a free-form value, is a primitive written as its JSON text.
    /// </summary>
    private ParameterShape ValueShape(SourceDoc doc, JsonNode at, string wire, ref TypeRef type, List<ParameterMember> members, out bool json)
    {
        json = false;
        switch (type.Kind)
        {
            case TypeKind.Array when type.Element is { } e:
                json = !IsScalar(e);
                if (e.Kind is TypeKind.Stream or TypeKind.Bytes)
                {
                    break;
                }

                return ParameterShape.Array;
            case TypeKind.Map when type.Element is { } me:
                json = !IsScalar(me);
                if (me.Kind is TypeKind.Stream or TypeKind.Bytes)
                {
                    break;
                }

                return ParameterShape.Properties;
            case TypeKind.Named when _declByName.TryGetValue(type.Name!, out var d) && d.Kind == DeclKind.Record:
                ObjectMembers(d, members);
                return ParameterShape.Properties;
            case TypeKind.Named:
            case TypeKind.Json:
            case TypeKind.Variant when !IsScalarVariant(type):
                json = true;
                return ParameterShape.Primitive;
            default:
                if (IsScalar(type))
                {
                    return ParameterShape.Primitive;
                }

                break;
        }

        Report(Diagnostics.Unsupported, doc, at, "parameter '" + wire + "' holds binary data, which no style defines; it is sent as a pre-formatted string");
        type = new TypeRef(TypeKind.String, Nullable: type.Nullable);
        json = false;
        members.Clear();
        return ParameterShape.Primitive;
    }

    /// <summary>The combinations the "Style Examples" table marks n/a are reported, and the nearest defined form is used.</summary>
    private void CheckStyle(SourceDoc doc, JsonNode p, string wire, string styleText, ref string style, ParameterShape shape, ref bool explode)
    {
        if (style is "SpaceDelimited" or "PipeDelimited" or "DeepObject" && shape == ParameterShape.Primitive)
        {
            Report(Diagnostics.Unsupported, doc, p["style"] ?? p, "style '" + styleText + "' is not defined for primitive values (parameter '" + wire + "'); 'form' is used");
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

    /// <summary>The properties of a record-valued parameter (but read-only ones, never sent); anything not a primitive is nested.</summary>
    private void ObjectMembers(DeclBuilder d, List<ParameterMember> members)
    {
        foreach (var prop in d.Properties)
        {
            if (prop.ReadOnly)
            {
                continue;
            }

            // As ModelEmitter's Shape: required follows the schema's nullability, a defaulted non-nullable one is set.
            var csNullable = prop.WriteOnly || (prop.Required ? prop.Type.Nullable : prop.DefaultLiteral is null || prop.Type.Nullable);
            members.Add(new ParameterMember(prop.JsonName, prop.CsName, prop.Type, csNullable, !IsScalar(prop.Type)));
        }
    }

    /// <summary>
    /// The properties of a form body's record as fields, each written like a query parameter (OpenAPI "Encoding
    /// Object": <c>style</c> default <c>form</c>, <c>explode</c> default true for form, <c>allowReserved</c>; a JSON
    /// <c>contentType</c> sends the property as its JSON text).
    /// </summary>
    private EquatableArray<ParameterModel>? FormFields(SourceDoc doc, JsonNode media, DeclBuilder d)
    {
        static bool Binary(TypeRef t) => t.Kind is TypeKind.Bytes or TypeKind.Stream || (t.Element is { } e && Binary(e));
        if (d.Properties.Any(p => !p.ReadOnly && Binary(p.Type)))
        {
            // Binary data has no form-urlencoded form (multipart/form-data is the media type for files).
            return null;
        }

        var fields = new List<ParameterModel>();
        var encoding = media["encoding"];
        foreach (var prop in d.Properties)
        {
            if (prop.ReadOnly)
            {
                continue;
            }

            var enc = encoding?[prop.JsonName] is { IsObject: true } e ? e : null;
            var at = enc ?? media;
            var styleText = enc?.GetString("style") ?? "form";
            var style = StyleName(styleText, ParameterLocation.Query);
            if (style is null)
            {
                Report(Diagnostics.Unsupported, doc, enc?["style"] ?? at, "style '" + styleText + "' is not defined for form fields; 'form' is used");
                styleText = "form";
                style = "Form";
            }

            var explode = enc?.GetBool("explode") ?? styleText == "form";
            var type = prop.Type;
            var members = new List<ParameterMember>();
            ParameterShape shape;
            bool json;
            if (enc?.GetString("contentType") is { } ct && IsJsonMedia(ct, enc))
            {
                shape = ParameterShape.Primitive;
                json = true;
                style = "Form";
            }
            else
            {
                shape = ValueShape(doc, at, prop.JsonName, ref type, members, out json);
            }

            CheckStyle(doc, enc ?? media, prop.JsonName, styleText, ref style, shape, ref explode);
            fields.Add(new ParameterModel(
                prop.JsonName,
                prop.CsName,
                prop.CsName,
                ParameterLocation.Query,
                type,
                false,
                explode,
                null,
                null,
                style,
                shape,
                enc?.GetBool("allowReserved") == true,
                false,
                new EquatableArray<ParameterMember>(members),
                json));
        }

        return new EquatableArray<ParameterModel>(fields);
    }
}
