using System;
using System.Buffers;
using System.IO;
using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;
using Toolkit.Runtime.Json;

namespace Toolkit.Bench.OpenApiCompare.Subjects;

/// <summary>
/// One document and body, decoded and encoded by each of the four: ours (generated readers/writers on
/// ApiJsonReader/ApiJsonWriter), NSwag (System.Text.Json reflection with the options its client uses), System.Text.Json
/// source generation (over NSwag's DTOs) and Kiota (its JSON parse nodes and serialization writer, as its request
/// adapter uses them). Every decoder gets the same bytes; the encoders write the objects their own decoder made.
/// </summary>
public abstract class Subject
{
    // Ours, NSwag and STJ write into reused buffers: the figures are the encoding, not the copy of the result.
    // Kiota's writer owns its stream, so it is made per call (as its request adapter does).
    private readonly ArrayBufferWriter<byte> _buffer = new(16 << 20);
    private Utf8JsonWriter? _writer;

    /// <summary>The body every decoder reads.</summary>
    public byte[] Json { get; protected init; } = [];

    /// <summary>Ours.</summary>
    protected ApiJsonWriter OursWriter { get; } = new(16 << 20);

    /// <summary>Decoded results, for the encoders and the agreement check.</summary>
    public abstract void DecodeAll();

    public abstract object DecodeOurs();

    public abstract object DecodeNSwag();

    public abstract object DecodeStj();

    public abstract object DecodeKiota();

    public abstract long EncodeOurs();

    public abstract long EncodeNSwag();

    public abstract long EncodeStj();

    public abstract long EncodeKiota();

    /// <summary>A floor for any decoder: every token of the body read with ours' reader, nothing decoded or allocated.</summary>
    public object Tokens() => Toolkit.Bench.OpenApi.TokenFloors.ApiJsonReaderTokens(Json);

    /// <summary>The same floor with System.Text.Json's <see cref="Utf8JsonReader"/>, the reader under NSwag's and STJ's decoders.</summary>
    public object Utf8Tokens() => Toolkit.Bench.OpenApi.TokenFloors.Utf8JsonReaderTokens(Json);

    /// <summary>
    /// The other floor: the objects and strings a decoded result must hold, made again from the decoded result (the
    /// strings each copied, the records copied, the lists new arrays), with no JSON read. Only the jobs subject has it.
    /// </summary>
    public virtual object RebuildOurs() => throw new NotSupportedException("rebuild is measured on the jobs documents");

    /// <summary>How many items (jobs, handles, pets) a decoded result of each kind holds.</summary>
    public abstract (int Ours, int NSwag, int Stj, int Kiota) Counts();

    /// <summary>
    /// How many items a document another encoder wrote holds (read with JsonDocument, not with ours: NSwag and STJ write
    /// <c>null</c> for absent optional properties that the schema does not allow to be null, which ours refuses).
    /// </summary>
    public int CountIn(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return CountIn(document.RootElement);
    }

    /// <summary>How many items the root of a written document holds.</summary>
    protected abstract int CountIn(JsonElement root);

    /// <summary>The last body ours wrote.</summary>
    public ReadOnlySpan<byte> OursWritten => OursWriter.WrittenSpan;

    /// <summary>What Kiota writes, as text.</summary>
    public string KiotaText()
    {
        KiotaEncodedForCheck(out var bytes);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The last body the Utf8JsonWriter-based encoders (NSwag, STJ) wrote.</summary>
    public ReadOnlySpan<byte> StjWritten => _buffer.WrittenSpan;

    /// <summary>The reused writer for NSwag's and STJ's encoders (the options System.Text.Json uses itself).</summary>
    protected Utf8JsonWriter ResetWriter()
    {
        _buffer.ResetWrittenCount();
        _writer ??= new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _writer.Reset();
        return _writer;
    }

    /// <summary>Kiota's decode: its JsonParseNodeFactory over the body, as its request adapter calls it.</summary>
    protected T KiotaParse<T>(Func<IParseNode, T> read)
    {
        using var stream = new MemoryStream(Json, writable: false);
        return read(KiotaFactory.GetRootParseNodeAsync("application/json", stream).GetAwaiter().GetResult());
    }

    private static readonly JsonParseNodeFactory KiotaFactory = new();

    /// <summary>Kiota's encode: a JsonSerializationWriter and its serialized content stream.</summary>
    protected static long KiotaWrite(Action<JsonSerializationWriter> write, out byte[] bytes)
    {
        using var writer = new JsonSerializationWriter();
        write(writer);
        using var stream = writer.GetSerializedContent();
        bytes = stream is MemoryStream ms ? ms.ToArray() : [];
        return stream.Length;
    }

    /// <summary>Kiota's encode without keeping the bytes (the benchmark body).</summary>
    protected static long KiotaWrite(Action<JsonSerializationWriter> write)
    {
        using var writer = new JsonSerializationWriter();
        write(writer);
        using var stream = writer.GetSerializedContent();
        return stream.Length;
    }

    /// <summary>Throws unless the four decoders agree on the item count and every encoder's output decodes again.</summary>
    public void Verify(int expected)
    {
        DecodeAll();
        var (ours, nswag, stj, kiota) = Counts();
        if (ours != expected || nswag != expected || stj != expected || kiota != expected)
        {
            throw new InvalidOperationException($"decoders disagree: ours {ours}, NSwag {nswag}, STJ {stj}, Kiota {kiota}, expected {expected}");
        }

        EncodeOurs();
        Check("ours", CountIn(OursWriter.WrittenSpan), expected);
        EncodeNSwag();
        Check("NSwag", CountIn(StjWritten), expected);
        EncodeStj();
        Check("STJ", CountIn(StjWritten), expected);
        KiotaEncodedForCheck(out var kiotaBytes);
        Check("Kiota", CountIn(kiotaBytes), expected);
    }

    /// <summary>Kiota's encoding kept as bytes, for <see cref="Verify"/>.</summary>
    protected abstract void KiotaEncodedForCheck(out byte[] bytes);

    private static void Check(string who, int count, int expected)
    {
        if (count != expected)
        {
            throw new InvalidOperationException($"{who}'s encoding decodes to {count} items, expected {expected}");
        }
    }

    /// <summary>Makes the subject for a document name.</summary>
    public static Subject Create(string document) => document switch
    {
        "jobs-compact" => new JobsSubject(10_000, python: false),
        "jobs-python" => new JobsSubject(10_000, python: true),
        "dd-project" => new ProjectSubject(1_000),
        "pets" => new PetsSubject(1_000),
        _ => throw new ArgumentException("unknown document " + document, nameof(document)),
    };

    /// <summary>The item count of <see cref="Create"/>'s subject.</summary>
    public static int Expected(string document) => document switch
    {
        "jobs-compact" or "jobs-python" => 10_000,
        "dd-project" or "pets" => 1_000,
        _ => throw new ArgumentException("unknown document " + document, nameof(document)),
    };
}
