using System;
// Frozen copy of the Utf8JsonWriter-based xrdmon decode writer (src/XrdMon at 1855f6c): the byte-identity oracle of
// JsonOutputIdentityTests and the "before" baseline of bench/Toolkit.Bench/XrdMon/XrdMonJsonBenchmarks.cs. Do not change.
using System.Buffers;
using System.Buffers.Text;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon.Tests.Legacy;

/// <summary>
/// Writes the records of XRootD monitoring datagrams as JSON lines (one object per record), following the contract
/// in <c>docs/xrdmon-json.md</c>. Uses <see cref="Utf8JsonWriter"/> with pre-encoded property names: no reflection,
/// AOT-safe, and no allocation per record for valid UTF-8 text.
/// </summary>
internal sealed partial class LegacyXrdMonJsonWriter : IXrdMonVisitor, IDisposable
{
    private static readonly JsonEncodedText PacketName = JsonEncodedText.Encode("packet");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText PseqName = JsonEncodedText.Encode("pseq");
    private static readonly JsonEncodedText StodName = JsonEncodedText.Encode("stod");
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText DictidName = JsonEncodedText.Encode("dictid");
    private static readonly JsonEncodedText FileidName = JsonEncodedText.Encode("fileid");
    private static readonly JsonEncodedText UserDictidName = JsonEncodedText.Encode("user_dictid");
    private static readonly JsonEncodedText FileSizeName = JsonEncodedText.Encode("file_size");
    private static readonly JsonEncodedText SidName = JsonEncodedText.Encode("sid");
    private static readonly JsonEncodedText[] CodeValues = BuildCodes();

    private readonly LegacyJsonLineWriter _out;
    private readonly Utf8JsonWriter _json;
    private long _packet;

    /// <summary>Creates a writer.</summary>
    /// <param name="output">Where the JSON lines go.</param>
    public LegacyXrdMonJsonWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _out = new LegacyJsonLineWriter(output);
        _json = _out.Json;
    }

    /// <summary>Records written so far (error objects included).</summary>
    public long Records => _out.Lines;

    /// <summary>Error objects written so far.</summary>
    public long Errors { get; private set; }

    /// <summary>
    /// Datagrams longer than their header's <c>plen</c>: their records are read up to <c>plen</c> and the bytes after
    /// it are ignored (XRootD sends exactly <c>plen</c> bytes, so this is damage or a hostile sender), counted here.
    /// </summary>
    public long LongerThanPlen { get; private set; }

    /// <summary>Decodes one datagram and writes its records, or an error object when it does not decode.</summary>
    /// <param name="packetIndex">0-based index of the datagram in its file (the <c>packet</c> field).</param>
    /// <param name="datagram">The datagram bytes.</param>
    /// <returns>True when the datagram decoded completely.</returns>
    public bool WriteDatagram(long packetIndex, ReadOnlySpan<byte> datagram)
    {
        _packet = packetIndex;
        if (datagram.Length > 8 && HeaderReader.Read(datagram).Plen is var plen && plen >= 8 && plen < datagram.Length)
        {
            LongerThanPlen++;
        }

        var self = this;
        if (XrdMonRecords.Dispatch(datagram, ref self, out DecodeError error))
        {
            return true;
        }

        WriteError(packetIndex, datagram, error.Offset, XrdMonRecords.Describe(error));
        return false;
    }

    /// <summary>Writes a <c>kind: error</c> object.</summary>
    /// <param name="packetIndex">Datagram index.</param>
    /// <param name="datagram">The datagram (its header fields are included when present).</param>
    /// <param name="offset">Byte offset of the failure in the datagram.</param>
    /// <param name="reason">Why it failed.</param>
    public void WriteError(long packetIndex, ReadOnlySpan<byte> datagram, long offset, string reason)
    {
        _json.WriteStartObject();
        _json.WriteNumber(PacketName, packetIndex);
        if (datagram.Length >= 8)
        {
            HeaderReader h = HeaderReader.Read(datagram);
            _json.WriteString(CodeName, CodeValues[(byte)h.Code]);
            _json.WriteNumber(PseqName, h.Pseq);
            _json.WriteNumber(StodName, h.Stod);
        }
        else
        {
            _json.WriteNull(CodeName);
            _json.WriteNull(PseqName);
            _json.WriteNull(StodName);
        }

        _json.WriteString(KindName, "error");
        _json.WriteNumber("offset", offset);
        _json.WriteString("reason", reason);
        _json.WriteNumber("length", datagram.Length);
        Errors++;
        End();
    }

    /// <summary>Writes buffered lines to the output stream and flushes it.</summary>
    public void Flush() => _out.Flush();

    /// <summary>Flushes and releases the JSON writer (the output stream is not closed).</summary>
    public void Dispose() => _out.Dispose();

    private static JsonEncodedText[] BuildCodes()
    {
        var codes = new JsonEncodedText[256];
        for (int i = 0; i < 256; i++)
        {
            codes[i] = JsonEncodedText.Encode(((char)i).ToString());
        }

        return codes;
    }

    private void Readv(HeaderReader header, string kind, byte sequence, ushort segments, int length, uint dictid)
    {
        Begin(header, kind);
        _json.WriteNumber(DictidName, dictid);
        _json.WriteNumber("readv_seq", sequence);
        _json.WriteNumber("segments", segments);
        _json.WriteNumber("length", length);
        End();
    }

    private void Map(HeaderReader header, string kind, uint dictid, UserIdText userId)
    {
        Begin(header, kind);
        _json.WriteNumber(DictidName, dictid);
        if (!userId.IsMatch)
        {
            _json.WriteNull("userid");
            Str("userid_raw", userId.Raw);
            return;
        }

        _json.WriteStartObject("userid");
        Str("prot", userId.Prot);
        Str("user", userId.User);
        _json.WriteNumber("pid", userId.TryGetPid(out long pid) ? pid : -1);
        _json.WriteNumber(SidName, userId.TryGetSid(out long sid) ? sid : -1);
        Str("host", userId.Host);
        _json.WriteEndObject();
    }

    /// <summary>Writes a record of a type the contract does not know: its <c>type</c> only.</summary>
    private void Unknown(HeaderReader header, byte type)
    {
        Begin(header, "unknown");
        _json.WriteNumber("type", type);
        End();
    }

    /// <summary>Writes a record's CGI <paramref name="payload"/> as the <c>payload</c> object when it is <paramref name="present"/>.</summary>
    private void Payload(bool present, ReadOnlySpan<byte> payload, byte code)
    {
        if (present)
        {
            _json.WritePropertyName("payload");
            Cgi(payload, code);
        }
    }

    private void Begin(HeaderReader header, string kind)
    {
        _json.WriteStartObject();
        _json.WriteNumber(PacketName, _packet);
        _json.WriteString(CodeName, CodeValues[(byte)header.Code]);
        _json.WriteNumber(PseqName, header.Pseq);
        _json.WriteNumber(StodName, header.Stod);
        _json.WriteString(KindName, kind);
    }

    private void End() => _out.End();

    private void Str(string name, ReadOnlySpan<byte> utf8) => _out.Text(name, utf8);

    private void StrValue(ReadOnlySpan<byte> utf8) => _out.StringValue(utf8);
}
