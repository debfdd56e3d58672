using Toolkit.XrdMon;

namespace Toolkit.XrdMon.Tests;

/// <summary>A struct visitor that only counts and sums fields, so dispatching allocates nothing.</summary>
internal struct CountingVisitor : IXrdMonVisitor
{
    public long Records;
    public long Sum;

    public void OnServerIdent(HeaderReader header, ServerIdentPacketReader packet) { Records++; Sum += packet.InfoText.Userid.User.Length; }
    public void OnPath(HeaderReader header, PathPacketReader packet) { Records++; Sum += packet.Dictid + packet.InfoText.Path.Length; }
    public void OnInfo(HeaderReader header, InfoPacketReader packet) { Records++; Sum += packet.InfoText.Appinfo.Length; }
    public void OnUserLogin(HeaderReader header, UserLoginPacketReader packet) { Records++; Sum += packet.InfoText.Userid.Host.Length; }
    public void OnUserActivity(HeaderReader header, UserActivityPacketReader packet) { Records++; }
    public void OnPurge(HeaderReader header, PurgePacketReader packet) { Records++; }
    public void OnTransfer(HeaderReader header, TransferPacketReader packet) { Records++; }
    public void OnTraceIo(HeaderReader header, TraceReadWriteReader entry) { Records++; Sum += entry.Length + entry.Offset; }
    public void OnTraceOpen(HeaderReader header, TraceOpenReader entry) { Records++; Sum += (long)entry.FileSize; }
    public void OnTraceReadv(HeaderReader header, bool unwound, byte sequence, ushort segments, int length, uint dictid) { Records++; Sum += length; }
    public void OnTraceAppId(HeaderReader header, TraceAppIdReader entry) { Records++; }
    public void OnTraceClose(HeaderReader header, TraceCloseReader entry) { Records++; Sum += (long)(entry.ReadBytes + entry.WriteBytes); }
    public void OnTraceDisconnect(HeaderReader header, TraceDisconnectReader entry) { Records++; Sum += entry.Duration; }
    public void OnTraceWindow(HeaderReader header, TraceWindowReader entry) { Records++; Sum += entry.NextStart; }
    public void OnTraceUnknown(HeaderReader header, TraceUnknownReader entry) { Records++; }
    public void OnRedirectServer(HeaderReader header, RedirectServerIdReader server) { Records++; Sum += (long)server.Sid; }
    public void OnRedirectWindow(HeaderReader header, RedirectWindowReader entry) { Records++; Sum += entry.Time; }
    public void OnRedirect(HeaderReader header, RedirectRecordReader entry) { Records++; Sum += entry.TargetText.Path.Length + entry.Port; }
    public void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry) { Records++; }
    public void OnFileTod(HeaderReader header, FstatTodReader record) { Records++; Sum += record.TotalCount; }
    public void OnFileOpen(HeaderReader header, FstatOpenReader record) { Records++; Sum += record.FileSize + (record.HasLfn ? record.Lfn.Lfn.Length : 0); }
    public void OnFileClose(HeaderReader header, FstatCloseReader record) { Records++; Sum += record.Xfr.ReadBytes + record.Xfr.WriteBytes + (record.HasOps ? record.Ops.Reads : 0); }
    public void OnFileTransfer(HeaderReader header, FstatXfrReader record) { Records++; Sum += record.Xfr.ReadBytes; }
    public void OnFileDisconnect(HeaderReader header, FstatDisconnectReader record) { Records++; Sum += record.UserDictid; }
    public void OnFileUnknown(HeaderReader header, FstatUnknownReader record) { Records++; }
    public void OnGStream(HeaderReader header, GStreamPacketReader packet) { Records++; Sum += packet.Body.Length; }
}
