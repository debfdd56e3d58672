using System;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon;

// The visitor callbacks: one JSON object per record (the contract in docs/xrdmon-json.md).
public sealed partial class XrdMonJsonWriter
{
    /// <inheritdoc/>
    public void OnServerIdent(HeaderReader header, ServerIdentPacketReader packet)
    {
        ServerIdentInfoText info = packet.InfoText;
        Map(header, "ident"u8, packet.Dictid, info.Userid);
        Payload(info.HasPayload, info.Payload.Raw, (byte)'=');
        End();
    }

    /// <inheritdoc/>
    public void OnPath(HeaderReader header, PathPacketReader packet)
    {
        PathInfoText info = packet.InfoText;
        Map(header, "path"u8, packet.Dictid, info.Userid);
        Str("\"path\":"u8, info.Path);
        End();
    }

    /// <inheritdoc/>
    public void OnInfo(HeaderReader header, InfoPacketReader packet)
    {
        AppInfoText info = packet.InfoText;
        Map(header, "info"u8, packet.Dictid, info.Userid);
        Str("\"info\":"u8, info.Appinfo);
        End();
    }

    /// <inheritdoc/>
    public void OnUserLogin(HeaderReader header, UserLoginPacketReader packet)
    {
        UserLoginInfoText info = packet.InfoText;
        Map(header, "user"u8, packet.Dictid, info.Userid);
        Payload(info.HasPayload, info.Payload.Raw, (byte)'u');
        End();
    }

    /// <inheritdoc/>
    public void OnUserActivity(HeaderReader header, UserActivityPacketReader packet)
    {
        UserActivityInfoText info = packet.InfoText;
        Map(header, "user_activity"u8, packet.Dictid, info.Userid);
        Payload(info.HasPayload, info.Payload.Raw, (byte)'U');
        End();
    }

    /// <inheritdoc/>
    public void OnPurge(HeaderReader header, PurgePacketReader packet)
    {
        PurgeInfoText info = packet.InfoText;
        Map(header, "purge"u8, packet.Dictid, info.Userid);
        if (info.HasPayload)
        {
            PrgInfoText p = info.Payload;
            Str("\"lfn\":"u8, p.Path);
            Payload(p.HasDetails, p.Details.Raw, (byte)'p');
        }

        End();
    }

    /// <inheritdoc/>
    public void OnTransfer(HeaderReader header, TransferPacketReader packet)
    {
        TransferInfoText info = packet.InfoText;
        Map(header, "transfer"u8, packet.Dictid, info.Userid);
        if (info.HasPayload)
        {
            XfrInfoText x = info.Payload;
            Str("\"lfn\":"u8, x.Lfn);
            Payload(x.HasDetails, x.Details.Raw, (byte)'x');
        }

        End();
    }

