using System;
using Toolkit.XrdMon;

namespace Toolkit.XrdMon.Collector;

public sealed partial class XrdMonCollector
{
    /// <summary>
    /// A struct in front of the <see cref="Visitor"/> class: <see cref="XrdMonRecords.Dispatch{TVisitor}"/> is then
    /// specialised for it and every record callback is a direct call instead of a shared-generic interface dispatch.
    /// </summary>
    private readonly struct VisitorRef(Visitor visitor) : IXrdMonVisitor
    {
        public void OnServerIdent(HeaderReader header, ServerIdentPacketReader packet) => visitor.OnServerIdent(header, packet);

        public void OnPath(HeaderReader header, PathPacketReader packet) => visitor.OnPath(header, packet);

        public void OnInfo(HeaderReader header, InfoPacketReader packet) => visitor.OnInfo(header, packet);

        public void OnUserLogin(HeaderReader header, UserLoginPacketReader packet) => visitor.OnUserLogin(header, packet);

        public void OnUserActivity(HeaderReader header, UserActivityPacketReader packet) => visitor.OnUserActivity(header, packet);

        public void OnPurge(HeaderReader header, PurgePacketReader packet) => visitor.OnPurge(header, packet);

        public void OnTransfer(HeaderReader header, TransferPacketReader packet) => visitor.OnTransfer(header, packet);

        public void OnTraceIo(HeaderReader header, TraceReadWriteReader entry) => visitor.OnTraceIo(header, entry);

        public void OnTraceOpen(HeaderReader header, TraceOpenReader entry) => visitor.OnTraceOpen(header, entry);

        public void OnTraceReadv(HeaderReader header, bool unwound, byte sequence, ushort segments, int length, uint dictid) => visitor.OnTraceReadv(header, unwound, sequence, segments, length, dictid);

        public void OnTraceAppId(HeaderReader header, TraceAppIdReader entry) => visitor.OnTraceAppId(header, entry);

        public void OnTraceClose(HeaderReader header, TraceCloseReader entry) => visitor.OnTraceClose(header, entry);

        public void OnTraceDisconnect(HeaderReader header, TraceDisconnectReader entry) => visitor.OnTraceDisconnect(header, entry);

        public void OnTraceWindow(HeaderReader header, TraceWindowReader entry) => visitor.OnTraceWindow(header, entry);

        public void OnTraceUnknown(HeaderReader header, TraceUnknownReader entry) => visitor.OnTraceUnknown(header, entry);

        public void OnRedirectServer(HeaderReader header, RedirectServerIdReader server) => visitor.OnRedirectServer(header, server);

        public void OnRedirectWindow(HeaderReader header, RedirectWindowReader entry) => visitor.OnRedirectWindow(header, entry);

        public void OnRedirect(HeaderReader header, RedirectRecordReader entry) => visitor.OnRedirect(header, entry);

        public void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry) => visitor.OnRedirectUnknown(header, entry);

        public void OnFileTod(HeaderReader header, FstatTodReader record) => visitor.OnFileTod(header, record);

        public void OnFileOpen(HeaderReader header, FstatOpenReader record) => visitor.OnFileOpen(header, record);

        public void OnFileClose(HeaderReader header, FstatCloseReader record) => visitor.OnFileClose(header, record);

        public void OnFileTransfer(HeaderReader header, FstatXfrReader record) => visitor.OnFileTransfer(header, record);

        public void OnFileDisconnect(HeaderReader header, FstatDisconnectReader record) => visitor.OnFileDisconnect(header, record);

        public void OnFileUnknown(HeaderReader header, FstatUnknownReader record) => visitor.OnFileUnknown(header, record);

        public void OnGStream(HeaderReader header, GStreamPacketReader packet) => visitor.OnGStream(header, packet);
    }
}
