using System;
using Toolkit.XrdMon;

namespace Toolkit.XrdMon.Tests;

/// <summary>Touches every field and every nested record of a packet without allocating; returns a checksum.</summary>
internal static class Walk
{
    public static long Packet(PacketReader p)
    {
        long sum = p.Pseq + p.Plen + p.Stod + (int)p.Code;
        switch (p.Kind)
        {
            case PacketKind.ServerIdentPacket:
            {
                var s = p.AsServerIdentPacket().InfoText;
                sum += UserId(s.Userid) + s.Payload.Site.Length + s.Payload.Ver.Length + (s.Payload.TryGetPort(out var port) ? port : 0);
                break;
            }

            case PacketKind.PathPacket:
            {
                var s = p.AsPathPacket().InfoText;
                sum += UserId(s.Userid) + s.Path.Length;
                break;
            }

            case PacketKind.InfoPacket:
                sum += UserId(p.AsInfoPacket().InfoText.Userid) + p.AsInfoPacket().InfoText.Appinfo.Length;
                break;
            case PacketKind.UserLoginPacket:
            {
                var s = p.AsUserLoginPacket().InfoText;
                sum += UserId(s.Userid);
                foreach (var pair in s.Payload)
                {
                    sum += pair.Key.Length + pair.Value.Length;
                }

                sum += s.Payload.Executable.Length + (s.Payload.TryGetIpVersion(out var v) ? v : 0);
                break;
            }

            case PacketKind.UserActivityPacket:
            {
                var s = p.AsUserActivityPacket().InfoText;
                sum += UserId(s.Userid) + (s.Payload.TryGetUserDictid(out var u) ? u : 0);
                break;
            }

            case PacketKind.PurgePacket:
            {
                var s = p.AsPurgePacket().InfoText;
                sum += UserId(s.Userid) + s.Payload.Path.Length + (s.Payload.Details.TryGetSize(out var z) ? z : 0);
                break;
            }

            case PacketKind.TransferPacket:
            {
                var s = p.AsTransferPacket().InfoText;
                sum += UserId(s.Userid) + s.Payload.Lfn.Length + s.Payload.Details.Operation.Length;
                break;
            }

            case PacketKind.TracePacket:
                foreach (var e in p.AsTracePacket().Entries)
                {
                    sum += (int)e.Kind;
                    switch (e.Kind)
                    {
                        case TraceEntryKind.TraceReadWrite:
                            sum += e.AsTraceReadWrite().Offset + e.AsTraceReadWrite().Length + e.AsTraceReadWrite().Dictid;
                            break;
                        case TraceEntryKind.TraceOpen:
                            sum += (long)e.AsTraceOpen().FileSize;
                            break;
                        case TraceEntryKind.TraceReadv:
                            sum += e.AsTraceReadv().Segments + e.AsTraceReadv().Length;
                            break;
                        case TraceEntryKind.TraceReadu:
                            sum += e.AsTraceReadu().Segments + e.AsTraceReadu().Length;
                            break;
                        case TraceEntryKind.TraceAppId:
                            sum += e.AsTraceAppId().AppId.Length;
                            break;
                        case TraceEntryKind.TraceClose:
                            sum += (long)e.AsTraceClose().ReadBytes + (long)e.AsTraceClose().WriteBytes;
                            break;
                        case TraceEntryKind.TraceDisconnect:
                            sum += e.AsTraceDisconnect().Duration + (e.AsTraceDisconnect().Forced ? 1 : 0);
                            break;
                        case TraceEntryKind.TraceWindow:
                            sum += (long)e.AsTraceWindow().Sid + e.AsTraceWindow().NextStart;
                            break;
                        default:
                            sum += e.AsTraceUnknown().Type;
                            break;
                    }
                }

                break;
            case PacketKind.RedirectPacket:
            {
                var r = p.AsRedirectPacket();
                sum += (long)r.Server.Sid;
                foreach (var e in r.Entries)
                {
                    if (e.TryGetRedirectRecord(out var rr))
                    {
                        var t = rr.TargetText;
                        sum += (int)rr.Operation + rr.Port + rr.UserDictid + t.Host.Length + t.Path.Length;
                    }
                    else if (e.TryGetRedirectWindow(out var w))
                    {
                        sum += w.Window + w.Time;
                    }
                    else
                    {
                        sum += e.AsRedirectUnknown().Data.Length;
                    }
                }

                break;
            }

            case PacketKind.FstatPacket:
            {
                var f = p.AsFstatPacket();
                sum += f.Tod.Begin + f.Tod.End + f.Tod.Sid + f.Tod.TotalCount;
                foreach (var r in f.Records)
                {
                    switch (r.Kind)
                    {
                        case FstatRecordKind.FstatOpen:
                        {
                            var o = r.AsFstatOpen();
                            sum += o.FileSize + (o.HasLfn ? o.Lfn.Lfn.Length + o.Lfn.UserDictid : 0);
                            break;
                        }

                        case FstatRecordKind.FstatClose:
                        {
                            var c = r.AsFstatClose();
                            sum += c.Xfr.ReadBytes + c.Xfr.WriteBytes + (c.HasOps ? c.Ops.Reads + c.Ops.Rsegs : 0) + (c.HasSsq ? (long)c.Ssq.ReadSquares : 0);
                            break;
                        }

                        case FstatRecordKind.FstatXfr:
                            sum += r.AsFstatXfr().Xfr.ReadvBytes;
                            break;
                        case FstatRecordKind.FstatDisconnect:
                            sum += r.AsFstatDisconnect().UserDictid;
                            break;
                        case FstatRecordKind.FstatTod:
                            sum += r.AsFstatTod().XfrCount;
                            break;
                        default:
                            sum += r.AsFstatUnknown().Data.Length;
                            break;
                    }
                }

                break;
            }

            case PacketKind.GStreamPacket:
            {
                var g = p.AsGStreamPacket();
                sum += (int)g.Provider + (long)g.Sid;
                foreach (var line in g.BodyText)
                {
                    sum += line.Length;
                }

                break;
            }

            default:
                sum += p.AsUnknownPacket().Data.Length;
                break;
        }

        return sum;
    }

    private static long UserId(UserIdText u) =>
        u.Prot.Length + u.User.Length + u.Host.Length + (u.TryGetPid(out var pid) ? pid : 0) + (u.TryGetSid(out var sid) ? sid : 0) + (u.IsMatch ? 1 : 0);
}
