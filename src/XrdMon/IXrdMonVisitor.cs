using Toolkit.XrdMon;

namespace Toolkit.XrdMon;

/// <summary>
/// Receives the records of one monitoring datagram from <see cref="XrdMonRecords.Dispatch"/>, one call per record in
/// wire order, as the generated readers of <c>schemas/structs/xrdmon/xrdmon.structs</c>. Readers are views over the datagram
/// and valid only during the call.
/// </summary>
public interface IXrdMonVisitor
{
    /// <summary>Server identification (<c>=</c>).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="packet">The packet.</param>
    void OnServerIdent(HeaderReader header, ServerIdentPacketReader packet);

    /// <summary>Path dictid (<c>d</c>).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="packet">The packet.</param>
    void OnPath(HeaderReader header, PathPacketReader packet);

    /// <summary>Client info dictid (<c>i</c>).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="packet">The packet.</param>
    void OnInfo(HeaderReader header, InfoPacketReader packet);

    /// <summary>User login (<c>u</c>).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="packet">The packet.</param>
    void OnUserLogin(HeaderReader header, UserLoginPacketReader packet);

    /// <summary>User experiment/activity (<c>U</c>).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="packet">The packet.</param>
    void OnUserActivity(HeaderReader header, UserActivityPacketReader packet);

    /// <summary>FRM purge (<c>p</c>).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="packet">The packet.</param>
    void OnPurge(HeaderReader header, PurgePacketReader packet);

    /// <summary>FRM transfer (<c>x</c>).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="packet">The packet.</param>
    void OnTransfer(HeaderReader header, TransferPacketReader packet);

    /// <summary>t-stream read or write entry.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnTraceIo(HeaderReader header, TraceReadWriteReader entry);

    /// <summary>t-stream open entry.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnTraceOpen(HeaderReader header, TraceOpenReader entry);

    /// <summary>t-stream vector read (0x90 readv, not unwound; 0x91 readu, unwound).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="unwound">True for readu (0x91).</param>
    /// <param name="sequence">Readv sequence number.</param>
    /// <param name="segments">Segment count.</param>
    /// <param name="length">Total bytes.</param>
    /// <param name="dictid">File dictid.</param>
    void OnTraceReadv(HeaderReader header, bool unwound, byte sequence, ushort segments, int length, uint dictid);

    /// <summary>t-stream appid entry.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnTraceAppId(HeaderReader header, TraceAppIdReader entry);

    /// <summary>t-stream close entry.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnTraceClose(HeaderReader header, TraceCloseReader entry);

    /// <summary>t-stream disconnect entry.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnTraceDisconnect(HeaderReader header, TraceDisconnectReader entry);

    /// <summary>t-stream window mark.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnTraceWindow(HeaderReader header, TraceWindowReader entry);

    /// <summary>t-stream entry of an unknown type.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnTraceUnknown(HeaderReader header, TraceUnknownReader entry);

    /// <summary>r-stream server-id word.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="server">The word.</param>
    void OnRedirectServer(HeaderReader header, RedirectServerIdReader server);

    /// <summary>r-stream window mark.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnRedirectWindow(HeaderReader header, RedirectWindowReader entry);

    /// <summary>r-stream redirect.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnRedirect(HeaderReader header, RedirectRecordReader entry);

    /// <summary>r-stream entry of an unknown type (the rest of the packet).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="entry">The entry.</param>
    void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry);

    /// <summary>f-stream TOD record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="record">The record.</param>
    void OnFileTod(HeaderReader header, FstatTodReader record);

    /// <summary>f-stream OPN record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="record">The record.</param>
    void OnFileOpen(HeaderReader header, FstatOpenReader record);

    /// <summary>f-stream CLS record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="record">The record.</param>
    void OnFileClose(HeaderReader header, FstatCloseReader record);

    /// <summary>f-stream XFR record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="record">The record.</param>
    void OnFileTransfer(HeaderReader header, FstatXfrReader record);

    /// <summary>f-stream DSC record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="record">The record.</param>
    void OnFileDisconnect(HeaderReader header, FstatDisconnectReader record);

    /// <summary>f-stream record of an unknown type.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="record">The record.</param>
    void OnFileUnknown(HeaderReader header, FstatUnknownReader record);

    /// <summary>g-stream packet.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="packet">The packet.</param>
    void OnGStream(HeaderReader header, GStreamPacketReader packet);
}
