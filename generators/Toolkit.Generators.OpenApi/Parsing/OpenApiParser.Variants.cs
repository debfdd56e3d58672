using System;
using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Parsing;

/// <summary>
/// Undiscriminated unions whose branches are told apart by the JSON kind of the value (boolean | string,
/// integer | string, object | array, ...): a generated <c>readonly struct</c> with one alternative per kind.
/// </summary>
internal sealed partial class OpenApiParser
{
    /// <summary>The JSON kinds in the order a variant lists them (also the accessor labels).</summary>
    private static readonly string[] VariantKinds = { "Boolean", "Number", "String", "Array", "Object" };

    /// <summary>
    /// A variant for <c>oneOf</c>/<c>anyOf</c> branches that each accept exactly one JSON kind, no two the same; null
    /// (nothing declared, nothing reported) when the branches do not qualify.
    /// </summary>
    private TypeRef? TryVariant(SourceDoc doc, JsonNode node, List<JsonNode> branches, string nameHint, bool exactName)
    {
        var kinds = new List<string>();
        foreach (var b in branches)
        {
            var k = JsonKindOf(doc, b, 0);
            if (k is null || kinds.Contains(k))
            {
                return null;
            }

            kinds.Add(k);
        }

        var stem = exactName ? nameHint : Naming.Pascal(nameHint);
        var types = new List<TypeRef>();
        for (var i = 0; i < branches.Count; i++)
        {
            types.Add(ResolveSchema(doc, branches[i], stem + kinds[i]));
        }

        return DeclareVariant(doc, node, kinds, types, branches, nameHint, exactName);
    }

    /// <summary>A variant for a 3.1 type list such as <c>["boolean", "string"]</c> (null already removed).</summary>
    private TypeRef? TryTypeListVariant(SourceDoc doc, JsonNode node, List<string> typeNames, string nameHint, bool exactName)
    {
        if (node["enum"] is not null || node["oneOf"] is not null || node["anyOf"] is not null || node["allOf"] is not null)
        {
            return null;
        }

        var kinds = new List<string>();
        var types = new List<TypeRef>();
        var stem = exactName ? nameHint : Naming.Pascal(nameHint);
        foreach (var t in typeNames)
        {
            var k = t switch { "boolean" => "Boolean", "integer" or "number" => "Number", "string" => "String", "array" => "Array", _ => null };
            if (k is null || kinds.Contains(k))
            {
                return null;
            }

            kinds.Add(k);
        }

        foreach (var t in typeNames)
        {
            types.Add(t switch
            {
                "boolean" => new TypeRef(TypeKind.Boolean),
                "integer" => new TypeRef(node.GetString("format") == "int32" ? TypeKind.Int32 : TypeKind.Int64),
                "number" => new TypeRef(TypeKind.Double),
                "string" => new TypeRef(TypeKind.String),
                _ => new TypeRef(TypeKind.Array, Element: node["items"] is { } items ? ResolveSchema(doc, items, stem + "Item") : TypeRef.Json),
            });
        }

        return DeclareVariant(doc, node, kinds, types, null, nameHint, exactName);
    }

    private TypeRef? DeclareVariant(SourceDoc doc, JsonNode node, List<string> kinds, List<TypeRef> types, List<JsonNode>? branches, string nameHint, bool exactName)
    {
        // Each alternative needs its own constructor: two branches that fell back to the same C# type cannot be told apart.
        var code = new Emit.JsonCode(_namespace);
        if (types.Select(t => code.Type(t)).Distinct(StringComparer.Ordinal).Count() != types.Count)
        {
            return null;
        }

        var nullable = types.Any(t => t.Nullable);
        var decl = NewDecl(DeclKind.Variant, nameHint, exactName, node);
        var order = Enumerable.Range(0, kinds.Count).OrderBy(i => Array.IndexOf(VariantKinds, kinds[i])).ToList();
        foreach (var i in order)
        {
            var description = branches is null ? null : NullIfEmpty(Describe(branches[i]));
            decl.Properties.Add(new PropertyDecl(kinds[i], kinds[i], types[i].WithNullable(false), false, false, false, null, description, false));
        }

        _ = doc;
        return new TypeRef(TypeKind.Variant, decl.Name, Nullable: nullable);
    }

    /// <summary>The one JSON kind a branch accepts (following <c>$ref</c>s quietly), or null when it is not one kind.</summary>
    private string? JsonKindOf(SourceDoc doc, JsonNode b, int depth)
    {
        if (!b.IsObject || depth > 16)
        {
            return null;
        }

        if (b["$ref"] is not null)
        {
            _quiet++;
            try
            {
                var target = ResolveRef(doc, b, out var targetDoc);
                return target is null ? null : JsonKindOf(targetDoc, target, depth + 1);
            }
            finally
            {
                _quiet--;
            }
        }

        if (b["oneOf"] is not null || b["anyOf"] is not null || b["not"] is not null || b.GetBool("nullable") == true)
        {
            return null;
        }

        string? type = null;
        if (b["type"] is { Kind: JsonKind.String } t)
        {
            type = t.Text;
        }
        else if (b["type"] is { Kind: JsonKind.Array })
        {
            return null;
        }
        else if (b["enum"] is { Kind: JsonKind.Array } e && e.Items.Count > 0)
        {
            type = e.Items.All(x => x.IsString) ? "string" : e.Items.All(x => x.Kind == JsonKind.Number) ? "integer" : null;
        }
        else if (b["properties"] is not null || b["additionalProperties"] is not null || b["allOf"] is not null)
        {
            type = "object";
        }

        return type switch
        {
            "boolean" => "Boolean",
            "integer" or "number" => "Number",
            "string" => "String",
            "array" => "Array",
            "object" => "Object",
            _ => null,
        };
    }

    /// <summary>A default value for a variant: the alternative of the default's JSON kind, constructed.</summary>
    private string? VariantDefault(SourceDoc doc, TypeRef type, JsonNode def)
    {
        if (!_declByName.TryGetValue(type.Name!, out var decl))
        {
            return null;
        }

        var kind = def.Kind switch
        {
            JsonKind.True or JsonKind.False => "Boolean",
            JsonKind.Number => "Number",
            JsonKind.String => "String",
            _ => null,
        };
        var alt = decl.Properties.FirstOrDefault(p => p.JsonName == kind);
        if (alt is null || alt.Type.Kind is TypeKind.Variant)
        {
            return null;
        }

        _quiet++;
        try
        {
            var inner = DefaultLiteral(doc, alt.Type, def);
            return inner is null ? null : "new global::" + _namespace + "." + decl.Name + "(" + inner + ")";
        }
        finally
        {
            _quiet--;
        }
    }

    /// <summary>Whether a variant can be a parameter value: every alternative is a scalar.</summary>
    private bool IsScalarVariant(TypeRef t)
        => _declByName.TryGetValue(t.Name!, out var d) && d.Properties.All(p => p.JsonName is "Boolean" or "Number" or "String");
}
