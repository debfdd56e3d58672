using System;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

// Scalar values: strings (through the shared string table), numbers, booleans, dates, GUIDs, bytes.
public static partial class ApiJson
{
    /// <summary>Reads a string token.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The string.</returns>
    /// <remarks>
    /// Short ASCII values that repeat through a document (VO names, hosts, storage endpoints, DNs, flags) are shared:
    /// a small process-wide table returns the same string instance for the same bytes instead of allocating again.
    /// The table is lossy and lock-free: threads may overwrite each other's entries, and an entry is only used after
    /// its text has been compared with the bytes, so a race costs a miss, never a wrong string.
    /// </remarks>
    public static string ReadString(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String, "string");
        return SharedText(ref reader);
    }

    /// <summary>A map key (the current property name), through the same string table as <see cref="ReadString"/>.</summary>
    internal static string ReadKey(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.PropertyName, "property name");
        return SharedText(ref reader);
    }

    /// <summary>The current string or property name, shared through the string table when short and ASCII.</summary>
    private static string SharedText(ref ApiJsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.GetString();
        }

        var bytes = reader.ValueSpan;
        if (bytes.Length == 0)
        {
            return string.Empty;
        }

        // ASCII (nearly every value a grid service sends) widens straight into a string, with no UTF-8 decoding.
        if (bytes.Length > MaxCachedString)
        {
            return WidenAscii(bytes) ?? reader.GetString();
        }

        var hash = StringHash(bytes);
        var slot = (int)(hash & (StringCacheSize - 1));
        var cache = Strings;
        var cached = System.Threading.Volatile.Read(ref cache[slot]);
        if (cached is not null && cached.Length == bytes.Length && System.Text.Ascii.Equals(bytes, cached))
        {
            return cached;
        }

        var value = WidenAscii(bytes);
        if (value is null)
        {
            return reader.GetString();
        }

        // A value enters the table the second time it is seen (its hash is remembered the first time), so values that
        // occur once (ids, checksums, paths) do not push out the ones that repeat (DNs, hosts, states).
        ref var seen = ref StringsSeen[slot];
        if (seen == hash)
        {
            System.Threading.Volatile.Write(ref cache[slot], value);
        }
        else
        {
            seen = hash;
        }

        return value;
    }

    /// <summary>The string of ASCII bytes in one pass (validation and widening together), or null if they are not all ASCII.</summary>
    private static string? WidenAscii(ReadOnlySpan<byte> bytes)
    {
        var ascii = true;
        var value = string.Create(bytes.Length, new Widening(bytes, ref ascii), static (chars, w) =>
        {
            if (System.Text.Ascii.ToUtf16(w.Bytes, chars, out _) != System.Buffers.OperationStatus.Done)
            {
                w.Ascii = false;
            }
        });
        return ascii ? value : null;
    }

    /// <summary>The bytes to widen and where to say whether they were ASCII.</summary>
    private readonly ref struct Widening
    {
        public readonly ReadOnlySpan<byte> Bytes;
        public readonly ref bool Ascii;

        public Widening(ReadOnlySpan<byte> bytes, ref bool ascii)
        {
            Bytes = bytes;
            Ascii = ref ascii;
        }
    }

    private const int MaxCachedString = 64;
    private const int StringCacheSize = 4096;

    private static readonly string?[] Strings = new string?[StringCacheSize];
    private static readonly uint[] StringsSeen = new uint[StringCacheSize];

    /// <summary>A hash of all the bytes (at most <see cref="MaxCachedString"/>), eight at a time; a collision only costs a miss.</summary>
    private static uint StringHash(ReadOnlySpan<byte> s)
    {
        ulong h = (ulong)s.Length * 0x9E3779B97F4A7C15UL;
        if (s.Length >= 8)
        {
            var i = 0;
            for (; i + 8 <= s.Length; i += 8)
            {
                h = (h ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(i))) * 0xC2B2AE3D27D4EB4FUL;
                h ^= h >> 29;
            }

            if (i < s.Length)
            {
                h = (h ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(s.Length - 8))) * 0x165667B19E3779F9UL;
                h ^= h >> 29;
            }
        }
        else
        {
            foreach (var b in s)
            {
                h = (h ^ b) * 0x100000001B3UL;
            }
        }

        h *= 0x94D049BB133111EBUL;
        return (uint)(h >> 32) ^ (uint)h;
    }

    /// <summary>Reads a 32-bit integer.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static int ReadInt32(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "int32");
        return reader.TryGetInt32(out var v) ? v : throw Error(ref reader, "int32: value is not an integer in range");
    }

    /// <summary>Reads a 64-bit integer.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static long ReadInt64(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "int64");
        return reader.TryGetInt64(out var v) ? v : throw Error(ref reader, "int64: value is not an integer in range");
    }

    /// <summary>Reads a double.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static double ReadDouble(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "number");
        return reader.TryGetDouble(out var v) ? v : throw Error(ref reader, "number: out of range");
    }

    /// <summary>Reads a single-precision float.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static float ReadSingle(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "float");
        return reader.TryGetSingle(out var v) ? v : throw Error(ref reader, "float: out of range");
    }

    /// <summary>Reads a decimal.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static decimal ReadDecimal(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "decimal");
        return reader.TryGetDecimal(out var v) ? v : throw Error(ref reader, "decimal: out of range");
    }

    /// <summary>Reads a boolean.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static bool ReadBoolean(ref ApiJsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Error(ref reader, "boolean: expected true or false, found " + Describe(reader.TokenType)),
    };

    /// <summary>
    /// Reads an ISO 8601 timestamp. A timestamp without offset (as FTS3 sends) is taken as UTC, never as local time.
    /// </summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static DateTimeOffset ReadDateTime(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String, "string");
        if (!reader.ValueIsEscaped)
        {
            // Fast path, no string: the common ISO 8601 spellings parsed from the bytes.
            if (Iso8601.TryParse(reader.ValueSpan, out var parsed))
            {
                return parsed;
            }
        }

        // Everything else (escaped text, other ISO 8601 spellings such as a space before the time).
        var s = reader.GetString()!;
        return ParseDateTime(s) ?? throw Error(ref reader, "date-time: '" + s + "' is not an ISO 8601 timestamp");
    }

    /// <summary>Parses an ISO 8601 timestamp, taking offset-less values as UTC.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value, or null if the text is not a timestamp.</returns>
    public static DateTimeOffset? ParseDateTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 10 || !char.IsAsciiDigit(text[0]))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? v : null;
    }

    /// <summary>Reads a calendar date (<c>yyyy-MM-dd</c>).</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static DateOnly ReadDate(ref ApiJsonReader reader)
    {
        var s = ReadString(ref reader);
        return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var v)
            ? v
            : throw Error(ref reader, "date: '" + s + "' is not yyyy-MM-dd");
    }

    /// <summary>Reads a UUID.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static Guid ReadGuid(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String, "uuid");
        return reader.TryGetGuid(out var v) ? v : throw Error(ref reader, "uuid: not a UUID");
    }

    /// <summary>Reads base64 bytes.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static byte[] ReadBytes(ref ApiJsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String, "byte");
        return reader.TryGetBytesFromBase64(out var v) ? v : throw Error(ref reader, "byte: not base64");
    }

    /// <summary>Reads any JSON value as a detached <see cref="JsonElement"/>.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static JsonElement ReadElement(ref ApiJsonReader reader)
    {
        var raw = new Utf8JsonReader(reader.ReadRawValue());
        return JsonElement.ParseValue(ref raw);
    }

    /// <summary>
    /// Reads any JSON value as an <see cref="ApiJsonValue"/>: its bytes, already checked by the reader, copied once
    /// and not parsed (JSON <c>null</c> allocates nothing).
    /// </summary>
    /// <param name="reader">The reader, on the value's first token (or on its property name).</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The reader is not on a value, or the value is not valid JSON (names the byte offset).</exception>
    public static ApiJsonValue ReadValue(ref ApiJsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            Read(ref reader);
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return default;
            case JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.String or JsonTokenType.Number
                or JsonTokenType.True or JsonTokenType.False:
                return ApiJsonValue.FromTrustedText(reader.ReadRawValue().ToArray());
            default:
                throw Error(ref reader, "value: expected a JSON value, found " + Describe(reader.TokenType));
        }
    }

    /// <summary>Writes an <see cref="ApiJsonValue"/>'s text as it is.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    public static void WriteValue(ApiJsonWriter writer, ApiJsonValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.Utf8);
    }

    /// <summary>Writes a timestamp in ISO 8601; <paramref name="withoutOffset"/> writes UTC with no offset suffix.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    /// <param name="withoutOffset">Write <c>yyyy-MM-ddTHH:mm:ss[.fffffff]</c> in UTC without "Z".</param>
    public static void WriteDateTime(ApiJsonWriter writer, DateTimeOffset value, bool withoutOffset = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteDateTimeValue(value, withoutOffset);
    }
}
