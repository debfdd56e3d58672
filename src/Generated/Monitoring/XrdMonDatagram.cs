using System;
using System.Buffers.Binary;

namespace Toolkit.Generated.Monitoring;

/// <summary>
/// Walks one XRootD detailed-monitoring datagram (spec <c>xrdxrootdmon.md</c>) and hands every record to an
/// <see cref="IXrdMonVisitor"/>. Allocation-free: fixed offsets read with big-endian primitives, text as slices.
/// Bad input never throws: the walk stops with an <see cref="XrdMonDecodeError"/> naming the offset and reason
/// (records before that point have already been visited).
/// </summary>
public static class XrdMonDatagram
{
    private const int TraceEntrySize = 16;
    private const int RedirectSlot = 8;
    private const int FileHeaderSize = 8;
    private const int TodSize = 24;

    /// <summary>Walks a datagram.</summary>
    /// <typeparam name="TVisitor">Visitor type (generic so struct visitors are not boxed).</typeparam>
    /// <param name="datagram">The datagram bytes.</param>
    /// <param name="visitor">Receives the records.</param>
    /// <param name="error">Set when the walk stopped early.</param>
    /// <returns>True when the whole packet decoded.</returns>
    public static bool Walk<TVisitor>(ReadOnlySpan<byte> datagram, ref TVisitor visitor, out XrdMonDecodeError error)
        where TVisitor : IXrdMonVisitor
    {
        if (!XrdMonHeader.TryRead(datagram, out XrdMonHeader header))
        {
            error = new(0, "datagram shorter than the 8-byte header");
            return false;
        }

        if (header.Plen < XrdMonHeader.Size)
        {
            error = new(2, "plen smaller than the 8-byte header");
            return false;
        }

        if (header.Plen > datagram.Length)
        {
            error = new(2, "plen larger than the datagram");
            return false;
        }

        ReadOnlySpan<byte> p = datagram[..header.Plen];
        switch (header.Code)
        {
            case (byte)'=' or (byte)'d' or (byte)'i' or (byte)'p' or (byte)'u' or (byte)'U' or (byte)'x':
                return WalkMap(p, header, ref visitor, out error);
            case (byte)'t':
                return WalkTrace(p, header, ref visitor, out error);
            case (byte)'r':
                return WalkRedirect(p, header, ref visitor, out error);
            case (byte)'f':
                return WalkFile(p, header, ref visitor, out error);
            case (byte)'g':
                return WalkGStream(p, header, ref visitor, out error);
            default:
                error = new(0, "unknown packet code");
                return false;
        }
    }

    private static bool WalkMap<TVisitor>(ReadOnlySpan<byte> p, in XrdMonHeader header, ref TVisitor visitor, out XrdMonDecodeError error)
        where TVisitor : IXrdMonVisitor
    {
        if (p.Length < 12)
        {
            error = new(8, "map packet shorter than header + dictid");
            return false;
        }

        uint dictid = BinaryPrimitives.ReadUInt32BigEndian(p[8..]);
        ReadOnlySpan<byte> info = p[12..];
        int nl = info.IndexOf((byte)'\n');
        ReadOnlySpan<byte> uid = nl < 0 ? info : info[..nl];
        ReadOnlySpan<byte> payload = nl < 0 ? default : info[(nl + 1)..];
        if (!XrdMonUserId.TryParse(uid, out XrdMonUserId userId))
        {
            error = new(12, "map record user id is not prot/user.pid:sid@host");
            return false;
        }

        visitor.OnMap(header, dictid, userId, TrimNul(payload), nl >= 0);
        error = default;
        return true;
    }

