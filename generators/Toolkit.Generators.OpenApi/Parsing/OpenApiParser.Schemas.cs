using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Parsing;

internal sealed partial class OpenApiParser
{
    private static readonly HashSet<string> ReservedMembers = new(StringComparer.Ordinal)
    {
        "EqualityContract", "ReadJson", "WriteJson", "AdditionalProperties", "ToString", "GetHashCode", "Equals",
        "GetType", "MemberwiseClone", "Finalize", "PrintMembers", "Deconstruct", "Value", "IsKnown", "KnownValues",
    };

    private TypeRef ResolveNamed(SourceDoc doc, string pointer, JsonNode node, string name)
        => ResolveNamedByKey(doc, doc.Path + "#" + pointer, node, name);

    private TypeRef ResolveNamedByKey(SourceDoc doc, string key, JsonNode node, string name)
    {
        if (_named.TryGetValue(key, out var known))
        {
            // Met again while still being resolved: a record or union has declared its name by now (recursion
            // through properties is fine); a chain of $ref aliases that leads back to itself never declares one.
            if (_inProgress.Contains(key) && known.Kind == TypeKind.Named && !_declByName.ContainsKey(known.Name!))
            {
                Report(Diagnostics.Unsupported, doc, node, "'" + name + "' is a cycle of $ref aliases with no schema of its own; read as ApiJsonValue");
                return TypeRef.Json;
            }

            // A variant met again while it is being resolved still holds its placeholder: it is a struct, not a record.
            return known.Kind == TypeKind.Named && _declByName.TryGetValue(known.Name!, out var d) && d.Kind == DeclKind.Variant
                ? known with { Kind = TypeKind.Variant }
                : known;
        }

        // A component that only names a whole file (Pet: {$ref: models/pet.yaml}) gives that file's schema its name,
        // rather than taking the name itself and leaving the file's schema to be numbered after it.
        if (node.IsObject && node.Members.Count == 1 && node["$ref"] is { IsString: true } whole && whole.Text!.Length > 0 && whole.Text.IndexOf('#') < 0)
        {
            var aliased = ResolveRefSchema(doc, node, name);
            _named[key] = aliased;
            return aliased;
        }

        var csName = Naming.Unique(Naming.Pascal(name), _typeNames);
        _named[key] = new TypeRef(TypeKind.Named, csName);
        _inProgress.Add(key);
        var result = ResolveSchemaCore(doc, node, csName, exactName: true);
        _inProgress.Remove(key);
        _named[key] = result;
        return result;
    }

    /// <summary>Maps a schema (inline or <c>$ref</c>) to a C# type, creating declarations as needed.</summary>
    private TypeRef ResolveSchema(SourceDoc doc, JsonNode node, string nameHint)
        => ResolveSchemaCore(doc, node, nameHint, exactName: false);

    /// <summary>The type of a <c>$ref</c>'d schema: named after the last pointer segment, or for a whole-file
    /// reference after the file's stem (<c>../models/pet.yaml</c> → <c>Pet</c>, numbered when taken), unless
    /// <paramref name="preferredName"/> names it.</summary>
    private TypeRef ResolveRefSchema(SourceDoc doc, JsonNode holder, string? preferredName = null)
    {
        var target = ResolveRef(doc, holder, out var targetDoc, out var key);
        if (target is null)
        {
            return TypeRef.Json;
        }

        var slash = key.LastIndexOf('/');
        var name = slash >= 0 ? UnescapePointer(key.Substring(slash + 1)) : FileStem(targetDoc.Path);
        if (name.Length == 0 || key.EndsWith("#", StringComparison.Ordinal))
        {
            name = preferredName ?? FileStem(targetDoc.Path);
        }

        if (!_resolving.Add(key))
        {
            // A cycle through aliases only (records break cycles by registering their name first).
            if (_named.TryGetValue(key, out var t) && (t.Kind != TypeKind.Named || _declByName.ContainsKey(t.Name!)))
            {
                return t;
            }

            Report(Diagnostics.Unsupported, doc, holder, "'" + name + "' is a cycle of $ref aliases with no schema of its own; read as ApiJsonValue");
            return TypeRef.Json;
        }

        try
        {
            return ResolveNamedByKey(targetDoc, key, target, name);
        }
        finally
        {
            _resolving.Remove(key);
        }
    }

