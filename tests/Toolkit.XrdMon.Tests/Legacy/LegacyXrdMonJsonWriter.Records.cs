using System;
// Frozen copy of the Utf8JsonWriter-based xrdmon decode writer (src/XrdMon at 1855f6c): the byte-identity oracle of
// JsonOutputIdentityTests and the "before" baseline of bench/Toolkit.Bench/XrdMon/XrdMonJsonBenchmarks.cs. Do not change.
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon.Tests.Legacy;

// The visitor callbacks: one JSON object per record (the contract in docs/xrdmon-json.md).
internal sealed partial class LegacyXrdMonJsonWriter
{
    /// <inheritdoc/>
    public void OnServerIdent(HeaderReader header, ServerIdentPacketReader packet)
    {
        ServerIdentInfoText info = packet.InfoText;
        Map(header, "ident", packet.Dictid, info.Userid);
        Payload(info.HasPayload, info.Payload.Raw, (byte)'=');
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
        Payload(info.HasPayload, info.Payload.Raw, (byte)'u');
        End();
    }

    /// <inheritdoc/>
    public void OnUserActivity(HeaderReader header, UserActivityPacketReader packet)
    {
        UserActivityInfoText info = packet.InfoText;
        Map(header, "user_activity", packet.Dictid, info.Userid);
        Payload(info.HasPayload, info.Payload.Raw, (byte)'U');
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
            Payload(p.HasDetails, p.Details.Raw, (byte)'p');
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
            Payload(x.HasDetails, x.Details.Raw, (byte)'x');
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
    public void OnTraceReadv(HeaderReader header, TraceReadvReader entry) =>
        Readv(header, "readv", entry.ReadvSeq, entry.Segments, entry.Length, entry.Dictid);

    /// <inheritdoc/>
    public void OnTraceReadu(HeaderReader header, TraceReaduReader entry) =>
        Readv(header, "readu", entry.ReadvSeq, entry.Segments, entry.Length, entry.Dictid);

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
        _json.WriteNumber(LegacyFstatJson.ReadBytesName, entry.ReadBytes);
        _json.WriteNumber(LegacyFstatJson.WriteBytesName, entry.WriteBytes);
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
    public void OnTraceUnknown(HeaderReader header, TraceUnknownReader entry) =>
        Unknown(header, entry.Type);

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
    public void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry) =>
        Unknown(header, entry.Type);

    /// <inheritdoc/>
    public void OnFileTod(HeaderReader header, FstatTodReader tod)
    {
        Begin(header, "tod");
        _json.WriteNumber("xfr_count", tod.XfrCount);
        _json.WriteNumber("total_count", tod.TotalCount);
        _json.WriteNumber("begin", tod.Begin);
        _json.WriteNumber("end", tod.End);
        _json.WriteNumber(SidName, tod.Sid & 0xFFFF_FFFF_FFFFL);
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
        LegacyFstatJson.Transfer(_json, record.Xfr);
        if (record.HasOps)
        {
            LegacyFstatJson.Ops(_json, record.Ops, readSizes: true);
        }

        if (record.HasSsq)
        {
            LegacyFstatJson.Ssq(_json, record.Ssq);
        }

        End();
    }

    /// <inheritdoc/>
    public void OnFileTransfer(HeaderReader header, FstatXfrReader record)
    {
        Begin(header, "xfr");
        _json.WriteNumber(FileidName, record.FileId);
        LegacyFstatJson.Transfer(_json, record.Xfr);
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
    public void OnFileUnknown(HeaderReader header, FstatUnknownReader record) =>
        Unknown(header, record.RecType);

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

            if (LegacyJsonLineWriter.IsJsonValue(line, allowTrailingWhitespace: true))
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
}
