namespace Toolkit.XrdMon;

/// <summary>
/// A struct visitor that counts the records of datagrams and sums a few fields of each (so that every record is
/// really read), allocating nothing: dispatch it with <c>XrdMonRecords.Dispatch(datagram, ref counter, out error)</c>
/// to check that a capture decodes, or to measure decoding speed. Tests and benchmarks share it.
/// </summary>
public struct XrdMonRecordCounter : IXrdMonVisitor
{
    /// <summary>Records visited.</summary>
    public long Records { get; private set; }

    /// <summary>A checksum over some fields of every record (lengths, sizes, times).</summary>
    public long Sum { get; private set; }

    /// <inheritdoc/>
    public void OnServerIdent(HeaderReader header, ServerIdentPacketReader packet) => Add(packet.InfoText.Userid.User.Length);

    /// <inheritdoc/>
    public void OnPath(HeaderReader header, PathPacketReader packet) => Add(packet.Dictid + packet.InfoText.Path.Length);

    /// <inheritdoc/>
    public void OnInfo(HeaderReader header, InfoPacketReader packet) => Add(packet.InfoText.Appinfo.Length);

    /// <inheritdoc/>
    public void OnUserLogin(HeaderReader header, UserLoginPacketReader packet) => Add(packet.InfoText.Userid.Host.Length);

    /// <inheritdoc/>
    public void OnUserActivity(HeaderReader header, UserActivityPacketReader packet) => Add(0);

    /// <inheritdoc/>
    public void OnPurge(HeaderReader header, PurgePacketReader packet) => Add(0);

    /// <inheritdoc/>
    public void OnTransfer(HeaderReader header, TransferPacketReader packet) => Add(0);

    /// <inheritdoc/>
    public void OnTraceIo(HeaderReader header, TraceReadWriteReader entry) => Add(entry.Length + entry.Offset);

    /// <inheritdoc/>
    public void OnTraceOpen(HeaderReader header, TraceOpenReader entry) => Add((long)entry.FileSize);

    /// <inheritdoc/>
    public void OnTraceReadv(HeaderReader header, TraceReadvReader entry) => Add(entry.Length);

    /// <inheritdoc/>
    public void OnTraceReadu(HeaderReader header, TraceReaduReader entry) => Add(entry.Length);

    /// <inheritdoc/>
    public void OnTraceAppId(HeaderReader header, TraceAppIdReader entry) => Add(0);

    /// <inheritdoc/>
    public void OnTraceClose(HeaderReader header, TraceCloseReader entry) => Add((long)(entry.ReadBytes + entry.WriteBytes));

    /// <inheritdoc/>
    public void OnTraceDisconnect(HeaderReader header, TraceDisconnectReader entry) => Add(entry.Duration);

    /// <inheritdoc/>
    public void OnTraceWindow(HeaderReader header, TraceWindowReader entry) => Add(entry.NextStart);

    /// <inheritdoc/>
    public void OnTraceUnknown(HeaderReader header, TraceUnknownReader entry) => Add(0);

    /// <inheritdoc/>
    public void OnRedirectServer(HeaderReader header, RedirectServerIdReader server) => Add((long)server.Sid);

    /// <inheritdoc/>
    public void OnRedirectWindow(HeaderReader header, RedirectWindowReader entry) => Add(entry.Time);

    /// <inheritdoc/>
    public void OnRedirect(HeaderReader header, RedirectRecordReader entry) => Add(entry.TargetText.Path.Length + entry.Port);

    /// <inheritdoc/>
    public void OnRedirectUnknown(HeaderReader header, RedirectUnknownReader entry) => Add(0);

    /// <inheritdoc/>
    public void OnFileTod(HeaderReader header, FstatTodReader tod) => Add(tod.TotalCount);

    /// <inheritdoc/>
    public void OnFileOpen(HeaderReader header, FstatOpenReader record) => Add(record.FileSize + (record.HasLfn ? record.Lfn.Lfn.Length : 0));

    /// <inheritdoc/>
    public void OnFileClose(HeaderReader header, FstatCloseReader record) => Add(record.Xfr.ReadBytes + record.Xfr.WriteBytes + (record.HasOps ? record.Ops.Reads : 0));

    /// <inheritdoc/>
    public void OnFileTransfer(HeaderReader header, FstatXfrReader record) => Add(record.Xfr.ReadBytes);

    /// <inheritdoc/>
    public void OnFileDisconnect(HeaderReader header, FstatDisconnectReader record) => Add(record.UserDictid);

    /// <inheritdoc/>
    public void OnFileUnknown(HeaderReader header, FstatUnknownReader record) => Add(0);

    /// <inheritdoc/>
    public void OnGStream(HeaderReader header, GStreamPacketReader packet) => Add(packet.Body.Length);

    private void Add(long value)
    {
        Records++;
        Sum += value;
    }
}
