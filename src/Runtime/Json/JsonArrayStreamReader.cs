using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Runtime.Json;

/// <summary>
/// Reads a JSON array from a stream one item at a time, never holding more than one item (plus one read buffer) in
/// memory: the streaming form of a generated operation whose response is a top-level array.
/// </summary>
/// <remarks>
/// A <see cref="Utf8JsonReader"/> over partial data (<c>isFinalBlock: false</c>, its state carried from buffer to
/// buffer) finds where each item starts and ends; the complete item's bytes are then decoded by the generated reader
/// (<see cref="JsonReadFunc{T}"/>) with all its checks. The buffer comes from <see cref="ArrayPool{T}.Shared"/>, grows
/// only while one item is larger than it (up to <c>maxItemBytes</c>) and is returned when the enumeration ends or is
/// abandoned. Every error is a <see cref="JsonException"/> naming the byte offset in the whole body.
/// </remarks>
public static class JsonArrayStreamReader
{
    /// <summary>The read buffer's initial size.</summary>
    public const int DefaultBufferSize = 64 * 1024;

    /// <summary>The largest single item accepted when none is given (the whole array may be any size).</summary>
    public const int DefaultMaxItemBytes = 64 << 20;

    private enum Phase
    {
        Start,
        Items,
        Trailing,
        Done,
    }

    private enum Step
    {
        Item,
        NeedMore,
        Done,
    }

