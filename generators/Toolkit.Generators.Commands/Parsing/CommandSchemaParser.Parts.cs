using System;
using System.Collections.Generic;
using System.Globalization;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.Commands.Model;
using ValueType = Toolkit.Generators.Commands.Model.ValueType;

namespace Toolkit.Generators.Commands.Parsing;

/// <summary>Arguments, options and result rows of one command.</summary>
internal sealed partial class CommandSchemaParser
{
    private static readonly Dictionary<string, ValueType> ArgTypes = new(StringComparer.Ordinal)
    {
        ["string"] = ValueType.String, ["int"] = ValueType.Int, ["int64"] = ValueType.Int64, ["lfn"] = ValueType.Lfn,
        ["lfn-or-guid"] = ValueType.LfnOrGuid, ["enum"] = ValueType.Enum, ["replica-spec"] = ValueType.ReplicaSpec,
    };

    private static readonly Dictionary<string, ValueType> FieldTypes = new(StringComparer.Ordinal)
    {
        ["string"] = ValueType.String, ["lfn"] = ValueType.Lfn, ["int"] = ValueType.Int, ["int64"] = ValueType.Int64,
        ["bool"] = ValueType.Bool, ["unix-ms"] = ValueType.UnixMs, ["unix-s"] = ValueType.UnixS, ["guid"] = ValueType.Guid,
        ["list"] = ValueType.List, ["map"] = ValueType.Map, ["json"] = ValueType.Json,
    };

    private static readonly Dictionary<string, OptionKind> OptionKinds = new(StringComparer.Ordinal)
    {
        ["flag"] = OptionKind.Flag, ["value"] = OptionKind.Value, ["repeated"] = OptionKind.Repeated, ["joined"] = OptionKind.Joined, ["attached"] = OptionKind.Attached,
    };

    private EquatableArray<ArgModel> Args(JsonNode? node, string command, string pascal, Dictionary<string, string> used)
    {
        var list = new List<ArgModel>();
        if (node is null || !Expect(node, JsonKind.Array, "'args' of '" + command + "'"))
        {
            return new EquatableArray<ArgModel>(list);
        }

        var sawOptional = false;
        for (var i = 0; i < node.Items.Count; i++)
        {
            var item = node.Items[i];
            if (!Expect(item, JsonKind.Object, "an argument of '" + command + "'"))
            {
                continue;
            }

            CheckKeys(item, ArgKeys, "an argument of '" + command + "'");
            var name = Param(item, OptionalText(item, "name"), "argument", command, used);
            if (name is null)
            {
                continue;
            }

            var type = TypeOf(item, ArgTypes, ValueType.String, "argument '" + name.Value.Name + "'");
            var optional = Bool(item, "optional");
            var variadic = Bool(item, "variadic");
            var help = OptionalText(item, "help") ?? string.Empty;
            var (enumType, values) = EnumOf(item, type, pascal + Naming.Pascal(name.Value.Name), "argument '" + name.Value.Name + "' of '" + command + "'");
            string? def = null;
            if (item.Get("default") is { } d)
            {
                def = Default(d, type, values, variadic, "argument '" + name.Value.Name + "'");
            }

            if (variadic && i != node.Items.Count - 1)
            {
                Report(Diagnostics.InvalidReference, item, "the variadic argument '" + name.Value.Name + "' of '" + command + "' must be the last one");
            }

            if (variadic && type is not (ValueType.String or ValueType.Lfn or ValueType.LfnOrGuid or ValueType.Int64))
            {
                Report(Diagnostics.UnknownType, item, "a variadic argument is string, lfn, lfn-or-guid or int64; '" + name.Value.Name + "' of '" + command + "' is not");
            }

            var isOptional = optional || def is not null;
            if (!isOptional && sawOptional)
            {
                Report(Diagnostics.InvalidReference, item, "the required argument '" + name.Value.Name + "' of '" + command + "' follows an optional one (the wire order would be ambiguous)");
            }

            sawOptional |= isOptional;
            list.Add(new ArgModel(name.Value.Name, name.Value.Param, type, enumType, values, optional, variadic, def, help));
        }

        return new EquatableArray<ArgModel>(list);
    }