    private TypeRef ResolveSchemaCore(SourceDoc doc, JsonNode node, string nameHint, bool exactName)
    {
        // The budget: every schema walked counts, an alias or $ref'd inline schema once per use, so a YAML alias bomb
        // (or a deep nest) ends here in a positioned error instead of growing without limit.
        Spend(doc, node);
        if (_depth >= _options.MaxDepth)
        {
            Report(Diagnostics.OverBudget, doc, node, "schemas nest deeper than " + _options.MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels; raise ToolkitOpenApiMaxDepth if this document is genuine");
            throw new BudgetExceededException();
        }

        _depth++;
        try
        {
            return ResolveSchemaWalked(doc, node, nameHint, exactName);
        }
        finally
        {
            _depth--;
        }
    }

    private TypeRef ResolveSchemaWalked(SourceDoc doc, JsonNode node, string nameHint, bool exactName)
    {
        if (node.Kind == JsonKind.True)
        {
            return TypeRef.Json;
        }

        if (!node.IsObject)
        {
            Report(Diagnostics.InvalidDocument, doc, node, "a schema must be an object");
            return TypeRef.Json;
        }

        if (node["$ref"] is not null)
        {
            var r = ResolveRefSchema(doc, node);
            return node.GetBool("nullable") == true ? r.WithNullable(true) : r;
        }

        var nullable = node.GetBool("nullable") == true;
        string? type = null;
        var typeNode = node["type"];
        if (typeNode is { Kind: JsonKind.String })
        {
            type = typeNode.Text;
        }
        else if (typeNode is { Kind: JsonKind.Array })
        {
            var types = typeNode.Items.Where(i => i.IsString).Select(i => i.Text!).ToList();
            if (types.Remove("null"))
            {
                nullable = true;
            }

            if (types.Count == 1)
            {
                type = types[0];
            }
            else if (types.Count > 1)
            {
                if (types.All(t => t is "integer" or "number"))
                {
                    type = "number";
                }
                else if (TryTypeListVariant(doc, node, types, nameHint, exactName) is { } variant)
                {
                    return variant.WithNullableIf(nullable);
                }
                else
                {
                    Report(Diagnostics.Unsupported, doc, typeNode, "a schema with several types (" + string.Join(", ", types) + ") is read as ApiJsonValue");
                    return TypeRef.Json.WithNullable(nullable);
                }
            }
        }

        if (type == "null")
        {
            return TypeRef.Json.WithNullable(true);
        }

        if (node["oneOf"] is { Kind: JsonKind.Array } oneOf)
        {
            return ResolveUnion(doc, node, oneOf, nameHint, exactName).WithNullableIf(nullable);
        }

        if (node["anyOf"] is { Kind: JsonKind.Array } anyOf)
        {
            return ResolveUnion(doc, node, anyOf, nameHint, exactName).WithNullableIf(nullable);
        }

        if (node["allOf"] is { Kind: JsonKind.Array } allOf)
        {
            return ResolveAllOf(doc, node, allOf, nameHint, exactName).WithNullableIf(nullable);
        }

        if (node["not"] is { } not)
        {
            Report(Diagnostics.Unsupported, doc, not, "'not' is not supported; the value is read as ApiJsonValue");
            return TypeRef.Json.WithNullable(nullable);
        }

        if (node["enum"] is { Kind: JsonKind.Array } en)
        {
            return ResolveEnum(doc, node, en, type, nameHint, exactName).WithNullableIf(nullable);
        }

        var format = node.GetString("format");
        switch (type)
        {
            case "string":
                return (format switch
                {
                    "date-time" => new TypeRef(TypeKind.DateTime, WithoutOffset: node.GetBool("x-toolkit-offset") == false),
                    "date" => new TypeRef(TypeKind.Date),
                    "uuid" => new TypeRef(TypeKind.Guid),
                    "byte" => new TypeRef(TypeKind.Bytes),
                    "binary" => new TypeRef(TypeKind.Bytes),
                    _ => new TypeRef(TypeKind.String),
                }).WithNullable(nullable);
            case "integer":
                return new TypeRef(format == "int32" ? TypeKind.Int32 : TypeKind.Int64).WithNullable(nullable);
            case "number":
                return new TypeRef(format switch { "float" => TypeKind.Single, "decimal" => TypeKind.Decimal, "int32" => TypeKind.Int32, "int64" => TypeKind.Int64, _ => TypeKind.Double }).WithNullable(nullable);
            case "boolean":
                return new TypeRef(TypeKind.Boolean).WithNullable(nullable);
            case "array":
            {
                var items = node["items"];
                var element = items is null ? TypeRef.Json : ResolveSchema(doc, items, nameHint + "Item");
                return new TypeRef(TypeKind.Array, Element: element, Nullable: nullable);
            }

            case "object":
            case null:
                return ResolveObject(doc, node, nameHint, exactName).WithNullableIf(nullable);
            default:
                Report(Diagnostics.Unsupported, doc, typeNode!, "unknown schema type '" + type + "'; read as ApiJsonValue");
                return TypeRef.Json.WithNullable(nullable);
        }
    }

    private TypeRef ResolveObject(SourceDoc doc, JsonNode node, string nameHint, bool exactName)
    {
        var props = node["properties"];
        var ap = node["additionalProperties"];
        var hasProps = props is { IsObject: true } && props.Members.Count > 0;
        if (!hasProps)
        {
            if (ap is { IsObject: true } && ap.Members.Count > 0)
            {
                return new TypeRef(TypeKind.Map, Element: ResolveSchema(doc, ap, nameHint + "Value"));
            }

            return TypeRef.Json;
        }

        var decl = NewDecl(DeclKind.Record, nameHint, exactName, node);
        AddObjectPart(doc, node, decl, new HashSet<string>(StringComparer.Ordinal));
        return new TypeRef(TypeKind.Named, decl.Name);
    }

    private DeclBuilder NewDecl(DeclKind kind, string nameHint, bool exactName, JsonNode node)
    {
        var name = exactName ? nameHint : Naming.Unique(Naming.Pascal(nameHint), _typeNames);
        var decl = new DeclBuilder(kind, name)
        {
            Description = NullIfEmpty(Describe(node)),
            Deprecated = node.GetBool("deprecated") == true,
        };
        _decls.Add(decl);
        _declByName[name] = decl;
        return decl;
    }

    /// <summary>Adds the properties of one object schema (or allOf part) to a record declaration.</summary>
    private void AddObjectPart(SourceDoc doc, JsonNode node, DeclBuilder decl, HashSet<string> visited)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (node["required"] is { Kind: JsonKind.Array } req)
        {
            foreach (var r in req.Items)
            {
                if (r.IsString)
                {
                    required.Add(r.Text!);
                }
            }
        }

        var props = node["properties"];
        var propsDoc = doc;
        if (props is { IsObject: true, Members.Count: 1 } && props["$ref"] is { IsString: true })
        {
            // Not in the OpenAPI text, but split documents $ref the whole map of properties (DigitalOcean does).
            props = Deref(doc, props, out propsDoc);
        }

        if (props is { IsObject: true })
        {
            foreach (var m in props.Members)
            {
                AddProperty(propsDoc, decl, m, required.Contains(m.Name));
            }
        }

        // Names listed as required but declared by another allOf part.
        foreach (var name in required)
        {
            var i = decl.Properties.FindIndex(p => p.JsonName == name);
            if (i >= 0 && !decl.Properties[i].Required)
            {
                decl.Properties[i] = decl.Properties[i] with { Required = true };
            }
        }

        var ap = node["additionalProperties"];
        if (ap is { IsObject: true } && ap.Members.Count > 0)
        {
            decl.AdditionalProperties = ResolveSchema(doc, ap, decl.Name + "Value");
        }
        else if (ap is { Kind: JsonKind.True } || ap is { IsObject: true } || (ap is null && _options.KeepUnknownProperties))
        {
            decl.AdditionalProperties ??= _options.KeepUnknownProperties || ap is not null ? TypeRef.Json : null;
        }

        if (node["discriminator"] is { } disc && node["oneOf"] is null && node["anyOf"] is null)
        {
            Report(Diagnostics.Unsupported, doc, disc, "a discriminator on an object without oneOf/anyOf is ignored; declare the subtypes with oneOf and a mapping");
        }
    }

