using System;
using System.Buffers.Text;
using Toolkit.Runtime.Binary;
using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Collector;

public sealed partial class XrdMonCollector
{
    /// <summary>
    /// The correlation: resolves the records of one delivered datagram against the maps (users, paths, info, open
    /// accesses, server identity) and hands the resolved events to the <see cref="XrdMonEventWriter"/>. A struct, made
    /// per datagram, so that the generated <c>XrdMonRecords.Dispatch</c> is specialised for it and every record
    /// callback is a direct call.
    /// </summary>
    private readonly struct Visitor(XrdMonCollector c, Instance current) : IXrdMonVisitor
    {
        private bool Events => c._out is not null && c._options.Events;

        private bool Traces => Events && c._options.TraceEvents;

        private IXrdMonEventOutput Out => c._out!;

        private XrdMonServer Server => current.Server;

        private DictidKey Key(uint dictid) => new(current.Id, dictid);

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
            c.IndexIdentity(current.Id, packet.Dictid, user);
            if (Events)
            {
                Out.UserLogin(Server, current.TraceTime, packet.Dictid, user);
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
            string text = XrdMonUser.Text(info.Appinfo);
            c._info.Set(Key(packet.Dictid), text, c._now);
            if (info.HasAppinfo && c.UserByIdentity(current.Id, XrdMonUser.HashIdentity(info.Userid.Raw)) is { } user)
            {
                // The record names its user by identity text only; the user's later summaries carry the text.
                user.AppInfo = text;
            }
            if (Events)
            {
                Out.Info(Server, current.TraceTime, packet.Dictid, info.Userid, info.Appinfo);
            }
        }

        public void OnUserActivity(HeaderReader header, UserActivityPacketReader packet)
        {
            c.Counters.Records++;
            ActivityCodesText codes = packet.InfoText.Payload;
            uint userDictid = codes.TryGetUserDictid(out long uc) ? (uint)uc : 0;
            long? experiment = codes.TryGetExperiment(out long ec) ? ec : null;
            long? activity = codes.TryGetActivity(out long ac) ? ac : null;
            XrdMonUser? user = User(userDictid);
            if (user is not null && (experiment is not null || activity is not null))
            {
                // The user's later accesses carry the codes (the WLCG records' experiment and activity).
                user.Experiment = experiment?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? user.Experiment;
                user.Activity = activity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? user.Activity;
                user.Json = null;
            }

            if (Events)
            {
                Out.UserActivity(Server, current.TraceTime, userDictid, user, experiment, activity);
            }
        }

        public void OnPurge(HeaderReader header, PurgePacketReader packet)
        {
            c.Counters.Records++;
            if (Events)
            {
                PurgeInfoText info = packet.InfoText;
                Out.Frm("purge", Server, current.TraceTime, info.Userid, info.Payload.Path, info.Payload.Details.Raw);
            }
        }

        public void OnTransfer(HeaderReader header, TransferPacketReader packet)
        {
            c.Counters.Records++;
            if (Events)
            {
                TransferInfoText info = packet.InfoText;
                Out.Frm("frm_transfer", Server, current.TraceTime, info.Userid, info.Payload.Lfn, info.Payload.Details.Raw);
            }
        }

        public void OnTraceIo(HeaderReader header, TraceReadWriteReader entry)
        {
            c.Counters.Records++;
            if (Traces)
            {
                bool write = entry.IsWrite;
                long length = write ? -(long)entry.Length : entry.Length;
                uint dictid = entry.Dictid;
                Out.TraceIo(Server, current.TraceTime, write, dictid, Path(dictid), entry.Offset, length);
            }
        }

        public void OnTraceReadv(HeaderReader header, TraceReadvReader entry) => Readv(false, entry.Segments, entry.Length, entry.Dictid);

        public void OnTraceReadu(HeaderReader header, TraceReaduReader entry) => Readv(true, entry.Segments, entry.Length, entry.Dictid);

        public void OnTraceOpen(HeaderReader header, TraceOpenReader entry)
        {
            c.Counters.Records++;
            if (Traces)
            {
                uint dictid = entry.Dictid;
                Out.TraceOpen(Server, current.TraceTime, dictid, Path(dictid), entry.FileSize);
            }
        }

        public void OnTraceClose(HeaderReader header, TraceCloseReader entry)
        {
            c.Counters.Records++;
            uint dictid = entry.Dictid;
            if (Traces)
            {
                Out.TraceClose(Server, current.TraceTime, dictid, Path(dictid), entry.ReadBytes, entry.WriteBytes);
            }

            // Close frees the file; the f-stream (which lags) may still need the path for a while.
            EndPath(dictid);
        }

        public void OnTraceDisconnect(HeaderReader header, TraceDisconnectReader entry)
        {
            c.Counters.Records++;
            uint userDictid = entry.UserDictid;
            c._users.TryPeek(Key(userDictid), out XrdMonUser? user);
            if (Events)
            {
                Out.Disconnect(Server, current.TraceTime, userDictid, User(userDictid), entry.Forced, entry.Duration);
            }

            // Disconnect frees the user after the grace period (f- and r-stream records of the session lag behind).
            EndUser(user, userDictid);
        }

        public void OnTraceWindow(HeaderReader header, TraceWindowReader entry)
        {
            c.Counters.Records++;
            current.TraceTime = entry.NextStart;
            Server.Sid = (long)entry.Sid;
        }

        public void OnTraceAppId(HeaderReader header, TraceAppIdReader entry)
        {
            c.Counters.Records++;
            if (Events)
            {
                Out.AppId(Server, current.TraceTime, BigEndian.UntilNul(entry.AppId));
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
            Server.Sid = (long)server.Sid;
        }

        public void OnRedirectWindow(HeaderReader header, RedirectWindowReader entry)
        {
            c.Counters.Records++;
            current.TraceTime = entry.Time;
        }

        public void OnRedirect(HeaderReader header, RedirectRecordReader entry)
        {
            c.Counters.Records++;
            if (Events)
            {
                uint userDictid = entry.UserDictid;
                Out.Redirect(Server, current.TraceTime, userDictid, User(userDictid), entry);
            }
        }

        public void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry)
        {
            c.Counters.Records++;
            c.CountError("unknown r-stream entry type");
        }

        public void OnFileTod(HeaderReader header, FstatTodReader tod)
        {
            c.Counters.Records++;
            current.SawFileStream = true;
            current.FileTime = tod.End;
            long sid = tod.Sid & 0xFFFF_FFFF_FFFFL;
            if (sid != 0)
            {
                Server.Sid = sid;
            }
        }

        public void OnFileOpen(HeaderReader header, FstatOpenReader record)
        {
            c.Counters.Records++;
            uint fileId = record.FileId;
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
                FileSize = record.FileSize,
                ReadWrite = record.ReadWrite,
                UserDictid = userDictid,
                User = user,
                Path = path,
                OpenTime = current.FileTime,
            };
            c._accesses.Set(Key(fileId), access, c._now);
            if (Events)
            {
                Out.FileOpen(Server, current.FileTime, fileId, access);
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
                Out.FileClose("file_close", Server, current.FileTime, fileId, access, record);
            }

            if (c._options.Summaries)
            {
                Out.FileClose("summary", Server, current.FileTime, fileId, access, record);
                c.Counters.Summaries++;
            }
        }