    /// <summary>Enumerates the items of the JSON array in <paramref name="utf8Json"/> as they arrive.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="utf8Json">The stream (read to its end, not disposed).</param>
    /// <param name="read">Decodes one item (a generated model's reader).</param>
    /// <param name="nullIsEmpty">Whether an empty body or a JSON <c>null</c> means no items (else they are errors).</param>
    /// <param name="maxItemBytes">The largest single item, in bytes.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The items, in order.</returns>
    /// <exception cref="JsonException">The body is not a JSON array of valid items (the message names the byte offset and the item).</exception>
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        Stream utf8Json,
        JsonReadFunc<T> read,
        bool nullIsEmpty = false,
        int maxItemBytes = DefaultMaxItemBytes,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItemBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(DefaultBufferSize, Math.Max(maxItemBytes, 16)));
        try
        {
            var scan = new Scanner(nullIsEmpty);
            int start = 0, end = 0;
            long index = 0;
            var eof = false;
            while (true)
            {
                var step = scan.Next(buffer.AsSpan(start, end - start), eof, out var itemStart, out var itemLength);
                if (step == Step.Done)
                {
                    yield break;
                }

                if (step == Step.Item)
                {
                    var value = Decode(buffer.AsSpan(start + itemStart, itemLength), read, scan.Offset + itemStart, index++);
                    start += scan.Consumed;
                    scan.Offset += scan.Consumed;
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return value;
                    continue;
                }

                start += scan.Consumed;
                scan.Offset += scan.Consumed;
                if (eof)
                {
                    throw new JsonException("invalid JSON: the body ended inside the array (at byte " + (scan.Offset + (end - start)).ToString(CultureInfo.InvariantCulture) + ")");
                }

                // Keep the unfinished item, move it to the front, and make room.
                var pending = end - start;
                if (pending == buffer.Length)
                {
                    if (buffer.Length >= maxItemBytes)
                    {
                        throw new JsonException("an item of the array is larger than " + maxItemBytes.ToString(CultureInfo.InvariantCulture) + " bytes (at byte " + scan.Offset.ToString(CultureInfo.InvariantCulture) + ")");
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxItemBytes));
                    buffer.AsSpan(start, pending).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                else if (start > 0)
                {
                    buffer.AsSpan(start, pending).CopyTo(buffer);
                }

                start = 0;
                end = pending;
                var n = await utf8Json.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    eof = true;
                }

                end += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static T Decode<T>(ReadOnlySpan<byte> item, JsonReadFunc<T> read, long offset, long index)
    {
        try
        {
            return ApiJson.Parse(item, read);
        }
        catch (JsonException e)
        {
            throw new JsonException("item " + index.ToString(CultureInfo.InvariantCulture) + " of the array (at byte " + offset.ToString(CultureInfo.InvariantCulture) + " of the body, " + item.Length.ToString(CultureInfo.InvariantCulture) + " bytes): " + e.Message + " (offsets within the item)", e);
        }
    }

    /// <summary>
    /// Finds item boundaries with a <see cref="Utf8JsonReader"/> whose state carries over between buffers. Inside an
    /// item it reads token by token, so a partial item is resumed where the data ran out (never rescanned): the
    /// whole body is scanned once however it is split.
    /// </summary>
    private struct Scanner(bool nullIsEmpty)
    {
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = ApiJsonReader.DefaultMaxDepth });
        private Phase _phase = Phase.Start;
        private long _scan;
        private long _itemStart = -1;
        private int _itemDepth;
        private long _lines;
        private long _lineStart;

        /// <summary>The body offset of the span passed to <see cref="Next"/>.</summary>
        public long Offset;

        /// <summary>How many bytes of that span the caller may release (everything before the current item, or before the scan position).</summary>
        public int Consumed;

        public Step Next(ReadOnlySpan<byte> data, bool eof, out int itemStart, out int itemLength)
        {
            itemStart = 0;
            itemLength = 0;
            var from = (int)(_scan - Offset);
            var rest = data[from..];
            if (_phase == Phase.Start && eof && rest.IndexOfAnyExcept(" \t\r\n"u8) < 0)
            {
                if (!nullIsEmpty)
                {
                    throw new JsonException("the body is empty; a JSON array was expected (at byte " + (Offset + data.Length).ToString(CultureInfo.InvariantCulture) + ")");
                }

                _phase = Phase.Done;
                return Step.Done;
            }

            var reader = new Utf8JsonReader(rest, eof, _state);
            Step step;
            try
            {
                step = Run(ref reader, eof, from, out itemStart, out itemLength);
            }
            catch (JsonException e)
            {
                if (e.LineNumber is null)
                {
                    throw; // One of ours, already naming the offset.
                }

                var at = Locate(rest, e) ?? Offset + from + reader.BytesConsumed;
                throw new JsonException("invalid JSON in the array: " + FirstSentence(e.Message) + " (at byte " + at.ToString(CultureInfo.InvariantCulture) + ")", e);
            }

            // Count the line breaks passed over, so an error's line and column (all Utf8JsonReader gives) become a byte offset.
            var scanned = rest[..(int)(_scan - Offset - from)];
            var breaks = scanned.Count((byte)'\n');
            if (breaks > 0)
            {
                _lines += breaks;
                _lineStart = Offset + from + scanned.LastIndexOf((byte)'\n') + 1;
            }

            Consumed = (int)((_itemStart >= 0 ? _itemStart : _scan) - Offset);
            return step;
        }

        private Step Run(ref Utf8JsonReader reader, bool eof, int from, out int itemStart, out int itemLength)
        {
            itemStart = 0;
            itemLength = 0;
            var at = Offset + from;
            if (_phase == Phase.Start)
            {
                if (!reader.Read())
                {
                    return Step.NeedMore;
                }

                if (reader.TokenType == JsonTokenType.Null && nullIsEmpty)
                {
                    _phase = Phase.Trailing;
                }
                else if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("the body is not a JSON array: it starts with " + reader.TokenType + " (at byte " + (at + reader.TokenStartIndex).ToString(CultureInfo.InvariantCulture) + ")");
                }
                else
                {
                    _phase = Phase.Items;
                }

                Commit(ref reader, at);
            }

            if (_phase == Phase.Items)
            {
                if (_itemStart < 0)
                {
                    if (!reader.Read())
                    {
                        return Step.NeedMore;
                    }

                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = Phase.Trailing;
                        Commit(ref reader, at);
                    }
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        _itemStart = at + reader.TokenStartIndex;
                        _itemDepth = reader.CurrentDepth;
                        Commit(ref reader, at);
                    }
                    else
                    {
                        var start = at + reader.TokenStartIndex;
                        Commit(ref reader, at);
                        itemStart = (int)(start - Offset);
                        itemLength = (int)(_scan - start);
                        return Step.Item;
                    }
                }

                if (_itemStart >= 0)
                {
                    // Inside an object or array item: read to the token that closes it, keeping the reader's place if
                    // the data runs out (a false Read leaves the reader after the last complete token).
                    do
                    {
                        if (!reader.Read())
                        {
                            Commit(ref reader, at);
                            return Step.NeedMore;
                        }
                    }
                    while (reader.CurrentDepth != _itemDepth);

                    Commit(ref reader, at);
                    itemStart = (int)(_itemStart - Offset);
                    itemLength = (int)(_scan - _itemStart);
                    _itemStart = -1;
                    return Step.Item;
                }
            }

            // Only white space may follow the array; Utf8JsonReader rejects anything else.
            if (reader.Read())
            {
                throw new JsonException("unexpected data after the array (at byte " + (at + reader.TokenStartIndex).ToString(CultureInfo.InvariantCulture) + ")");
            }

            Commit(ref reader, at);
            if (eof)
            {
                _phase = Phase.Done;
                return Step.Done;
            }

            return Step.NeedMore;
        }

        private void Commit(ref Utf8JsonReader reader, long at)
        {
            _state = reader.CurrentState;
            _scan = at + reader.BytesConsumed;
        }

        /// <summary>The body offset of a reader error: its line (counted from the committed position) and column.</summary>
        private readonly long? Locate(ReadOnlySpan<byte> rest, JsonException e)
        {
            if (e.LineNumber is not { } line || e.BytePositionInLine is not { } column || line < _lines)
            {
                return null;
            }

            var lineStart = _lineStart;
            var pos = 0;
            for (var k = _lines; k < line; k++)
            {
                var next = rest[pos..].IndexOf((byte)'\n');
                if (next < 0)
                {
                    return null;
                }

                pos += next + 1;
                lineStart = _scan + pos;
            }

            return lineStart + column;
        }

        private static string FirstSentence(string message)
        {
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return (cut > 0 ? message[..cut] : message).TrimEnd(' ', '|', '.');
        }
    }
}