    /// <inheritdoc/>
    public void OnTraceIo(HeaderReader header, TraceReadWriteReader entry)
    {
        bool write = entry.IsWrite;
        Begin(header, write ? "write"u8 : "read"u8);
        _out.Field(",\"dictid\":"u8, entry.Dictid);
        _out.Field(",\"offset\":"u8, entry.Offset);
        _out.Field(",\"length\":"u8, write ? -(long)entry.Length : entry.Length);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceReadv(HeaderReader header, TraceReadvReader entry) =>
        Readv(header, "readv"u8, entry.ReadvSeq, entry.Segments, entry.Length, entry.Dictid);

    /// <inheritdoc/>
    public void OnTraceReadu(HeaderReader header, TraceReaduReader entry) =>
        Readv(header, "readu"u8, entry.ReadvSeq, entry.Segments, entry.Length, entry.Dictid);

    /// <inheritdoc/>
    public void OnTraceOpen(HeaderReader header, TraceOpenReader entry)
    {
        Begin(header, "open"u8);
        _out.Field(",\"dictid\":"u8, entry.Dictid);
        _out.Field(",\"file_size\":"u8, entry.FileSize);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceClose(HeaderReader header, TraceCloseReader entry)
    {
        Begin(header, "close"u8);
        _out.Field(",\"dictid\":"u8, entry.Dictid);
        _out.Field(",\"read_bytes\":"u8, entry.ReadBytes);
        _out.Field(",\"write_bytes\":"u8, entry.WriteBytes);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceDisconnect(HeaderReader header, TraceDisconnectReader entry)
    {
        Begin(header, "disc"u8);
        _out.Field(",\"dictid\":"u8, entry.UserDictid);
        _out.Name("\"forced\":"u8);
        _out.Boolean(entry.Forced);
        _out.Name("\"bound_path\":"u8);
        _out.Boolean(entry.BoundPath);
        _out.Field(",\"duration\":"u8, entry.Duration);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceWindow(HeaderReader header, TraceWindowReader entry)
    {
        Begin(header, "window"u8);
        _out.Field(",\"sid\":"u8, entry.Sid);
        _out.Field(",\"previous_end\":"u8, entry.PreviousEnd);
        _out.Field(",\"next_start\":"u8, entry.NextStart);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceAppId(HeaderReader header, TraceAppIdReader entry)
    {
        Begin(header, "appid"u8);
        Str("\"app_id\":"u8, BigEndian.UntilNul(entry.AppId));
        End();
    }

    /// <inheritdoc/>
    public void OnTraceUnknown(HeaderReader header, TraceUnknownReader entry) =>
        Unknown(header, entry.Type);

    /// <inheritdoc/>
    public void OnRedirectServer(HeaderReader header, RedirectServerIdReader server)
    {
        Begin(header, "server"u8);
        _out.Field(",\"sid\":"u8, server.Sid);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirectWindow(HeaderReader header, RedirectWindowReader entry)
    {
        Begin(header, "window"u8);
        _out.Field(",\"window\":"u8, entry.Window);
        _out.Field(",\"time\":"u8, entry.Time);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirect(HeaderReader header, RedirectRecordReader entry)
    {
        Begin(header, "redirect"u8);
        RedirectTargetText target = entry.TargetText;
        _out.Name("\"operation\":"u8);
        _out.PlainString(OperationNames[(byte)entry.Operation]);
        _out.Name("\"local\":"u8);
        _out.Boolean(entry.IsLocal);
        _out.Field(",\"port\":"u8, entry.Port);
        if (target.IsMatch)
        {
            Str("\"server\":"u8, target.Host);
            Str("\"path\":"u8, target.Path);
        }
        else
        {
            Str("\"server\":"u8, default);
            Str("\"path\":"u8, BigEndian.UntilNul(entry.Target));
        }

        _out.Field(",\"dictid\":"u8, entry.UserDictid);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry) =>
        Unknown(header, entry.Type);

    /// <inheritdoc/>
    public void OnFileTod(HeaderReader header, FstatTodReader tod)
    {
        Begin(header, "tod"u8);
        _out.Field(",\"xfr_count\":"u8, tod.XfrCount);
        _out.Field(",\"total_count\":"u8, tod.TotalCount);
        _out.Field(",\"begin\":"u8, tod.Begin);
        _out.Field(",\"end\":"u8, tod.End);
        _out.Field(",\"sid\":"u8, tod.Sid & 0xFFFF_FFFF_FFFFL);
        End();
    }

    /// <inheritdoc/>
    public void OnFileOpen(HeaderReader header, FstatOpenReader record)
    {
        Begin(header, "open"u8);
        _out.Field(",\"fileid\":"u8, record.FileId);
        _out.Field(",\"file_size\":"u8, record.FileSize);
        _out.Name("\"rw\":"u8);
        _out.Boolean(record.ReadWrite);
        if (record.HasLfn)
        {
            FstatOpenLfnReader lfn = record.Lfn;
            Str("\"lfn\":"u8, BigEndian.UntilNul(lfn.Lfn));
            _out.Field(",\"user_dictid\":"u8, lfn.UserDictid);
        }

        End();
    }

    /// <inheritdoc/>
    public void OnFileClose(HeaderReader header, FstatCloseReader record)
    {
        Begin(header, "close"u8);
        _out.Field(",\"fileid\":"u8, record.FileId);
        _out.Name("\"forced\":"u8);
        _out.Boolean(record.Forced);
        Transfer(record.Xfr);
        if (record.HasOps)
        {
            Ops(record.Ops);
        }

        if (record.HasSsq)
        {
            Ssq(record.Ssq);
        }

        End();
    }

    /// <inheritdoc/>
    public void OnFileTransfer(HeaderReader header, FstatXfrReader record)
    {
        Begin(header, "xfr"u8);
        _out.Field(",\"fileid\":"u8, record.FileId);
        Transfer(record.Xfr);
        End();
    }

    /// <inheritdoc/>
    public void OnFileDisconnect(HeaderReader header, FstatDisconnectReader record)
    {
        Begin(header, "disc"u8);
        _out.Field(",\"user_dictid\":"u8, record.UserDictid);
        End();
    }

    /// <inheritdoc/>
    public void OnFileUnknown(HeaderReader header, FstatUnknownReader record) =>
        Unknown(header, record.RecType);

    /// <inheritdoc/>
    public void OnGStream(HeaderReader header, GStreamPacketReader packet)
    {
        Begin(header, "gstream"u8);
        _out.Name("\"provider\":"u8);
        _out.Raw(CodeJson[(byte)packet.Provider]);
        _out.Field(",\"sid\":"u8, packet.Sid);
        _out.Field(",\"begin\":"u8, packet.Begin);
        _out.Field(",\"end\":"u8, packet.End);
        _out.Name("\"lines\":"u8);
        _out.StartArray();
        foreach (ReadOnlySpan<byte> raw in packet.BodyText)
        {
            ReadOnlySpan<byte> line = BigEndian.UntilNul(raw);
            if (line.IsEmpty)
            {
                continue;
            }

            if (JsonLineWriter.IsJsonValue(line, allowTrailingWhitespace: true))
            {
                _out.Raw(line);
            }
            else
            {
                _out.StringValue(line);
            }
        }

        _out.EndArray();
        End();
    }

    private void Transfer(FstatTransferReader transfer)
    {
        _out.Field(",\"read_bytes\":"u8, transfer.ReadBytes);
        _out.Field(",\"readv_bytes\":"u8, transfer.ReadvBytes);
        _out.Field(",\"write_bytes\":"u8, transfer.WriteBytes);
    }

    private void Ops(FstatOpsReader ops)
    {
        _out.Name("\"ops\":"u8);
        _out.StartObject();
        _out.Name("\"read\":"u8);
        _out.Number(ops.Reads);
        _out.Field(",\"readv\":"u8, ops.Readvs);
        _out.Field(",\"write\":"u8, ops.Writes);
        _out.Field(",\"rs_min\":"u8, ops.RsMin);
        _out.Field(",\"rs_max\":"u8, ops.RsMax);
        _out.Field(",\"rsegs\":"u8, ops.Rsegs);
        _out.Field(",\"rd_min\":"u8, ops.RdMin);
        _out.Field(",\"rd_max\":"u8, ops.RdMax);
        _out.Field(",\"rv_min\":"u8, ops.RvMin);
        _out.Field(",\"rv_max\":"u8, ops.RvMax);
        _out.Field(",\"wr_min\":"u8, ops.WrMin);
        _out.Field(",\"wr_max\":"u8, ops.WrMax);
        _out.EndObject();
    }

    /// <summary>The <c>ssq</c> object; a sum of squares that is not finite is written as null.</summary>
    private void Ssq(FstatSsqReader ssq)
    {
        _out.Name("\"ssq\":"u8);
        _out.StartObject();
        _out.Name("\"read\":"u8);
        _out.FiniteOrNull(ssq.ReadSquares);
        _out.Name("\"readv\":"u8);
        _out.FiniteOrNull(ssq.ReadvSquares);
        _out.Name("\"rsegs\":"u8);
        _out.FiniteOrNull(ssq.RsegsSquares);
        _out.Name("\"write\":"u8);
        _out.FiniteOrNull(ssq.WriteSquares);
        _out.EndObject();
    }
}
