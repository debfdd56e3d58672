using System;
using System.Collections.Generic;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.Commands.Model;
using ValueType = Toolkit.Generators.Commands.Model.ValueType;

namespace Toolkit.Generators.Commands.Parsing;

/// <summary>The result rows of one command: the row type and its typed fields.</summary>
internal sealed partial class CommandSchemaParser
{
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
}
