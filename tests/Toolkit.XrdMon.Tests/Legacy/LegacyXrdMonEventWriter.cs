using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Toolkit.Runtime.Binary;

using Toolkit.XrdMon.Collector;
// Frozen copy of the Utf8JsonWriter-based collector event writer (src/XrdMon/Collector/XrdMonEventWriter*.cs at cb04a61):
// the byte-identity oracle of EventOutputIdentityTests and the "before" baseline of
// bench/Toolkit.Bench/XrdMon/XrdMonEventWriterBenchmarks.cs. Do not change.

namespace Toolkit.XrdMon.Tests.Legacy;

/// <summary>
/// The collector's output: turns the events and per-file-access summaries that the correlation resolved (typed:
/// servers, users, paths, accesses and the records' own fields) into JSON lines, through the assembly's one
/// <see cref="LegacyJsonLineWriter"/>. Knows nothing of maps or ordering; the contract is in docs/xrdmon-json.md.
/// </summary>
internal sealed partial class LegacyXrdMonEventWriter : IXrdMonEventOutput
{
    private readonly LegacyJsonLineWriter _out;
    private readonly Utf8JsonWriter _j;
    private readonly XrdMonCollectorCounters _counters;

    public LegacyXrdMonEventWriter(Stream output, XrdMonCollectorCounters counters)
    {
        _out = new LegacyJsonLineWriter(output);
        _j = _out.Json;
        _counters = counters;
    }

    public void Flush() => _out.Flush();

    public void Dispose() => _out.Dispose();

    /// <summary>A server's first identification.</summary>
    public void ServerIdent(XrdMonServer server, int time)
    {
        Begin("server_ident", server, time);
        _out.End();
    }

    /// <summary>A user login (<c>u</c>).</summary>
    public void UserLogin(XrdMonServer server, int time, uint dictid, XrdMonUser user)
    {
        Begin("user_login", server, time);
        _j.WriteNumber("user_dictid", dictid);
        User(user);
        _out.End();
    }

    /// <summary>Client-supplied info (<c>i</c>).</summary>
    public void Info(XrdMonServer server, int time, uint dictid, UserIdText id, ReadOnlySpan<byte> info)
    {
        Begin("info", server, time);
        _j.WriteNumber("info_dictid", dictid);
        ClientFromId(id);
        _out.Text("info", info);
        _out.End();
    }

    /// <summary>A user's experiment and activity codes (<c>U</c>).</summary>
    public void UserActivity(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, long? experiment, long? activity)
    {
        Begin("user_activity", server, time);
        ResolvedUser(userDictid, user);
        Optional("experiment", experiment);
        Optional("activity", activity);
        _out.End();
    }

    /// <summary>An FRM purge (<c>purge</c>) or transfer (<c>frm_transfer</c>).</summary>
    public void Frm(string kind, XrdMonServer server, int time, UserIdText id, ReadOnlySpan<byte> lfn, ReadOnlySpan<byte> details)
    {
        Begin(kind, server, time);
        ClientFromId(id);
        _out.Text("lfn", lfn);
        _out.Text("details", details);
        _out.End();
    }

    /// <summary>A t-stream read or write.</summary>
    public void TraceIo(XrdMonServer server, int time, bool write, uint dictid, XrdMonPath? path, long offset, long length)
    {
        Begin(write ? "write" : "read", server, time);
        ResolvedPath(dictid, path);
        _j.WriteNumber(Names.Offset, offset);
        _j.WriteNumber(Names.Length, length);
        _out.End();
    }

    /// <summary>A t-stream vector read (<c>readv</c> or <c>readu</c>).</summary>
    public void TraceReadv(XrdMonServer server, int time, bool unwound, uint dictid, XrdMonPath? path, ushort segments, int length)
    {
        Begin(unwound ? "readu" : "readv", server, time);
        ResolvedPath(dictid, path);
        _j.WriteNumber("segments", segments);
        _j.WriteNumber("length", length);
        _out.End();
    }

