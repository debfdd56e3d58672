using System;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        if (bytes.Length <= ShortString)
        {
            return bytes.IsEmpty ? string.Empty : SharedShort(ref reader, bytes);
        }

        // ASCII (nearly every value a grid service sends) widens straight into a string, with no UTF-8 decoding.
        if (bytes.Length > MaxCachedString)
        {
            return WidenAscii(bytes) ?? reader.GetString();
        }

        var hash = StringHash(bytes);
        ref var entry = ref Slot(hash);
        if (entry.Hash == hash)
        {
            var cached = System.Threading.Volatile.Read(ref entry.Value);
            if (cached is not null && cached.Length == bytes.Length && System.Text.Ascii.Equals(bytes, cached))
            {
                return cached;
            }
        }

        var value = WidenAscii(bytes);
        if (value is null)
        {
            return reader.GetString();
        }

        Remember(ref entry, hash, value);
        return value;
    }

    /// <summary>
    /// A value of 1 to <see cref="ShortString"/> bytes: two words that hold all its bytes (overlapping loads from both
    /// ends) are at once its ASCII check, its hash and what a table entry is compared with, so the bytes are read
    /// once; a miss widens from the same words.
    /// </summary>
    private static string SharedShort(ref ApiJsonReader reader, ReadOnlySpan<byte> bytes)
    {
        ref var p = ref MemoryMarshal.GetReference(bytes);
        var n = bytes.Length;
        ulong a, b;
        if (n >= 8)
        {
            a = Unsafe.ReadUnaligned<ulong>(ref p);
            b = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, n - 8));
        }
        else if (n >= 4)
        {
            a = Unsafe.ReadUnaligned<uint>(ref p);
            b = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, n - 4));
        }
        else
        {
            a = p | ((ulong)Unsafe.Add(ref p, n >> 1) << 8) | ((ulong)Unsafe.Add(ref p, n - 1) << 16);
            b = 0;
        }

        if (((a | b) & 0x8080808080808080UL) != 0)
        {
            return reader.GetString();
        }

        // Every bit of both words reaches the slot (a multiply alone only carries bits upwards).
        var h = (a * 0x9E3779B97F4A7C15UL) ^ b ^ (ulong)n;
        h = (h ^ (h >> 33)) * 0xFF51AFD7ED558CCDUL;
        h = (h ^ (h >> 33)) * 0xC4CEB9FE1A85EC53UL;
        var hash = (uint)(h >> 32) ^ (uint)h;
        ref var entry = ref Slot(hash);
        if (entry.Hash == hash)
        {
            var cached = System.Threading.Volatile.Read(ref entry.Value);
            if (cached is not null && cached.Length == n && SameShort(cached, n, a, b))
            {
                return cached;
            }
        }

        var value = WidenShort(n, a, b, ref p);
        Remember(ref entry, hash, value);
        return value;
    }

    /// <summary>The table entry of a hash: its value, the value's hash and the hash last seen there share one cache line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref StringSlot Slot(uint hash)
        => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Strings), (nint)(hash & (StringCacheSize - 1)));

    /// <summary>
    /// A value enters the table the second time its hash is seen in a slot (the hash is remembered the first time),
    /// so values that occur once (ids, checksums, paths) do not push out the ones that repeat (DNs, hosts, states).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Remember(ref StringSlot entry, uint hash, string value)
    {
        if (entry.Seen == hash)
        {
            // The hash is a hint that saves reading a string that cannot match: a reader that sees it with another
            // thread's value still compares the text, so a race costs a miss, never a wrong string.
            System.Threading.Volatile.Write(ref entry.Value, value);
            entry.Hash = hash;
        }
        else
        {
            entry.Seen = hash;
        }
    }

    /// <summary>
    /// Whether a table entry of the same length (1 to 16, ASCII) holds the bytes of the two words: the entry's own text
    /// is compared, so a slot overwritten by another thread costs a miss, never a wrong string.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SameShort(string cached, int n, ulong a, ulong b)
    {
        ref var c = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(cached.AsSpan()));
        if (n >= 8)
        {
            return Vector128.LoadUnsafe(ref c) == Vector128.WidenLower(Vector128.CreateScalarUnsafe(a).AsByte())
                && Vector128.LoadUnsafe(ref c, (nuint)(n - 8)) == Vector128.WidenLower(Vector128.CreateScalarUnsafe(b).AsByte());
        }

        if (n >= 4)
        {
            return Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref c)) == Vector128.WidenLower(Vector128.CreateScalarUnsafe(a).AsByte()).AsUInt64().ToScalar()
                && Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref c, n - 4))) == Vector128.WidenLower(Vector128.CreateScalarUnsafe(b).AsByte()).AsUInt64().ToScalar();
        }

        return (c | ((ulong)Unsafe.Add(ref c, n >> 1) << 8) | ((ulong)Unsafe.Add(ref c, n - 1) << 16)) == a;
    }

    /// <summary>The string of 1 to 16 ASCII bytes, widened from the words <see cref="SharedShort"/> loaded.</summary>
    private static string WidenShort(int n, ulong a, ulong b, ref byte p)
    {
        // A new string is written once, here, before anything else can see it (what string.Create does).
        var value = new string('\0', n);
        ref var c = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(value.AsSpan()));
        if (n >= 8)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref c), Vector128.WidenLower(Vector128.CreateScalarUnsafe(a).AsByte()));
            Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref c, n - 8)), Vector128.WidenLower(Vector128.CreateScalarUnsafe(b).AsByte()));
        }
        else if (n >= 4)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref c), Vector128.WidenLower(Vector128.CreateScalarUnsafe(a).AsByte()).AsUInt64().ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref c, n - 4)), Vector128.WidenLower(Vector128.CreateScalarUnsafe(b).AsByte()).AsUInt64().ToScalar());
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                Unsafe.Add(ref c, i) = Unsafe.Add(ref p, i);
            }
        }

        return value;
    }

    /// <summary>The string of ASCII bytes in one pass (validation and widening together), or null if they are not all ASCII.</summary>
    private static string? WidenAscii(ReadOnlySpan<byte> bytes)
    {
        // A new string is written once, here, before anything else can see it (what string.Create does).
        var value = new string('\0', bytes.Length);
        var chars = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(value.AsSpan()), value.Length);
        return System.Text.Ascii.ToUtf16(bytes, chars, out _) == System.Buffers.OperationStatus.Done ? value : null;
    }

    private const int ShortString = 16;
    private const int MaxCachedString = 64;
    private const int StringCacheSize = 4096;

    private static readonly StringSlot[] Strings = new StringSlot[StringCacheSize];

    /// <summary>One entry of the string table (16 bytes).</summary>
    private struct StringSlot
    {
        /// <summary>The shared string, or null.</summary>
        public string? Value;

        /// <summary>The hash of <see cref="Value"/>'s bytes.</summary>
        public uint Hash;

        /// <summary>The hash last seen in this slot that did not match (admitted on its second sighting).</summary>
        public uint Seen;
    }

    /// <summary>
    /// A hash of all the bytes of a value of <see cref="ShortString"/> + 1 to <see cref="MaxCachedString"/> bytes; a
    /// collision only costs a miss. Words loaded at fixed places from both ends cover every byte (4 of them up to 32
    /// bytes, 8 up to 64), and each is multiplied by its own constant, so the multiplications run side by side instead
    /// of in a chain.
    /// </summary>
    private static uint StringHash(ReadOnlySpan<byte> s)
    {
        var n = s.Length;
        if (n <= ShortString || n > MaxCachedString)
        {
            throw new ArgumentOutOfRangeException(nameof(s));
        }

        ref var p = ref MemoryMarshal.GetReference(s);
        ref var end = ref Unsafe.Add(ref p, n - 16);
        var h = (Unsafe.ReadUnaligned<ulong>(ref p) * 0x9E3779B97F4A7C15UL)
            ^ (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 8)) * 0xC2B2AE3D27D4EB4FUL)
            ^ (Unsafe.ReadUnaligned<ulong>(ref end) * 0x165667B19E3779F9UL)
            ^ (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref end, 8)) * 0x94D049BB133111EBUL);
        if (n > 32)
        {
            ref var back = ref Unsafe.Add(ref p, n - 32);
            h ^= (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 16)) * 0xBF58476D1CE4E5B9UL)
                ^ (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 24)) * 0xD6E8FEB86659FD93UL)
                ^ (Unsafe.ReadUnaligned<ulong>(ref back) * 0xFF51AFD7ED558CCDUL)
                ^ (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref back, 8)) * 0xC4CEB9FE1A85EC53UL);
        }

        h ^= (ulong)n;
        h = (h ^ (h >> 32)) * 0xD6E8FEB86659FD93UL;
        h ^= h >> 32;
        return (uint)h;
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