    private static bool WalkTrace<TVisitor>(ReadOnlySpan<byte> p, in XrdMonHeader header, ref TVisitor visitor, out XrdMonDecodeError error)
        where TVisitor : IXrdMonVisitor
    {
        if ((p.Length - XrdMonHeader.Size) % TraceEntrySize != 0)
        {
            error = new(XrdMonHeader.Size + ((p.Length - XrdMonHeader.Size) / TraceEntrySize * TraceEntrySize), "t-stream length is not a whole number of 16-byte entries");
            return false;
        }

        for (int off = XrdMonHeader.Size; off < p.Length; off += TraceEntrySize)
        {
            ReadOnlySpan<byte> e = p.Slice(off, TraceEntrySize);
            byte type = e[0];
            int arg1 = BinaryPrimitives.ReadInt32BigEndian(e[8..]);
            uint arg2 = BinaryPrimitives.ReadUInt32BigEndian(e[12..]);
            if (type < 0x80)
            {
                long offset = BinaryPrimitives.ReadInt64BigEndian(e);
                bool write = arg1 < 0;
                visitor.OnTraceIo(header, write, offset, write ? -(long)arg1 : arg1, arg2);
                continue;
            }

            switch (type)
            {
                case 0x80:
                    visitor.OnTraceOpen(header, BinaryPrimitives.ReadInt64BigEndian(e) & 0x00FF_FFFF_FFFF_FFFFL, arg2);
                    break;
                case 0x90:
                case 0x91:
                    visitor.OnTraceReadv(header, type == 0x91, e[1], BinaryPrimitives.ReadUInt16BigEndian(e[2..]), arg1, arg2);
                    break;
                case 0xA0:
                    visitor.OnTraceAppId(header, TrimNul(e[4..]));
                    break;
                case 0xC0:
                {
                    uint readTotal = BinaryPrimitives.ReadUInt32BigEndian(e[4..]);
                    visitor.OnTraceClose(header, Scale(readTotal, e[1]), Scale((uint)arg1, e[2]), arg2);
                    break;
                }

                case 0xD0:
                    visitor.OnTraceDisconnect(header, (e[1] & 0x01) != 0, (e[1] & 0x02) != 0, (uint)arg1, arg2);
                    break;
                case 0xE0:
                    visitor.OnTraceWindow(header, ReadSid(e[2..]), arg1, (int)arg2);
                    break;
                default:
                    visitor.OnTraceUnknown(header, type);
                    break;
            }
        }

        error = default;
        return true;
    }

    private static bool WalkRedirect<TVisitor>(ReadOnlySpan<byte> p, in XrdMonHeader header, ref TVisitor visitor, out XrdMonDecodeError error)
        where TVisitor : IXrdMonVisitor
    {
        if (p.Length < XrdMonHeader.Size + RedirectSlot)
        {
            error = new(XrdMonHeader.Size, "r-stream packet shorter than header + server id");
            return false;
        }

        if (p[8] != 0xF0)
        {
            error = new(8, "r-stream server id word does not start with 0xF0");
            return false;
        }

        visitor.OnRedirectServer(header, ReadSid(p[10..]));
        int off = XrdMonHeader.Size + RedirectSlot;
        while (off + RedirectSlot <= p.Length)
        {
            ReadOnlySpan<byte> e = p[off..];
            switch (e[0] >> 4)
            {
                case 0x0:
                    visitor.OnRedirectWindow(header, (e[1] << 16) | (e[2] << 8) | e[3], BinaryPrimitives.ReadInt32BigEndian(e[4..]));
                    off += RedirectSlot;
                    break;
                case 0x8:
                case 0x9:
                {
                    int textLength = e[1] * RedirectSlot;
                    if (off + RedirectSlot + textLength > p.Length)
                    {
                        error = new(off, "r-stream redirect text runs past the packet");
                        return false;
                    }

                    ReadOnlySpan<byte> text = TrimNul(e.Slice(RedirectSlot, textLength));
                    int colon = HostEnd(text);
                    ReadOnlySpan<byte> server = colon < 0 ? default : text[..colon];
                    ReadOnlySpan<byte> path = colon < 0 ? text : text[(colon + 1)..];
                    visitor.OnRedirect(header, (byte)(e[0] & 0x0F), e[0] >> 4 == 0x9, BinaryPrimitives.ReadUInt16BigEndian(e[2..]),
                        BinaryPrimitives.ReadUInt32BigEndian(e[4..]), server, path);
                    off += RedirectSlot + textLength;
                    break;
                }

                default:
                    error = new(off, "unknown r-stream entry type");
                    return false;
            }
        }

        if (off != p.Length)
        {
            error = new(off, "r-stream packet ends inside an 8-byte slot");
            return false;
        }

        error = default;
        return true;
    }

