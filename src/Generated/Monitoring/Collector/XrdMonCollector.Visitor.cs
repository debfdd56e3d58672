using System;
using System.Buffers.Text;
using System.Text.Json;
using Toolkit.Runtime.Streams;

namespace Toolkit.Generated.Monitoring.Collector;

public sealed partial class XrdMonCollector
{
    /// <summary>Resolves the records of one delivered datagram against the maps and writes events.</summary>
    private sealed class Visitor(XrdMonCollector c) : IXrdMonVisitor
    {
        public Instance Current { get; set; } = null!;

        private bool Events => c._out is not null && c._options.Events;

        private bool Traces => Events && c._options.TraceEvents;

        private Utf8JsonWriter J => c._out!.Json;

        private DictidKey Key(uint dictid) => new(Current.Id, dictid);

        public void OnMap(in XrdMonHeader header, uint dictid, in XrdMonUserId userId, ReadOnlySpan<byte> payload, bool hasPayload)
        {
            c.Counters.Records++;
            switch (header.Code)
            {
                case (byte)'=':
                    Identify(userId, payload);
                    break;
                case (byte)'u':
                {
                    var user = XrdMonUser.From(userId, payload);
                    c._users.Set(Key(dictid), user, c._now);
                    if (Events)
                    {
                        Begin("user_login", Current.TraceTime);
                        J.WriteNumber("user_dictid", dictid);
                        User(user);
                        c._out!.End();
                    }

                    break;
                }

                case (byte)'d':
                    c._paths.Set(Key(dictid), new XrdMonPath
                    {
                        Path = XrdMonUser.Text(payload),
                        UserName = XrdMonUser.Text(userId.User),
                        UserHost = XrdMonUser.Text(userId.Host),
                        UserPid = userId.Pid,
                    }, c._now);
                    break;
                case (byte)'i':
                    c._info.Set(Key(dictid), XrdMonUser.Text(payload), c._now);
                    if (Events)
                    {
                        Begin("info", Current.TraceTime);
                        J.WriteNumber("info_dictid", dictid);
                        ClientFromId(userId);
                        c._out!.Text("info", payload);
                        c._out.End();
                    }

                    break;
                case (byte)'U':
                    if (Events)
                    {
                        Begin("user_activity", Current.TraceTime);
                        uint user = CgiReader.TryFind(payload, "Uc"u8, out ReadOnlySpan<byte> uc) && Utf8Parser.TryParse(uc, out uint u, out _) ? u : 0;
                        ResolveUser(user, "user");
                        WriteCgiNumber("experiment", payload, "Ec"u8);
                        WriteCgiNumber("activity", payload, "Ac"u8);
                        c._out!.End();
                    }

                    break;
                default: // p, x (FRM purge / transfer)
                    if (Events)
                    {
                        Begin(header.Code == (byte)'p' ? "purge" : "frm_transfer", Current.TraceTime);
                        ClientFromId(userId);
                        int nl = payload.IndexOf((byte)'\n');
                        c._out!.Text("lfn", nl < 0 ? payload : payload[..nl]);
                        c._out.Text("details", nl < 0 ? default : payload[(nl + 1)..]);
                        c._out.End();
                    }

                    break;
            }
        }

        public void OnTraceIo(in XrdMonHeader header, bool write, long offset, long length, uint dictid)
        {
            c.Counters.Records++;
            if (Traces)
            {
                Begin(write ? "write" : "read", Current.TraceTime);
                ResolvePath(dictid);
                J.WriteNumber("offset", offset);
                J.WriteNumber("length", length);
                c._out!.End();
            }
        }

        public void OnTraceReadv(in XrdMonHeader header, bool unwound, byte sequence, ushort segments, int length, uint dictid)
        {
            c.Counters.Records++;
            if (Traces)
            {
                Begin(unwound ? "readu" : "readv", Current.TraceTime);
                ResolvePath(dictid);
                J.WriteNumber("segments", segments);
                J.WriteNumber("length", length);
                c._out!.End();
            }
        }

