using System;
using System.Buffers;
using System.Text.Json;

namespace Toolkit.JAliEn;

/// <summary>Encodes a command line as the JSON request frame <c>{"command": "...", "options": ["...", ...]}</c>.</summary>
public static class AlienRequest
{
    /// <summary>The largest request the server accepts: 130 KiB (bigger frames get EINVAL "Message too big").</summary>
    public const int MaxRequestBytes = 130 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    /// <summary>The UTF-8 JSON of <paramref name="line"/>, every option a string.</summary>
    /// <param name="line">The command line.</param>
    /// <returns>The frame's bytes.</returns>
    /// <exception cref="AlienRequestTooLargeException">The frame is larger than <see cref="MaxRequestBytes"/>.</exception>
    /// <exception cref="ArgumentException">The command is empty or a string holds a lone surrogate.</exception>
    public static byte[] Encode(AlienCommandLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentException.ThrowIfNullOrEmpty(line.Command);
        var buffer = new ArrayBufferWriter<byte>(64 + (line.Options.Count * 16));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("command"u8, line.Command);
            writer.WriteStartArray("options"u8);
            for (var i = 0; i < line.Options.Count; i++)
            {
                writer.WriteStringValue(line.Options[i] ?? throw new ArgumentException("option " + i + " of '" + line.Command + "' is null", nameof(line)));
                if (writer.BytesPending + writer.BytesCommitted > MaxRequestBytes)
                {
                    throw new AlienRequestTooLargeException(line.Command, writer.BytesPending + writer.BytesCommitted, MaxRequestBytes);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (buffer.WrittenCount > MaxRequestBytes)
        {
            throw new AlienRequestTooLargeException(line.Command, buffer.WrittenCount, MaxRequestBytes);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