    private static bool WalkFile<TVisitor>(ReadOnlySpan<byte> p, in XrdMonHeader header, ref TVisitor visitor, out XrdMonDecodeError error)
        where TVisitor : IXrdMonVisitor
    {
        if (p.Length < XrdMonHeader.Size + TodSize)
        {
            error = new(XrdMonHeader.Size, "f-stream packet shorter than header + TOD record");
            return false;
        }

        int off = XrdMonHeader.Size;
        if (p[off] != 2)
        {
            error = new(off, "f-stream packet does not start with a TOD record");
            return false;
        }

        while (off < p.Length)
        {
            if (off + FileHeaderSize > p.Length)
            {
                error = new(off, "f-stream record header runs past the packet");
                return false;
            }

            ReadOnlySpan<byte> r = p[off..];
            byte type = r[0];
            byte flags = r[1];
            int size = BinaryPrimitives.ReadInt16BigEndian(r[2..]);
            if (size < FileHeaderSize)
            {
                error = new(off, "f-stream recSize smaller than the 8-byte record header");
                return false;
            }

            if (off + size > p.Length)
            {
                error = new(off, "f-stream recSize runs past the packet");
                return false;
            }

            r = r[..size];
            uint id = BinaryPrimitives.ReadUInt32BigEndian(r[4..]);
            switch (type)
            {
                case 0: // CLS
                {
                    int need = (flags & 0x04) != 0 ? 112 : (flags & 0x02) != 0 ? 80 : 32;
                    if (size < need)
                    {
                        error = new(off, "f-stream close record shorter than its flags require");
                        return false;
                    }

                    XrdMonTransfer xfr = ReadTransfer(r[8..]);
                    XrdMonOps ops = (flags & 0x06) != 0 ? ReadOps(r[32..]) : default;
                    XrdMonSsq ssq = (flags & 0x04) != 0 ? ReadSsq(r[80..]) : default;
                    visitor.OnFileClose(header, id, (flags & 0x01) != 0, xfr, (flags & 0x06) != 0, ops, (flags & 0x04) != 0, ssq);
                    break;
                }

                case 1: // OPN
                {
                    bool hasLfn = (flags & 0x01) != 0;
                    if (size < (hasLfn ? 20 : 16))
                    {
                        error = new(off, "f-stream open record shorter than its flags require");
                        return false;
                    }

                    long fileSize = BinaryPrimitives.ReadInt64BigEndian(r[8..]);
                    uint user = hasLfn ? BinaryPrimitives.ReadUInt32BigEndian(r[16..]) : 0;
                    ReadOnlySpan<byte> lfn = hasLfn ? TrimNul(r[20..]) : default;
                    visitor.OnFileOpen(header, id, (flags & 0x02) != 0, fileSize, hasLfn, user, lfn);
                    break;
                }

                case 2: // TOD
                    if (size < TodSize)
                    {
                        error = new(off, "f-stream TOD record shorter than 24 bytes");
                        return false;
                    }

                    visitor.OnFileTod(header, BinaryPrimitives.ReadInt16BigEndian(r[4..]), BinaryPrimitives.ReadInt16BigEndian(r[6..]),
                        BinaryPrimitives.ReadInt32BigEndian(r[8..]), BinaryPrimitives.ReadInt32BigEndian(r[12..]),
                        BinaryPrimitives.ReadInt64BigEndian(r[16..]) & 0xFFFF_FFFF_FFFFL);
                    break;
                case 3: // XFR
                    if (size < 32)
                    {
                        error = new(off, "f-stream transfer record shorter than 32 bytes");
                        return false;
                    }

                    visitor.OnFileTransfer(header, id, ReadTransfer(r[8..]));
                    break;
                case 4: // DSC
                    visitor.OnFileDisconnect(header, id);
                    break;
                default:
                    visitor.OnFileUnknown(header, type);
                    break;
            }

            off += size;
        }

        error = default;
        return true;
    }

