using System;
using System.Buffers.Text;
using System.Text.Json;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;
using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Collector;

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

        public void OnServerIdent(HeaderReader header, ServerIdentPacketReader packet)
        {
            c.Counters.Records++;
            ServerIdentInfoText info = packet.InfoText;
            Identify(info.Userid, info.HasPayload ? info.Payload.Raw : default);
        }

        public void OnUserLogin(HeaderReader header, UserLoginPacketReader packet)
        {
            c.Counters.Records++;
            UserLoginInfoText info = packet.InfoText;
            var user = XrdMonUser.From(info.Userid, info.HasPayload ? info.Payload.Raw : default, c._strings);
            c._users.Set(Key(packet.Dictid), user, c._now);
            if (Events)
            {
                Begin("user_login", Current.TraceTime);
                J.WriteNumber("user_dictid", packet.Dictid);
                User(user);
                c._out!.End();
            }
        }

        public void OnPath(HeaderReader header, PathPacketReader packet)
        {
            c.Counters.Records++;
            PathInfoText info = packet.InfoText;
            UserIdText id = info.Userid;
            c._paths.Set(Key(packet.Dictid), new XrdMonPath
            {
                Path = XrdMonUser.Text(info.Path),
                UserName = c._strings.Get(id.User),
                UserHost = c._strings.Get(id.Host),
                UserPid = id.TryGetPid(out long pid) ? pid : -1,
            }, c._now);
        }

        public void OnInfo(HeaderReader header, InfoPacketReader packet)
        {
            c.Counters.Records++;
            AppInfoText info = packet.InfoText;
            c._info.Set(Key(packet.Dictid), XrdMonUser.Text(info.Appinfo), c._now);
            if (Events)
            {
                Begin("info", Current.TraceTime);
                J.WriteNumber("info_dictid", packet.Dictid);
                ClientFromId(info.Userid);
                c._out!.Text("info", info.Appinfo);
                c._out.End();
            }
        }

        public void OnUserActivity(HeaderReader header, UserActivityPacketReader packet)
        {
            c.Counters.Records++;
            if (Events)
            {
                UserActivityInfoText info = packet.InfoText;
                ActivityCodesText codes = info.Payload;
                Begin("user_activity", Current.TraceTime);
                ResolveUser(codes.TryGetUserDictid(out long uc) ? (uint)uc : 0, "user");
                if (codes.TryGetExperiment(out long ec))
                {
                    J.WriteNumber("experiment", ec);
                }

                if (codes.TryGetActivity(out long ac))
                {
                    J.WriteNumber("activity", ac);
                }

                c._out!.End();
            }
        }

        public void OnPurge(HeaderReader header, PurgePacketReader packet)
        {
            c.Counters.Records++;
            if (Events)
            {
                PurgeInfoText info = packet.InfoText;
                Begin("purge", Current.TraceTime);
                ClientFromId(info.Userid);
                c._out!.Text("lfn", info.Payload.Path);
                c._out.Text("details", info.Payload.Details.Raw);
                c._out.End();
            }
        }

        public void OnTransfer(HeaderReader header, TransferPacketReader packet)
        {
            c.Counters.Records++;
            if (Events)
            {
                TransferInfoText info = packet.InfoText;
                Begin("frm_transfer", Current.TraceTime);
                ClientFromId(info.Userid);
                c._out!.Text("lfn", info.Payload.Lfn);
                c._out.Text("details", info.Payload.Details.Raw);
                c._out.End();
            }
        }

        public void OnTraceIo(HeaderReader header, TraceReadWriteReader entry)
        {
            c.Counters.Records++;
            if (Traces)
            {
                bool write = entry.IsWrite;
                long length = write ? -(long)entry.Length : entry.Length;
                long offset = entry.Offset;
                uint dictid = entry.Dictid;
                Begin(write ? "write" : "read", Current.TraceTime);
                ResolvePath(dictid);
                J.WriteNumber(Names.Offset, offset);
                J.WriteNumber(Names.Length, length);
                c._out!.End();
            }
        }

        public void OnTraceReadv(HeaderReader header, bool unwound, byte sequence, ushort segments, int length, uint dictid)
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

        public void OnTraceOpen(HeaderReader header, TraceOpenReader entry)
        {
            c.Counters.Records++;
            if (Traces)
            {
                Begin("trace_open", Current.TraceTime);
                ResolvePath(entry.Dictid);
                J.WriteNumber("file_size", entry.FileSize);
                c._out!.End();
            }
        }

        public void OnTraceClose(HeaderReader header, TraceCloseReader entry)
        {
            c.Counters.Records++;
            uint dictid = entry.Dictid;
            ulong readBytes = entry.ReadBytes;
            ulong writeBytes = entry.WriteBytes;
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

        public void OnTraceDisconnect(HeaderReader header, TraceDisconnectReader entry)
        {
            c.Counters.Records++;
            uint userDictid = entry.UserDictid;
            bool forced = entry.Forced;
            uint seconds = entry.Duration;
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

        public void OnTraceWindow(HeaderReader header, TraceWindowReader entry)
        {
            c.Counters.Records++;
            Current.TraceTime = entry.NextStart;
            Current.Server.Sid = (long)entry.Sid;
        }

        public void OnTraceAppId(HeaderReader header, TraceAppIdReader entry)
        {
            c.Counters.Records++;
            if (Events)
            {
                Begin("appid", Current.TraceTime);
                c._out!.Text("app_id", BigEndian.UntilNul(entry.AppId));
                c._out.End();
            }
        }

        public void OnTraceUnknown(HeaderReader header, TraceUnknownReader entry)
        {
            c.Counters.Records++;
            c.CountError("unknown t-stream entry type");
        }

        public void OnRedirectServer(HeaderReader header, RedirectServerIdReader server)
        {
            c.Counters.Records++;
            Current.Server.Sid = (long)server.Sid;
        }

        public void OnRedirectWindow(HeaderReader header, RedirectWindowReader entry)
        {
            c.Counters.Records++;
            Current.TraceTime = entry.Time;
        }

        public void OnRedirect(HeaderReader header, RedirectRecordReader entry)
        {
            c.Counters.Records++;
            if (Events)
            {
                RedirectTargetText target = entry.TargetText;
                Begin("redirect", Current.TraceTime);
                ResolveUser(entry.UserDictid, "user");
                J.WriteString("operation", XrdMonNames.RedirectOperation((byte)entry.Operation));
                J.WriteBoolean("local", entry.IsLocal);
                c._out!.Text("target_host", target.IsMatch ? target.Host : default);
                J.WriteNumber("target_port", entry.Port);
                c._out.Text("path", target.IsMatch ? target.Path : BigEndian.UntilNul(entry.Target));
                c._out.End();
            }
        }

        public void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry)
        {
            c.Counters.Records++;
            c.CountError("unknown r-stream entry type");
        }

        public void OnFileTod(HeaderReader header, FstatTodReader record)
        {
            c.Counters.Records++;
            Current.SawFileStream = true;
            Current.FileTime = record.End;
            long sid = record.Sid & 0xFFFF_FFFF_FFFFL;
            if (sid != 0)
            {
                Current.Server.Sid = sid;
            }
        }

        public void OnFileOpen(HeaderReader header, FstatOpenReader record)
        {
            c.Counters.Records++;
            uint fileId = record.FileId;
            bool readWrite = record.ReadWrite;
            long fileSize = record.FileSize;
            bool hasLfn = record.HasLfn;
            uint userDictid = hasLfn ? record.Lfn.UserDictid : 0;
            ReadOnlySpan<byte> lfn = hasLfn ? BigEndian.UntilNul(record.Lfn.Lfn) : default;
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

        public void OnFileClose(HeaderReader header, FstatCloseReader record)
        {
            c.Counters.Records++;
            uint fileId = record.FileId;
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
                CloseBody(access, record);
                c._out.End();
            }

            if (c._options.Summaries)
            {
                Begin("summary", Current.FileTime);
                J.WriteNumber("fileid", fileId);
                CloseBody(access, record);
                c._out.End();
                c.Counters.Summaries++;
            }
        }

        public void OnFileTransfer(HeaderReader header, FstatXfrReader record)
        {
            c.Counters.Records++;
            if (Events)
            {
                uint fileId = record.FileId;
                FstatTransferReader transfer = record.Xfr;
                c._accesses.TryGet(Key(fileId), c._now, out XrdMonAccess? access);
                Begin("file_transfer", Current.FileTime);
                J.WriteNumber("fileid", fileId);
                Access(access);
                J.WriteNumber("read_bytes", transfer.ReadBytes);
                J.WriteNumber("readv_bytes", transfer.ReadvBytes);
                J.WriteNumber("write_bytes", transfer.WriteBytes);
                c._out!.End();
            }
        }

        public void OnFileDisconnect(HeaderReader header, FstatDisconnectReader record)
        {
            c.Counters.Records++;
            uint userDictid = record.UserDictid;
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

        public void OnFileUnknown(HeaderReader header, FstatUnknownReader record)
        {
            c.Counters.Records++;
            c.CountError("unknown f-stream record type");
        }

        public void OnGStream(HeaderReader header, GStreamPacketReader packet)
        {
            c.Counters.Records++;
            if (!Events)
            {
                return;
            }

            byte provider = (byte)packet.Provider;
            int endTime = packet.End;
            ReadOnlySpan<byte> text = BigEndian.UntilNul(packet.Body);

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

        private void Identify(UserIdText id, ReadOnlySpan<byte> payload)
        {
            // The = record repeats every `ident` seconds, normally unchanged: parse it only when it differs.
            ReadOnlySpan<byte> raw = id.Raw;
            if (Current.Server.Identified && Current.IdentText is { } previous && raw.Length + payload.Length == previous.Length
                && previous.AsSpan(0, raw.Length).SequenceEqual(raw) && previous.AsSpan(raw.Length).SequenceEqual(payload))
            {
                return;
            }

            Current.IdentText = [.. raw, .. payload];
            Current.ServerJson = null;
            XrdMonServer s = Current.Server;
            bool first = !s.Identified;
            s.Identified = true;
            s.Host = c._strings.Get(id.Host);
            s.Pid = id.TryGetPid(out long pid) ? pid : -1;
            s.Sid = id.TryGetSid(out long sid) ? sid : 0;
            foreach (CgiPair cgi in new CgiEnumerator(payload))
            {
                if (cgi.Key.SequenceEqual("site"u8))
                {
                    s.Site = c._strings.Get(cgi.Value);
                }
                else if (cgi.Key.SequenceEqual("port"u8) && Utf8Parser.TryParse(cgi.Value, out int port, out _))
                {
                    s.Port = port;
                }
                else if (cgi.Key.SequenceEqual("inst"u8))
                {
                    s.InstanceName = c._strings.Get(cgi.Value);
                }
                else if (cgi.Key.SequenceEqual("pgm"u8))
                {
                    s.Program = c._strings.Get(cgi.Value);
                }
                else if (cgi.Key.SequenceEqual("ver"u8))
                {
                    s.Version = c._strings.Get(cgi.Value);
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
            J.WriteString(Names.Event, Names.Kind(kind));
            if (time != 0)
            {
                J.WriteNumber(Names.Time, time);
            }

            // The server object is the same in every event of an instance: serialised once, copied as raw JSON.
            J.WritePropertyName(Names.Server);
            J.WriteRawValue(Current.ServerJson ??= ServerJson(Current.Server), skipInputValidation: true);
            c.Counters.Events++;
        }

        private static byte[] ServerJson(XrdMonServer server) => Names.Serialise(server, static (j, s) =>
        {
            j.WriteStartObject();
            j.WriteString("sender", s.Sender);
            j.WriteNumber("stod", s.Stod);
            j.WriteNumber("instance", s.Instance);
            if (s.Identified)
            {
                j.WriteString("host", s.Host);
                j.WriteNumber("port", s.Port);
                j.WriteString("inst", s.InstanceName);
                j.WriteString("pgm", s.Program);
                j.WriteString("ver", s.Version);
                j.WriteString("site", s.Site);
            }

            j.WriteEndObject();
        });

        private void CloseBody(XrdMonAccess? access, FstatCloseReader record)
        {
            FstatTransferReader transfer = record.Xfr;
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
            J.WriteBoolean("forced", record.Forced);
            J.WriteNumber("read_bytes", transfer.ReadBytes);
            J.WriteNumber("readv_bytes", transfer.ReadvBytes);
            J.WriteNumber("write_bytes", transfer.WriteBytes);
            if (record.HasOps)
            {
                FstatOpsReader ops = record.Ops;
                J.WriteStartObject("ops");
                J.WriteNumber("read", ops.Reads);
                J.WriteNumber("readv", ops.Readvs);
                J.WriteNumber("write", ops.Writes);
                J.WriteNumber("rsegs", ops.Rsegs);
                J.WriteNumber("rd_min", ops.RdMin);
                J.WriteNumber("rd_max", ops.RdMax);
                J.WriteNumber("rv_min", ops.RvMin);
                J.WriteNumber("rv_max", ops.RvMax);
                J.WriteNumber("wr_min", ops.WrMin);
                J.WriteNumber("wr_max", ops.WrMax);
                J.WriteEndObject();
            }

            if (record.HasSsq && record.Ssq is var ssq && double.IsFinite(ssq.ReadSquares) && double.IsFinite(ssq.ReadvSquares) && double.IsFinite(ssq.RsegsSquares) && double.IsFinite(ssq.WriteSquares))
            {
                J.WriteStartObject("ssq");
                J.WriteNumber("read", ssq.ReadSquares);
                J.WriteNumber("readv", ssq.ReadvSquares);
                J.WriteNumber("rsegs", ssq.RsegsSquares);
                J.WriteNumber("write", ssq.WriteSquares);
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
            J.WriteNumber(Names.Dictid, dictid);
            if (c._paths.TryGet(Key(dictid), c._now, out XrdMonPath? p))
            {
                J.WriteString(Names.Lfn, p.LfnJson ??= JsonEncodedText.Encode(p.Path, Names.Encoder));
                J.WritePropertyName(Names.User);
                J.WriteRawValue(p.UserJson ??= Names.Serialise(p, static (j, p) =>
                {
                    j.WriteStartObject();
                    j.WriteString("name", p.UserName);
                    j.WriteNumber("pid", p.UserPid);
                    j.WriteString("host", p.UserHost);
                    j.WriteEndObject();
                }), skipInputValidation: true);
            }
            else
            {
                Unresolved("file");
            }
        }

        private void ResolveUser(uint dictid, string property)
        {
            J.WriteNumber(Names.UserDictid, dictid);
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
            J.WriteString(Names.Unresolved, what == "user" ? Names.UnresolvedUser : Names.UnresolvedFile);
            c.Counters.Unresolved++;
        }

        private void User(XrdMonUser u, string property = "user")
        {
            // A user appears in many events: its object is serialised once and copied as raw JSON.
            J.WritePropertyName(property == "user" ? Names.User : JsonEncodedText.Encode(property));
            J.WriteRawValue(u.Json ??= Names.Serialise(u, static (j, u) =>
            {
                j.WriteStartObject();
                j.WriteString("prot", u.Prot);
                j.WriteString("name", u.Name);
                j.WriteNumber("pid", u.Pid);
                j.WriteString("host", u.Host);
                if (u.Auth.Length > 0)
                {
                    j.WriteStartObject("auth");
                    foreach (CgiPair cgi in new CgiEnumerator(System.Text.Encoding.UTF8.GetBytes(u.Auth)))
                    {
                        if (System.Text.Unicode.Utf8.IsValid(cgi.Key))
                        {
                            j.WritePropertyName(cgi.Key);
                            if (System.Text.Unicode.Utf8.IsValid(cgi.Value))
                            {
                                j.WriteStringValue(cgi.Value);
                            }
                            else
                            {
                                j.WriteStringValue(System.Text.Encoding.Latin1.GetString(cgi.Value));
                            }
                        }
                    }

                    j.WriteEndObject();
                }

                j.WriteEndObject();
            }), skipInputValidation: true);
        }

        private void ClientFromId(UserIdText id)
        {
            J.WriteStartObject("user");
            c._out!.Text("prot", id.Prot);
            c._out.Text("name", id.User);
            J.WriteNumber("pid", id.TryGetPid(out long pid) ? pid : -1);
            c._out.Text("host", id.Host);
            J.WriteEndObject();
        }
    }
}
