using System;

namespace Toolkit.Generated.Monitoring;

/// <summary>
/// Receives the records of one XRootD monitoring datagram from <see cref="XrdMonDatagram.Walk"/>, one call per
/// record, in wire order. Spans are slices of the datagram and valid only during the call.
/// </summary>
public interface IXrdMonVisitor
{
    /// <summary>A map record (<c>= d i p u U x</c>): dictid, parsed user id and the raw payload after the first newline.</summary>
    /// <param name="header">Packet header (its code says which map record).</param>
    /// <param name="dictid">The dictionary id the record defines (0 for <c>=</c>).</param>
    /// <param name="userId">The parsed user id.</param>
    /// <param name="payload">The text after the first newline (empty when there is none).</param>
    /// <param name="hasPayload">True when the info held a newline.</param>
    void OnMap(in XrdMonHeader header, uint dictid, in XrdMonUserId userId, ReadOnlySpan<byte> payload, bool hasPayload);

    /// <summary>A t-stream read (<paramref name="length"/> &gt; 0) or write (<paramref name="length"/> = bytes written, reported positive) entry.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="write">True for a write.</param>
    /// <param name="offset">File offset.</param>
    /// <param name="length">Bytes read or written.</param>
    /// <param name="dictid">File dictid.</param>
    void OnTraceIo(in XrdMonHeader header, bool write, long offset, long length, uint dictid);

    /// <summary>A t-stream vector read: 0x90 readv (not unwound) or 0x91 readu (the segments follow as reads).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="unwound">True for readu (0x91).</param>
    /// <param name="sequence">The readv sequence number.</param>
    /// <param name="segments">Segment count.</param>
    /// <param name="length">Total bytes requested.</param>
    /// <param name="dictid">File dictid.</param>
    void OnTraceReadv(in XrdMonHeader header, bool unwound, byte sequence, ushort segments, int length, uint dictid);

    /// <summary>A t-stream open entry.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="fileSize">File size at open.</param>
    /// <param name="dictid">File dictid.</param>
    void OnTraceOpen(in XrdMonHeader header, long fileSize, uint dictid);

    /// <summary>A t-stream close entry with the scaled totals turned into byte counts.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="readBytes">Bytes read (read total shifted left by the read shift).</param>
    /// <param name="writeBytes">Bytes written.</param>
    /// <param name="dictid">File dictid.</param>
    void OnTraceClose(in XrdMonHeader header, ulong readBytes, ulong writeBytes, uint dictid);

    /// <summary>A t-stream disconnect entry.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="forced">The session was ended by the server (flag 0x01).</param>
    /// <param name="boundPath">Bound-path flag (0x02).</param>
    /// <param name="seconds">Session duration.</param>
    /// <param name="userDictid">User dictid.</param>
    void OnTraceDisconnect(in XrdMonHeader header, bool forced, bool boundPath, uint seconds, uint userDictid);

    /// <summary>A t-stream window mark.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="sid">Server sid.</param>
    /// <param name="previousEnd">End time of the previous window.</param>
    /// <param name="nextStart">Start time of the next window.</param>
    void OnTraceWindow(in XrdMonHeader header, long sid, int previousEnd, int nextStart);

    /// <summary>A t-stream appid entry (not emitted correctly by 5.5.3 servers).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="appId">Application id text, NULs trimmed.</param>
    void OnTraceAppId(in XrdMonHeader header, ReadOnlySpan<byte> appId);

    /// <summary>A t-stream entry of an unknown type (skipped).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="type">The type byte.</param>
    void OnTraceUnknown(in XrdMonHeader header, byte type);

    /// <summary>The r-stream server-id word.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="sid">Server sid.</param>
    void OnRedirectServer(in XrdMonHeader header, long sid);

    /// <summary>An r-stream window mark.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="window">Window length in seconds.</param>
    /// <param name="time">Unix time of the mark.</param>
    void OnRedirectWindow(in XrdMonHeader header, int window, int time);

    /// <summary>An r-stream redirect.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="operation">Operation code (low nibble).</param>
    /// <param name="local">True for a local redirect (0x9-).</param>
    /// <param name="port">Target port.</param>
    /// <param name="userDictid">User dictid of the redirected client.</param>
    /// <param name="server">Target host (may be empty).</param>
    /// <param name="path">Path.</param>
    void OnRedirect(in XrdMonHeader header, byte operation, bool local, ushort port, uint userDictid, ReadOnlySpan<byte> server, ReadOnlySpan<byte> path);

    /// <summary>An f-stream TOD record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="xfrCount">XFR records in the packet.</param>
    /// <param name="totalCount">All records in the packet, TOD excluded.</param>
    /// <param name="beginTime">Time the first record was added.</param>
    /// <param name="endTime">Send time.</param>
    /// <param name="sid">Server sid (low 48 bits).</param>
    void OnFileTod(in XrdMonHeader header, short xfrCount, short totalCount, int beginTime, int endTime, long sid);

    /// <summary>An f-stream OPN record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="fileId">File dictid.</param>
    /// <param name="readWrite">Opened read-write.</param>
    /// <param name="fileSize">File size at open.</param>
    /// <param name="hasLfn">The record carries user dictid and LFN.</param>
    /// <param name="userDictid">User dictid (0 when absent).</param>
    /// <param name="lfn">Logical file name, NULs trimmed (empty when absent).</param>
    void OnFileOpen(in XrdMonHeader header, uint fileId, bool readWrite, long fileSize, bool hasLfn, uint userDictid, ReadOnlySpan<byte> lfn);

    /// <summary>An f-stream CLS record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="fileId">File dictid.</param>
    /// <param name="forced">Closed because the session ended.</param>
    /// <param name="transfer">Bytes moved.</param>
    /// <param name="hasOps">The OPS block is present.</param>
    /// <param name="ops">The OPS block (default when absent).</param>
    /// <param name="hasSsq">The SSQ block is present.</param>
    /// <param name="ssq">The SSQ block (default when absent).</param>
    void OnFileClose(in XrdMonHeader header, uint fileId, bool forced, in XrdMonTransfer transfer, bool hasOps, in XrdMonOps ops, bool hasSsq, in XrdMonSsq ssq);

    /// <summary>An f-stream XFR (progress) record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="fileId">File dictid.</param>
    /// <param name="transfer">Bytes moved so far.</param>
    void OnFileTransfer(in XrdMonHeader header, uint fileId, in XrdMonTransfer transfer);

    /// <summary>An f-stream DSC record.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="userDictid">User dictid of the ended session.</param>
    void OnFileDisconnect(in XrdMonHeader header, uint userDictid);

    /// <summary>An f-stream record of unknown type (skipped by its size).</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="type">The record type byte.</param>
    void OnFileUnknown(in XrdMonHeader header, byte type);

    /// <summary>A g-stream packet.</summary>
    /// <param name="header">Packet header.</param>
    /// <param name="beginTime">Time of the first record.</param>
    /// <param name="endTime">Time of the last record.</param>
    /// <param name="provider">Provider id character (<c>C</c> <c>M</c> <c>T</c> <c>P</c>).</param>
    /// <param name="sid">Server sid.</param>
    /// <param name="text">The newline-separated records, final NUL stripped.</param>
    void OnGStream(in XrdMonHeader header, int beginTime, int endTime, byte provider, long sid, ReadOnlySpan<byte> text);
}
