using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Toolkit.Bench.XrdMon;

/// <summary>
/// Benchmark baseline only: the "obvious" decoder of the same records, written the way a first attempt usually is
/// (a <see cref="BinaryReader"/> over a <see cref="MemoryStream"/> per datagram, byte-array reversal for big-endian,
/// a class per record, strings decoded eagerly). It decodes the same fields as the span walker.
/// </summary>
public static class NaiveXrdMonDecoder
{
    public sealed class Record
    {
        public char Code { get; set; }
        public byte Pseq { get; set; }
        public int Stod { get; set; }
        public string Kind { get; set; } = "";
        public long Id { get; set; }
        public long A { get; set; }
        public long B { get; set; }
        public long C { get; set; }
        public string? Text { get; set; }
        public string? Text2 { get; set; }
        public Dictionary<string, string>? Cgi { get; set; }
    }

    public static List<Record> Decode(byte[] datagram)
    {
        var records = new List<Record>();
        using var ms = new MemoryStream(datagram);
        using var br = new BinaryReader(ms);
        char code = (char)br.ReadByte();
        byte pseq = br.ReadByte();
        int plen = ReadU16(br);
        int stod = ReadI32(br);
        if (plen > datagram.Length || plen < 8)
        {
            throw new InvalidDataException("bad plen");
        }

        Record New(string kind) => new() { Code = code, Pseq = pseq, Stod = stod, Kind = kind };
        switch (code)
        {
            case '=' or 'd' or 'i' or 'p' or 'u' or 'U' or 'x':
            {
                var r = New("map");
                r.Id = ReadU32(br);
                string info = Encoding.UTF8.GetString(br.ReadBytes(plen - 12));
                string[] parts = info.Split('\n', 2);
                r.Text = parts[0];
                if (parts.Length > 1)
                {
                    r.Text2 = parts[1].TrimEnd('\0');
                    if (code is '=' or 'u' or 'U')
                    {
                        r.Cgi = new Dictionary<string, string>();
                        foreach (string kv in r.Text2.Split('&', StringSplitOptions.RemoveEmptyEntries))
                        {
                            string[] p = kv.Split('=', 2);
                            r.Cgi[p[0]] = p.Length > 1 ? p[1] : "";
                        }
                    }
                }

                records.Add(r);
                break;
            }

            case 't':
                while (ms.Position + 16 <= plen)
                {
                    byte[] e = br.ReadBytes(16);
                    byte type = e[0];
                    long arg0 = BitConverter.ToInt64(Reverse(e, 0, 8));
                    int arg1 = BitConverter.ToInt32(Reverse(e, 8, 4));
                    uint arg2 = BitConverter.ToUInt32(Reverse(e, 12, 4));
                    Record r;
                    if (type < 0x80)
                    {
                        r = New(arg1 < 0 ? "write" : "read");
                        r.A = arg0;
                        r.B = Math.Abs((long)arg1);
                    }
                    else
                    {
                        r = type switch
                        {
                            0x80 => New("open"),
                            0x90 => New("readv"),
                            0x91 => New("readu"),
                            0xA0 => New("appid"),
                            0xC0 => New("close"),
                            0xD0 => New("disc"),
                            0xE0 => New("window"),
                            _ => New("unknown"),
                        };
                        switch (type)
                        {
                            case 0x80:
                                r.A = arg0 & 0x00FFFFFFFFFFFFFF;
                                break;
                            case 0xC0:
                                r.A = (long)BitConverter.ToUInt32(Reverse(e, 4, 4)) << e[1];
                                r.B = (long)(uint)arg1 << e[2];
                                break;
                            case 0xA0:
                                r.Text = Encoding.ASCII.GetString(e, 4, 12).TrimEnd('\0');
                                break;
                            default:
                                r.A = arg0;
                                r.B = arg1;
                                break;
                        }
                    }

                    r.Id = arg2;
                    records.Add(r);
                }

                break;
            case 'r':
            {
                var s = New("server");
                s.Id = ReadI64(br) & 0xFFFFFFFFFFFF;
                records.Add(s);
                while (ms.Position + 8 <= plen)
                {
                    byte b0 = br.ReadByte();
                    if (b0 >> 4 == 0)
                    {
                        var r = New("window");
                        r.A = (br.ReadByte() << 16) | ReadU16(br);
                        r.B = ReadI32(br);
                        records.Add(r);
                    }
                    else
                    {
                        var r = New("redirect");
                        int dent = br.ReadByte();
                        r.A = b0 & 0xF;
                        r.B = ReadU16(br);
                        r.Id = ReadU32(br);
                        string text = Encoding.UTF8.GetString(br.ReadBytes(dent * 8)).TrimEnd('\0');
                        int colon = text.IndexOf(':', StringComparison.Ordinal);
                        r.Text = colon < 0 ? "" : text[..colon];
                        r.Text2 = colon < 0 ? text : text[(colon + 1)..];
                        records.Add(r);
                    }
                }

                break;
            }

            case 'f':
                while (ms.Position + 8 <= plen)
                {
                    long start = ms.Position;
                    byte type = br.ReadByte();
                    byte flags = br.ReadByte();
                    int size = ReadI16(br);
                    if (size < 8)
                    {
                        throw new InvalidDataException("recSize");
                    }

                    var r = New(type switch { 0 => "close", 1 => "open", 2 => "tod", 3 => "xfr", 4 => "disc", _ => "unknown" });
                    r.Id = ReadU32(br);
                    if (type is 0 or 3)
                    {
                        r.A = ReadI64(br);
                        r.B = ReadI64(br);
                        r.C = ReadI64(br);
                        if (type == 0 && (flags & 0x02) != 0)
                        {
                            var ops = new long[12];
                            for (int i = 0; i < 3; i++)
                            {
                                ops[i] = ReadI32(br);
                            }

                            ops[3] = ReadI16(br);
                            ops[4] = ReadI16(br);
                            ops[5] = ReadI64(br);
                            for (int i = 6; i < 12; i++)
                            {
                                ops[i] = ReadI32(br);
                            }

                            r.Text = string.Join(',', ops);
                        }

                        if (type == 0 && (flags & 0x04) != 0)
                        {
                            double sum = 0;
                            for (int i = 0; i < 4; i++)
                            {
                                sum += BitConverter.ToDouble(Reverse(br.ReadBytes(8), 0, 8));
                            }

                            r.C += (long)sum & 1;
                        }
                    }
                    else if (type == 1)
                    {
                        r.A = ReadI64(br);
                        if ((flags & 0x01) != 0)
                        {
                            r.B = ReadU32(br);
                            r.Text = Encoding.UTF8.GetString(br.ReadBytes(size - 20)).TrimEnd('\0');
                        }
                    }
                    else if (type == 2)
                    {
                        r.A = ReadI32(br);
                        r.B = ReadI32(br);
                        r.C = ReadI64(br);
                    }

                    records.Add(r);
                    ms.Position = start + size;
                }

                break;
            case 'g':
            {
                var r = New("gstream");
                r.A = ReadI32(br);
                r.B = ReadI32(br);
                r.Id = ReadI64(br);
                r.Text = Encoding.UTF8.GetString(br.ReadBytes(plen - 24)).TrimEnd('\0');
                r.Text2 = string.Join('|', r.Text.Split('\n'));
                records.Add(r);
                break;
            }

            default:
                throw new InvalidDataException("unknown code");
        }

        return records;
    }

    private static byte[] Reverse(byte[] src, int offset, int count)
    {
        var b = new byte[count];
        Array.Copy(src, offset, b, 0, count);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(b);
        }

        return b;
    }

    private static int ReadU16(BinaryReader br) => BitConverter.ToUInt16(Reverse(br.ReadBytes(2), 0, 2));

    private static int ReadI16(BinaryReader br) => BitConverter.ToInt16(Reverse(br.ReadBytes(2), 0, 2));

    private static int ReadI32(BinaryReader br) => BitConverter.ToInt32(Reverse(br.ReadBytes(4), 0, 4));

    private static uint ReadU32(BinaryReader br) => BitConverter.ToUInt32(Reverse(br.ReadBytes(4), 0, 4));

    private static long ReadI64(BinaryReader br) => BitConverter.ToInt64(Reverse(br.ReadBytes(8), 0, 8));
}
