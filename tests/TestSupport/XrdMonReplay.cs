using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Toolkit.TestSupport;

/// <summary>
/// Replays real captures as many synthetic servers: server <c>s</c> plays capture <c>s mod n</c> in a loop with its
/// own <c>stod</c> and its own consecutive sequence counters (per destination, f-stream, one per g-stream provider,
/// as spec §2.1), and every loop shifts all dictids by a fresh offset (dictid churn: the old ids are never seen
/// again). Every <see cref="RestartEvery"/> loops the server restarts (new stod, counters from the start). Servers
/// take turns datagram by datagram. Used by the soak tests and the benchmarks.
/// </summary>
public sealed class XrdMonReplay
{
    private readonly byte[][][] _captures;
    private readonly Server[] _servers;
    private int _turn;

    public XrdMonReplay(byte[][][] captures, int servers, int stodBase = 1_700_000_000)
    {
        _captures = captures;
        _servers = new Server[servers];
        for (int i = 0; i < servers; i++)
        {
            _servers[i] = new Server { Capture = i % captures.Length, Stod = stodBase + (i * 10_000), DictidOffset = (uint)i << 20 };
            _servers[i].Reset();
        }
    }

    /// <summary>Loops of a server's capture between restarts.</summary>
    public int RestartEvery { get; init; } = 8;

    /// <summary>Datagrams produced.</summary>
    public long Produced { get; private set; }

    /// <summary>Writes the next datagram into <paramref name="buffer"/> (at least 64 KiB) and returns its length.</summary>
    public int Next(Span<byte> buffer, out int server)
    {
        server = _turn;
        _turn = _turn + 1 == _servers.Length ? 0 : _turn + 1;
        Server s = _servers[server];
        byte[][] capture = _captures[s.Capture];
        byte[] source = capture[s.Position];
        if (++s.Position == capture.Length)
        {
            s.Position = 0;
            s.DictidOffset += 0x0100_0000;
            if (++s.Loops % RestartEvery == 0)
            {
                s.Stod += 1;
                s.Reset();
            }
        }

        source.CopyTo(buffer);
        Span<byte> d = buffer[..source.Length];
        BinaryPrimitives.WriteInt32BigEndian(d[4..], s.Stod);
        d[1] = d[0] switch
        {
            (byte)'f' => s.FileSeq++,
            (byte)'g' when d.Length > 16 => s.GSeq[d[16]]++,
            _ => s.MainSeq++,
        };
        ShiftDictids(d, s.DictidOffset);
        Produced++;
        return d.Length;
    }

    /// <summary>Adds <paramref name="offset"/> to every non-zero dictid of a well-formed datagram (map, t, r, f records).</summary>
    public static void ShiftDictids(Span<byte> d, uint offset)
    {
        if (d.Length < 8)
        {
            return;
        }

        int plen = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(d[2..]), d.Length);
        switch (d[0])
        {
            case (byte)'d' or (byte)'i' or (byte)'u' or (byte)'U' or (byte)'p' or (byte)'x' when plen >= 12:
                Shift(d.Slice(8, 4), offset);
                break;
            case (byte)'t':
                for (int at = 8; at + 16 <= plen; at += 16)
                {
                    byte type = d[at];
                    if (type < 0x80 || type is 0x80 or 0x90 or 0x91 or 0xC0 or 0xD0)
                    {
                        Shift(d.Slice(at + 12, 4), offset);
                    }
                }

                break;
            case (byte)'r':
                for (int at = 16; at + 8 <= plen;)
                {
                    int kind = d[at] >> 4;
                    if (kind is 8 or 9)
                    {
                        Shift(d.Slice(at + 4, 4), offset);
                        at += 8 * (1 + d[at + 1]);
                    }
                    else if (kind == 0)
                    {
                        at += 8;
                    }
                    else
                    {
                        break;
                    }
                }

                break;
            case (byte)'f':
                for (int at = 8; at + 8 <= plen;)
                {
                    int size = BinaryPrimitives.ReadInt16BigEndian(d[(at + 2)..]);
                    if (size < 8 || at + size > plen)
                    {
                        break;
                    }

                    byte type = d[at];
                    if (type is 0 or 1 or 3 or 4)
                    {
                        Shift(d.Slice(at + 4, 4), offset);
                    }

                    if (type == 1 && (d[at + 1] & 1) != 0 && size >= 20)
                    {
                        Shift(d.Slice(at + 16, 4), offset);
                    }

                    at += size;
                }

                break;
        }
    }

    private static void Shift(Span<byte> field, uint offset)
    {
        uint v = BinaryPrimitives.ReadUInt32BigEndian(field);
        if (v != 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(field, v + offset);
        }
    }

    private sealed class Server
    {
        public int Capture;
        public int Position;
        public int Stod;
        public int Loops;
        public uint DictidOffset;
        public byte MainSeq;
        public byte FileSeq;
        public byte[] GSeq = new byte[256];

        public void Reset()
        {
            MainSeq = 0;
            FileSeq = 0;
            Array.Fill(GSeq, (byte)1);
        }
    }

    /// <summary>Reads the datagrams of capture files (the run1 origin and proxy captures in tests and benchmarks).</summary>
    public static byte[][] ReadCapture(string path)
    {
        var list = new List<byte[]>();
        var r = new Toolkit.Runtime.Capture.CaptureSpanReader(System.IO.File.ReadAllBytes(path));
        while (r.TryRead(out ReadOnlySpan<byte> d))
        {
            list.Add(d.ToArray());
        }

        return list.ToArray();
    }
}
