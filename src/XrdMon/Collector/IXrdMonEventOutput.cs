using System;

namespace Toolkit.XrdMon.Collector;

/// <summary>
/// Where the collector's resolved events and summaries go: <see cref="XrdMonEventWriter"/> (JSON lines). An internal
/// seam so that the tests can plug in the frozen writer it replaced (tests/Toolkit.XrdMon.Tests/Legacy) and compare
/// bytes; one implementation in production, so the calls are devirtualised by the JIT.
/// </summary>
internal interface IXrdMonEventOutput : IDisposable
{
    /// <summary>Writes buffered lines to the stream and flushes it.</summary>
    void Flush();

    /// <summary>A server's first identification.</summary>
    void ServerIdent(XrdMonServer server, int time);

    /// <summary>A user login (<c>u</c>).</summary>
    void UserLogin(XrdMonServer server, int time, uint dictid, XrdMonUser user);

    /// <summary>Client-supplied info (<c>i</c>).</summary>
    void Info(XrdMonServer server, int time, uint dictid, UserIdText id, ReadOnlySpan<byte> info);

    /// <summary>A user's experiment and activity codes (<c>U</c>).</summary>
    void UserActivity(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, long? experiment, long? activity);

    /// <summary>An FRM purge (<c>purge</c>) or transfer (<c>frm_transfer</c>).</summary>
    void Frm(string kind, XrdMonServer server, int time, UserIdText id, ReadOnlySpan<byte> lfn, ReadOnlySpan<byte> details);

    /// <summary>A t-stream read or write.</summary>
    void TraceIo(XrdMonServer server, int time, bool write, uint dictid, XrdMonPath? path, long offset, long length);

    /// <summary>A t-stream vector read (<c>readv</c> or <c>readu</c>).</summary>
    void TraceReadv(XrdMonServer server, int time, bool unwound, uint dictid, XrdMonPath? path, ushort segments, int length);

    /// <summary>A t-stream open.</summary>
    void TraceOpen(XrdMonServer server, int time, uint dictid, XrdMonPath? path, ulong fileSize);

    /// <summary>A t-stream close.</summary>
    void TraceClose(XrdMonServer server, int time, uint dictid, XrdMonPath? path, ulong readBytes, ulong writeBytes);

    /// <summary>A session end.</summary>
    void Disconnect(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, bool? forced, uint? duration);

    /// <summary>A t-stream application id.</summary>
    void AppId(XrdMonServer server, int time, ReadOnlySpan<byte> appId);

    /// <summary>An r-stream redirect.</summary>
    void Redirect(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, RedirectRecordReader entry);

    /// <summary>An f-stream open.</summary>
    void FileOpen(XrdMonServer server, int time, uint fileId, XrdMonAccess access);

    /// <summary>An f-stream close as a <c>file_close</c> event or as a <c>summary</c>.</summary>
    void FileClose(string kind, XrdMonServer server, int time, uint fileId, XrdMonAccess? access, FstatCloseReader record);

    /// <summary>An f-stream transfer progress record.</summary>
    void FileTransfer(XrdMonServer server, int time, uint fileId, XrdMonAccess? access, FstatTransferReader transfer);

    /// <summary>A g-stream packet.</summary>
    void GStream(XrdMonServer server, byte provider, int time, ReadOnlySpan<byte> text);
}
