using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon.Collector;

/// <summary>
/// The collector's output: turns the events and per-file-access summaries that the correlation resolved (typed:
/// servers, users, paths, accesses and the records' own fields) into JSON lines. Knows nothing of maps or ordering;
/// the contract is in docs/xrdmon-json.md. UTF-8 goes straight into one reused <see cref="Utf8LineBuffer"/> (as in
/// <c>xrdmon decode</c>): property names are pre-encoded literals, numbers are formatted in place, the server, user
/// and path objects are encoded once per entity and copied; the bytes are the same as the
/// <see cref="Utf8JsonWriter"/> writer's it replaced, and nothing is allocated per event.
/// </summary>
internal sealed partial class XrdMonEventWriter : IXrdMonEventOutput
{
    private readonly Utf8LineBuffer _out;
    private readonly XrdMonCollectorCounters _counters;

    public XrdMonEventWriter(Stream output, XrdMonCollectorCounters counters)
    {
        _out = new Utf8LineBuffer(output);
        _counters = counters;
    }

    public void Flush() => _out.Flush();

    public void Dispose() => _out.Dispose();

    /// <summary>Writes the counters as one <c>"event":"stats"</c> line.</summary>
    public static void WriteStats(JsonLineWriter w, XrdMonCollector c) => XrdMonCounterSnapshot.Take(c).WriteStats(w);

    /// <summary>Writes the counters of several collectors (a listener's sockets), summed, as one <c>"event":"stats"</c> line.</summary>
    public static void WriteStats(JsonLineWriter w, XrdMonCollector[] collectors)
        => XrdMonCounterSnapshot.Sum(Array.ConvertAll(collectors, XrdMonCounterSnapshot.Take)).WriteStats(w);

    /// <summary>A server's first identification.</summary>
    public void ServerIdent(XrdMonServer server, int time)
    {
        Begin("server_ident"u8, server, time);
        _out.EndLine();
    }

    /// <summary>A user login (<c>u</c>).</summary>
    public void UserLogin(XrdMonServer server, int time, uint dictid, XrdMonUser user)
    {
        Begin("user_login"u8, server, time);
        _out.Field(",\"user_dictid\":"u8, dictid);
        User(user);
        _out.EndLine();
    }

    /// <summary>Client-supplied info (<c>i</c>).</summary>
    public void Info(XrdMonServer server, int time, uint dictid, UserIdText id, ReadOnlySpan<byte> info)
    {
        Begin("info"u8, server, time);
        _out.Field(",\"info_dictid\":"u8, dictid);
        ClientFromId(id);
        _out.Name("\"info\":"u8);
        _out.StringValue(info);
        _out.EndLine();
    }

    /// <summary>A user's experiment and activity codes (<c>U</c>).</summary>
    public void UserActivity(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, long? experiment, long? activity)
    {
        Begin("user_activity"u8, server, time);
        ResolvedUser(userDictid, user);
        Optional(",\"experiment\":"u8, experiment);
        Optional(",\"activity\":"u8, activity);
        _out.EndLine();
    }

    /// <summary>An FRM purge (<c>purge</c>) or transfer (<c>frm_transfer</c>).</summary>
    public void Frm(string kind, XrdMonServer server, int time, UserIdText id, ReadOnlySpan<byte> lfn, ReadOnlySpan<byte> details)
    {
        Begin(kind, server, time);
        ClientFromId(id);
        _out.Name("\"lfn\":"u8);
        _out.StringValue(lfn);
        _out.Name("\"details\":"u8);
        _out.StringValue(details);
        _out.EndLine();
    }

    /// <summary>A t-stream read or write.</summary>
    public void TraceIo(XrdMonServer server, int time, bool write, uint dictid, XrdMonPath? path, long offset, long length)
    {
        Begin(write ? "write"u8 : "read"u8, server, time);
        ResolvedPath(dictid, path);
        _out.Field(",\"offset\":"u8, offset);
        _out.Field(",\"length\":"u8, length);
        _out.EndLine();
    }

    /// <summary>A t-stream vector read (<c>readv</c> or <c>readu</c>).</summary>
    public void TraceReadv(XrdMonServer server, int time, bool unwound, uint dictid, XrdMonPath? path, ushort segments, int length)
    {
        Begin(unwound ? "readu"u8 : "readv"u8, server, time);
        ResolvedPath(dictid, path);
        _out.Field(",\"segments\":"u8, segments);
        _out.Field(",\"length\":"u8, length);
        _out.EndLine();
    }

    /// <summary>A t-stream open.</summary>
    public void TraceOpen(XrdMonServer server, int time, uint dictid, XrdMonPath? path, ulong fileSize)
    {
        Begin("trace_open"u8, server, time);
        ResolvedPath(dictid, path);
        _out.Field(",\"file_size\":"u8, fileSize);
        _out.EndLine();
    }

