using System;
using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Common;
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

    /// <summary>
    /// The one primitive type every branch is (following <c>$ref</c>s quietly): strings of any format or pattern are
    /// <c>string</c>; enums, objects and arrays are not primitives. Null when the branches differ or one is not a primitive.
    /// </summary>
    private TypeRef? CommonPrimitive(SourceDoc doc, JsonNode node, List<JsonNode> branches, ref bool nullable)
    {
        // Branches that only narrow the union's own type (type: string; anyOf: [{format: date-time}, {format: date}]).
        var parentType = node.GetString("type");
        TypeRef? common = null;
        var anyNullable = false;
        foreach (var b in branches)
        {
            var target = QuietDeref(doc, b, out _);
            if (target is null || target["enum"] is not null || target["oneOf"] is not null || target["anyOf"] is not null || target["allOf"] is not null || target["not"] is not null)
            {
                return null;
            }

            var type = target.GetString("type") ?? (target["type"] is null && target["properties"] is null && target["items"] is null ? parentType : null);
            var t = type switch
            {
                "string" => new TypeRef(TypeKind.String),
                "integer" => new TypeRef(TypeKind.Int64),
                "number" => new TypeRef(TypeKind.Double),
                "boolean" => new TypeRef(TypeKind.Boolean),
                _ => null,
            };
            if (t is null || (common is not null && common != t))
            {
                return null;
            }

            anyNullable |= target.GetBool("nullable") == true;
            common = t;
        }

        nullable |= anyNullable;
        return common;
    }

    /// <summary>A schema with its <c>$ref</c>s followed, reporting nothing (null when one dangles or they loop).</summary>
    private JsonNode? QuietDeref(SourceDoc doc, JsonNode node, out SourceDoc targetDoc)
    {
        targetDoc = doc;
        _quiet++;
        try
        {
            for (var i = 0; i < 16 && node.IsObject && node["$ref"] is not null; i++)
            {
                var next = ResolveRef(targetDoc, node, out var nextDoc);
                if (next is null)
                {
                    return null;
                }

                node = next;
                targetDoc = nextDoc;
            }

            return node.IsObject && node["$ref"] is null ? node : null;
        }
        finally
        {
            _quiet--;
        }
    }

    /// <summary>
    /// The member names an object schema declares and those it requires, through <c>$ref</c>s and <c>allOf</c> (as the
    /// record generated for it merges them); null when it is not an object schema with properties, or holds a union.
    /// </summary>
    private (HashSet<string> Declared, HashSet<string> Required)? ObjectShapeOf(SourceDoc doc, JsonNode node, int depth)
    {
        var target = QuietDeref(doc, node, out var targetDoc);
        if (target is null || depth > 16 || target["oneOf"] is not null || target["anyOf"] is not null || target["not"] is not null
            || target["discriminator"] is not null || target.GetBool("nullable") == true)
        {
            return null;
        }

        if (target["type"] is { } type && !(type.IsString && type.Text == "object"))
        {
            return null;
        }

        var declared = new HashSet<string>(StringComparer.Ordinal);
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (target["allOf"] is { Kind: JsonKind.Array } parts)
        {
            foreach (var part in parts.Items)
            {
                if (ObjectShapeOf(targetDoc, part, depth + 1) is not { } inner)
                {
                    // A part without properties (only 'required', say) still adds what it requires.
                    var p = QuietDeref(targetDoc, part, out _);
                    if (p is null || p["allOf"] is not null || p["properties"] is not null)
                    {
                        return null;
                    }

                    if (p["oneOf"] is not null || p["anyOf"] is not null)
                    {
                        // Only "one of these sets of members is required": what every set requires is required.
                        if (RequiredAlternatives(p) is not { } always)
                        {
                            return null;
                        }

                        required.UnionWith(always);
                        continue;
                    }

                    AddRequired(p, required);
                    continue;
                }

                declared.UnionWith(inner.Declared);
                required.UnionWith(inner.Required);
            }
        }

        var props = target["properties"];
        if (props is { IsObject: true, Members.Count: 1 } && props["$ref"] is { IsString: true })
        {
            props = QuietDeref(targetDoc, props, out _);
        }

        if (props is { IsObject: true })
        {
            foreach (var m in props.Members)
            {
                declared.Add(m.Name);
            }
        }

        AddRequired(target, required);
        if (declared.Count == 0)
        {
            return null;
        }

        // A required name no part declares is still required of the value (the record does not read it, though).
        return (declared, required);
    }

    private static void AddRequired(JsonNode node, HashSet<string> required)
    {
        if (node["required"] is { Kind: JsonKind.Array } req)
        {
            foreach (var r in req.Items.Where(r => r.IsString))
            {
                required.Add(r.Text!);
            }
        }
    }

    /// <summary>
    /// A variant for <c>oneOf</c>/<c>anyOf</c> branches that are all objects told apart by the members they require: a
    /// value is read as the branch whose required members are all present, the one requiring the most winning. Only
    /// built when no value of one branch can also have all the members another requires unless that other requires
    /// fewer (so a value written from a branch is always read back as that branch); null otherwise.
    /// </summary>
    private TypeRef? TryShapeVariant(SourceDoc doc, JsonNode node, List<JsonNode> branches, string nameHint, bool exactName)
    {
        if (branches.Count < 2 || branches.Count > 32)
        {
            return null;
        }

        var shapes = new List<(HashSet<string> Declared, HashSet<string> Required)>();
        foreach (var b in branches)
        {
            if (ObjectShapeOf(doc, b, 0) is not { } shape)
            {
                return null;
            }

            shapes.Add(shape);
        }

        for (var i = 0; i < shapes.Count; i++)
        {
            for (var j = 0; j < shapes.Count; j++)
            {
                // A value of branch i holds at most the members i declares: if it can hold all that j requires, j must
                // require fewer than i (so i wins on a tie of presence).
                if (i != j && shapes[j].Required.IsSubsetOf(shapes[i].Declared) && shapes[j].Required.Count >= shapes[i].Required.Count)
                {
                    return null;
                }
            }
        }

        var stem = exactName ? nameHint : Naming.Pascal(nameHint);
        var types = new List<TypeRef>();
        for (var i = 0; i < branches.Count; i++)
        {
            var t = ResolveSchema(doc, branches[i], stem + "Option" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (t.Kind != TypeKind.Named || t.Nullable || !_declByName.TryGetValue(t.Name!, out var member) || member.Kind != DeclKind.Record || types.Contains(t))
            {
                return null;
            }

            types.Add(t);
        }

        // The accessors are Is/TryGet/As + the record's name: none may be the union's own name (CS0542).
        if (types.Any(t => t.Name == stem || "Is" + t.Name == stem || "As" + t.Name == stem || "TryGet" + t.Name == stem))
        {
            return null;
        }

        var decl = NewDecl(DeclKind.Variant, nameHint, exactName, node);
        for (var i = 0; i < branches.Count; i++)
        {
            decl.Properties.Add(new PropertyDecl("Object", types[i].Name!, types[i], false, false, false, null, NullIfEmpty(Describe(branches[i])), false));
            decl.Shapes.Add(new ShapeBranch(types[i].Name!, new EquatableArray<string>(shapes[i].Required.OrderBy(n => n, StringComparer.Ordinal))));
        }

        if (decl.Name != stem && types.Any(t => "Is" + t.Name == decl.Name || "As" + t.Name == decl.Name || "TryGet" + t.Name == decl.Name || t.Name == decl.Name))
        {
            // Naming.Unique numbered the union into a clash with an accessor (CS0542): drop it, it would not compile.
            _decls.Remove(decl);
            _declByName.Remove(decl.Name);
            return null;
        }

        return new TypeRef(TypeKind.Variant, decl.Name);
    }

    /// <summary>Whether a variant can be a parameter value: every alternative is a scalar.</summary>
    private bool IsScalarVariant(TypeRef t)
        => _declByName.TryGetValue(t.Name!, out var d) && d.Properties.All(p => p.JsonName is "Boolean" or "Number" or "String");
}