        public void OnFileTransfer(HeaderReader header, FstatXfrReader record)
        {
            c.Counters.Records++;
            if (Events)
            {
                uint fileId = record.FileId;
                c._accesses.TryGet(Key(fileId), c._now, out XrdMonAccess? access);
                Out.FileTransfer(Server, current.FileTime, fileId, access, record.Xfr);
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
                Out.Disconnect(Server, current.FileTime, userDictid, User(userDictid), null, null);
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
            if (Events)
            {
                Out.GStream(Server, (byte)packet.Provider, packet.End, BigEndian.UntilNul(packet.Body));
            }
        }

        private void Readv(bool unwound, ushort segments, int length, uint dictid)
        {
            c.Counters.Records++;
            if (Traces)
            {
                Out.TraceReadv(Server, current.TraceTime, unwound, dictid, Path(dictid), segments, length);
            }
        }

        /// <summary>The path of a file dictid (refreshing its time to live), or null when unknown.</summary>
        private XrdMonPath? Path(uint dictid) => c._paths.TryGet(Key(dictid), c._now, out XrdMonPath? p) ? p : null;

        /// <summary>The user of a user dictid (refreshing its time to live), or null when unknown.</summary>
        private XrdMonUser? User(uint dictid) => c._users.TryGet(Key(dictid), c._now, out XrdMonUser? u) ? u : null;

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

        private void Identify(UserIdText id, ReadOnlySpan<byte> payload)
        {
            // The = record repeats every `ident` seconds, normally unchanged: parse it only when it differs.
            ReadOnlySpan<byte> raw = id.Raw;
            if (Server.Identified && current.IdentText is { } previous && raw.Length + payload.Length == previous.Length
                && previous.AsSpan(0, raw.Length).SequenceEqual(raw) && previous.AsSpan(raw.Length).SequenceEqual(payload))
            {
                return;
            }

            current.IdentText = [.. raw, .. payload];
            XrdMonServer s = Server;
            s.Json = null;
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
                Out.ServerIdent(Server, current.TraceTime);
            }
        }
    }
}
