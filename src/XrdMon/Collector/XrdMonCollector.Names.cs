using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Toolkit.XrdMon.Collector;

public sealed partial class XrdMonCollector
{
    /// <summary>Pre-encoded property names and values of the event path (no UTF-16 → UTF-8 transcoding per event).</summary>
    private static class Names
    {
        public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        public static readonly JsonEncodedText Event = JsonEncodedText.Encode("event");
        public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
        public static readonly JsonEncodedText Server = JsonEncodedText.Encode("server");
        public static readonly JsonEncodedText User = JsonEncodedText.Encode("user");
        public static readonly JsonEncodedText UserDictid = JsonEncodedText.Encode("user_dictid");
        public static readonly JsonEncodedText Dictid = JsonEncodedText.Encode("dictid");
        public static readonly JsonEncodedText Lfn = JsonEncodedText.Encode("lfn");
        public static readonly JsonEncodedText Offset = JsonEncodedText.Encode("offset");
        public static readonly JsonEncodedText Length = JsonEncodedText.Encode("length");
        public static readonly JsonEncodedText Unresolved = JsonEncodedText.Encode("unresolved");
        public static readonly JsonEncodedText UnresolvedUser = JsonEncodedText.Encode("user");
        public static readonly JsonEncodedText UnresolvedFile = JsonEncodedText.Encode("file");
        private static readonly ConcurrentDictionary<string, JsonEncodedText> Kinds = new(StringComparer.Ordinal);

        /// <summary>An event kind (a literal of the visitor) as encoded text.</summary>
        public static JsonEncodedText Kind(string kind) => Kinds.GetOrAdd(kind, static k => JsonEncodedText.Encode(k, Encoder));

        /// <summary>Runs <paramref name="write"/> on a fresh writer with the line writer's options and returns the JSON bytes.</summary>
        public static byte[] Serialise<T>(T state, Action<Utf8JsonWriter, T> write)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var j = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder, SkipValidation = true }))
            {
                write(j, state);
            }

            return buffer.WrittenSpan.ToArray();
        }
    }
}
