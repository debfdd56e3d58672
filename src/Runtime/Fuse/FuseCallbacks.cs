using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Toolkit.Runtime.Fuse;

/// <summary>
/// The <c>[UnmanagedCallersOnly]</c> functions libfuse calls: each converts the C arguments, calls the
/// <see cref="IFuseFileSystem"/> and turns an escaping exception into <c>-EIO</c> (an exception must never unwind
/// into libfuse).
/// </summary>
internal static unsafe class FuseCallbacks
{
    private const long UtimeNow = (1L << 30) - 1;
    private const long UtimeOmit = (1L << 30) - 2;

    internal static IFuseFileSystem? FileSystem;
    internal static Action<Exception>? OnError;
    internal static uint Uid;
    internal static uint Gid;

    /// <summary>Fills the operations table (42 pointers, zeroed by the caller).</summary>
    internal static void Fill(nint* ops)
    {
        ops[FuseNative.OpGetattr] = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, byte*, int>)&GetAttr;
        ops[FuseNative.OpMkdir] = (nint)(delegate* unmanaged[Cdecl]<byte*, uint, int>)&MakeDirectory;
        ops[FuseNative.OpUnlink] = (nint)(delegate* unmanaged[Cdecl]<byte*, int>)&Unlink;
        ops[FuseNative.OpRmdir] = (nint)(delegate* unmanaged[Cdecl]<byte*, int>)&RemoveDirectory;
        ops[FuseNative.OpRename] = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, uint, int>)&Rename;
        ops[FuseNative.OpTruncate] = (nint)(delegate* unmanaged[Cdecl]<byte*, long, byte*, int>)&Truncate;
        ops[FuseNative.OpOpen] = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, int>)&Open;
        ops[FuseNative.OpRead] = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, nuint, long, byte*, int>)&Read;
        ops[FuseNative.OpWrite] = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, nuint, long, byte*, int>)&Write;
        ops[FuseNative.OpStatfs] = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, int>)&StatFs;
        ops[FuseNative.OpFlush] = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, int>)&Flush;
        ops[FuseNative.OpRelease] = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, int>)&Release;
        ops[FuseNative.OpReaddir] = (nint)(delegate* unmanaged[Cdecl]<byte*, void*, void*, long, byte*, int, int>)&ReadDir;
        ops[FuseNative.OpCreate] = (nint)(delegate* unmanaged[Cdecl]<byte*, uint, byte*, int>)&Create;
        ops[FuseNative.OpUtimens] = (nint)(delegate* unmanaged[Cdecl]<byte*, long*, byte*, int>)&Utimens;
    }

    private static IFuseFileSystem Fs => FileSystem ?? throw new InvalidOperationException("no filesystem is mounted");

    private static string Path(byte* p) => Marshal.PtrToStringUTF8((nint)p) ?? "";

    private static ulong? Handle(byte* fi) => fi == null ? null : *(ulong*)(fi + FuseNative.FileInfoFh);

    private static int Fail(Exception e)
    {
        try
        {
            OnError?.Invoke(e);
        }
        catch (Exception)
        {
            // A failing logger must not unwind into libfuse either.
        }

        return -Errno.EIO;
    }

    internal static void WriteStat(byte* st, in FuseAttributes a)
    {
        new Span<byte>(st, FuseNative.StatSize).Clear();
        *(ulong*)(st + FuseNative.StatNlink) = a.Links;
        *(uint*)(st + FuseNative.StatMode) = a.Mode;
        *(uint*)(st + FuseNative.StatUid) = Uid;
        *(uint*)(st + FuseNative.StatGid) = Gid;
        *(long*)(st + FuseNative.StatSizeField) = a.Size;
        *(long*)(st + FuseNative.StatBlksize) = 4096;
        *(long*)(st + FuseNative.StatBlocks) = (a.Size + 511) / 512;
        long ms = a.Modified.ToUnixTimeMilliseconds();
        long sec = Math.DivRem(ms, 1000, out long rem);
        if (rem < 0)
        {
            sec--;
            rem += 1000;
        }

        foreach (int at in (ReadOnlySpan<int>)[FuseNative.StatAtime, FuseNative.StatMtime, FuseNative.StatCtime])
        {
            *(long*)(st + at) = sec;
            *(long*)(st + at + 8) = rem * 1_000_000;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetAttr(byte* path, byte* st, byte* fi)
    {
        try
        {
            int r = Fs.GetAttributes(Path(path), Handle(fi), out var a);
            if (r == 0)
            {
                WriteStat(st, a);
            }

            return r;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReadDir(byte* path, void* buf, void* filler, long offset, byte* fi, int flags)
    {
        try
        {
            var entries = new List<FuseDirectoryEntry>();
            int r = Fs.ReadDirectory(Path(path), entries);
            if (r != 0)
            {
                return r;
            }

            var fill = (delegate* unmanaged[Cdecl]<void*, byte*, byte*, long, int, int>)filler;
            byte* st = stackalloc byte[FuseNative.StatSize];
            var dir = new FuseAttributes(FuseAttributes.Directory | 0x1ED, 0, DateTimeOffset.UnixEpoch, 2);
            foreach (var (name, attributes) in (ReadOnlySpan<(string, FuseAttributes)>)[(".", dir), ("..", dir)])
            {
                WriteStat(st, attributes);
                if (FillOne(fill, buf, name, st) != 0)
                {
                    return 0;
                }
            }

            foreach (var e in entries)
            {
                WriteStat(st, e.Attributes);
                if (FillOne(fill, buf, e.Name, st) != 0)
                {
                    return 0;
                }
            }

            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    private static int FillOne(delegate* unmanaged[Cdecl]<void*, byte*, byte*, long, int, int> fill, void* buf, string name, byte* st)
    {
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(name.Length) + 1;
        Span<byte> utf8 = max <= 1024 ? stackalloc byte[max] : new byte[max];
        int n = System.Text.Encoding.UTF8.GetBytes(name, utf8);
        utf8[n] = 0;
        fixed (byte* p = utf8)
        {
            return fill(buf, p, st, 0, 0);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Open(byte* path, byte* fi)
    {
        try
        {
            int r = Fs.Open(Path(path), *(int*)(fi + FuseNative.FileInfoFlags), out ulong h);
            if (r == 0)
            {
                *(ulong*)(fi + FuseNative.FileInfoFh) = h;
            }

            return r;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Create(byte* path, uint mode, byte* fi)
    {
        try
        {
            int r = Fs.Create(Path(path), mode, *(int*)(fi + FuseNative.FileInfoFlags), out ulong h);
            if (r == 0)
            {
                *(ulong*)(fi + FuseNative.FileInfoFh) = h;
            }

            return r;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Read(byte* path, byte* buf, nuint size, long offset, byte* fi)
    {
        try
        {
            return Fs.Read(Path(path), Handle(fi) ?? 0, new Span<byte>(buf, (int)Math.Min(size, int.MaxValue)), offset);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Write(byte* path, byte* buf, nuint size, long offset, byte* fi)
    {
        try
        {
            return Fs.Write(Path(path), Handle(fi) ?? 0, new ReadOnlySpan<byte>(buf, (int)Math.Min(size, int.MaxValue)), offset);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Truncate(byte* path, long size, byte* fi)
    {
        try
        {
            return Fs.Truncate(Path(path), size, Handle(fi));
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Unlink(byte* path)
    {
        try
        {
            return Fs.Unlink(Path(path));
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int MakeDirectory(byte* path, uint mode)
    {
        try
        {
            return Fs.MakeDirectory(Path(path), mode);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int RemoveDirectory(byte* path)
    {
        try
        {
            return Fs.RemoveDirectory(Path(path));
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Rename(byte* from, byte* to, uint flags)
    {
        try
        {
            return Fs.Rename(Path(from), Path(to), flags);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Flush(byte* path, byte* fi)
    {
        try
        {
            return Fs.Flush(Path(path), Handle(fi) ?? 0);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Release(byte* path, byte* fi)
    {
        try
        {
            return Fs.Release(Path(path), Handle(fi) ?? 0);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int StatFs(byte* path, byte* st)
    {
        try
        {
            int r = Fs.StatFileSystem(Path(path), out var s);
            if (r == 0)
            {
                new Span<byte>(st, FuseNative.StatvfsSize).Clear();
                var f = (ulong*)st;
                f[0] = (ulong)s.BlockSize;   // f_bsize
                f[1] = (ulong)s.BlockSize;   // f_frsize
                f[2] = (ulong)s.Blocks;      // f_blocks
                f[3] = (ulong)s.FreeBlocks;  // f_bfree
                f[4] = (ulong)s.FreeBlocks;  // f_bavail
                f[5] = (ulong)s.Files;       // f_files
                f[6] = (ulong)s.FreeFiles;   // f_ffree
                f[7] = (ulong)s.FreeFiles;   // f_favail
                f[9] = s.ReadOnly ? 1UL : 0; // f_flag: ST_RDONLY
                f[10] = 255;                 // f_namemax
            }

            return r;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Utimens(byte* path, long* tv, byte* fi)
    {
        try
        {
            // tv[0] is the access time (not kept), tv[1] the modification time: {tv_sec, tv_nsec}.
            DateTimeOffset? modified = tv == null || tv[3] == UtimeNow
                ? DateTimeOffset.UtcNow
                : tv[3] == UtimeOmit ? null : DateTimeOffset.FromUnixTimeSeconds(tv[2]).AddTicks(tv[3] / 100);
            return Fs.SetTimes(Path(path), modified);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }
}
