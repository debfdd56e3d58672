using System;
using Toolkit.XrdMon.Collector;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// An event output that passes every call to <paramref name="inner"/> once, then <paramref name="repeats"/> more times
/// counting the bytes allocated on this thread: the writer's steady-state allocation per event, on real events.
/// </summary>
internal sealed class CountingOutput(IXrdMonEventOutput inner, int repeats) : IXrdMonEventOutput
{
    public long Allocated { get; private set; }

    public long Calls { get; private set; }

    public void Flush() => inner.Flush();

    public void Dispose() => inner.Dispose();

    public void ServerIdent(XrdMonServer server, int time)
    {
        inner.ServerIdent(server, time);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.ServerIdent(server, time);
        }

        Stop(before);
    }

    public void UserLogin(XrdMonServer server, int time, uint dictid, XrdMonUser user)
    {
        inner.UserLogin(server, time, dictid, user);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.UserLogin(server, time, dictid, user);
        }

        Stop(before);
    }

    public void Info(XrdMonServer server, int time, uint dictid, UserIdText id, ReadOnlySpan<byte> info)
    {
        inner.Info(server, time, dictid, id, info);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.Info(server, time, dictid, id, info);
        }

        Stop(before);
    }

    public void UserActivity(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, long? experiment, long? activity)
    {
        inner.UserActivity(server, time, userDictid, user, experiment, activity);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.UserActivity(server, time, userDictid, user, experiment, activity);
        }

        Stop(before);
    }

    public void Frm(string kind, XrdMonServer server, int time, UserIdText id, ReadOnlySpan<byte> lfn, ReadOnlySpan<byte> details)
    {
        inner.Frm(kind, server, time, id, lfn, details);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.Frm(kind, server, time, id, lfn, details);
        }

        Stop(before);
    }

    public void TraceIo(XrdMonServer server, int time, bool write, uint dictid, XrdMonPath? path, long offset, long length)
    {
        inner.TraceIo(server, time, write, dictid, path, offset, length);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.TraceIo(server, time, write, dictid, path, offset, length);
        }

        Stop(before);
    }

    public void TraceReadv(XrdMonServer server, int time, bool unwound, uint dictid, XrdMonPath? path, ushort segments, int length)
    {
        inner.TraceReadv(server, time, unwound, dictid, path, segments, length);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.TraceReadv(server, time, unwound, dictid, path, segments, length);
        }

        Stop(before);
    }

    public void TraceOpen(XrdMonServer server, int time, uint dictid, XrdMonPath? path, ulong fileSize)
    {
        inner.TraceOpen(server, time, dictid, path, fileSize);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.TraceOpen(server, time, dictid, path, fileSize);
        }

        Stop(before);
    }

    public void TraceClose(XrdMonServer server, int time, uint dictid, XrdMonPath? path, ulong readBytes, ulong writeBytes)
    {
        inner.TraceClose(server, time, dictid, path, readBytes, writeBytes);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.TraceClose(server, time, dictid, path, readBytes, writeBytes);
        }

        Stop(before);
    }

    public void Disconnect(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, bool? forced, uint? duration)
    {
        inner.Disconnect(server, time, userDictid, user, forced, duration);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.Disconnect(server, time, userDictid, user, forced, duration);
        }

        Stop(before);
    }

    public void AppId(XrdMonServer server, int time, ReadOnlySpan<byte> appId)
    {
        inner.AppId(server, time, appId);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.AppId(server, time, appId);
        }

        Stop(before);
    }

    public void Redirect(XrdMonServer server, int time, uint userDictid, XrdMonUser? user, RedirectRecordReader entry)
    {
        inner.Redirect(server, time, userDictid, user, entry);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.Redirect(server, time, userDictid, user, entry);
        }

        Stop(before);
    }

    public void FileOpen(XrdMonServer server, int time, uint fileId, XrdMonAccess access)
    {
        inner.FileOpen(server, time, fileId, access);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.FileOpen(server, time, fileId, access);
        }

        Stop(before);
    }

    public void FileClose(string kind, XrdMonServer server, int time, uint fileId, XrdMonAccess? access, FstatCloseReader record)
    {
        inner.FileClose(kind, server, time, fileId, access, record);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.FileClose(kind, server, time, fileId, access, record);
        }

        Stop(before);
    }

    public void FileTransfer(XrdMonServer server, int time, uint fileId, XrdMonAccess? access, FstatTransferReader transfer)
    {
        inner.FileTransfer(server, time, fileId, access, transfer);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.FileTransfer(server, time, fileId, access, transfer);
        }

        Stop(before);
    }

    public void GStream(XrdMonServer server, byte provider, int time, ReadOnlySpan<byte> text)
    {
        inner.GStream(server, provider, time, text);
        long before = Start();
        for (int i = 0; i < repeats; i++)
        {
            inner.GStream(server, provider, time, text);
        }

        Stop(before);
    }

    private long Start()
    {
        Calls++;
        return GC.GetAllocatedBytesForCurrentThread();
    }

    private void Stop(long before) => Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
}
