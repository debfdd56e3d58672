using System;
// Frozen copy of the Utf8JsonWriter-based xrdmon decode writer (src/XrdMon at 1855f6c): the byte-identity oracle of
// JsonOutputIdentityTests and the "before" baseline of bench/Toolkit.Bench/XrdMon/XrdMonJsonBenchmarks.cs. Do not change.
using System.Buffers;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Toolkit.XrdMon.Tests.Legacy;

/// <summary>
/// Writes one JSON object per line through a reused <see cref="Utf8JsonWriter"/> and buffer (no reflection). The one
/// JSON-lines writer of the assembly: <see cref="LegacyXrdMonJsonWriter"/> (<c>xrdmon decode</c>) and the collector's
/// event writer both write through it.
/// </summary>
internal sealed class LegacyJsonLineWriter : IDisposable
{
    private const int FlushThreshold = 1 << 16;
    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);

    /// <summary>Creates a writer.</summary>
    /// <param name="output">Where lines go.</param>
    public LegacyJsonLineWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    /// <summary>The JSON writer of the current line (between <see cref="Begin"/> and <see cref="End"/>).</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>Lines written.</summary>
    public long Lines { get; private set; }

    /// <summary>Starts a line's object.</summary>
    public void Begin() => Json.WriteStartObject();

    /// <summary>Ends the object and the line.</summary>
    public void End()
    {
        Json.WriteEndObject();
        Json.Flush();
        Json.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        Lines++;
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            Drain();
        }
    }

    /// <summary>Writes a UTF-8 string property (bytes that are not UTF-8 are shown as Latin-1).</summary>
    /// <param name="name">Property name.</param>
    /// <param name="utf8">Value bytes.</param>
    public void Text(string name, ReadOnlySpan<byte> utf8)
    {
        Json.WritePropertyName(name);
        StringValue(utf8);
    }

    /// <summary>Writes a UTF-8 string value (bytes that are not UTF-8 are shown as Latin-1).</summary>
    /// <param name="utf8">Value bytes.</param>
    public void StringValue(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            Json.WriteStringValue(utf8);
        }
        else
        {
            Json.WriteStringValue(Encoding.Latin1.GetString(utf8));
        }
    }

    /// <summary>True when <paramref name="line"/> is one complete JSON value (so it can be copied as raw JSON).</summary>
    /// <param name="line">UTF-8 bytes.</param>
    /// <param name="allowTrailingWhitespace">Accept spaces, tabs and carriage returns after the value.</param>
    /// <returns>True for valid UTF-8 holding exactly one JSON value.</returns>
    public static bool IsJsonValue(ReadOnlySpan<byte> line, bool allowTrailingWhitespace)
    {
        if (!Utf8.IsValid(line))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed == line.Length
                || (allowTrailingWhitespace && line[(int)reader.BytesConsumed..].Trim(" \t\r"u8).IsEmpty);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Writes buffered lines to the stream and flushes it.</summary>
    public void Flush()
    {
        Drain();
        _output.Flush();
    }

    /// <summary>Flushes; the stream stays open.</summary>
    public void Dispose()
    {
        Flush();
        Json.Dispose();
    }

    private void Drain()
    {
        if (_buffer.WrittenCount > 0)
        {
            _output.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }
}
