using System;
using System.Buffers.Text;
using System.IO;
using System.Text;
using System.Text.Json;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon;

/// <summary>
/// Writes the records of XRootD monitoring datagrams as JSON lines (one object per record), following the contract
/// in <c>docs/xrdmon-json.md</c>. UTF-8 is written straight into one reused buffer: property names and kinds are
/// pre-encoded, the header properties shared by every record of a datagram are encoded once per datagram, numbers
/// are formatted in place. No reflection, AOT-safe, and no allocation per record for valid UTF-8 text.
/// </summary>
public sealed partial class XrdMonJsonWriter : IXrdMonVisitor, IDisposable
{
    /// <summary>The quoted JSON string of each packet code byte (as <see cref="JsonEncodedText"/> encodes it).</summary>
    private static readonly byte[][] CodeJson = BuildCodes();

    /// <summary>The quoted-free name of each r-stream operation nibble.</summary>
    private static readonly byte[][] OperationNames = BuildOperations();

    private readonly Utf8LineBuffer _out;
    private readonly byte[] _prefix = new byte[128];
    private int _prefixLength;
    private long _packet;

    /// <summary>Creates a writer.</summary>
    /// <param name="output">Where the JSON lines go.</param>
    public XrdMonJsonWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _out = new Utf8LineBuffer(output);
    }

    /// <summary>Records written so far (error objects included).</summary>
    public long Records => _out.Lines;

    /// <summary>Error objects written so far.</summary>
    public long Errors { get; private set; }

    /// <summary>
    /// Datagrams longer than their header's <c>plen</c>: their records are read up to <c>plen</c> and the bytes after
    /// it are ignored (XRootD sends exactly <c>plen</c> bytes, so this is damage or a hostile sender), counted here.
    /// </summary>
    public long LongerThanPlen { get; private set; }

    /// <summary>Decodes one datagram and writes its records, or an error object when it does not decode.</summary>
    /// <param name="packetIndex">0-based index of the datagram in its file (the <c>packet</c> field).</param>
    /// <param name="datagram">The datagram bytes.</param>
    /// <returns>True when the datagram decoded completely.</returns>
    public bool WriteDatagram(long packetIndex, ReadOnlySpan<byte> datagram)
    {
        _packet = packetIndex;
        _prefixLength = 0;
        if (datagram.Length > 8 && HeaderReader.Read(datagram).Plen is var plen && plen >= 8 && plen < datagram.Length)
        {
            LongerThanPlen++;
        }

        var self = this;
        if (XrdMonRecords.Dispatch(datagram, ref self, out DecodeError error))
        {
            return true;
        }

        WriteError(packetIndex, datagram, error.Offset, XrdMonRecords.Describe(error));
        return false;
    }

    /// <summary>Writes a <c>kind: error</c> object.</summary>
    /// <param name="packetIndex">Datagram index.</param>
    /// <param name="datagram">The datagram (its header fields are included when present).</param>
    /// <param name="offset">Byte offset of the failure in the datagram.</param>
    /// <param name="reason">Why it failed.</param>
    public void WriteError(long packetIndex, ReadOnlySpan<byte> datagram, long offset, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _out.StartLine("{\"packet\":"u8);
        _out.Number(packetIndex);
        if (datagram.Length >= 8)
        {
            HeaderReader h = HeaderReader.Read(datagram);
            _out.Name("\"code\":"u8);
            _out.Raw(CodeJson[(byte)h.Code]);
            _out.Name("\"pseq\":"u8);
            _out.Number(h.Pseq);
            _out.Name("\"stod\":"u8);
            _out.Number(h.Stod);
        }
        else
        {
            _out.Name("\"code\":"u8);
            _out.Null();
            _out.Name("\"pseq\":"u8);
            _out.Null();
            _out.Name("\"stod\":"u8);
            _out.Null();
        }

        _out.Name("\"kind\":"u8);
        _out.PlainString("error"u8);
        _out.Name("\"offset\":"u8);
        _out.Number(offset);
        _out.Name("\"reason\":"u8);
        _out.StringValue(Encoding.UTF8.GetBytes(reason));
        _out.Name("\"length\":"u8);
        _out.Number(datagram.Length);
        Errors++;
        End();
    }

    /// <summary>Writes buffered lines to the output stream and flushes it.</summary>
    public void Flush() => _out.Flush();

    /// <summary>Flushes (the output stream is not closed).</summary>
    public void Dispose() => _out.Dispose();

    private static byte[][] BuildCodes()
    {
        var codes = new byte[256][];
        for (int i = 0; i < 256; i++)
        {
            JsonEncodedText text = JsonEncodedText.Encode(((char)i).ToString());
            codes[i] = [(byte)'"', .. text.EncodedUtf8Bytes, (byte)'"'];
        }

        return codes;
    }

    private static byte[][] BuildOperations()
    {
        var names = new byte[256][];
        for (int i = 0; i < 256; i++)
        {
            names[i] = Encoding.UTF8.GetBytes(XrdMonNames.RedirectOperation((byte)i));
        }

        return names;
    }

    private void Readv(HeaderReader header, ReadOnlySpan<byte> kind, byte sequence, ushort segments, int length, uint dictid)
    {
        Begin(header, kind);
        _out.Field(",\"dictid\":"u8, dictid);
        _out.Field(",\"readv_seq\":"u8, sequence);
        _out.Field(",\"segments\":"u8, segments);
        _out.Field(",\"length\":"u8, length);
        End();
    }

    private void Map(HeaderReader header, ReadOnlySpan<byte> kind, uint dictid, UserIdText userId)
    {
        Begin(header, kind);
        _out.Field(",\"dictid\":"u8, dictid);
        if (!userId.IsMatch)
        {
            _out.Name("\"userid\":"u8);
            _out.Null();
            Str("\"userid_raw\":"u8, userId.Raw);
            return;
        }

        _out.Name("\"userid\":"u8);
        _out.StartObject();
        Str("\"prot\":"u8, userId.Prot);
        Str("\"user\":"u8, userId.User);
        _out.Field(",\"pid\":"u8, userId.TryGetPid(out long pid) ? pid : -1);
        _out.Field(",\"sid\":"u8, userId.TryGetSid(out long sid) ? sid : -1);
        Str("\"host\":"u8, userId.Host);
        _out.EndObject();
    }

    /// <summary>Writes a record of a type the contract does not know: its <c>type</c> only.</summary>
    private void Unknown(HeaderReader header, byte type)
    {
        Begin(header, "unknown"u8);
        _out.Field(",\"type\":"u8, type);
        End();
    }

    /// <summary>Writes a record's CGI <paramref name="payload"/> as the <c>payload</c> object when it is <paramref name="present"/>.</summary>
    private void Payload(bool present, ReadOnlySpan<byte> payload, byte code)
    {
        if (present)
        {
            _out.Name("\"payload\":"u8);
            Cgi(payload, code);
        }
    }

    /// <summary>Starts a record's line: the datagram's header properties (encoded once per datagram) and the kind.</summary>
    private void Begin(HeaderReader header, ReadOnlySpan<byte> kind)
    {
        if (_prefixLength == 0)
        {
            BuildPrefix(header);
        }

        _out.StartLine(_prefix.AsSpan(0, _prefixLength), kind);
    }

    private void BuildPrefix(HeaderReader header)
    {
        Span<byte> p = _prefix;
        int n = Append(p, 0, "{\"packet\":"u8);
        Utf8Formatter.TryFormat(_packet, p[n..], out int w);
        n = Append(p, n + w, ",\"code\":"u8);
        n = Append(p, n, CodeJson[(byte)header.Code]);
        n = Append(p, n, ",\"pseq\":"u8);
        Utf8Formatter.TryFormat(header.Pseq, p[n..], out w);
        n = Append(p, n + w, ",\"stod\":"u8);
        Utf8Formatter.TryFormat(header.Stod, p[n..], out w);
        _prefixLength = Append(p, n + w, ",\"kind\":"u8);
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

    private void End() => _out.EndLine();

    private void Str(ReadOnlySpan<byte> quotedName, ReadOnlySpan<byte> utf8)
    {
        _out.Name(quotedName);
        _out.StringValue(utf8);
    }
}