    /// <summary>A t-stream open.</summary>
    public void TraceOpen(XrdMonServer server, int time, uint dictid, XrdMonPath? path, ulong fileSize)
    {
        Begin("trace_open", server, time);
        ResolvedPath(dictid, path);
        _j.WriteNumber("file_size", fileSize);
        _out.End();
    }

    /// <summary>A t-stream close.</summary>
    public void TraceClose(XrdMonServer server, int time, uint dictid, XrdMonPath? path, ulong readBytes, ulong writeBytes)
    {
        Begin("trace_close", server, time);
        ResolvedPath(dictid, path);
        _j.WriteNumber("read_bytes", readBytes);
        _j.WriteNumber("write_bytes", writeBytes);
        _out.End();
    }

    /// <summary>A session end: from the t-stream with <paramref name="forced"/> and <paramref name="duration"/>, from the f-stream without.</summary>
    public void Disconnect(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, bool? forced, uint? duration)
    {
        Begin("disconnect", server, time);
        ResolvedUser(userDictid, user);
        Optional("forced", forced);
        Optional("duration", duration);
        _out.End();
    }

    /// <summary>A t-stream application id.</summary>
    public void AppId(XrdMonServer server, int time, ReadOnlySpan<byte> appId)
    {
        Begin("appid", server, time);
        _out.Text("app_id", appId);
        _out.End();
    }

    /// <summary>An r-stream redirect.</summary>
    public void Redirect(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, RedirectRecordReader entry)
    {
        RedirectTargetText target = entry.TargetText;
        Begin("redirect", server, time);
        ResolvedUser(userDictid, user);
        _j.WriteString("operation", XrdMonNames.RedirectOperation((byte)entry.Operation));
        _j.WriteBoolean("local", entry.IsLocal);
        _out.Text("target_host", target.IsMatch ? target.Host : default);
        _j.WriteNumber("target_port", entry.Port);
        _out.Text("path", target.IsMatch ? target.Path : BigEndian.UntilNul(entry.Target));
        _out.End();
    }

    /// <summary>An f-stream open.</summary>
    public void FileOpen(XrdMonServer server, int time, uint fileId, XrdMonAccess access)
    {
        Begin("file_open", server, time);
        _j.WriteNumber("fileid", fileId);
        Access(access);
        _j.WriteNumber("file_size", access.FileSize);
        _j.WriteBoolean("rw", access.ReadWrite);
        _out.End();
    }

    /// <summary>An f-stream close as a <c>file_close</c> event or as a <c>summary</c>: the access and its totals.</summary>
    public void FileClose(string kind, XrdMonServer server, int time, uint fileId, XrdMonAccess? access, FstatCloseReader record)
    {
        Begin(kind, server, time);
        _j.WriteNumber("fileid", fileId);
        CloseBody(access, record, time);
        _out.End();
    }

    /// <summary>An f-stream transfer progress record.</summary>
    public void FileTransfer(XrdMonServer server, int time, uint fileId, XrdMonAccess? access, FstatTransferReader transfer)
    {
        Begin("file_transfer", server, time);
        _j.WriteNumber("fileid", fileId);
        Access(access);
        LegacyFstatJson.Transfer(_j, transfer);
        _out.End();
    }

    /// <summary>A g-stream packet: its JSON lines (others as strings) under <c>records</c>.</summary>
    public void GStream(XrdMonServer server, byte provider, int time, ReadOnlySpan<byte> text)
    {
        Begin(provider switch { (byte)'P' => "tpc", (byte)'C' => "cache", (byte)'M' => "cache_context", (byte)'T' => "tcp", _ => "gstream" }, server, time);
        _j.WriteString("provider", ((char)provider).ToString());
        _j.WriteStartArray("records");
        while (!text.IsEmpty)
        {
            int nl = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = nl < 0 ? text : text[..nl];
            text = nl < 0 ? default : text[(nl + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            if (LegacyJsonLineWriter.IsJsonValue(line, allowTrailingWhitespace: false))
            {
                _j.WriteRawValue(line, skipInputValidation: true);
            }
            else
            {
                _out.StringValue(line);
            }
        }

        _j.WriteEndArray();
        _out.End();
    }

}
