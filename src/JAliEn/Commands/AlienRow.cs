using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Toolkit.JAliEn;

/// <summary>One field of an untyped row: the name and either the string value or the JSON value of another kind.</summary>
/// <param name="Name">The field's key.</param>
/// <param name="Text">The value when it is a JSON string, else null.</param>
/// <param name="Json">The value when it is not a string (object, array, number, boolean, null), else null.</param>
public sealed record AlienField(string Name, string? Text, JsonElement? Json)
{
    /// <summary>The value as text: the string, or the JSON of any other value.</summary>
    public string DisplayText => Text ?? Json?.GetRawText() ?? string.Empty;
}

/// <summary>
/// An untyped result row, for any command (the shell prints these): the fields in wire order, strings as strings and
/// every other value as a <see cref="JsonElement"/>. <c>message</c> is in <see cref="AlienResult{T}.Messages"/>.
/// </summary>
public sealed class AlienRow : IAlienRow<AlienRow>
{
    private readonly List<AlienField> _fields;

    private AlienRow(List<AlienField> fields) => _fields = fields;

    /// <summary>The fields in wire order.</summary>
    public IReadOnlyList<AlienField> Fields => _fields;

    /// <summary>The string value of <paramref name="name"/> (or the JSON text of another value), null when absent.</summary>
    /// <param name="name">The key.</param>
    /// <returns>The value.</returns>
    public string? this[string name] => Find(name)?.DisplayText;

    /// <summary>The field named <paramref name="name"/>, or null.</summary>
    /// <param name="name">The key.</param>
    /// <returns>The field.</returns>
    public AlienField? Find(string name)
    {
        foreach (var f in _fields)
        {
            if (string.Equals(f.Name, name, StringComparison.Ordinal))
            {
                return f;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public static AlienRow? Read(ref AlienJsonCursor cursor)
    {
        var fields = new List<AlienField>();
        while (cursor.NextField())
        {
            var name = cursor.FieldName();
            var value = cursor.ReadJson();
            fields.Add(value.ValueKind == JsonValueKind.String ? new AlienField(name, value.GetString(), null) : new AlienField(name, null, value));
        }

        return new AlienRow(fields);
    }
}
