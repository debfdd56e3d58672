using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon;

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
    public void OnServerIdent(HeaderReader header, ServerIdentPacketReader packet)
    {
        ServerIdentInfoText info = packet.InfoText;
        Map(header, "ident", packet.Dictid, info.Userid);
        if (info.HasPayload)
        {
            _json.WritePropertyName("payload");
            Cgi(info.Payload.Raw, (byte)'=');
        }

        End();
    }

    /// <inheritdoc/>
    public void OnPath(HeaderReader header, PathPacketReader packet)
    {
        PathInfoText info = packet.InfoText;
        Map(header, "path", packet.Dictid, info.Userid);
        Str("path", info.Path);
        End();
    }

    /// <inheritdoc/>
    public void OnInfo(HeaderReader header, InfoPacketReader packet)
    {
        AppInfoText info = packet.InfoText;
        Map(header, "info", packet.Dictid, info.Userid);
        Str("info", info.Appinfo);
        End();
    }

    /// <inheritdoc/>
    public void OnUserLogin(HeaderReader header, UserLoginPacketReader packet)
    {
        UserLoginInfoText info = packet.InfoText;
        Map(header, "user", packet.Dictid, info.Userid);
        if (info.HasPayload)
        {
            _json.WritePropertyName("payload");
            Cgi(info.Payload.Raw, (byte)'u');
        }

        End();
    }

    /// <inheritdoc/>
    public void OnUserActivity(HeaderReader header, UserActivityPacketReader packet)
    {
        UserActivityInfoText info = packet.InfoText;
        Map(header, "user_activity", packet.Dictid, info.Userid);
        if (info.HasPayload)
        {
            _json.WritePropertyName("payload");
            Cgi(info.Payload.Raw, (byte)'U');
        }

        End();
    }

    /// <inheritdoc/>
    public void OnPurge(HeaderReader header, PurgePacketReader packet)
    {
        PurgeInfoText info = packet.InfoText;
        Map(header, "purge", packet.Dictid, info.Userid);
        if (info.HasPayload)
        {
            PrgInfoText p = info.Payload;
            Str("lfn", p.Path);
            if (p.HasDetails)
            {
                _json.WritePropertyName("payload");
                Cgi(p.Details.Raw, (byte)'p');
            }
        }

        End();
    }

    /// <inheritdoc/>
    public void OnTransfer(HeaderReader header, TransferPacketReader packet)
    {
        TransferInfoText info = packet.InfoText;
        Map(header, "transfer", packet.Dictid, info.Userid);
        if (info.HasPayload)
        {
            XfrInfoText x = info.Payload;
            Str("lfn", x.Lfn);
            if (x.HasDetails)
            {
                _json.WritePropertyName("payload");
                Cgi(x.Details.Raw, (byte)'x');
            }
        }

        End();
    }

    /// <inheritdoc/>
    public void OnTraceIo(HeaderReader header, TraceReadWriteReader entry)
    {
        bool write = entry.IsWrite;
        Begin(header, write ? "write" : "read");
        _json.WriteNumber(DictidName, entry.Dictid);
        _json.WriteNumber("offset", entry.Offset);
        _json.WriteNumber("length", write ? -(long)entry.Length : entry.Length);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceReadv(HeaderReader header, bool unwound, byte sequence, ushort segments, int length, uint dictid)
    {
        Begin(header, unwound ? "readu" : "readv");
        _json.WriteNumber(DictidName, dictid);
        _json.WriteNumber("readv_seq", sequence);
        _json.WriteNumber("segments", segments);
        _json.WriteNumber("length", length);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceOpen(HeaderReader header, TraceOpenReader entry)
    {
        Begin(header, "open");
        _json.WriteNumber(DictidName, entry.Dictid);
        _json.WriteNumber(FileSizeName, entry.FileSize);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceClose(HeaderReader header, TraceCloseReader entry)
    {
        Begin(header, "close");
        _json.WriteNumber(DictidName, entry.Dictid);
        _json.WriteNumber(ReadBytesName, entry.ReadBytes);
        _json.WriteNumber(WriteBytesName, entry.WriteBytes);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceDisconnect(HeaderReader header, TraceDisconnectReader entry)
    {
        Begin(header, "disc");
        _json.WriteNumber(DictidName, entry.UserDictid);
        _json.WriteBoolean("forced", entry.Forced);
        _json.WriteBoolean("bound_path", entry.BoundPath);
        _json.WriteNumber("duration", entry.Duration);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceWindow(HeaderReader header, TraceWindowReader entry)
    {
        Begin(header, "window");
        _json.WriteNumber(SidName, entry.Sid);
        _json.WriteNumber("previous_end", entry.PreviousEnd);
        _json.WriteNumber("next_start", entry.NextStart);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceAppId(HeaderReader header, TraceAppIdReader entry)
    {
        Begin(header, "appid");
        Str("app_id", BigEndian.UntilNul(entry.AppId));
        End();
    }

    /// <inheritdoc/>
    public void OnTraceUnknown(HeaderReader header, TraceUnknownReader entry)
    {
        Begin(header, "unknown");
        _json.WriteNumber("type", entry.Type);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirectServer(HeaderReader header, RedirectServerIdReader server)
    {
        Begin(header, "server");
        _json.WriteNumber(SidName, server.Sid);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirectWindow(HeaderReader header, RedirectWindowReader entry)
    {
        Begin(header, "window");
        _json.WriteNumber("window", entry.Window);
        _json.WriteNumber("time", entry.Time);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirect(HeaderReader header, RedirectRecordReader entry)
    {
        Begin(header, "redirect");
        RedirectTargetText target = entry.TargetText;
        _json.WriteString("operation", XrdMonNames.RedirectOperation((byte)entry.Operation));
        _json.WriteBoolean("local", entry.IsLocal);
        _json.WriteNumber("port", entry.Port);
        if (target.IsMatch)
        {
            Str("server", target.Host);
            Str("path", target.Path);
        }
        else
        {
            Str("server", default);
            Str("path", BigEndian.UntilNul(entry.Target));
        }

        _json.WriteNumber(DictidName, entry.UserDictid);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry)
    {
        Begin(header, "unknown");
        _json.WriteNumber("type", entry.Type);
        End();
    }

    /// <inheritdoc/>
    public void OnFileTod(HeaderReader header, FstatTodReader record)
    {
        Begin(header, "tod");
        _json.WriteNumber("xfr_count", record.XfrCount);
        _json.WriteNumber("total_count", record.TotalCount);
        _json.WriteNumber("begin", record.Begin);
        _json.WriteNumber("end", record.End);
        _json.WriteNumber(SidName, record.Sid & 0xFFFF_FFFF_FFFFL);
        End();
    }

    /// <inheritdoc/>
    public void OnFileOpen(HeaderReader header, FstatOpenReader record)
    {
        Begin(header, "open");
        _json.WriteNumber(FileidName, record.FileId);
        _json.WriteNumber(FileSizeName, record.FileSize);
        _json.WriteBoolean("rw", record.ReadWrite);
        if (record.HasLfn)
        {
            FstatOpenLfnReader lfn = record.Lfn;
            Str("lfn", BigEndian.UntilNul(lfn.Lfn));
            _json.WriteNumber(UserDictidName, lfn.UserDictid);
        }

        End();
    }

    /// <inheritdoc/>
    public void OnFileClose(HeaderReader header, FstatCloseReader record)
    {
        Begin(header, "close");
        _json.WriteNumber(FileidName, record.FileId);
        _json.WriteBoolean("forced", record.Forced);
        Transfer(record.Xfr);
        if (record.HasOps)
        {
            FstatOpsReader ops = record.Ops;
            _json.WriteStartObject("ops");
            _json.WriteNumber("read", ops.Reads);
            _json.WriteNumber("readv", ops.Readvs);
            _json.WriteNumber("write", ops.Writes);
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

        if (record.HasSsq)
        {
            FstatSsqReader ssq = record.Ssq;
            _json.WriteStartObject("ssq");
            Double("read", ssq.ReadSquares);
            Double("readv", ssq.ReadvSquares);
            Double("rsegs", ssq.RsegsSquares);
            Double("write", ssq.WriteSquares);
            _json.WriteEndObject();
        }

        End();
    }

    /// <inheritdoc/>
    public void OnFileTransfer(HeaderReader header, FstatXfrReader record)
    {
        Begin(header, "xfr");
        _json.WriteNumber(FileidName, record.FileId);
        Transfer(record.Xfr);
        End();
    }

    /// <inheritdoc/>
    public void OnFileDisconnect(HeaderReader header, FstatDisconnectReader record)
    {
        Begin(header, "disc");
        _json.WriteNumber(UserDictidName, record.UserDictid);
        End();
    }

    /// <inheritdoc/>
    public void OnFileUnknown(HeaderReader header, FstatUnknownReader record)
    {
        Begin(header, "unknown");
        _json.WriteNumber("type", record.RecType);
        End();
    }

    /// <inheritdoc/>
    public void OnGStream(HeaderReader header, GStreamPacketReader packet)
    {
        Begin(header, "gstream");
        _json.WriteString("provider", CodeValues[(byte)packet.Provider]);
        _json.WriteNumber(SidName, packet.Sid);
        _json.WriteNumber("begin", packet.Begin);
        _json.WriteNumber("end", packet.End);
        _json.WriteStartArray("lines");
        foreach (ReadOnlySpan<byte> raw in packet.BodyText)
        {
            ReadOnlySpan<byte> line = BigEndian.UntilNul(raw);
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

    private void Begin(HeaderReader header, string kind)
    {
        _json.WriteStartObject();
        _json.WriteNumber(PacketName, _packet);
        _json.WriteString(CodeName, CodeValues[(byte)header.Code]);
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

    private void Transfer(FstatTransferReader t)
    {
        _json.WriteNumber(ReadBytesName, t.ReadBytes);
        _json.WriteNumber(ReadvBytesName, t.ReadvBytes);
        _json.WriteNumber(WriteBytesName, t.WriteBytes);
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
        foreach (CgiPair pair in new CgiEnumerator(BigEndian.UntilNul(payload)))
        {
            (string? name, bool numeric) = CgiName(code, pair.Key);
            if (name is null)
            {
                if (!Utf8.IsValid(pair.Key))
                {
                    continue;
                }

                _json.WritePropertyName(pair.Key);
            }
            else
            {
                _json.WritePropertyName(name);
            }

            if (numeric && Utf8Parser.TryParse(pair.Value, out long number, out int used) && used == pair.Value.Length)
            {
                _json.WriteNumberValue(number);
            }
            else
            {
                StrValue(pair.Value);
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
