using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Toolkit.Generated.Monitoring;

/// <summary>
/// Writes the records of XRootD monitoring datagrams as JSON lines (one object per record), following the contract
/// in <c>docs/xrdmon-json.md</c>. Uses <see cref="Utf8JsonWriter"/> with pre-encoded property names: no reflection,
/// AOT-safe, and no allocation per record for valid UTF-8 text.
/// </summary>
public sealed class XrdMonJsonWriter : IXrdMonVisitor, IDisposable
{
    private const int FlushThreshold = 1 << 16;
    private static readonly JsonEncodedText PacketName = JsonEncodedText.Encode("packet");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText PseqName = JsonEncodedText.Encode("pseq");
    private static readonly JsonEncodedText StodName = JsonEncodedText.Encode("stod");
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText DictidName = JsonEncodedText.Encode("dictid");
    private static readonly JsonEncodedText FileidName = JsonEncodedText.Encode("fileid");
    private static readonly JsonEncodedText UserDictidName = JsonEncodedText.Encode("user_dictid");
    private static readonly JsonEncodedText ReadBytesName = JsonEncodedText.Encode("read_bytes");
    private static readonly JsonEncodedText ReadvBytesName = JsonEncodedText.Encode("readv_bytes");
    private static readonly JsonEncodedText WriteBytesName = JsonEncodedText.Encode("write_bytes");
    private static readonly JsonEncodedText FileSizeName = JsonEncodedText.Encode("file_size");
    private static readonly JsonEncodedText SidName = JsonEncodedText.Encode("sid");
    private static readonly JsonEncodedText[] CodeValues = BuildCodes();

    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter _json;
    private long _packet;

    /// <summary>Creates a writer.</summary>
    /// <param name="output">Where the JSON lines go.</param>
    public XrdMonJsonWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    /// <summary>Records written so far (error objects included).</summary>
    public long Records { get; private set; }

    /// <summary>Error objects written so far.</summary>
    public long Errors { get; private set; }

