using System;
using Toolkit.Generated.Monitoring;

namespace Toolkit.Bench.XrdMon;

/// <summary>Counts records and touches every decoded field so the JIT cannot drop the reads.</summary>
internal struct BenchVisitor : IXrdMonVisitor
{
    public long Records;
    public long Sum;

    public void OnMap(in XrdMonHeader header, uint dictid, in XrdMonUserId userId, ReadOnlySpan<byte> payload, bool hasPayload) { Records++; Sum += dictid + userId.User.Length + userId.Host.Length + userId.Pid + payload.Length; }
    public void OnTraceIo(in XrdMonHeader header, bool write, long offset, long length, uint dictid) { Records++; Sum += offset + length + dictid; }
    public void OnTraceReadv(in XrdMonHeader header, bool unwound, byte sequence, ushort segments, int length, uint dictid) { Records++; Sum += length + segments + dictid; }
    public void OnTraceOpen(in XrdMonHeader header, long fileSize, uint dictid) { Records++; Sum += fileSize + dictid; }
    public void OnTraceClose(in XrdMonHeader header, ulong readBytes, ulong writeBytes, uint dictid) { Records++; Sum += (long)(readBytes + writeBytes) + dictid; }
    public void OnTraceDisconnect(in XrdMonHeader header, bool forced, bool boundPath, uint seconds, uint userDictid) { Records++; Sum += seconds + userDictid; }
    public void OnTraceWindow(in XrdMonHeader header, long sid, int previousEnd, int nextStart) { Records++; Sum += sid + previousEnd + nextStart; }
    public void OnTraceAppId(in XrdMonHeader header, ReadOnlySpan<byte> appId) { Records++; Sum += appId.Length; }
    public void OnTraceUnknown(in XrdMonHeader header, byte type) { Records++; }
    public void OnRedirectServer(in XrdMonHeader header, long sid) { Records++; Sum += sid; }
    public void OnRedirectWindow(in XrdMonHeader header, int window, int time) { Records++; Sum += time + window; }
    public void OnRedirect(in XrdMonHeader header, byte operation, bool local, ushort port, uint userDictid, ReadOnlySpan<byte> server, ReadOnlySpan<byte> path) { Records++; Sum += path.Length + server.Length + port + userDictid; }
    public void OnFileTod(in XrdMonHeader header, short xfrCount, short totalCount, int beginTime, int endTime, long sid) { Records++; Sum += totalCount + beginTime + sid; }
    public void OnFileOpen(in XrdMonHeader header, uint fileId, bool readWrite, long fileSize, bool hasLfn, uint userDictid, ReadOnlySpan<byte> lfn) { Records++; Sum += lfn.Length + fileSize + fileId; }
    public void OnFileClose(in XrdMonHeader header, uint fileId, bool forced, in XrdMonTransfer transfer, bool hasOps, in XrdMonOps ops, bool hasSsq, in XrdMonSsq ssq) { Records++; Sum += transfer.Read + transfer.Write + ops.Read + (long)ssq.Read; }
    public void OnFileTransfer(in XrdMonHeader header, uint fileId, in XrdMonTransfer transfer) { Records++; Sum += transfer.Read; }
    public void OnFileDisconnect(in XrdMonHeader header, uint userDictid) { Records++; Sum += userDictid; }
    public void OnFileUnknown(in XrdMonHeader header, byte type) { Records++; }
    public void OnGStream(in XrdMonHeader header, int beginTime, int endTime, byte provider, long sid, ReadOnlySpan<byte> text) { Records++; Sum += text.Length + sid; }
}