    private EquatableArray<OptionModel> Options(JsonNode? node, string command, string pascal, Dictionary<string, string> used, EquatableArray<ArgModel> args)
    {
        var list = new List<OptionModel>();
        if (node is null || !Expect(node, JsonKind.Array, "'options' of '" + command + "'"))
        {
            return new EquatableArray<OptionModel>(list);
        }

        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in node.Items)
        {
            if (!Expect(item, JsonKind.Object, "an option of '" + command + "'"))
            {
                continue;
            }

            CheckKeys(item, OptionKeys, "an option of '" + command + "'");
            var flagNode = item.Get("flag");
            var flag = flagNode is null ? null : Text(flagNode, "flag");
            if (flagNode is null || flag is null)
            {
                if (flagNode is null)
                {
                    Report(Diagnostics.InvalidSchema, item, "an option of '" + command + "' has no 'flag'");
                }

                continue;
            }

            if (!Naming.IsFlag(flag))
            {
                Report(Diagnostics.InvalidName, flagNode, "'" + flag + "' of '" + command + "' is not a flag ('-' then printable ASCII without spaces)");
                continue;
            }

            if (!flags.Add(flag))
            {
                Report(Diagnostics.Duplicate, flagNode, "the flag '" + flag + "' appears twice in '" + command + "'");
                continue;
            }

            var name = Param(item, OptionalText(item, "name") ?? flag.Trim('-', '='), "option", command, used);
            if (name is null)
            {
                continue;
            }

            var hasType = item.Get("type") is not null;
            var kind = OptionKind.Flag;
            if (item.Get("kind") is { } kindNode)
            {
                var k = Text(kindNode, "kind");
                if (k is not null && !OptionKinds.TryGetValue(k, out kind))
                {
                    Report(Diagnostics.UnknownType, kindNode, "the option kind '" + k + "' is not one of flag, value, repeated, joined, attached");
                    continue;
                }
            }
            else if (hasType)
            {
                kind = flag.EndsWith("=", StringComparison.Ordinal) ? OptionKind.Attached : OptionKind.Value;
            }

            var what = "option '" + flag + "' of '" + command + "'";
            if (kind == OptionKind.Attached != flag.EndsWith("=", StringComparison.Ordinal))
            {
                Report(Diagnostics.InvalidName, flagNode, "the " + what + ": an attached option's flag ends in '=' and only an attached option's does");
            }

            var type = kind == OptionKind.Flag ? ValueType.Bool : TypeOf(item, ArgTypes, ValueType.String, what);
            if (kind == OptionKind.Flag && hasType)
            {
                Report(Diagnostics.UnknownType, item.Get("type")!, "the " + what + " is a flag and takes no 'type' (give kind: value)");
            }

            var allowed = kind switch
            {
                OptionKind.Repeated => type is ValueType.String or ValueType.Lfn,
                OptionKind.Joined => type is ValueType.String or ValueType.Int or ValueType.Int64,
                OptionKind.Attached => type is ValueType.String or ValueType.Int or ValueType.Int64 or ValueType.Lfn or ValueType.Enum,
                _ => true,
            };
            if (!allowed)
            {
                Report(Diagnostics.UnknownType, item, "the " + what + " cannot be " + kind.ToString().ToLowerInvariant() + " with this type");
            }

            var separator = string.Empty;
            if (item.Get("separator") is { } sepNode)
            {
                separator = Text(sepNode, "separator") ?? ",";
                if (kind != OptionKind.Joined || separator.Length == 0 || HasControl(separator) || separator.IndexOf(' ') >= 0)
                {
                    Report(Diagnostics.InvalidSchema, sepNode, "'separator' is for joined options and must be printable, without spaces");
                }
            }
            else if (kind == OptionKind.Joined)
            {
                separator = ",";
            }

            var (enumType, values) = EnumOf(item, type, pascal + Naming.Pascal(name.Value.Name), what);
            var defaultOn = false;
            if (item.Get("default") is { } d)
            {
                Walk(d);
                if (kind != OptionKind.Flag || d.Kind is not (JsonKind.True or JsonKind.False))
                {
                    Report(Diagnostics.InvalidReference, d, "only a flag takes a default (true or false); the " + what + " defaults to not sent");
                }
                else
                {
                    defaultOn = d.Kind == JsonKind.True;
                }
            }

            list.Add(new OptionModel(flag, name.Value.Name, name.Value.Param, kind, type, enumType, values, separator, defaultOn, OptionalText(item, "help") ?? string.Empty));
        }