    /// <summary>A t-stream close.</summary>
    public void TraceClose(XrdMonServer server, int time, uint dictid, XrdMonPath? path, ulong readBytes, ulong writeBytes)
    {
        Begin("trace_close"u8, server, time);
        ResolvedPath(dictid, path);
        _out.Field(",\"read_bytes\":"u8, readBytes);
        _out.Field(",\"write_bytes\":"u8, writeBytes);
        _out.EndLine();
    }

    /// <summary>A session end: from the t-stream with <paramref name="forced"/> and <paramref name="duration"/>, from the f-stream without.</summary>
    public void Disconnect(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, bool? forced, uint? duration)
    {
        Begin("disconnect"u8, server, time);
        ResolvedUser(userDictid, user);
        if (forced is bool f)
        {
            _out.Name("\"forced\":"u8);
            _out.Boolean(f);
        }

        Optional(",\"duration\":"u8, duration);
        _out.EndLine();
    }

    /// <summary>A t-stream application id.</summary>
    public void AppId(XrdMonServer server, int time, ReadOnlySpan<byte> appId)
    {
        Begin("appid"u8, server, time);
        _out.Name("\"app_id\":"u8);
        _out.StringValue(appId);
        _out.EndLine();
    }

    /// <summary>An r-stream redirect.</summary>
    public void Redirect(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, RedirectRecordReader entry)
    {
        RedirectTargetText target = entry.TargetText;
        Begin("redirect"u8, server, time);
        ResolvedUser(userDictid, user);
        _out.Name("\"operation\":"u8);
        _out.StringValue(XrdMonNames.RedirectOperation((byte)entry.Operation));
        _out.Name("\"local\":"u8);
        _out.Boolean(entry.IsLocal);
        _out.Name("\"target_host\":"u8);
        _out.StringValue(target.IsMatch ? target.Host : default);
        _out.Field(",\"target_port\":"u8, entry.Port);
        _out.Name("\"path\":"u8);
        _out.StringValue(target.IsMatch ? target.Path : BigEndian.UntilNul(entry.Target));
        _out.EndLine();
    }

    /// <summary>An f-stream open.</summary>
    public void FileOpen(XrdMonServer server, int time, uint fileId, XrdMonAccess access)
    {
        Begin("file_open"u8, server, time);
        _out.Field(",\"fileid\":"u8, fileId);
        Access(access);
        _out.Field(",\"file_size\":"u8, access.FileSize);
        _out.Name("\"rw\":"u8);
        _out.Boolean(access.ReadWrite);
        _out.EndLine();
    }

    /// <summary>An f-stream close as a <c>file_close</c> event or as a <c>summary</c>: the access and its totals.</summary>
    public void FileClose(string kind, XrdMonServer server, int time, uint fileId, XrdMonAccess? access, FstatCloseReader record)
    {
        Begin(kind, server, time);
        _out.Field(",\"fileid\":"u8, fileId);
        CloseBody(access, record, time, summary: kind == "summary");
        _out.EndLine();
    }

    /// <summary>An f-stream transfer progress record.</summary>
    public void FileTransfer(XrdMonServer server, int time, uint fileId, XrdMonAccess? access, FstatTransferReader transfer)
    {
        Begin("file_transfer"u8, server, time);
        _out.Field(",\"fileid\":"u8, fileId);
        Access(access);
        Transfer(transfer);
        _out.EndLine();
    }

    /// <summary>A g-stream packet: its JSON lines (others as strings) under <c>records</c>.</summary>
    public void GStream(XrdMonServer server, byte provider, int time, ReadOnlySpan<byte> text)
    {
        Begin(provider switch { (byte)'P' => "tpc"u8, (byte)'C' => "cache"u8, (byte)'M' => "cache_context"u8, (byte)'T' => "tcp"u8, _ => "gstream"u8 }, server, time);
        _out.Name("\"provider\":"u8);
        if (provider is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\')
        {
            _out.PlainString([provider]);
        }
        else
        {
            _out.StringValue(((char)provider).ToString());
        }

        _out.Name("\"records\":"u8);
        _out.StartArray();
        while (!text.IsEmpty)
        {
            int nl = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = nl < 0 ? text : text[..nl];
            text = nl < 0 ? default : text[(nl + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            if (JsonLineWriter.IsJsonValue(line, allowTrailingWhitespace: false))
            {
                _out.Raw(line);
            }
            else
            {
                _out.StringValue(line);
            }
        }

        _out.EndArray();
        _out.EndLine();
    }
}