    /// <summary>Decodes one datagram and writes its records, or an error object when it does not decode.</summary>
    /// <param name="packetIndex">0-based index of the datagram in its file (the <c>packet</c> field).</param>
    /// <param name="datagram">The datagram bytes.</param>
    /// <returns>True when the datagram decoded completely.</returns>
    public bool WriteDatagram(long packetIndex, ReadOnlySpan<byte> datagram)
    {
        _packet = packetIndex;
        var self = this;
        if (XrdMonDatagram.Walk(datagram, ref self, out XrdMonDecodeError error))
        {
            return true;
        }

        WriteError(packetIndex, datagram, error.Offset, error.Reason);
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
        if (XrdMonHeader.TryRead(datagram, out XrdMonHeader h))
        {
            _json.WriteString(CodeName, CodeValues[h.Code]);
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
    public void Flush()
    {
        Drain();
        _output.Flush();
    }

    /// <summary>Flushes and releases the JSON writer (the output stream is not closed).</summary>
    public void Dispose()
    {
        Flush();
        _json.Dispose();
    }

    /// <inheritdoc/>
    public void OnMap(in XrdMonHeader header, uint dictid, in XrdMonUserId userId, ReadOnlySpan<byte> payload, bool hasPayload)
    {
        Begin(header, XrdMonNames.MapKind(header.Code));
        _json.WriteNumber(DictidName, dictid);
        _json.WriteStartObject("userid");
        Str("prot", userId.Prot);
        Str("user", userId.User);
        _json.WriteNumber("pid", userId.Pid);
        _json.WriteNumber(SidName, userId.Sid);
        Str("host", userId.Host);
        _json.WriteEndObject();
        switch (header.Code)
        {
            case (byte)'d':
                Str("path", payload);
                break;
            case (byte)'i':
                Str("info", payload);
                break;
            case (byte)'p' or (byte)'x':
            {
                int nl = payload.IndexOf((byte)'\n');
                Str("lfn", nl < 0 ? payload : payload[..nl]);
                if (nl >= 0)
                {
                    _json.WritePropertyName("payload");
                    Cgi(payload[(nl + 1)..], header.Code);
                }

                break;
            }

            default:
                if (hasPayload)
                {
                    _json.WritePropertyName("payload");
                    Cgi(payload, header.Code);
                }

                break;
        }

        End();
    }

    /// <inheritdoc/>
    public void OnTraceIo(in XrdMonHeader header, bool write, long offset, long length, uint dictid)
    {
        Begin(header, write ? "write" : "read");
        _json.WriteNumber(DictidName, dictid);
        _json.WriteNumber("offset", offset);
        _json.WriteNumber("length", length);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceReadv(in XrdMonHeader header, bool unwound, byte sequence, ushort segments, int length, uint dictid)
    {
        Begin(header, unwound ? "readu" : "readv");
        _json.WriteNumber(DictidName, dictid);
        _json.WriteNumber("readv_seq", sequence);
        _json.WriteNumber("segments", segments);
        _json.WriteNumber("length", length);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceOpen(in XrdMonHeader header, long fileSize, uint dictid)
    {
        Begin(header, "open");
        _json.WriteNumber(DictidName, dictid);
        _json.WriteNumber(FileSizeName, fileSize);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceClose(in XrdMonHeader header, ulong readBytes, ulong writeBytes, uint dictid)
    {
        Begin(header, "close");
        _json.WriteNumber(DictidName, dictid);
        _json.WriteNumber(ReadBytesName, readBytes);
        _json.WriteNumber(WriteBytesName, writeBytes);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceDisconnect(in XrdMonHeader header, bool forced, bool boundPath, uint seconds, uint userDictid)
    {
        Begin(header, "disc");
        _json.WriteNumber(DictidName, userDictid);
        _json.WriteBoolean("forced", forced);
        _json.WriteBoolean("bound_path", boundPath);
        _json.WriteNumber("duration", seconds);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceWindow(in XrdMonHeader header, long sid, int previousEnd, int nextStart)
    {
        Begin(header, "window");
        _json.WriteNumber(SidName, sid);
        _json.WriteNumber("previous_end", previousEnd);
        _json.WriteNumber("next_start", nextStart);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceAppId(in XrdMonHeader header, ReadOnlySpan<byte> appId)
    {
        Begin(header, "appid");
        Str("app_id", appId);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceUnknown(in XrdMonHeader header, byte type)
    {
        Begin(header, "unknown");
        _json.WriteNumber("type", type);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirectServer(in XrdMonHeader header, long sid)
    {
        Begin(header, "server");
        _json.WriteNumber(SidName, sid);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirectWindow(in XrdMonHeader header, int window, int time)
    {
        Begin(header, "window");
        _json.WriteNumber("window", window);
        _json.WriteNumber("time", time);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirect(in XrdMonHeader header, byte operation, bool local, ushort port, uint userDictid, ReadOnlySpan<byte> server, ReadOnlySpan<byte> path)
    {
        Begin(header, "redirect");
        _json.WriteString("operation", XrdMonNames.RedirectOperation(operation));
        _json.WriteBoolean("local", local);
        _json.WriteNumber("port", port);
        Str("server", server);
        Str("path", path);
        _json.WriteNumber(DictidName, userDictid);
        End();
    }

    /// <inheritdoc/>
    public void OnFileTod(in XrdMonHeader header, short xfrCount, short totalCount, int beginTime, int endTime, long sid)
    {
        Begin(header, "tod");
        _json.WriteNumber("xfr_count", xfrCount);
        _json.WriteNumber("total_count", totalCount);
        _json.WriteNumber("begin", beginTime);
        _json.WriteNumber("end", endTime);
        _json.WriteNumber(SidName, sid);
        End();
    }

    /// <inheritdoc/>
    public void OnFileOpen(in XrdMonHeader header, uint fileId, bool readWrite, long fileSize, bool hasLfn, uint userDictid, ReadOnlySpan<byte> lfn)
    {
        Begin(header, "open");
        _json.WriteNumber(FileidName, fileId);
        _json.WriteNumber(FileSizeName, fileSize);
        _json.WriteBoolean("rw", readWrite);
        if (hasLfn)
        {
            Str("lfn", lfn);
            _json.WriteNumber(UserDictidName, userDictid);
        }

        End();
    }

    /// <inheritdoc/>
    public void OnFileClose(in XrdMonHeader header, uint fileId, bool forced, in XrdMonTransfer transfer, bool hasOps, in XrdMonOps ops, bool hasSsq, in XrdMonSsq ssq)
    {
        Begin(header, "close");
        _json.WriteNumber(FileidName, fileId);
        _json.WriteBoolean("forced", forced);
        Transfer(transfer);
        if (hasOps)
        {
            _json.WriteStartObject("ops");
            _json.WriteNumber("read", ops.Read);
            _json.WriteNumber("readv", ops.Readv);
            _json.WriteNumber("write", ops.Write);
            _json.WriteNumber("rs_min", ops.RsMin);
            _json.WriteNumber("rs_max", ops.RsMax);
            _json.WriteNumber("rsegs", ops.Rsegs);
            _json.WriteNumber("rd_min", ops.RdMin);
            _json.WriteNumber("rd_max", ops.RdMax);
            _json.WriteNumber("rv_min", ops.RvMin);
            _json.WriteNumber("rv_max", ops.RvMax);
            _json.WriteNumber("wr_min", ops.WrMin);
            _json.WriteNumber("wr_max", ops.WrMax);
            _json.WriteEndObject();
        }

        if (hasSsq)
        {
            _json.WriteStartObject("ssq");
            Double("read", ssq.Read);
            Double("readv", ssq.Readv);
            Double("rsegs", ssq.Rsegs);
            Double("write", ssq.Write);
            _json.WriteEndObject();
        }

        End();
    }

    /// <inheritdoc/>
    public void OnFileTransfer(in XrdMonHeader header, uint fileId, in XrdMonTransfer transfer)
    {
        Begin(header, "xfr");
        _json.WriteNumber(FileidName, fileId);
        Transfer(transfer);
        End();
    }

    /// <inheritdoc/>
    public void OnFileDisconnect(in XrdMonHeader header, uint userDictid)
    {
        Begin(header, "disc");
        _json.WriteNumber(UserDictidName, userDictid);
        End();
    }

    /// <inheritdoc/>
    public void OnFileUnknown(in XrdMonHeader header, byte type)
    {
        Begin(header, "unknown");
        _json.WriteNumber("type", type);
        End();
    }

    /// <inheritdoc/>
    public void OnGStream(in XrdMonHeader header, int beginTime, int endTime, byte provider, long sid, ReadOnlySpan<byte> text)
    {
        Begin(header, "gstream");
        _json.WriteString("provider", CodeValues[provider]);
        _json.WriteNumber(SidName, sid);
        _json.WriteNumber("begin", beginTime);
        _json.WriteNumber("end", endTime);
        _json.WriteStartArray("lines");
        while (!text.IsEmpty)
        {
            int nl = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = nl < 0 ? text : text[..nl];
            text = nl < 0 ? default : text[(nl + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            if (IsJson(line))
            {
                _json.WriteRawValue(line, skipInputValidation: true);
            }
            else
            {
                StrValue(line);
            }
        }

        _json.WriteEndArray();
        End();
    }

    private static bool IsJson(ReadOnlySpan<byte> line)
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

            return reader.BytesConsumed == line.Length || line[(int)reader.BytesConsumed..].Trim(" \t\r"u8).IsEmpty;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static JsonEncodedText[] BuildCodes()
    {
        var codes = new JsonEncodedText[256];
        for (int i = 0; i < 256; i++)
        {
            codes[i] = JsonEncodedText.Encode(((char)i).ToString());
        }

        return codes;
    }

    private void Begin(in XrdMonHeader header, string kind)
    {
        _json.WriteStartObject();
        _json.WriteNumber(PacketName, _packet);
        _json.WriteString(CodeName, CodeValues[header.Code]);
        _json.WriteNumber(PseqName, header.Pseq);
        _json.WriteNumber(StodName, header.Stod);
        _json.WriteString(KindName, kind);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        Records++;
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            Drain();
        }
    }

    private void Drain()
    {
        if (_buffer.WrittenCount > 0)
        {
            _output.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    private void Transfer(in XrdMonTransfer t)
    {
        _json.WriteNumber(ReadBytesName, t.Read);
        _json.WriteNumber(ReadvBytesName, t.Readv);
        _json.WriteNumber(WriteBytesName, t.Write);
    }

    private void Double(string name, double value)
    {
        if (double.IsFinite(value))
        {
            _json.WriteNumber(name, value);
        }
        else
        {
            _json.WriteNull(name);
        }
    }

    private void Str(string name, ReadOnlySpan<byte> utf8)
    {
        _json.WritePropertyName(name);
        StrValue(utf8);
    }

    private void StrValue(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            _json.WriteStringValue(utf8);
        }
        else
        {
            // Not UTF-8: keep every byte visible as a Latin-1 character (rare; allocates).
            _json.WriteStringValue(Encoding.Latin1.GetString(utf8));
        }
    }

    /// <summary>Writes a CGI payload as an object with the contract's names for known keys.</summary>
    private void Cgi(ReadOnlySpan<byte> payload, byte code)
    {
        _json.WriteStartObject();
        var reader = new CgiReader(payload);
        while (reader.MoveNext())
        {
            (string? name, bool numeric) = CgiName(code, reader.Key);
            if (name is null)
            {
                if (!Utf8.IsValid(reader.Key))
                {
                    continue;
                }

                _json.WritePropertyName(reader.Key);
            }
            else
            {
                _json.WritePropertyName(name);
            }

            if (numeric && Utf8Parser.TryParse(reader.Value, out long number, out int used) && used == reader.Value.Length)
            {
                _json.WriteNumberValue(number);
            }
            else
            {
                StrValue(reader.Value);
            }
        }

        _json.WriteEndObject();
    }

    private static (string? Name, bool Numeric) CgiName(byte code, ReadOnlySpan<byte> key)
    {
        switch (code)
        {
            case (byte)'=':
                if (key.SequenceEqual("port"u8))
                {
                    return ("port", true);
                }

                return (null, false);
            case (byte)'u':
                if (key.Length == 1)
                {
                    return key[0] switch
                    {
                        (byte)'p' => ("protocol", false),
                        (byte)'n' => ("name", false),
                        (byte)'h' => ("host", false),
                        (byte)'o' => ("organisation", false),
                        (byte)'r' => ("role", false),
                        (byte)'g' => ("group", false),
                        (byte)'m' => ("moninfo", false),
                        (byte)'R' => ("release", false),
                        (byte)'x' => ("executable", false),
                        (byte)'y' => ("y", false),
                        (byte)'I' => ("ip_version", true),
                        _ => (null, false),
                    };
                }

                return (null, false);
            case (byte)'U':
                if (key.SequenceEqual("Uc"u8))
                {
                    return ("user_dictid", true);
                }

                if (key.SequenceEqual("Ec"u8))
                {
                    return ("experiment", true);
                }

                return key.SequenceEqual("Ac"u8) ? ("activity", true) : (null, false);
            default:
                if (key.SequenceEqual("tod"u8))
                {
                    return ("tod", true);
                }

                if (key.SequenceEqual("sz"u8))
                {
                    return ("size", true);
                }

                if (code == (byte)'p')
                {
                    if (key.SequenceEqual("at"u8))
                    {
                        return ("access_time", true);
                    }

                    if (key.SequenceEqual("ct"u8))
                    {
                        return ("create_time", true);
                    }

                    if (key.SequenceEqual("mt"u8))
                    {
                        return ("modify_time", true);
                    }

                    return key.SequenceEqual("fn"u8) ? ("file_name", false) : (null, false);
                }

                if (key.SequenceEqual("tm"u8))
                {
                    return ("seconds", true);
                }

                if (key.SequenceEqual("op"u8))
                {
                    return ("operation", false);
                }

                if (key.SequenceEqual("rc"u8))
                {
                    return ("return_code", true);
                }

                return key.SequenceEqual("pd"u8) ? ("program_data", false) : (null, false);
        }
    }
}
