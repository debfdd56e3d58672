using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Toolkit.JAliEn;

/// <summary>
/// A generated (or hand-written) result row: reads itself from the current <c>results[i]</c> object of a reply.
/// </summary>
/// <typeparam name="TSelf">The row type.</typeparam>
public interface IAlienRow<TSelf>
    where TSelf : class, IAlienRow<TSelf>
{
    /// <summary>
    /// Reads the row object the cursor is on (its <c>{</c> was read): calls <see cref="AlienJsonCursor.NextField"/>
    /// until it returns false, reading or skipping each value. Returns null when a required field is missing (after
    /// <see cref="AlienJsonCursor.MissingField"/>).
    /// </summary>
    /// <param name="cursor">The cursor.</param>
    /// <returns>The row, or null.</returns>
    static abstract TSelf? Read(ref AlienJsonCursor cursor);
}

/// <summary>
/// The forward-only reader the row types use: one <see cref="Utf8JsonReader"/> over the whole reply, no
/// <see cref="JsonDocument"/>. The wire sends almost every value as a string; the typed reads parse them (an empty
/// string reads as null) and throw <see cref="AlienProtocolException"/> naming the JSON path and byte offset when a
/// value does not parse or has the wrong JSON type. <c>message</c> fields never reach the row: <see cref="NextField"/>
/// collects them into the reply's messages.
/// </summary>
public ref struct AlienJsonCursor
{
    private readonly ReadOnlySpan<byte> _data;
    private Utf8JsonReader _reader;
    private readonly string _command;
    private List<string>? _messages;
    private int _row;
    private long _nameOffset;
    private int _fieldsInRow;
    private string? _missingPath;
    private long _missingOffset;

    internal AlienJsonCursor(ReadOnlySpan<byte> utf8, string command)
    {
        _reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow });
        _data = utf8;
        _command = command;
        _row = -1;
        _nameOffset = -1;
    }

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    internal ref Utf8JsonReader Reader => ref _reader;

    internal readonly List<string>? Messages => _messages;

    internal readonly int FieldsInRow => _fieldsInRow;

    internal readonly string? MissingPath => _missingPath;

    internal readonly long MissingOffset => _missingOffset;

    internal readonly string Command => _command;

    /// <summary>
    /// Moves to the next field of the row: true with the cursor on its name (test it with <see cref="FieldIs"/>, then
    /// read or skip the value), false at the end of the row. <c>message</c> fields are collected, not returned.
    /// </summary>
    /// <returns>True when there is a field.</returns>
    public bool NextField()
    {
        while (true)
        {
            Advance();
            if (_reader.TokenType == JsonTokenType.EndObject)
            {
                return false;
            }

            _nameOffset = _reader.TokenStartIndex;
            if (_reader.ValueTextEquals("message"u8))
            {
                Advance();
                if (_reader.TokenType == JsonTokenType.String)
                {
                    (_messages ??= new List<string>()).Add(_reader.GetString()!);
                }
                else if (_reader.TokenType != JsonTokenType.Null)
                {
                    throw Fail("'message' is a " + Kind() + ", not a string");
                }

                continue;
            }

            _fieldsInRow++;
            return true;
        }
    }

    /// <summary>True when the current field's name is <paramref name="utf8Name"/>.</summary>
    /// <param name="utf8Name">The name, UTF-8.</param>
    /// <returns>Whether it matches.</returns>
    public readonly bool FieldIs(ReadOnlySpan<byte> utf8Name) => _reader.ValueTextEquals(utf8Name);

    /// <summary>The current field's name (allocates; for untyped rows).</summary>
    /// <returns>The name.</returns>
    public readonly string FieldName() => _reader.GetString()!;

    /// <summary>Skips the current field's value.</summary>
    public void Skip()
    {
        Advance();
        _reader.Skip();
    }

    /// <summary>Reads a string value (null for JSON null).</summary>
    /// <returns>The string.</returns>
    public string? ReadString()
    {
        Advance();
        return _reader.TokenType switch
        {
            JsonTokenType.String => _reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw Fail("expected a string, found a " + Kind()),
        };
    }

    /// <summary>Reads a 64-bit integer written as a decimal string (or a JSON number); empty or null reads as null.</summary>
    /// <returns>The number.</returns>
    public long? ReadInt64()
    {
        Advance();
        switch (_reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return _reader.TryGetInt64(out var n) ? n : throw Fail("the number is not a 64-bit integer");
            case JsonTokenType.String:
                if (_reader.ValueIsEscaped || _reader.HasValueSequence)
                {
                    var s = _reader.GetString()!;
                    return s.Length == 0 ? null : long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e) ? e : throw Fail("'" + s + "' is not a 64-bit integer");
                }

                var span = _reader.ValueSpan;
                if (span.IsEmpty)
                {
                    return null;
                }

                return Utf8Parser.TryParse(span, out long v, out var used) && used == span.Length
                    ? v
                    : throw Fail("'" + Encoding.UTF8.GetString(span) + "' is not a 64-bit integer");
            default:
                throw Fail("expected an integer string, found a " + Kind());
        }
    }

    /// <summary>Reads a 32-bit integer written as a decimal string (or a JSON number); empty or null reads as null.</summary>
    /// <returns>The number.</returns>
    public int? ReadInt32()
    {
        var v = ReadInt64();
        return v is null ? null : v is >= int.MinValue and <= int.MaxValue ? (int)v.Value : throw Fail(v.Value.ToString(CultureInfo.InvariantCulture) + " does not fit a 32-bit integer");
    }

    /// <summary>Reads a flag written as <c>1</c>/<c>0</c>, <c>true</c>/<c>false</c> (string or JSON); empty or null reads as null.</summary>
    /// <returns>The flag.</returns>
    public bool? ReadBoolean()
    {
        Advance();
        switch (_reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.String:
                if (_reader.ValueTextEquals(""u8))
                {
                    return null;
                }

                if (_reader.ValueTextEquals("1"u8) || _reader.ValueTextEquals("true"u8))
                {
                    return true;
                }

                if (_reader.ValueTextEquals("0"u8) || _reader.ValueTextEquals("false"u8))
                {
                    return false;
                }

                throw Fail("'" + _reader.GetString() + "' is not a flag (1, 0, true or false)");
            default:
                throw Fail("expected a flag, found a " + Kind());
        }
    }

    /// <summary>Reads milliseconds since the Unix epoch (a decimal string); empty or null reads as null.</summary>
    /// <returns>The time.</returns>
    public DateTimeOffset? ReadUnixMilliseconds()
    {
        var v = ReadInt64();
        return v is null ? null : v.Value is >= -62135596800000L and <= 253402300799999L ? DateTimeOffset.FromUnixTimeMilliseconds(v.Value) : throw Fail(v.Value.ToString(CultureInfo.InvariantCulture) + " ms is outside the range of dates");
    }

    /// <summary>Reads seconds since the Unix epoch (a decimal string); empty or null reads as null.</summary>
    /// <returns>The time.</returns>
    public DateTimeOffset? ReadUnixSeconds()
    {
        var v = ReadInt64();
        return v is null ? null : v.Value is >= -62135596800L and <= 253402300799L ? DateTimeOffset.FromUnixTimeSeconds(v.Value) : throw Fail(v.Value.ToString(CultureInfo.InvariantCulture) + " s is outside the range of dates");
    }

    /// <summary>Reads a GUID string; empty or null reads as null.</summary>
    /// <returns>The GUID.</returns>
    public Guid? ReadGuid()
    {
        Advance();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (_reader.TokenType != JsonTokenType.String)
        {
            throw Fail("expected a GUID string, found a " + Kind());
        }

        if (!_reader.ValueIsEscaped && !_reader.HasValueSequence)
        {
            var span = _reader.ValueSpan;
            if (span.IsEmpty)
            {
                return null;
            }

            if (Utf8Parser.TryParse(span, out Guid g, out var used) && used == span.Length)
            {
                return g;
            }
        }

        var s = _reader.GetString()!;
        return s.Length == 0 ? null : Guid.TryParse(s, out var parsed) ? parsed : throw Fail("'" + s + "' is not a GUID");
    }

    /// <summary>Reads a list written as one string joined by <paramref name="separator"/> (empty parts dropped), or a JSON array of strings; null reads as null.</summary>
    /// <param name="separator">The separator of the string form.</param>
    /// <returns>The items.</returns>
    public IReadOnlyList<string>? ReadList(char separator)
    {
        Advance();
        switch (_reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var s = _reader.GetString()!;
                return s.Length == 0 ? Array.Empty<string>() : s.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (true)
                {
                    Advance();
                    if (_reader.TokenType == JsonTokenType.EndArray)
                    {
                        return items;
                    }

                    items.Add(_reader.TokenType == JsonTokenType.String ? _reader.GetString()! : throw Fail("a list item is a " + Kind() + ", not a string"));
                }

            default:
                throw Fail("expected a list, found a " + Kind());
        }
    }

    /// <summary>Reads an object whose values are strings (for example <c>stat -v</c>'s <c>replicas</c>, SE to PFN); null reads as null.</summary>
    /// <returns>The map, in wire order.</returns>
    public IReadOnlyDictionary<string, string>? ReadMap()
    {
        Advance();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail("expected an object of strings, found a " + Kind());
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            Advance();
            if (_reader.TokenType == JsonTokenType.EndObject)
            {
                return map;
            }

            var key = _reader.GetString()!;
            Advance();
            map[key] = _reader.TokenType switch
            {
                JsonTokenType.String => _reader.GetString()!,
                JsonTokenType.Null => string.Empty,
                _ => throw Fail("the value of '" + key + "' is a " + Kind() + ", not a string"),
            };
        }
    }

    /// <summary>Reads any value as a <see cref="JsonElement"/> (passthrough).</summary>
    /// <returns>The value.</returns>
    public JsonElement ReadJson()
    {
        Advance();
        return JsonElement.ParseValue(ref _reader);
    }

    /// <summary>Records that the row lacks a required field (the reply is refused when its exit code is 0; otherwise the row is dropped).</summary>
    /// <param name="name">The field's wire name.</param>
    public void MissingField(string name)
    {
        if (_missingPath is null)
        {
            _missingPath = "$.results[" + _row.ToString(CultureInfo.InvariantCulture) + "]." + name;
            _missingOffset = _reader.TokenStartIndex;
        }
    }

    internal void StartRow(int index)
    {
        _row = index;
        _fieldsInRow = 0;
        _nameOffset = -1;
    }

    /// <summary>Reads the next token; the end of the data inside the reply is a protocol error.</summary>
    internal void Advance()
    {
        bool more;
        try
        {
            more = _reader.Read();
        }
        catch (JsonException ex)
        {
            throw new AlienProtocolException(_command, "not valid JSON (" + ex.Message + ")", Path(), _reader.BytesConsumed, ex);
        }

        if (!more)
        {
            throw new AlienProtocolException(_command, "the reply ends early", Path(), _reader.BytesConsumed);
        }
    }

    internal readonly AlienProtocolException Fail(string what) => new(_command, what, Path(), _reader.TokenStartIndex);

    internal readonly AlienProtocolException Fail(string what, string path) => new(_command, what, path, _reader.TokenStartIndex);

    internal readonly string Kind() => _reader.TokenType switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => _reader.TokenType.ToString(),
    };

    private readonly string Path()
    {
        if (_row < 0)
        {
            return "$";
        }

        var name = NameAt(_nameOffset);
        return "$.results[" + _row.ToString(CultureInfo.InvariantCulture) + "]" + (name is null ? string.Empty : "." + name);
    }

    private readonly string? NameAt(long offset)
    {
        // The name token was read already; re-read its text for the message (errors only, never on the hot path).
        if (offset < 0 || offset >= _data.Length)
        {
            return null;
        }

        var again = new Utf8JsonReader(_data[(int)offset..]);
        try
        {
            return again.Read() && again.TokenType == JsonTokenType.String ? again.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
