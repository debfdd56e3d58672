using System;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Toolkit.JAliEn.Connection;

/// <summary>The <c>metadata</c> of a reply, as the connection needs it (cwd tracking and errors).</summary>
/// <param name="ExitCode">The errno-style exit code.</param>
/// <param name="Error">The error text (may be empty).</param>
/// <param name="User">The account.</param>
/// <param name="CurrentDirectory">The session's cwd after the command.</param>
public readonly record struct AlienReplyHeader(int ExitCode, string Error, string User, string CurrentDirectory);

/// <summary>Encodes requests and checks replies at the connection level.</summary>
public static class AlienWire
{
    /// <summary>The server's request limit, 130 KiB.</summary>
    public const int MaxRequestBytes = 130 * 1024;

    /// <summary>Encodes <c>{"command": ..., "options": [...]}</c>.</summary>
    /// <param name="line">The command line.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="AlienRequestTooLargeException">The encoded request is over <see cref="MaxRequestBytes"/>.</exception>
    public static void Encode(AlienCommandLine line, ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(output);
        int start = output.WrittenCount;
        using (var w = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("command"u8, line.Command);
            w.WriteStartArray("options"u8);
            foreach (var option in line.Options)
            {
                w.WriteStringValue(option);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        int size = output.WrittenCount - start;
        if (size > MaxRequestBytes)
        {
            throw new AlienRequestTooLargeException(string.Create(CultureInfo.InvariantCulture,
                $"the '{line.Command}' request is {size} bytes, over the server's limit of {MaxRequestBytes} bytes (130 KiB); split it (fewer arguments per command)"))
            { Size = size };
        }
    }

    /// <summary>
    /// Checks that a reply is one JSON object with a <c>metadata</c> object whose <c>exitcode</c> is a number, and
    /// returns its metadata. The whole reply is read, so a truncated or malformed one fails here.
    /// </summary>
    /// <param name="reply">The reply bytes.</param>
    /// <param name="command">The command it answers (for messages).</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="AlienProtocolException">Not JSON, not an object, no metadata, or a non-numeric exit code.</exception>
    public static AlienReplyHeader ReadHeader(ReadOnlySpan<byte> reply, string command)
    {
        var reader = new Utf8JsonReader(reply, new JsonReaderOptions { MaxDepth = 256 });
        int exitCode = 0;
        bool sawMetadata = false, sawExitCode = false;
        string error = string.Empty, user = string.Empty, cwd = string.Empty;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Fail(command, "is not a JSON object", reader.TokenStartIndex, "$");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isMetadata = reader.ValueTextEquals("metadata"u8);
                reader.Read();
                if (!isMetadata)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Fail(command, $"has a metadata that is a {reader.TokenType}, not an object", reader.TokenStartIndex, "$.metadata");
                }
                sawMetadata = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    reader.Read();
                    long at = reader.TokenStartIndex;
                    string? value = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => null,
                    };
                    if (value is null)
                    {
                        reader.Skip();
                    }
                    switch (name)
                    {
                        case "exitcode":
                            if (value is null || !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exitCode))
                            {
                                throw Fail(command, $"has a metadata.exitcode that is not a number ({(value is null ? "a " + reader.TokenType : "'" + Short(value) + "'")})", at, "$.metadata.exitcode");
                            }
                            sawExitCode = true;
                            break;
                        case "error":
                            error = value ?? string.Empty;
                            break;
                        case "user":
                            user = value ?? string.Empty;
                            break;
                        case "currentdir":
                            cwd = value ?? string.Empty;
                            break;
                    }
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Fail(command, "has data after its JSON object", reader.TokenStartIndex, "$");
            }
        }
        catch (JsonException e)
        {
            long offset = reader.TokenStartIndex;
            throw new AlienProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"the reply to '{command}' is not valid JSON near byte {reader.BytesConsumed} ({e.Message.Split(" LineNumber", 2)[0]}): {Preview(reply)}"), e)
            { ByteOffset = Math.Max(offset, reader.BytesConsumed) };
        }
        if (!sawMetadata)
        {
            throw Fail(command, "has no metadata object", 0, "$.metadata");
        }
        if (!sawExitCode)
        {
            throw Fail(command, "has no metadata.exitcode", 0, "$.metadata.exitcode");
        }
        return new AlienReplyHeader(exitCode, error, user, cwd);
    }

    private static AlienProtocolException Fail(string command, string what, long offset, string path) =>
        new(string.Create(CultureInfo.InvariantCulture, $"the reply to '{command}' {what} (at {path}, byte {offset})")) { ByteOffset = offset, JsonPath = path };

    private static string Short(string s) => s.Length > 40 ? s[..40] + "..." : s;

    private static string Preview(ReadOnlySpan<byte> reply)
    {
        string text = Encoding.UTF8.GetString(reply[..Math.Min(reply.Length, 60)]);
        var sb = new StringBuilder(text.Length + 2).Append('\'');
        foreach (char c in text)
        {
            sb.Append(char.IsControl(c) ? '.' : c);
        }
        return sb.Append(reply.Length > 60 ? "...'" : "'").ToString();
    }
}