        public void OnTraceOpen(in XrdMonHeader header, long fileSize, uint dictid)
        {
            c.Counters.Records++;
            if (Traces)
            {
                Begin("trace_open", Current.TraceTime);
                ResolvePath(dictid);
                J.WriteNumber("file_size", fileSize);
                c._out!.End();
            }
        }

        public void OnTraceClose(in XrdMonHeader header, ulong readBytes, ulong writeBytes, uint dictid)
        {
            c.Counters.Records++;
            if (Traces)
            {
                Begin("trace_close", Current.TraceTime);
                ResolvePath(dictid);
                J.WriteNumber("read_bytes", readBytes);
                J.WriteNumber("write_bytes", writeBytes);
                c._out!.End();
            }

            // Close frees the file; the f-stream (which lags) may still need the path for a while.
            EndPath(dictid);
        }

        public void OnTraceDisconnect(in XrdMonHeader header, bool forced, bool boundPath, uint seconds, uint userDictid)
        {
            c.Counters.Records++;
            c._users.TryPeek(Key(userDictid), out XrdMonUser? user);
            if (Events)
            {
                Begin("disconnect", Current.TraceTime);
                ResolveUser(userDictid, "user");
                J.WriteBoolean("forced", forced);
                J.WriteNumber("duration", seconds);
                c._out!.End();
            }

            // Disconnect frees the user after the grace period (f- and r-stream records of the session lag behind).
            EndUser(user, userDictid);
        }

        public void OnTraceWindow(in XrdMonHeader header, long sid, int previousEnd, int nextStart)
        {
            c.Counters.Records++;
            Current.TraceTime = nextStart;
            Current.Server.Sid = sid;
        }

        public void OnTraceAppId(in XrdMonHeader header, ReadOnlySpan<byte> appId)
        {
            c.Counters.Records++;
            if (Events)
            {
                Begin("appid", Current.TraceTime);
                c._out!.Text("app_id", appId);
                c._out.End();
            }
        }

        public void OnTraceUnknown(in XrdMonHeader header, byte type)
        {
            c.Counters.Records++;
            c.CountError("unknown t-stream entry type");
        }

        public void OnRedirectServer(in XrdMonHeader header, long sid)
        {
            c.Counters.Records++;
            Current.Server.Sid = sid;
        }

        public void OnRedirectWindow(in XrdMonHeader header, int window, int time)
        {
            c.Counters.Records++;
            Current.TraceTime = time;
        }

        public void OnRedirect(in XrdMonHeader header, byte operation, bool local, ushort port, uint userDictid, ReadOnlySpan<byte> server, ReadOnlySpan<byte> path)
        {
            c.Counters.Records++;
            if (Events)
            {
                Begin("redirect", Current.TraceTime);
                ResolveUser(userDictid, "user");
                J.WriteString("operation", XrdMonNames.RedirectOperation(operation));
                J.WriteBoolean("local", local);
                c._out!.Text("target_host", server);
                J.WriteNumber("target_port", port);
                c._out.Text("path", path);
                c._out.End();
            }
        }

        public void OnFileTod(in XrdMonHeader header, short xfrCount, short totalCount, int beginTime, int endTime, long sid)
        {
            c.Counters.Records++;
            Current.SawFileStream = true;
            Current.FileTime = endTime;
            if (sid != 0)
            {
                Current.Server.Sid = sid;
            }
        }

        public void OnFileOpen(in XrdMonHeader header, uint fileId, bool readWrite, long fileSize, bool hasLfn, uint userDictid, ReadOnlySpan<byte> lfn)
        {
            c.Counters.Records++;
            XrdMonUser? user = null;
            if (userDictid != 0)
            {
                c._users.TryGet(Key(userDictid), c._now, out user);
            }

            c._paths.TryGet(Key(fileId), c._now, out XrdMonPath? path);
            var access = new XrdMonAccess
            {
                Lfn = hasLfn ? XrdMonUser.Text(lfn) : path?.Path,
                FileSize = fileSize,
                ReadWrite = readWrite,
                UserDictid = userDictid,
                User = user,
                Path = path,
                OpenTime = Current.FileTime,
            };
            c._accesses.Set(Key(fileId), access, c._now);
            if (Events)
            {
                Begin("file_open", Current.FileTime);
                J.WriteNumber("fileid", fileId);
                Access(access);
                J.WriteNumber("file_size", fileSize);
                J.WriteBoolean("rw", readWrite);
                c._out!.End();
            }
        }

