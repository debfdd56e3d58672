using System;
using System.Runtime.CompilerServices;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon;

/// <summary>
/// Hands every record of a datagram, as decoded by the generated <see cref="PacketReader"/>, to a visitor. The
/// generated reader validates the whole packet first, so a bad datagram yields no records and one
/// <see cref="DecodeError"/> with the byte offset; reading allocates nothing.
/// </summary>
public static class XrdMonRecords
{
    /// <summary>Decodes a datagram and visits its records.</summary>
    /// <typeparam name="TVisitor">Visitor type (generic so struct visitors are not boxed).</typeparam>
    /// <param name="datagram">The datagram bytes.</param>
    /// <param name="visitor">Receives the records.</param>
    /// <param name="error">Why and where decoding failed.</param>
    /// <returns>True when the datagram decoded.</returns>
    public static bool Dispatch<TVisitor>(ReadOnlySpan<byte> datagram, ref TVisitor visitor, out DecodeError error)
        where TVisitor : IXrdMonVisitor
    {
        if (!PacketReader.TryRead(datagram, out PacketReader packet, out error))
        {
            return false;
        }

        HeaderReader h = packet.Header;
        switch (packet.Kind)
        {
            case PacketKind.ServerIdentPacket:
                visitor.OnServerIdent(h, packet.AsServerIdentPacket());
                break;
            case PacketKind.PathPacket:
                visitor.OnPath(h, packet.AsPathPacket());
                break;
            case PacketKind.InfoPacket:
                visitor.OnInfo(h, packet.AsInfoPacket());
                break;
            case PacketKind.UserLoginPacket:
                visitor.OnUserLogin(h, packet.AsUserLoginPacket());
                break;
            case PacketKind.UserActivityPacket:
                visitor.OnUserActivity(h, packet.AsUserActivityPacket());
                break;
            case PacketKind.PurgePacket:
                visitor.OnPurge(h, packet.AsPurgePacket());
                break;
            case PacketKind.TransferPacket:
                visitor.OnTransfer(h, packet.AsTransferPacket());
                break;
            case PacketKind.TracePacket:
                Trace(h, packet.AsTracePacket(), ref visitor);
                break;
            case PacketKind.RedirectPacket:
                Redirect(h, packet.AsRedirectPacket(), ref visitor);
                break;
            case PacketKind.FstatPacket:
                Fstat(h, packet.AsFstatPacket(), ref visitor);
                break;

            case PacketKind.GStreamPacket:
                visitor.OnGStream(h, packet.AsGStreamPacket());
                break;
            default:
                // The spec: skip a whole packet with an unknown code.
                return UnknownCode(out error);
        }

        return true;
    }

    /// <summary>Formats a decode error as one line: <c>Record.field: reason</c>.</summary>
    /// <param name="error">The error.</param>
    /// <returns>The text (allocates; error path only).</returns>
    public static string Describe(in DecodeError error) =>
        error.Record.Length == 0 ? error.Reason
        : error.Field.Length == 0 ? $"{error.Record}: {error.Reason}"
        : $"{error.Record}.{error.Field}: {error.Reason}";

    // Out of line so that Dispatch has no DecodeError temporary to zero on every call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool UnknownCode(out DecodeError error)
    {
        error = new DecodeError(0, "Packet", "code", "unknown packet code");
        return false;
    }

    // The per-stream loops live in their own methods (small frames for Dispatch) and take the variant readers, which
    // are one span and travel in registers; a union reader (span + kind) passed by value to a non-inlined method is
    // copied through the stack with mismatched store/load widths, which stalls store forwarding on every entry.
    private static void Trace<TVisitor>(HeaderReader h, TracePacketReader packet, ref TVisitor visitor)
        where TVisitor : IXrdMonVisitor
    {
        foreach (TraceEntryReader e in packet.Entries)
        {
            switch (e.Kind)
            {
                case TraceEntryKind.TraceReadWrite:
                    visitor.OnTraceIo(h, e.AsTraceReadWrite());
                    break;
                case TraceEntryKind.TraceOpen:
                    visitor.OnTraceOpen(h, e.AsTraceOpen());
                    break;
                case TraceEntryKind.TraceReadv:
                {
                    TraceReadvReader v = e.AsTraceReadv();
                    visitor.OnTraceReadv(h, false, v.ReadvSeq, v.Segments, v.Length, v.Dictid);
                    break;
                }

                case TraceEntryKind.TraceReadu:
                {
                    TraceReaduReader u = e.AsTraceReadu();
                    visitor.OnTraceReadv(h, true, u.ReadvSeq, u.Segments, u.Length, u.Dictid);
                    break;
                }

                case TraceEntryKind.TraceAppId:
                    visitor.OnTraceAppId(h, e.AsTraceAppId());
                    break;
                case TraceEntryKind.TraceClose:
                    visitor.OnTraceClose(h, e.AsTraceClose());
                    break;
                case TraceEntryKind.TraceDisconnect:
                    visitor.OnTraceDisconnect(h, e.AsTraceDisconnect());
                    break;
                case TraceEntryKind.TraceWindow:
                    visitor.OnTraceWindow(h, e.AsTraceWindow());
                    break;
                default:
                    visitor.OnTraceUnknown(h, e.AsTraceUnknown());
                    break;
            }
        }
    }

    private static void Redirect<TVisitor>(HeaderReader h, RedirectPacketReader packet, ref TVisitor visitor)
        where TVisitor : IXrdMonVisitor
    {
        visitor.OnRedirectServer(h, packet.Server);
        foreach (RedirectEntryReader e in packet.Entries)
        {
            switch (e.Kind)
            {
                case RedirectEntryKind.RedirectWindow:
                    visitor.OnRedirectWindow(h, e.AsRedirectWindow());
                    break;
                case RedirectEntryKind.RedirectRecord:
                    visitor.OnRedirect(h, e.AsRedirectRecord());
                    break;
                default:
                    visitor.OnRedirectUnknown(h, e.AsRedirectUnknown());
                    break;
            }
        }
    }

    private static void Fstat<TVisitor>(HeaderReader h, FstatPacketReader packet, ref TVisitor visitor)
        where TVisitor : IXrdMonVisitor
    {
        visitor.OnFileTod(h, packet.Tod);
        foreach (FstatRecordReader r in packet.Records)
        {
            switch (r.Kind)
            {
                case FstatRecordKind.FstatClose:
                    visitor.OnFileClose(h, r.AsFstatClose());
                    break;
                case FstatRecordKind.FstatOpen:
                    visitor.OnFileOpen(h, r.AsFstatOpen());
                    break;
                case FstatRecordKind.FstatTod:
                    visitor.OnFileTod(h, r.AsFstatTod());
                    break;
                case FstatRecordKind.FstatXfr:
                    visitor.OnFileTransfer(h, r.AsFstatXfr());
                    break;
                case FstatRecordKind.FstatDisconnect:
                    visitor.OnFileDisconnect(h, r.AsFstatDisconnect());
                    break;
                default:
                    visitor.OnFileUnknown(h, r.AsFstatUnknown());
                    break;
            }
        }
    }
}
