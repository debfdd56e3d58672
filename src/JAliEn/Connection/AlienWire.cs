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
    /// <summary>The server's request limit, 130 KiB (<see cref="AlienRequest.MaxRequestBytes"/>).</summary>
    public const int MaxRequestBytes = AlienRequest.MaxRequestBytes;

    /// <summary>Encodes <c>{"command": ..., "options": [...]}</c> with <see cref="AlienRequest.Encode"/>.</summary>
    /// <param name="line">The command line.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="AlienRequestTooLargeException">The encoded request is over <see cref="MaxRequestBytes"/>.</exception>
    public static void Encode(AlienCommandLine line, ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(AlienRequest.Encode(line));
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
                throw Fail(command, "not a JSON object", reader.TokenStartIndex, "$");
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
                    throw Fail(command, $"metadata is a {reader.TokenType}, not an object", reader.TokenStartIndex, "$.metadata");
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
                                throw Fail(command, $"metadata.exitcode is not a number ({(value is null ? "a " + reader.TokenType : "'" + Short(value) + "'")})", at, "$.metadata.exitcode");
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
                throw Fail(command, "data after the JSON object", reader.TokenStartIndex, "$");
            }
        }
        catch (JsonException e)
        {
            long offset = reader.TokenStartIndex;
            throw new AlienProtocolException(command,
                $"not valid JSON ({e.Message.Split(" LineNumber", 2)[0]}), starting {Preview(reply)}", "$", Math.Max(offset, reader.BytesConsumed), e);
        }
        if (!sawMetadata)
        {
            throw Fail(command, "no metadata object", 0, "$.metadata");
        }
        if (!sawExitCode)
        {
            throw Fail(command, "no metadata.exitcode", 0, "$.metadata.exitcode");
        }
        return new AlienReplyHeader(exitCode, error, user, cwd);
    }

    private static AlienProtocolException Fail(string command, string what, long offset, string path) => new(command, what, path, offset);

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