    private void AddProperty(SourceDoc doc, DeclBuilder decl, JsonMember m, bool required)
    {
        var schema = m.Value;
        var type = ResolveSchema(doc, schema, decl.Name + Naming.Pascal(m.Name));
        var info = schema;
        var infoDoc = doc;
        if (schema["$ref"] is not null)
        {
            // Already reported (if dangling) by ResolveSchema above; follow quietly for descriptions and flags.
            _quiet++;
            try
            {
                if (ResolveRef(doc, schema, out var targetDoc) is { IsObject: true } target)
                {
                    info = target;
                    infoDoc = targetDoc;
                }
            }
            finally
            {
                _quiet--;
            }
        }

        bool Flag(string name) => schema.GetBool(name) ?? info.GetBool(name) ?? false;

        var used = new HashSet<string>(decl.Properties.Where(p => p.JsonName != m.Name).Select(p => p.CsName), StringComparer.Ordinal) { decl.Name };
        used.UnionWith(ReservedMembers);
        var csName = Naming.Unique(Naming.Pascal(m.Name), used);
        var description = schema.GetDoc("description") ?? info.GetDoc("description") ?? schema.GetDoc("title") ?? info.GetDoc("title");
        var def = schema["default"] ?? (ReferenceEquals(info, schema) ? null : info["default"]);
        // A default of the $ref'd schema is reported in its own file (its position is there).
        var literal = def is null ? null : DefaultLiteral(schema["default"] is null ? infoDoc : doc, type, def);
        var prop = new PropertyDecl(m.Name, csName, type, required, Flag("readOnly"), Flag("writeOnly"), literal, description, Flag("deprecated"));
        var existing = decl.Properties.FindIndex(p => p.JsonName == m.Name);
        if (existing >= 0)
        {
            decl.Properties[existing] = prop with { CsName = decl.Properties[existing].CsName, Required = required || decl.Properties[existing].Required };
        }
        else
        {
            decl.Properties.Add(prop);
        }
    }

