using System;
using System.Buffers;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

// Lists and maps, read into exact arrays and written from read-only collections.
public static partial class ApiJson
{
    /// <summary>Reads an array.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="reader">The reader, on the StartArray token.</param>
    /// <param name="item">Reads one element.</param>
    /// <returns>The elements.</returns>
    public static IReadOnlyList<T> ReadList<T>(ref ApiJsonReader reader, JsonReadFunc<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Expect(ref reader, JsonTokenType.StartArray, "array");
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return Array.Empty<T>();
        }

        var first = item(ref reader);
        if (!reader.TryReadNextObjectInArray())
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return new[] { first };
            }
        }

        // Elements go to pooled scratch space; the result is one array of the exact length (no List, no slack).
        var scratch = ArrayPool<T>.Shared.Rent(8);
        scratch[0] = first;
        var count = 1;
        try
        {
            while (true)
            {
                if (count == scratch.Length)
                {
                    var bigger = ArrayPool<T>.Shared.Rent(count * 2);
                    Array.Copy(scratch, bigger, count);
                    ReturnScratch(scratch, count);
                    scratch = bigger;
                }

                scratch[count++] = item(ref reader);
                if (!reader.TryReadNextObjectInArray())
                {
                    Read(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        return scratch.AsSpan(0, count).ToArray();
                    }
                }
            }
        }
        finally
        {
            ReturnScratch(scratch, count);
        }
    }

    private static void ReturnScratch<T>(T[] scratch, int used)
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            scratch.AsSpan(0, Math.Min(used, scratch.Length)).Clear();
        }

        ArrayPool<T>.Shared.Return(scratch);
    }

    /// <summary>Reads an object used as a map (<c>additionalProperties</c>).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="reader">The reader, on the StartObject token.</param>
    /// <param name="value">Reads one value.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyDictionary<string, T> ReadMap<T>(ref ApiJsonReader reader, JsonReadFunc<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Expect(ref reader, JsonTokenType.StartObject, "map");
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return map;
            }

            // Keys repeat from item to item (RSE names, attribute names): shared through the string table.
            var key = ReadKey(ref reader);
            Read(ref reader);
            map[key] = value(ref reader);
        }
    }

    /// <summary>Writes an array.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="list">The elements.</param>
    /// <param name="item">Writes one element.</param>
    public static void WriteList<T>(ApiJsonWriter writer, IReadOnlyList<T> list, Action<ApiJsonWriter, T> item)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(item);
        writer.WriteStartArray();
        for (var i = 0; i < list.Count; i++)
        {
            item(writer, list[i]);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a map as an object.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="map">The entries.</param>
    /// <param name="value">Writes one value.</param>
    public static void WriteMap<T>(ApiJsonWriter writer, IReadOnlyDictionary<string, T> map, Action<ApiJsonWriter, T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        WriteEntries(writer, map, value);
        writer.WriteEndObject();
    }

    /// <summary>Writes the entries of a map into the object being written (kept unknown or additional properties).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="map">The entries.</param>
    /// <param name="value">Writes one value.</param>
    public static void WriteMapEntries<T>(ApiJsonWriter writer, IReadOnlyDictionary<string, T>? map, Action<ApiJsonWriter, T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (map is null)
        {
            return;
        }

        WriteEntries(writer, map, value);
    }

    private static void WriteEntries<T>(ApiJsonWriter writer, IReadOnlyDictionary<string, T> map, Action<ApiJsonWriter, T> value)
    {
        // Decoded maps are Dictionary instances: enumerate them without boxing the enumerator.
        if (map is Dictionary<string, T> dictionary)
        {
            foreach (var pair in dictionary)
            {
                writer.WritePropertyName(pair.Key);
                value(writer, pair.Value);
            }

            return;
        }

        foreach (var pair in map)
        {
            writer.WritePropertyName(pair.Key);
            value(writer, pair.Value);
        }
    }
}
