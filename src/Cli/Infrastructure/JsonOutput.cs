using System;
using System.Buffers;
using System.IO;
using System.Text;
using System.Text.Json;
using Toolkit.Runtime.Json;

namespace Toolkit.Cli;

/// <summary>
/// The one way commands print JSON: always through a JSON writer, so every string is escaped; never by concatenation.
/// Two shapes: compact, one document per line (<see cref="ApiJsonWriter"/>'s bytes as written: UTF-8, only the escapes
/// JSON requires), for JSON-lines output and the FTS3 commands; and indented (System.Text.Json's writer with its
/// default escaping), for the proxy, token and Data Dispatcher commands.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Writes already encoded JSON (e.g. <see cref="ApiJson.Serialize{T}(T)"/>) as one line.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="utf8Json">The document, UTF-8.</param>
    public static void WriteLine(TextWriter output, ReadOnlySpan<byte> utf8Json) => output.WriteLine(Encoding.UTF8.GetString(utf8Json));

    /// <summary>Writes the document <paramref name="write"/> produces compactly, as one line.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="write">Writes one JSON value.</param>
    public static void WriteLine(TextWriter output, Action<ApiJsonWriter> write)
    {
        using var w = new ApiJsonWriter(256);
        write(w);
        WriteLine(output, w.WrittenSpan);
    }

    /// <summary>Writes the document <paramref name="write"/> produces, indented for people.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="write">Writes one JSON value compactly (generated models write themselves this way).</param>
    public static void WriteIndented(TextWriter output, Action<ApiJsonWriter> write)
    {
        using var compact = new ApiJsonWriter();
        write(compact);
        using var doc = JsonDocument.Parse(compact.WrittenSpan.ToArray());
        WriteIndented(output, doc.RootElement.WriteTo);
    }

    /// <summary>Writes the document <paramref name="write"/> produces with System.Text.Json's writer, indented for people.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="write">Writes one JSON value.</param>
    public static void WriteIndented(TextWriter output, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Indented))
        {
            write(w);
        }

        WriteLine(output, buffer.WrittenSpan);
    }

    /// <summary>A list of values as one indented JSON array.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="output">Standard output.</param>
    /// <param name="items">The items.</param>
    /// <param name="write">Writes one item.</param>
    public static void WriteIndentedList<T>(TextWriter output, System.Collections.Generic.IEnumerable<T> items, Action<ApiJsonWriter, T> write)
        => WriteIndented(output, (ApiJsonWriter w) =>
        {
            w.WriteStartArray();
            foreach (var i in items)
            {
                write(w, i);
            }

            w.WriteEndArray();
        });
}