    private static bool WalkGStream<TVisitor>(ReadOnlySpan<byte> p, in XrdMonHeader header, ref TVisitor visitor, out XrdMonDecodeError error)
        where TVisitor : IXrdMonVisitor
    {
        if (p.Length < 24)
        {
            error = new(XrdMonHeader.Size, "g-stream packet shorter than header + 16-byte extension");
            return false;
        }

        ulong ident = BinaryPrimitives.ReadUInt64BigEndian(p[16..]);
        visitor.OnGStream(header, BinaryPrimitives.ReadInt32BigEndian(p[8..]), BinaryPrimitives.ReadInt32BigEndian(p[12..]),
            (byte)(ident >> 56), (long)(ident & 0xFFFF_FFFF_FFFFUL), TrimNul(p[24..]));
        error = default;
        return true;
    }

    private static ulong Scale(uint total, byte shift) => shift < 32 ? (ulong)total << shift : ulong.MaxValue;

    private static long ReadSid(ReadOnlySpan<byte> six) =>
        ((long)BinaryPrimitives.ReadUInt16BigEndian(six) << 32) | BinaryPrimitives.ReadUInt32BigEndian(six[2..]);

    private static XrdMonTransfer ReadTransfer(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadInt64BigEndian(b),
        BinaryPrimitives.ReadInt64BigEndian(b[8..]),
        BinaryPrimitives.ReadInt64BigEndian(b[16..]));

    private static XrdMonOps ReadOps(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadInt32BigEndian(b),
        BinaryPrimitives.ReadInt32BigEndian(b[4..]),
        BinaryPrimitives.ReadInt32BigEndian(b[8..]),
        BinaryPrimitives.ReadInt16BigEndian(b[12..]),
        BinaryPrimitives.ReadInt16BigEndian(b[14..]),
        BinaryPrimitives.ReadInt64BigEndian(b[16..]),
        BinaryPrimitives.ReadInt32BigEndian(b[24..]),
        BinaryPrimitives.ReadInt32BigEndian(b[28..]),
        BinaryPrimitives.ReadInt32BigEndian(b[32..]),
        BinaryPrimitives.ReadInt32BigEndian(b[36..]),
        BinaryPrimitives.ReadInt32BigEndian(b[40..]),
        BinaryPrimitives.ReadInt32BigEndian(b[44..]));

    private static XrdMonSsq ReadSsq(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadDoubleBigEndian(b),
        BinaryPrimitives.ReadDoubleBigEndian(b[8..]),
        BinaryPrimitives.ReadDoubleBigEndian(b[16..]),
        BinaryPrimitives.ReadDoubleBigEndian(b[24..]));

    /// <summary>Index of the ':' that ends the host in <c>host:path</c> (skipping a bracketed IPv6 host), or -1.</summary>
    private static int HostEnd(ReadOnlySpan<byte> text)
    {
        int start = 0;
        if (text.Length > 0 && text[0] == (byte)'[')
        {
            int close = text.IndexOf((byte)']');
            start = close < 0 ? 0 : close;
        }

        int colon = text[start..].IndexOf((byte)':');
        return colon < 0 ? -1 : start + colon;
    }

    private static ReadOnlySpan<byte> TrimNul(ReadOnlySpan<byte> text)
    {
        int end = text.Length;
        while (end > 0 && text[end - 1] == 0)
        {
            end--;
        }

        // Embedded NULs end the text (LFN padding, appid padding).
        int nul = text[..end].IndexOf((byte)0);
        return nul < 0 ? text[..end] : text[..nul];
    }
}
