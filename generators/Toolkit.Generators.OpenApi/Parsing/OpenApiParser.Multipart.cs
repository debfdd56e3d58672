using System;
using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Parsing;

// multipart/form-data bodies as typed parts (OpenAPI 3.0.3 §4.7.14 Media Type Object, §4.7.15 Encoding Object).
internal sealed partial class OpenApiParser
{
    /// <summary>
    /// A <c>multipart/form-data</c> body whose schema is an object: one part per property. Primitives are text parts,
    /// <c>format: binary</c> strings file parts, <c>format: byte</c> strings their base64 text, arrays repeated parts,
    /// objects JSON parts; the Encoding Object's <c>contentType</c> and <c>headers</c> apply per property. Null when the
    /// schema is not a plain object (the caller then falls back to a raw HttpContent).
    /// </summary>
    private BodyModel? ParseMultipart(SourceDoc doc, string opName, JsonMember media, bool required, string? description)
    {
        if (media.Value["schema"] is not { } schemaNode || Follow(doc, schemaNode, out var sDoc) is not { IsObject: true } s)
        {
            return null;
        }

        if (s.GetString("type") is not (null or "object") || s["properties"] is not { IsObject: true } props
            || s["allOf"] is not null || s["oneOf"] is not null || s["anyOf"] is not null || props.Members.Count == 0)
        {
            return null;
        }

        var requiredNames = new HashSet<string>(StringComparer.Ordinal);
        if (s["required"] is { Kind: JsonKind.Array } req)
        {
            foreach (var r in req.Items.Where(r => r.IsString))
            {
                requiredNames.Add(r.Text!);
            }
        }

        var encoding = media.Value["encoding"] is { IsObject: true } enc ? enc : null;
        if (encoding is not null)
        {
            foreach (var e in encoding.Members.Where(e => props[e.Name] is null))
            {
                Report(Diagnostics.Unsupported, doc, e.Value, "the encoding of '" + e.Name + "' names no property of the multipart schema; it is ignored");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { "EqualityContract" };
        var parts = new List<MultipartPart>();
        foreach (var m in props.Members)
        {
            var resolved = Follow(sDoc, m.Value, out var rDoc);
            if (resolved is null)
            {
                return null;
            }

            var repeated = resolved.GetString("type") == "array";
            var itemNode = repeated && resolved["items"] is { } items ? Follow(rDoc, items, out _) : resolved;
            var isFile = itemNode is not null && itemNode.GetString("type") == "string" && itemNode.GetString("format") == "binary";
            var csName = Naming.Unique(Naming.Pascal(m.Name), names);
            TypeRef type;
            PartKind kind;
            bool nullable;
            if (isFile)
            {
                type = new TypeRef(TypeKind.Stream, Nullable: repeated && itemNode!.GetBool("nullable") == true);
                kind = PartKind.File;
                nullable = resolved.GetBool("nullable") == true;
            }
            else
            {
                var full = ResolveSchema(sDoc, m.Value, opName + Naming.Pascal(m.Name));
                repeated = full.Kind == TypeKind.Array;
                type = repeated ? full.Element! : full;
                var bare = type.WithNullable(false);
                kind = bare.Kind == TypeKind.Bytes || (IsSimple(bare) && bare.Kind != TypeKind.Array && (bare.Kind != TypeKind.Variant || IsScalarVariant(bare)))
                    ? PartKind.Text
                    : PartKind.Json;
                nullable = full.Nullable;
            }

            string? contentType = null;
            var headers = new List<PartHeader>();
            if (encoding?[m.Name] is { IsObject: true } pe)
            {
                contentType = pe.GetString("contentType");
                if (pe["headers"] is { IsObject: true } hs)
                {
                    foreach (var h in hs.Members)
                    {
                        if (h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                        {
                            continue; // §4.7.15: Content-Type is described by contentType and SHALL be ignored here.
                        }

                        var hn = Follow(sDoc, h.Value, out _);
                        headers.Add(new PartHeader(h.Name, Naming.Unique(csName + Naming.Pascal(h.Name), names), hn?.GetBool("required") == true, hn?.GetDoc("description")));
                    }
                }
            }

            parts.Add(new MultipartPart(m.Name, csName, kind, type, repeated, requiredNames.Contains(m.Name), nullable, contentType, new EquatableArray<PartHeader>(headers), resolved.GetDoc("description")));
        }

        var record = Naming.Unique(opName + "Parts", _typeNames);
        return new BodyModel(BodyKind.Multipart, MediaTypeToSend(media), new TypeRef(TypeKind.Named, record), required, description, new EquatableArray<MultipartPart>(parts));
    }

    /// <summary>Follows <c>$ref</c>s (at most 32) to the node they name.</summary>
    private JsonNode? Follow(SourceDoc doc, JsonNode node, out SourceDoc target)
    {
        target = doc;
        for (var hops = 0; hops < 32 && node["$ref"] is not null; hops++)
        {
            var next = ResolveRef(target, node, out var nextDoc);
            if (next is null)
            {
                return null;
            }

            node = next;
            target = nextDoc;
        }

        return node["$ref"] is null ? node : null;
    }
}