        _ = args;
        return new EquatableArray<OptionModel>(list);
    }

    private string? Result(JsonNode node, string command, string pascal, EquatableArray<OptionModel> options)
    {
        if (!Expect(node, JsonKind.Object, "'result' of '" + command + "'"))
        {
            return null;
        }

        CheckKeys(node, ResultKeys, "'result' of '" + command + "'");
        var rowNode = node.Get("row");
        var row = rowNode is null ? pascal + "Row" : Text(rowNode, "row");
        if (row is null)
        {
            return null;
        }

        if (!Naming.IsTypeName(row))
        {
            Report(Diagnostics.InvalidName, rowNode ?? node, "the row type '" + row + "' of '" + command + "' is not a C# identifier");
            return null;
        }

        if (!ClaimType(row, "the rows of '" + command + "'", rowNode ?? node))
        {
            return null;
        }

        var fields = new List<FieldModel>();
        var properties = new HashSet<string>(StringComparer.Ordinal);
        var fieldsNode = node.Get("fields");
        if (fieldsNode is not null && Expect(fieldsNode, JsonKind.Object, "'fields' of '" + command + "'"))
        {
            foreach (var m in fieldsNode.Members)
            {
                var f = Field(m, row, command, options, properties);
                if (f is not null)
                {
                    fields.Add(f);
                }
            }
        }

        _rows.Add(new RowModel(row, command, OptionalText(node, "summary") ?? string.Empty, new EquatableArray<FieldModel>(fields)));
        return row;
    }

    private FieldModel? Field(JsonMember m, string row, string command, EquatableArray<OptionModel> options, HashSet<string> properties)
    {
        var v = m.Value;
        Walk(v);
        var what = "field '" + m.Name + "' of '" + command + "'";
        if (m.Name == "message")
        {
            ReportName(Diagnostics.InvalidName, m, "'message' is not a row field: every row's message goes to the result's Messages");
            return null;
        }

        if (m.Name.Length == 0 || HasControl(m.Name))
        {
            ReportName(Diagnostics.InvalidName, m, "the field name '" + m.Name + "' is empty or holds control characters");
            return null;
        }

        JsonNode? obj = null;
        var type = ValueType.String;
        if (v.Kind == JsonKind.String)
        {
            type = TypeName(v, v.Text ?? string.Empty, FieldTypes, what);
        }
        else if (v.Kind == JsonKind.Object)
        {
            obj = v;
            CheckKeys(v, FieldKeys, what);
            type = TypeOf(v, FieldTypes, ValueType.String, what);
        }
        else if (v.Kind != JsonKind.Null)
        {
            Report(Diagnostics.InvalidSchema, v, "the " + what + " must be a type name or a mapping, not " + KindName(v.Kind));
            return null;
        }

        var propertyName = Naming.Pascal((obj is null ? null : OptionalText(obj, "name")) ?? m.Name);
        if (propertyName.Length == 0 || Naming.ObjectMembers.Contains(propertyName) || propertyName == row)
        {
            ReportName(Diagnostics.InvalidName, m, "the " + what + " makes the property name '" + propertyName + "', which is empty or taken by " + (propertyName == row ? "the row type" : "object"));
            return null;
        }

        if (!properties.Add(propertyName))
        {
            ReportName(Diagnostics.Duplicate, m, "the " + what + " makes the property " + propertyName + ", already made by another field of " + row);
            return null;
        }

        var required = obj is not null && Bool(obj, "required");
        string? when = null;
        if (obj?.Get("when") is { } whenNode && Text(whenNode, "when") is { } w)
        {
            var option = default(OptionModel);
            foreach (var o in options)
            {
                if (o.Name == w || o.Flag == w)
                {
                    option = o;
                }
            }

            if (option is null)
            {
                Report(Diagnostics.InvalidReference, whenNode, "'when: " + w + "' of the " + what + " names no option of '" + command + "'");
            }
            else if (required)
            {
                Report(Diagnostics.InvalidReference, whenNode, "the " + what + " is required, so it cannot depend on 'when'");
            }
            else
            {
                when = option.Flag;
            }
        }

        var separator = ",";
        if (obj?.Get("separator") is { } sep && Text(sep, "separator") is { } s)
        {
            if (type != ValueType.List || s.Length != 1 || HasControl(s))
            {
                Report(Diagnostics.InvalidSchema, sep, "'separator' of the " + what + " is for list fields and is one printable character");
            }

            separator = s;
        }

        return new FieldModel(m.Name, propertyName, type, required, separator, when, (obj is null ? null : OptionalText(obj, "help")) ?? string.Empty);
    }

    private (string Name, string Param)? Param(JsonNode item, string? name, string what, string command, Dictionary<string, string> used)
    {
        if (name is null)
        {
            Report(Diagnostics.InvalidSchema, item, "an " + what + " of '" + command + "' has no 'name'");
            return null;
        }

        var param = Naming.Camel(name);
        if (param.Length == 0)
        {
            Report(Diagnostics.InvalidName, item.Get("name") ?? item, "the " + what + " name '" + name + "' of '" + command + "' does not make a C# identifier");
            return null;
        }

        var bare = param.TrimStart('@');
        if (used.TryGetValue(bare, out var other))
        {
            Report(Diagnostics.Duplicate, item.Get("name") ?? item, "the " + what + " '" + name + "' of '" + command + "' makes the parameter " + bare + ", already taken by " + other);
            return null;
        }

        used[bare] = "the " + what + " '" + name + "'";
        return (name, param);
    }

    private ValueType TypeOf(JsonNode obj, Dictionary<string, ValueType> table, ValueType fallback, string what)
    {
        var n = obj.Get("type");
        if (n is null)
        {
            return fallback;
        }

        var t = Text(n, "type");
        return t is null ? fallback : TypeName(n, t, table, what);
    }

    private ValueType TypeName(JsonNode at, string t, Dictionary<string, ValueType> table, string what)
    {
        if (table.TryGetValue(t, out var type))
        {
            return type;
        }

        Report(Diagnostics.UnknownType, at, "unknown type '" + t + "' of the " + what + " (known: " + string.Join(", ", table.Keys) + ")");
        return ValueType.String;
    }

    private (string? EnumType, EquatableArray<EnumMember> Values) EnumOf(JsonNode item, ValueType type, string typeName, string what)
    {
        var valuesNode = item.Get("values");
        if (type != ValueType.Enum)
        {
            if (valuesNode is not null)
            {
                Report(Diagnostics.InvalidSchema, valuesNode, "'values' is for enum types; the " + what + " is not one");
            }

            return (null, EquatableArray<EnumMember>.Empty);
        }

        var members = new List<EnumMember>();
        if (valuesNode is null || !Expect(valuesNode, JsonKind.Array, "'values' of the " + what) || valuesNode.Items.Count == 0)
        {
            Report(Diagnostics.InvalidSchema, valuesNode ?? item, "the enum " + what + " needs a non-empty 'values' sequence");
            return (null, EquatableArray<EnumMember>.Empty);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var wires = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in valuesNode.Items)
        {
            var wire = Text(v, "values");
            if (wire is null)
            {
                continue;
            }

            var member = Naming.Pascal(wire);
            if (wire.Length == 0 || HasControl(wire) || member.Length == 0 || member == typeName)
            {
                Report(Diagnostics.InvalidName, v, "the enum value '" + wire + "' of the " + what + " does not make a C# member name");
            }
            else if (!wires.Add(wire) || !names.Add(member))
            {
                Report(Diagnostics.Duplicate, v, "the enum value '" + wire + "' of the " + what + " repeats another (or makes the same member " + member + ")");
            }
            else
            {
                members.Add(new EnumMember(wire, member));
            }
        }

        var values = new EquatableArray<EnumMember>(members);
        if (!ClaimType(typeName, "the enum of the " + what, valuesNode))
        {
            return (null, values);
        }

        _enums.Add(new EnumModel(typeName, "The values of the " + what + ".", values));
        return (typeName, values);
    }

    private string? Default(JsonNode d, ValueType type, EquatableArray<EnumMember> values, bool variadic, string what)
    {
        var text = d.Kind is JsonKind.String or JsonKind.Number ? d.Text : null;
        Walk(d);
        var ok = text is not null && !variadic && type switch
        {
            ValueType.String or ValueType.Lfn or ValueType.LfnOrGuid => true,
            ValueType.Int => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            ValueType.Int64 => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            ValueType.Enum => Contains(values, text!),
            _ => false,
        };
        if (!ok)
        {
            Report(Diagnostics.InvalidReference, d, "the default of the " + what + " is not a valid value of its type (or the argument is variadic or a replica-spec)");
            return null;
        }

        return text;
    }

    private static bool Contains(EquatableArray<EnumMember> values, string wire)
    {
        foreach (var v in values)
        {
            if (v.Wire == wire)
            {
                return true;
            }
        }

        return false;
    }
}
