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
        _out.Name("\"dictid\":"u8);
        _out.Number(entry.Dictid);
        _out.Name("\"offset\":"u8);
        _out.Number(entry.Offset);
        _out.Name("\"length\":"u8);
        _out.Number(write ? -(long)entry.Length : entry.Length);
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
        _out.Name("\"dictid\":"u8);
        _out.Number(entry.Dictid);
        _out.Name("\"file_size\":"u8);
        _out.Number(entry.FileSize);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceClose(HeaderReader header, TraceCloseReader entry)
    {
        Begin(header, "close"u8);
        _out.Name("\"dictid\":"u8);
        _out.Number(entry.Dictid);
        _out.Name("\"read_bytes\":"u8);
        _out.Number(entry.ReadBytes);
        _out.Name("\"write_bytes\":"u8);
        _out.Number(entry.WriteBytes);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceDisconnect(HeaderReader header, TraceDisconnectReader entry)
    {
        Begin(header, "disc"u8);
        _out.Name("\"dictid\":"u8);
        _out.Number(entry.UserDictid);
        _out.Name("\"forced\":"u8);
        _out.Boolean(entry.Forced);
        _out.Name("\"bound_path\":"u8);
        _out.Boolean(entry.BoundPath);
        _out.Name("\"duration\":"u8);
        _out.Number(entry.Duration);
        End();
    }

    /// <inheritdoc/>
    public void OnTraceWindow(HeaderReader header, TraceWindowReader entry)
    {
        Begin(header, "window"u8);
        _out.Name("\"sid\":"u8);
        _out.Number(entry.Sid);
        _out.Name("\"previous_end\":"u8);
        _out.Number(entry.PreviousEnd);
        _out.Name("\"next_start\":"u8);
        _out.Number(entry.NextStart);
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
        _out.Name("\"sid\":"u8);
        _out.Number(server.Sid);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirectWindow(HeaderReader header, RedirectWindowReader entry)
    {
        Begin(header, "window"u8);
        _out.Name("\"window\":"u8);
        _out.Number(entry.Window);
        _out.Name("\"time\":"u8);
        _out.Number(entry.Time);
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
        _out.Name("\"port\":"u8);
        _out.Number(entry.Port);
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

        _out.Name("\"dictid\":"u8);
        _out.Number(entry.UserDictid);
        End();
    }

    /// <inheritdoc/>
    public void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry) =>
        Unknown(header, entry.Type);

    /// <inheritdoc/>
    public void OnFileTod(HeaderReader header, FstatTodReader tod)
    {
        Begin(header, "tod"u8);
        _out.Name("\"xfr_count\":"u8);
        _out.Number(tod.XfrCount);
        _out.Name("\"total_count\":"u8);
        _out.Number(tod.TotalCount);
        _out.Name("\"begin\":"u8);
        _out.Number(tod.Begin);
        _out.Name("\"end\":"u8);
        _out.Number(tod.End);
        _out.Name("\"sid\":"u8);
        _out.Number(tod.Sid & 0xFFFF_FFFF_FFFFL);
        End();
    }

    /// <inheritdoc/>
    public void OnFileOpen(HeaderReader header, FstatOpenReader record)
    {
        Begin(header, "open"u8);
        _out.Name("\"fileid\":"u8);
        _out.Number(record.FileId);
        _out.Name("\"file_size\":"u8);
        _out.Number(record.FileSize);
        _out.Name("\"rw\":"u8);
        _out.Boolean(record.ReadWrite);
        if (record.HasLfn)
        {
            FstatOpenLfnReader lfn = record.Lfn;
            Str("\"lfn\":"u8, BigEndian.UntilNul(lfn.Lfn));
            _out.Name("\"user_dictid\":"u8);
        _out.Number(lfn.UserDictid);
        }

        End();
    }

    /// <inheritdoc/>
    public void OnFileClose(HeaderReader header, FstatCloseReader record)
    {
        Begin(header, "close"u8);
        _out.Name("\"fileid\":"u8);
        _out.Number(record.FileId);
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
        _out.Name("\"fileid\":"u8);
        _out.Number(record.FileId);
        Transfer(record.Xfr);
        End();
    }

    /// <inheritdoc/>
    public void OnFileDisconnect(HeaderReader header, FstatDisconnectReader record)
    {
        Begin(header, "disc"u8);
        _out.Name("\"user_dictid\":"u8);
        _out.Number(record.UserDictid);
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
        _out.Name("\"sid\":"u8);
        _out.Number(packet.Sid);
        _out.Name("\"begin\":"u8);
        _out.Number(packet.Begin);
        _out.Name("\"end\":"u8);
        _out.Number(packet.End);
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
        _out.Name("\"read_bytes\":"u8);
        _out.Number(transfer.ReadBytes);
        _out.Name("\"readv_bytes\":"u8);
        _out.Number(transfer.ReadvBytes);
        _out.Name("\"write_bytes\":"u8);
        _out.Number(transfer.WriteBytes);
    }

    private void Ops(FstatOpsReader ops)
    {
        _out.Name("\"ops\":"u8);
        _out.StartObject();
        _out.Name("\"read\":"u8);
        _out.Number(ops.Reads);
        _out.Name("\"readv\":"u8);
        _out.Number(ops.Readvs);
        _out.Name("\"write\":"u8);
        _out.Number(ops.Writes);
        _out.Name("\"rs_min\":"u8);
        _out.Number(ops.RsMin);
        _out.Name("\"rs_max\":"u8);
        _out.Number(ops.RsMax);
        _out.Name("\"rsegs\":"u8);
        _out.Number(ops.Rsegs);
        _out.Name("\"rd_min\":"u8);
        _out.Number(ops.RdMin);
        _out.Name("\"rd_max\":"u8);
        _out.Number(ops.RdMax);
        _out.Name("\"rv_min\":"u8);
        _out.Number(ops.RvMin);
        _out.Name("\"rv_max\":"u8);
        _out.Number(ops.RvMax);
        _out.Name("\"wr_min\":"u8);
        _out.Number(ops.WrMin);
        _out.Name("\"wr_max\":"u8);
        _out.Number(ops.WrMax);
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