        public void OnFileClose(in XrdMonHeader header, uint fileId, bool forced, in XrdMonTransfer transfer, bool hasOps, in XrdMonOps ops, bool hasSsq, in XrdMonSsq ssq)
        {
            c.Counters.Records++;
            c._accesses.Remove(Key(fileId), out XrdMonAccess? access);
            if (access is null && c._paths.TryPeek(Key(fileId), out XrdMonPath? path))
            {
                access = new XrdMonAccess { Lfn = path.Path, Path = path, OpenTime = 0 };
            }

            // Close frees the file (after the grace period: the shared t-stream files buffer may still name it).
            EndPath(fileId);
            if (c._out is null)
            {
                return;
            }

            if (c._options.Events)
            {
                Begin("file_close", Current.FileTime);
                J.WriteNumber("fileid", fileId);
                CloseBody(access, forced, transfer, hasOps, ops, hasSsq, ssq);
                c._out.End();
            }

            if (c._options.Summaries)
            {
                Begin("summary", Current.FileTime);
                J.WriteNumber("fileid", fileId);
                CloseBody(access, forced, transfer, hasOps, ops, hasSsq, ssq);
                c._out.End();
                c.Counters.Summaries++;
            }
        }

        public void OnFileTransfer(in XrdMonHeader header, uint fileId, in XrdMonTransfer transfer)
        {
            c.Counters.Records++;
            if (Events)
            {
                c._accesses.TryGet(Key(fileId), c._now, out XrdMonAccess? access);
                Begin("file_transfer", Current.FileTime);
                J.WriteNumber("fileid", fileId);
                Access(access);
                J.WriteNumber("read_bytes", transfer.Read);
                J.WriteNumber("readv_bytes", transfer.Readv);
                J.WriteNumber("write_bytes", transfer.Write);
                c._out!.End();
            }
        }

        public void OnFileDisconnect(in XrdMonHeader header, uint userDictid)
        {
            c.Counters.Records++;
            bool known = c._users.TryPeek(Key(userDictid), out XrdMonUser? user);
            if (Events && !(known && user!.Ended))
            {
                // The t-stream did not report this disconnect (no t-stream, or lost): report it from the f-stream.
                Begin("disconnect", Current.FileTime);
                ResolveUser(userDictid, "user");
                c._out!.End();
            }

            // Disconnect frees the user (after the grace period; r-stream records may still name it).
            EndUser(user, userDictid);
        }

        public void OnFileUnknown(in XrdMonHeader header, byte type)
        {
            c.Counters.Records++;
            c.CountError("unknown f-stream record type");
        }

        public void OnGStream(in XrdMonHeader header, int beginTime, int endTime, byte provider, long sid, ReadOnlySpan<byte> text)
        {
            c.Counters.Records++;
            if (!Events)
            {
                return;
            }

            Begin(provider switch { (byte)'P' => "tpc", (byte)'C' => "cache", (byte)'M' => "cache_context", (byte)'T' => "tcp", _ => "gstream" }, endTime);
            J.WriteString("provider", ((char)provider).ToString());
            J.WriteStartArray("records");
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
                    J.WriteRawValue(line, skipInputValidation: true);
                }
                else
                {
                    c._out!.StringValue(line);
                }
            }

