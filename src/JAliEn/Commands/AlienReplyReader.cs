using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Toolkit.JAliEn;

/// <summary>
/// Decodes a JAliEn reply, <c>{"metadata": {...}, "results": [{...}, ...]}</c>, in one forward pass with
/// <see cref="Utf8JsonReader"/> straight into typed rows (no <see cref="JsonDocument"/>). A reply that is not JSON, has
/// no <c>metadata</c> or <c>exitcode</c>, a non-numeric <c>exitcode</c>, a metadata value that is not a string, or a
/// row value of the wrong type throws <see cref="AlienProtocolException"/> with the JSON path and the byte offset.
/// </summary>
public static class AlienReplyReader
{
    /// <summary>Decodes a reply into rows of <typeparamref name="TRow"/>.</summary>
    /// <typeparam name="TRow">The row type (generated, or <see cref="AlienRow"/> for any command).</typeparam>
    /// <param name="reply">The reply's UTF-8 JSON.</param>
    /// <param name="command">The command name (for messages).</param>
    /// <param name="mode">Whether a non-zero exit code throws <see cref="AlienCommandException"/> or is returned.</param>
    /// <returns>The result.</returns>
    /// <exception cref="AlienProtocolException">The reply does not have the JAliEn shape.</exception>
    /// <exception cref="AlienCommandException">The exit code is not 0 and <paramref name="mode"/> is <see cref="AlienErrorMode.Throw"/>.</exception>
    public static AlienResult<IReadOnlyList<TRow>> Read<TRow>(ReadOnlyMemory<byte> reply, string command, AlienErrorMode mode = AlienErrorMode.Throw)
        where TRow : class, IAlienRow<TRow>
    {
        ArgumentNullException.ThrowIfNull(command);
        var cursor = new AlienJsonCursor(reply.Span, command);
        AlienReplyMetadata? metadata = null;
        List<TRow>? rows = null;
        cursor.Advance();
        if (cursor.Reader.TokenType != JsonTokenType.StartObject)
        {
            throw cursor.Fail("the reply is a " + cursor.Kind() + ", not an object", "$");
        }

        while (true)
        {
            cursor.Advance();
            if (cursor.Reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (cursor.Reader.ValueTextEquals("metadata"u8))
            {
                if (metadata is not null)
                {
                    throw cursor.Fail("'metadata' appears twice", "$.metadata");
                }

                metadata = ReadMetadata(ref cursor);
            }
            else if (cursor.Reader.ValueTextEquals("results"u8))
            {
                if (rows is not null)
                {
                    throw cursor.Fail("'results' appears twice", "$.results");
                }

                rows = ReadRows<TRow>(ref cursor);
            }
            else
            {
                cursor.Skip();
            }
        }

        EnsureEnd(ref cursor);
        if (metadata is null)
        {
            throw new AlienProtocolException(command, "the reply has no 'metadata' object", "$.metadata", reply.Length);
        }

        if (metadata.ExitCode == 0 && cursor.MissingPath is not null)
        {
            throw new AlienProtocolException(command, "a required field is missing", cursor.MissingPath, cursor.MissingOffset);
        }

        var messages = (IReadOnlyList<string>?)cursor.Messages ?? Array.Empty<string>();
        if (metadata.ExitCode != 0 && mode == AlienErrorMode.Throw)
        {
            throw new AlienCommandException(command, metadata.ExitCode, metadata.Error, messages);
        }

        return new AlienResult<IReadOnlyList<TRow>>(command, metadata, messages, (IReadOnlyList<TRow>?)rows ?? Array.Empty<TRow>(), reply);
    }

    /// <summary>Decodes a reply into untyped rows (field name to string or JSON value), for any command.</summary>
    /// <param name="reply">The reply's UTF-8 JSON.</param>
    /// <param name="command">The command name (for messages).</param>
    /// <param name="mode">Whether a non-zero exit code throws or is returned.</param>
    /// <returns>The result.</returns>
    public static AlienResult<IReadOnlyList<AlienRow>> ReadUntyped(ReadOnlyMemory<byte> reply, string command, AlienErrorMode mode = AlienErrorMode.Return)
        => Read<AlienRow>(reply, command, mode);

    private static List<TRow>? ReadRows<TRow>(ref AlienJsonCursor cursor)
        where TRow : class, IAlienRow<TRow>
    {
        cursor.Advance();
        if (cursor.Reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (cursor.Reader.TokenType != JsonTokenType.StartArray)
        {
            throw cursor.Fail("'results' is a " + cursor.Kind() + ", not an array", "$.results");
        }

        var rows = new List<TRow>();
        for (var i = 0; ; i++)
        {
            cursor.Advance();
            if (cursor.Reader.TokenType == JsonTokenType.EndArray)
            {
                return rows;
            }

            if (cursor.Reader.TokenType != JsonTokenType.StartObject)
            {
                throw cursor.Fail("the row is a " + cursor.Kind() + ", not an object", "$.results[" + i.ToString(CultureInfo.InvariantCulture) + "]");
            }

            cursor.StartRow(i);
            var row = TRow.Read(ref cursor);
            if (cursor.Reader.TokenType != JsonTokenType.EndObject || cursor.Reader.CurrentDepth != 2)
            {
                throw cursor.Fail("the row reader stopped inside the row", "$.results[" + i.ToString(CultureInfo.InvariantCulture) + "]");
            }

            // A row with nothing but a message carries text only; it is not a typed row.
            if (row is not null && cursor.FieldsInRow > 0)
            {
                rows.Add(row);
            }
        }
    }

    private static AlienReplyMetadata ReadMetadata(ref AlienJsonCursor cursor)
    {
        cursor.Advance();
        if (cursor.Reader.TokenType != JsonTokenType.StartObject)
        {
            throw cursor.Fail("'metadata' is a " + cursor.Kind() + ", not an object", "$.metadata");
        }

        int? exitCode = null;
        string error = string.Empty, user = string.Empty, cwd = string.Empty;
        long? timing = null;
        while (true)
        {
            cursor.Advance();
            if (cursor.Reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (cursor.Reader.ValueTextEquals("exitcode"u8))
            {
                var text = MetadataString(ref cursor, "exitcode");
                exitCode = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)
                    ? code
                    : throw cursor.Fail("exitcode '" + text + "' is not a number", "$.metadata.exitcode");
            }
            else if (cursor.Reader.ValueTextEquals("error"u8))
            {
                error = MetadataString(ref cursor, "error");
            }
            else if (cursor.Reader.ValueTextEquals("user"u8))
            {
                user = MetadataString(ref cursor, "user");
            }
            else if (cursor.Reader.ValueTextEquals("currentdir"u8))
            {
                cwd = MetadataString(ref cursor, "currentdir");
            }
            else if (cursor.Reader.ValueTextEquals("timing_ms"u8))
            {
                var text = MetadataString(ref cursor, "timing_ms");
                timing = text.Length == 0 ? null : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                    ? ms
                    : throw cursor.Fail("timing_ms '" + text + "' is not a number", "$.metadata.timing_ms");
            }
            else
            {
                cursor.Skip();
            }
        }

        return new AlienReplyMetadata(exitCode ?? throw cursor.Fail("'metadata' has no 'exitcode'", "$.metadata.exitcode"), error, user, cwd, timing);
    }

    private static string MetadataString(ref AlienJsonCursor cursor, string key)
    {
        cursor.Advance();
        return cursor.Reader.TokenType == JsonTokenType.String
            ? cursor.Reader.GetString()!
            : throw cursor.Fail("metadata value is a " + cursor.Kind() + ", not a string", "$.metadata." + key);
    }

    private static void EnsureEnd(ref AlienJsonCursor cursor)
    {
        bool more;
        try
        {
            more = cursor.Reader.Read();
        }
        catch (JsonException ex)
        {
            throw new AlienProtocolException(cursor.Command, "text after the reply (" + ex.Message + ")", "$", cursor.Reader.BytesConsumed, ex);
        }

        if (more)
        {
            throw cursor.Fail("a second JSON value after the reply", "$");
        }
    }
}