    private string? DefaultLiteral(SourceDoc doc, TypeRef type, JsonNode def)
    {
        if (def.Kind == JsonKind.Null)
        {
            return null;
        }

        string? literal = type.Kind switch
        {
            TypeKind.String when def.IsString => CSharp.Literal(def.Text!),
            TypeKind.Int32 when def.Kind == JsonKind.Number && int.TryParse(def.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => def.Text,
            TypeKind.Int64 when def.Kind == JsonKind.Number && long.TryParse(def.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => def.Text + "L",
            TypeKind.Double when def.Kind == JsonKind.Number => def.Text + "d",
            TypeKind.Single when def.Kind == JsonKind.Number => def.Text + "f",
            TypeKind.Decimal when def.Kind == JsonKind.Number => def.Text + "m",
            TypeKind.Boolean when def.Kind is JsonKind.True or JsonKind.False => def.Kind == JsonKind.True ? "true" : "false",
            TypeKind.Enum => EnumDefault(type, def),
            TypeKind.Variant => VariantDefault(doc, type, def),
            TypeKind.Guid when def.IsString && Guid.TryParse(def.Text, out var guid) => "new global::System.Guid(" + CSharp.Literal(guid.ToString("D")) + ")",
            TypeKind.Date when def.IsString && DateTime.TryParseExact(def.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                => "new global::System.DateOnly(" + date.Year.ToString(CultureInfo.InvariantCulture) + ", " + date.Month.ToString(CultureInfo.InvariantCulture) + ", " + date.Day.ToString(CultureInfo.InvariantCulture) + ")",
            TypeKind.DateTime when def.IsString && DateTimeOffset.TryParseExact(def.Text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                => "new global::System.DateTimeOffset(" + time.Ticks.ToString(CultureInfo.InvariantCulture) + "L, new global::System.TimeSpan(" + time.Offset.Ticks.ToString(CultureInfo.InvariantCulture) + "L))",
            TypeKind.Array when def.Kind == JsonKind.Array => ArrayDefault(doc, type, def),
            TypeKind.Json when (def.IsObject && def.Members.Count == 0) || (def.Kind == JsonKind.Array && def.Items.Count == 0)
                => Emit.JsonCode.RtJson + "ApiJsonValue.Parse(" + CSharp.Literal(def.IsObject ? "{}" : "[]") + ")",
            TypeKind.Map when def.IsObject && def.Members.Count == 0
                => "new global::System.Collections.Generic.Dictionary<string, " + new Emit.JsonCode(_namespace).Nullable(type.Element!) + ">()",
            _ => null,
        };
        if (literal is null)
        {
            Report(Diagnostics.Unsupported, doc, def, "this default value is not supported for its type and is ignored");
        }

        return literal;
    }

    /// <summary>The RFC 3339 forms a <c>date-time</c> default may take (with or without fractions, with an offset or Z, or none: UTC).</summary>
    private static readonly string[] DateTimeFormats =
    {
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    };

    /// <summary>An array default: <c>Array.Empty</c> for <c>[]</c>, else an array of the items' literals (null when one is not supported).</summary>
    private string? ArrayDefault(SourceDoc doc, TypeRef type, JsonNode def)
    {
        var element = new Emit.JsonCode(_namespace).Nullable(type.Element!);
        if (def.Items.Count == 0)
        {
            return "global::System.Array.Empty<" + element + ">()";
        }

        var items = new List<string>();
        _quiet++;
        try
        {
            foreach (var item in def.Items)
            {
                var literal = item.Kind == JsonKind.Null && type.Element!.Nullable ? "null" : DefaultLiteral(doc, type.Element!, item);
                if (literal is null)
                {
                    return null;
                }

                items.Add(literal);
            }
        }
        finally
        {
            _quiet--;
        }

        return "new " + element + "[] { " + string.Join(", ", items) + " }";
    }

    private string? EnumDefault(TypeRef type, JsonNode def)
    {
        if (!_declByName.TryGetValue(type.Name!, out var decl))
        {
            return null;
        }

        var text = def.IsString ? def.Text : def.Kind == JsonKind.Number ? def.Text : null;
        var member = decl.Members.FirstOrDefault(x => x.Value == text);
        return member is null ? null : "global::" + _namespace + "." + decl.Name + "." + member.CsName;
    }

    private TypeRef ResolveEnum(SourceDoc doc, JsonNode node, JsonNode values, string? type, string nameHint, bool exactName)
    {
        var nullable = false;
        var strings = new List<string>();
        var ints = new List<string>();
        var other = false;
        foreach (var v in values.Items)
        {
            switch (v.Kind)
            {
                case JsonKind.Null: nullable = true; break;
                case JsonKind.String: strings.Add(v.Text!); break;
                case JsonKind.Number when long.TryParse(v.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _): ints.Add(v.Text!); break;
                default: other = true; break;
            }
        }

        if (other || (strings.Count > 0 && ints.Count > 0) || (strings.Count == 0 && ints.Count == 0))
        {
            Report(Diagnostics.Unsupported, doc, values, "only enums of strings or of integers become open enum structs; this one keeps its base type");
            var baseType = type switch { "string" => new TypeRef(TypeKind.String), "integer" => new TypeRef(TypeKind.Int64), "boolean" => new TypeRef(TypeKind.Boolean), _ => TypeRef.Json };
            return baseType.WithNullable(nullable);
        }

        var decl = NewDecl(DeclKind.Enum, nameHint, exactName, node);
        decl.EnumIsInteger = ints.Count > 0;
        var raw = decl.EnumIsInteger ? ints : strings;
        List<string>? varNames = null;
        if (node["x-enum-varnames"] is { Kind: JsonKind.Array } vn && vn.Items.Count == raw.Count && vn.Items.All(i => i.IsString))
        {
            varNames = vn.Items.Select(i => i.Text!).ToList();
        }

        List<string?>? descriptions = null;
        if (node["x-enum-descriptions"] is { Kind: JsonKind.Array } ed && ed.Items.Count == raw.Count)
        {
            descriptions = ed.Items.Select(i => i.IsString && !string.IsNullOrWhiteSpace(i.Text) ? i.Text : null).ToList();
        }

        var used = new HashSet<string>(ReservedMembers, StringComparer.Ordinal) { decl.Name };
        for (var i = 0; i < raw.Count; i++)
        {
            if (decl.Members.Any(x => x.Value == raw[i]))
            {
                continue;
            }

            var baseName = varNames is not null ? Naming.Pascal(varNames[i])
                : decl.EnumIsInteger ? (raw[i].StartsWith("-", StringComparison.Ordinal) ? "Minus" + raw[i].Substring(1) : "Value" + raw[i])
                : Naming.Pascal(raw[i]);
            decl.Members.Add(new EnumMember(Naming.Unique(baseName, used), raw[i], descriptions?[i]));
        }

        return new TypeRef(TypeKind.Enum, decl.Name, Nullable: nullable);
    }

    private static bool IsNullSchema(JsonNode n)
        => n.GetString("type") == "null"
            || (n["enum"] is { Kind: JsonKind.Array } e && e.Items.Count == 1 && e.Items[0].Kind == JsonKind.Null);

    private TypeRef ResolveUnion(SourceDoc doc, JsonNode node, JsonNode branches, string nameHint, bool exactName)
    {
        var nullable = false;
        var rest = new List<JsonNode>();
        foreach (var b in branches.Items)
        {
            if (b.IsObject && IsNullSchema(b))
            {
                nullable = true;
            }
            else
            {
                rest.Add(b);
            }
        }

        if (rest.Count == 0)
        {
            return TypeRef.Json.WithNullable(true);
        }

        var disc = node["discriminator"];
        if (rest.Count == 1 && disc is null)
        {
            return ResolveSchemaCore(doc, rest[0], nameHint, exactName).WithNullableIf(nullable);
        }

        var propertyName = disc?.GetString("propertyName");
        if (propertyName is null)
        {
            // Without a discriminator the branches may still all be the same primitive type (e.g. strings of two
            // formats or patterns, $ref'd or inline): that type, which holds every branch's values.
            var primitiveNullable = nullable;
            if (CommonPrimitive(doc, node, rest, ref primitiveNullable) is { } primitive)
            {
                return primitive.WithNullable(primitiveNullable);
            }

            if (disc is null && TryVariant(doc, node, rest, nameHint, exactName) is { } variant)
            {
                return variant.WithNullableIf(nullable);
            }

            if (disc is null && TryShapeVariant(doc, node, rest, nameHint, exactName) is { } shaped)
            {
                return shaped.WithNullableIf(nullable);
            }

            Report(Diagnostics.UnionWithoutDiscriminator, doc, disc ?? branches, "oneOf/anyOf without a discriminator is read as ApiJsonValue unless all branches are one primitive type, or each accepts one JSON kind (boolean, number, string, array, object), no two the same, or all are objects told apart by the members each requires; add 'discriminator' with 'propertyName' to get a typed union");
            foreach (var b in rest.Where(b => b["$ref"] is not null))
            {
                ResolveRefSchema(doc, b);
            }

            return TypeRef.Json.WithNullable(nullable);
        }

        var decl = NewDecl(DeclKind.Union, nameHint, exactName, node);
        decl.DiscriminatorProperty = propertyName;
        var cases = new List<(string Value, JsonNode Holder, JsonNode Position)>();
        if (disc!["mapping"] is { IsObject: true } mapping)
        {
            foreach (var m in mapping.Members)
            {
                if (!m.Value.IsString)
                {
                    Report(Diagnostics.InvalidDocument, doc, m.Value, "discriminator mapping values must be strings");
                    continue;
                }

                var target = m.Value.Text!;
                if (!target.Contains("#") && !target.Contains("/") && !target.Contains("."))
                {
                    target = "#/components/schemas/" + target;
                }

                cases.Add((m.Name, SyntheticRef(target, m.Value), m.Value));
            }
        }

        foreach (var b in rest)
        {
            if (b["$ref"] is { IsString: true } r)
            {
                var target = r.Text!;
                var already = cases.Any(c => c.Holder["$ref"]!.Text == target);
                if (!already)
                {
                    var slash = target.LastIndexOf('/');
                    cases.Add((UnescapePointer(target.Substring(slash + 1)), b, b));
                }
            }
            else
            {
                Report(Diagnostics.Unsupported, doc, b, "inline oneOf branches cannot carry a discriminator value; move the branch to components/schemas and $ref it");
            }
        }

        foreach (var (value, holder, position) in cases)
        {
            var t = ResolveRefSchema(doc, holder);
            if (t.Kind != TypeKind.Named || !_declByName.TryGetValue(t.Name!, out var member) || member.Kind != DeclKind.Record)
            {
                if (t != TypeRef.Json)
                {
                    Report(Diagnostics.Unsupported, doc, position, "discriminated union member for '" + value + "' must be an object schema; it is skipped");
                }

                continue;
            }

            if (member.BaseType is not null && member.BaseType != decl.Name)
            {
                // The record derives from another union already: this union gets a case record that holds it and
                // reads and writes it with this union's discriminator. Named once every schema has its name
                // (NameWrappers), so the new name takes none that a schema met later would have had.
                decl.Cases.Add(new UnionCase(value, string.Empty));
                _wrapped.Add(new WrappedCase(decl, member, value, decl.Cases.Count - 1, doc, position, _quiet > 0));
                continue;
            }

            if (member.BaseType is null)
            {
                member.BaseType = decl.Name;
                member.DiscriminatorProperty = propertyName;
                member.DiscriminatorValue = value;
            }

            decl.Cases.Add(new UnionCase(value, member.Name));
        }

        return new TypeRef(TypeKind.Named, decl.Name, Nullable: nullable);
    }

    private static JsonNode SyntheticRef(string target, JsonNode position)
    {
        var value = new JsonNode(JsonKind.String, position.Start, position.End, target);
        return new JsonNode(JsonKind.Object, position.Start, position.End, members: new List<JsonMember> { new("$ref", position.Start, position.End, value) });
    }

    /// <summary>
    /// For a <c>oneOf</c>/<c>anyOf</c> whose branches only name required members (Lob's "city and state, or zip_code"):
    /// the members every branch requires (often none). Such a union declares no property, so an <c>allOf</c> that
    /// holds it loses nothing by leaving it unmerged. Null when a branch does more than name required members.
    /// </summary>
    private static HashSet<string>? RequiredAlternatives(JsonNode part)
    {
        var branches = part["oneOf"] ?? part["anyOf"];
        if (branches is not { Kind: JsonKind.Array } || branches.Items.Count == 0 || (part["oneOf"] is not null && part["anyOf"] is not null)
            || part.Members.Any(m => m.Name is not ("oneOf" or "anyOf" or "title" or "description")))
        {
            return null;
        }

        HashSet<string>? common = null;
        foreach (var b in branches.Items)
        {
            if (!b.IsObject || b["required"] is not { Kind: JsonKind.Array } req
                || b.Members.Any(m => m.Name is not ("required" or "title" or "description") && !(m.Name == "type" && m.Value.IsString && m.Value.Text == "object")))
            {
                return null;
            }

            var names = new HashSet<string>(req.Items.Where(r => r.IsString).Select(r => r.Text!), StringComparer.Ordinal);
            if (common is null)
            {
                common = names;
            }
            else
            {
                common.IntersectWith(names);
            }
        }

        return common;
    }

    private TypeRef ResolveAllOf(SourceDoc doc, JsonNode node, JsonNode parts, string nameHint, bool exactName)
    {
        var hasOwn = node["properties"] is { IsObject: true } p && p.Members.Count > 0;
        if (parts.Items.Count == 1 && !hasOwn)
        {
            return ResolveSchemaCore(doc, parts.Items[0], nameHint, exactName);
        }

        var decl = NewDecl(DeclKind.Record, nameHint, exactName, node);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts.Items)
        {
            MergePart(doc, part, decl, visited, 0);
        }

        AddObjectPart(doc, node, decl, visited);
        return new TypeRef(TypeKind.Named, decl.Name);
    }

    /// <summary>Counts one schema node against the document's budget; an inline allOf part counts as much as a property.</summary>
    private void Spend(SourceDoc doc, JsonNode node)
    {
        if (++_walked > _options.MaxNodes)
        {
            Report(Diagnostics.OverBudget, doc, node, "the document walks more than " + _options.MaxNodes.ToString(CultureInfo.InvariantCulture) + " schema nodes (aliases and reused schemas count once per use); raise ToolkitOpenApiMaxNodes if this document is genuine");
            throw new BudgetExceededException();
        }
    }

    private void MergePart(SourceDoc doc, JsonNode part, DeclBuilder decl, HashSet<string> visited, int depth)
    {
        Spend(doc, part);
        if (depth > 32 || !part.IsObject)
        {
            return;
        }

        if (part["$ref"] is not null)
        {
            var target = ResolveRef(doc, part, out var targetDoc, out var key);
            if (target is null || !visited.Add(key))
            {
                return;
            }

            decl.Description ??= NullIfEmpty(Describe(target));
            MergePart(targetDoc, target, decl, visited, depth + 1);
            return;
        }

        if (part["allOf"] is { Kind: JsonKind.Array } inner)
        {
            foreach (var x in inner.Items)
            {
                MergePart(doc, x, decl, visited, depth + 1);
            }
        }

        if ((part["oneOf"] is not null || part["anyOf"] is not null) && RequiredAlternatives(part) is null)
        {
            Report(Diagnostics.Unsupported, doc, part, "oneOf/anyOf inside allOf is not merged; its properties are not part of '" + decl.Name + "'");
        }

        AddObjectPart(doc, part, decl, visited);
    }
}

/// <summary>Thrown once the document's budget is spent (after the positioned diagnostic is reported).</summary>
#pragma warning disable CA1064, CA1032 // private control flow, never seen outside the parser
internal sealed class BudgetExceededException : Exception
#pragma warning restore CA1064, CA1032
{
}

internal static class TypeRefExtensions
{
    /// <summary>A documentation string of the schema (description, summary, title), or null when it is blank: a blank
    /// text would leave a public member without its doc comment.</summary>
    public static string? GetDoc(this JsonNode n, string key)
    {
        var s = n.GetString(key);
        return string.IsNullOrWhiteSpace(s) ? null : s;
    }

    public static TypeRef WithNullableIf(this TypeRef t, bool nullable) => nullable ? t.WithNullable(true) : t;
}