            J.WriteEndArray();
            c._out!.End();
        }

        private void EndPath(uint dictid)
        {
            if (c._paths.TryPeek(Key(dictid), out XrdMonPath? p) && !p.Ended)
            {
                p.Ended = true;
                c.ScheduleEnd(Key(dictid), user: false);
            }
        }

        private void EndUser(XrdMonUser? user, uint dictid)
        {
            if (user is not null && !user.Ended)
            {
                user.Ended = true;
                c.ScheduleEnd(Key(dictid), user: true);
            }
        }

        private static bool IsJson(ReadOnlySpan<byte> line)
        {
            if (!System.Text.Unicode.Utf8.IsValid(line))
            {
                return false;
            }

            try
            {
                var reader = new Utf8JsonReader(line);
                while (reader.Read())
                {
                }

                return reader.BytesConsumed == line.Length;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private void Identify(in XrdMonUserId id, ReadOnlySpan<byte> payload)
        {
            XrdMonServer s = Current.Server;
            bool first = !s.Identified;
            s.Identified = true;
            s.Host = XrdMonUser.Text(id.Host);
            s.Pid = id.Pid;
            s.Sid = id.Sid;
            var cgi = new CgiReader(payload);
            while (cgi.MoveNext())
            {
                if (cgi.Key.SequenceEqual("site"u8))
                {
                    s.Site = XrdMonUser.Text(cgi.Value);
                }
                else if (cgi.Key.SequenceEqual("port"u8) && Utf8Parser.TryParse(cgi.Value, out int port, out _))
                {
                    s.Port = port;
                }
                else if (cgi.Key.SequenceEqual("inst"u8))
                {
                    s.InstanceName = XrdMonUser.Text(cgi.Value);
                }
                else if (cgi.Key.SequenceEqual("pgm"u8))
                {
                    s.Program = XrdMonUser.Text(cgi.Value);
                }
                else if (cgi.Key.SequenceEqual("ver"u8))
                {
                    s.Version = XrdMonUser.Text(cgi.Value);
                }
            }

            if (first && Events)
            {
                Begin("server_ident", Current.TraceTime);
                c._out!.End();
            }
        }

        private void Begin(string kind, int time)
        {
            c._out!.Begin();
            J.WriteString("event", kind);
            if (time != 0)
            {
                J.WriteNumber("time", time);
            }

            XrdMonServer s = Current.Server;
            J.WriteStartObject("server");
            J.WriteString("sender", s.Sender);
            J.WriteNumber("stod", s.Stod);
            J.WriteNumber("instance", s.Instance);
            if (s.Identified)
            {
                J.WriteString("host", s.Host);
                J.WriteNumber("port", s.Port);
                J.WriteString("inst", s.InstanceName);
                J.WriteString("pgm", s.Program);
                J.WriteString("ver", s.Version);
                J.WriteString("site", s.Site);
            }

            J.WriteEndObject();
            c.Counters.Events++;
        }

        private void CloseBody(XrdMonAccess? access, bool forced, in XrdMonTransfer transfer, bool hasOps, in XrdMonOps ops, bool hasSsq, in XrdMonSsq ssq)
        {
            Access(access);
            if (access is not null)
            {
                J.WriteNumber("file_size", access.FileSize);
                J.WriteBoolean("rw", access.ReadWrite);
                if (access.OpenTime != 0)
                {
                    J.WriteNumber("open_time", access.OpenTime);
                    J.WriteNumber("duration", Current.FileTime - access.OpenTime);
                }
            }

            J.WriteNumber("close_time", Current.FileTime);
            J.WriteBoolean("forced", forced);
            J.WriteNumber("read_bytes", transfer.Read);
            J.WriteNumber("readv_bytes", transfer.Readv);
            J.WriteNumber("write_bytes", transfer.Write);
            if (hasOps)
            {
                J.WriteStartObject("ops");
                J.WriteNumber("read", ops.Read);
                J.WriteNumber("readv", ops.Readv);
                J.WriteNumber("write", ops.Write);
                J.WriteNumber("rsegs", ops.Rsegs);
                J.WriteNumber("rd_min", ops.RdMin);
                J.WriteNumber("rd_max", ops.RdMax);
                J.WriteNumber("rv_min", ops.RvMin);
                J.WriteNumber("rv_max", ops.RvMax);
                J.WriteNumber("wr_min", ops.WrMin);
                J.WriteNumber("wr_max", ops.WrMax);
                J.WriteEndObject();
            }

            if (hasSsq && double.IsFinite(ssq.Read) && double.IsFinite(ssq.Readv) && double.IsFinite(ssq.Rsegs) && double.IsFinite(ssq.Write))
            {
                J.WriteStartObject("ssq");
                J.WriteNumber("read", ssq.Read);
                J.WriteNumber("readv", ssq.Readv);
                J.WriteNumber("rsegs", ssq.Rsegs);
                J.WriteNumber("write", ssq.Write);
                J.WriteEndObject();
            }
        }

        /// <summary>Writes lfn and user of an access, marking what is unresolved.</summary>
        private void Access(XrdMonAccess? access)
        {
            if (access?.Lfn is { } lfn)
            {
                J.WriteString("lfn", lfn);
            }

            if (access?.User is { } user)
            {
                User(user);
                J.WriteString("client_host", user.Host);
            }
            else if (access?.Path is { } p)
            {
                J.WriteStartObject("user");
                J.WriteString("name", p.UserName);
                J.WriteNumber("pid", p.UserPid);
                J.WriteString("host", p.UserHost);
                J.WriteEndObject();
                J.WriteString("client_host", p.UserHost);
            }

            if (access is null || access.Lfn is null || (access.User is null && access.Path is null))
            {
                Unresolved(access is null || access.Lfn is null ? "file" : "user");
            }
        }

        private void ResolvePath(uint dictid)
        {
            J.WriteNumber("dictid", dictid);
            if (c._paths.TryGet(Key(dictid), c._now, out XrdMonPath? p))
            {
                J.WriteString("lfn", p.Path);
                J.WriteStartObject("user");
                J.WriteString("name", p.UserName);
                J.WriteNumber("pid", p.UserPid);
                J.WriteString("host", p.UserHost);
                J.WriteEndObject();
            }
            else
            {
                Unresolved("file");
            }
        }

        private void ResolveUser(uint dictid, string property)
        {
            J.WriteNumber("user_dictid", dictid);
            if (c._users.TryGet(Key(dictid), c._now, out XrdMonUser? u))
            {
                User(u, property);
            }
            else
            {
                Unresolved("user");
            }
        }

        private void Unresolved(string what)
        {
            J.WriteString("unresolved", what);
            c.Counters.Unresolved++;
        }

        private void User(XrdMonUser u, string property = "user")
        {
            J.WriteStartObject(property);
            J.WriteString("prot", u.Prot);
            J.WriteString("name", u.Name);
            J.WriteNumber("pid", u.Pid);
            J.WriteString("host", u.Host);
            if (u.Auth.Length > 0)
            {
                var cgi = new CgiReader(System.Text.Encoding.UTF8.GetBytes(u.Auth));
                J.WriteStartObject("auth");
                while (cgi.MoveNext())
                {
                    if (System.Text.Unicode.Utf8.IsValid(cgi.Key))
                    {
                        J.WritePropertyName(cgi.Key);
                        c._out!.StringValue(cgi.Value);
                    }
                }

                J.WriteEndObject();
            }

            J.WriteEndObject();
        }

        private void ClientFromId(in XrdMonUserId id)
        {
            J.WriteStartObject("user");
            c._out!.Text("prot", id.Prot);
            c._out.Text("name", id.User);
            J.WriteNumber("pid", id.Pid);
            c._out.Text("host", id.Host);
            J.WriteEndObject();
        }

        private void WriteCgiNumber(string name, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> key)
        {
            if (CgiReader.TryFind(payload, key, out ReadOnlySpan<byte> v) && Utf8Parser.TryParse(v, out long n, out _))
            {
                J.WriteNumber(name, n);
            }
        }
    }
}
