using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace Toolkit.XrdMon.Tests;

/// <summary>Builds XrdXrootdMon datagrams by the layouts of the spec (header, map, t, f, g) for collector tests.</summary>
internal static class Packets
{
    public const long Sid = 0x0000_1234_5678_9ABC;

    public static byte[] Header(char code, int pseq, int stod, int bodyLength)
    {
        var d = new byte[8 + bodyLength];
        d[0] = (byte)code;
        d[1] = (byte)pseq;
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(2), (ushort)d.Length);
        BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(4), stod);
        return d;
    }

    public static string UserId(string user, int pid = 4242, string host = "client.example.org", string prot = "xroot") =>
        $"{prot}/{user}.{pid}:{Sid}@{host}";

    /// <summary>A map packet (<c>= d i u U p x</c>): dictid + userid [+ newline + payload].</summary>
    public static byte[] Map(char code, int pseq, int stod, uint dictid, string userId, string? payload = null)
    {
        byte[] text = Encoding.UTF8.GetBytes(payload is null ? userId : userId + "\n" + payload);
        byte[] d = Header(code, pseq, stod, 4 + text.Length);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(8), dictid);
        text.CopyTo(d, 12);
        return d;
    }

    public static byte[] Ident(int pseq, int stod, string site = "TEST_SITE", int port = 1094) =>
        Map('=', pseq, stod, 0, $"=/xrootd.777:{Sid}@server.example.org", $"&site={site}&port={port}&inst=anon&pgm=xrootd&ver=v5.5.3");

    public static byte[] Login(int pseq, int stod, uint dictid, string user, string host = "client.example.org") =>
        Map('u', pseq, stod, dictid, UserId(user, host: host), "&p=gsi&n=" + user + "&h=" + host + "&o=&r=&g=&m=");

    public static byte[] PathMap(int pseq, int stod, uint dictid, string user, string path) => Map('d', pseq, stod, dictid, UserId(user), path);

    /// <summary>A t-stream packet: window mark, the entries, window mark.</summary>
    public static byte[] Trace(int pseq, int stod, int start, params byte[][] entries)
    {
        var all = new List<byte[]> { Window(start, start) };
        all.AddRange(entries);
        all.Add(Window(start + 1, start + 1));
        byte[] d = Header('t', pseq, stod, 16 * all.Count);
        for (int i = 0; i < all.Count; i++)
        {
            all[i].CopyTo(d, 8 + (16 * i));
        }

        return d;
    }

    public static byte[] Window(int previousEnd, int nextStart)
    {
        var e = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(e, Sid);
        e[0] = 0xE0;
        BinaryPrimitives.WriteInt32BigEndian(e.AsSpan(8), previousEnd);
        BinaryPrimitives.WriteInt32BigEndian(e.AsSpan(12), nextStart);
        return e;
    }

    public static byte[] Read(uint dictid, long offset, int length)
    {
        var e = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(e, offset);
        BinaryPrimitives.WriteInt32BigEndian(e.AsSpan(8), length);
        BinaryPrimitives.WriteUInt32BigEndian(e.AsSpan(12), dictid);
        return e;
    }

    public static byte[] TraceClose(uint dictid, uint readTotal, uint writeTotal)
    {
        var e = new byte[16];
        e[0] = 0xC0;
        BinaryPrimitives.WriteUInt32BigEndian(e.AsSpan(4), readTotal);
        BinaryPrimitives.WriteUInt32BigEndian(e.AsSpan(8), writeTotal);
        BinaryPrimitives.WriteUInt32BigEndian(e.AsSpan(12), dictid);
        return e;
    }

    public static byte[] Disconnect(uint userDictid, bool forced, int seconds)
    {
        var e = new byte[16];
        e[0] = 0xD0;
        e[1] = (byte)(forced ? 1 : 0);
        BinaryPrimitives.WriteInt32BigEndian(e.AsSpan(8), seconds);
        BinaryPrimitives.WriteUInt32BigEndian(e.AsSpan(12), userDictid);
        return e;
    }

    /// <summary>An f-stream packet: TOD record then the records.</summary>
    public static byte[] Fstat(int pseq, int stod, int begin, int end, params byte[][] records)
    {
        int length = 24;
        foreach (byte[] r in records)
        {
            length += r.Length;
        }

        byte[] d = Header('f', pseq, stod, length);
        Span<byte> tod = d.AsSpan(8, 24);
        tod[0] = 2;
        tod[1] = 1;
        BinaryPrimitives.WriteInt16BigEndian(tod[2..], 24);
        BinaryPrimitives.WriteInt16BigEndian(tod[6..], (short)records.Length);
        BinaryPrimitives.WriteInt32BigEndian(tod[8..], begin);
        BinaryPrimitives.WriteInt32BigEndian(tod[12..], end);
        BinaryPrimitives.WriteInt64BigEndian(tod[16..], Sid);
        int at = 32;
        foreach (byte[] r in records)
        {
            r.CopyTo(d, at);
            at += r.Length;
        }

        return d;
    }

    public static byte[] Open(uint fileId, long size, bool readWrite, uint userDictid, string lfn)
    {
        byte[] name = Encoding.UTF8.GetBytes(lfn);
        int length = (20 + name.Length + 1 + 3) & ~3;
        var r = new byte[length];
        r[0] = 1;
        r[1] = (byte)(1 | (readWrite ? 2 : 0));
        BinaryPrimitives.WriteInt16BigEndian(r.AsSpan(2), (short)length);
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(4), fileId);
        BinaryPrimitives.WriteInt64BigEndian(r.AsSpan(8), size);
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(16), userDictid);
        name.CopyTo(r, 20);
        return r;
    }

    public static byte[] Close(uint fileId, long read, long readv, long write, bool forced = false)
    {
        var r = new byte[32];
        r[0] = 0;
        r[1] = (byte)(forced ? 1 : 0);
        BinaryPrimitives.WriteInt16BigEndian(r.AsSpan(2), 32);
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(4), fileId);
        BinaryPrimitives.WriteInt64BigEndian(r.AsSpan(8), read);
        BinaryPrimitives.WriteInt64BigEndian(r.AsSpan(16), readv);
        BinaryPrimitives.WriteInt64BigEndian(r.AsSpan(24), write);
        return r;
    }

    /// <summary>A close record with its OPS block (80 bytes): call counts, readv segment counts and the size extremes.</summary>
    public static byte[] CloseWithOps(uint fileId, long read, long readv, long write, int reads, int readvs, int writes, short rsMin, short rsMax, long rsegs)
    {
        var r = new byte[80];
        Close(fileId, read, readv, write).CopyTo(r, 0);
        r[1] = 2;
        BinaryPrimitives.WriteInt16BigEndian(r.AsSpan(2), 80);
        BinaryPrimitives.WriteInt32BigEndian(r.AsSpan(32), reads);
        BinaryPrimitives.WriteInt32BigEndian(r.AsSpan(36), readvs);
        BinaryPrimitives.WriteInt32BigEndian(r.AsSpan(40), writes);
        BinaryPrimitives.WriteInt16BigEndian(r.AsSpan(44), rsMin);
        BinaryPrimitives.WriteInt16BigEndian(r.AsSpan(46), rsMax);
        BinaryPrimitives.WriteInt64BigEndian(r.AsSpan(48), rsegs);
        return r;
    }

    public static byte[] FileDisconnect(uint userDictid)
    {
        var r = new byte[8];
        r[0] = 4;
        BinaryPrimitives.WriteInt16BigEndian(r.AsSpan(2), 8);
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(4), userDictid);
        return r;
    }

    /// <summary>A g-stream packet of one provider (its text, NUL-terminated).</summary>
    public static byte[] GStream(int pseq, int stod, char provider, string text, int begin = 1000, int end = 1001)
    {
        byte[] body = Encoding.UTF8.GetBytes(text);
        byte[] d = Header('g', pseq, stod, 16 + body.Length + 1);
        BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(8), begin);
        BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(12), end);
        BinaryPrimitives.WriteUInt64BigEndian(d.AsSpan(16), ((ulong)provider << 56) | (ulong)Sid);
        body.CopyTo(d, 24);
        return d;
    }
}
