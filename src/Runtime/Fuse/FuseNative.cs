using System.Runtime.InteropServices;

namespace Toolkit.Runtime.Fuse;

/// <summary>
/// The few libfuse3 (3.x, Debian's <c>libfuse3-3</c>) and libc entry points the host calls. The versioned symbols are
/// named explicitly: <c>fuse_new_31</c> (the FUSE_USE_VERSION ≥ 31 <c>fuse_new</c>) and <c>fuse_loop_mt_31</c>
/// (the loop with a <c>clone_fd</c> argument, exported since libfuse 3.2).
/// </summary>
internal static unsafe partial class FuseNative
{
    internal const string Library = "libfuse3.so.3";

    // x86_64 glibc layouts (checked against /usr/include/x86_64-linux-gnu/bits/struct_stat.h, statvfs.h and
    // fuse3/fuse_common.h of libfuse 3.14).
    internal const int StatSize = 144;
    internal const int StatNlink = 16;
    internal const int StatMode = 24;
    internal const int StatUid = 28;
    internal const int StatGid = 32;
    internal const int StatSizeField = 48;
    internal const int StatBlksize = 56;
    internal const int StatBlocks = 64;
    internal const int StatAtime = 72;
    internal const int StatMtime = 88;
    internal const int StatCtime = 104;

    internal const int StatvfsSize = 112;

    // struct fuse_file_info: int flags; bit-fields (writepage, direct_io, keep_cache, flush, nonseekable, ...); padding; uint64_t fh.
    internal const int FileInfoFlags = 0;
    internal const int FileInfoBits = 4;
    internal const int FileInfoFh = 16;
    internal const uint DirectIoBit = 1u << 1;

    // struct fuse_operations of libfuse 3.14: 42 function pointers.
    internal const int OperationCount = 42;
    internal const int OpGetattr = 0;
    internal const int OpMkdir = 3;
    internal const int OpUnlink = 4;
    internal const int OpRmdir = 5;
    internal const int OpRename = 7;
    internal const int OpTruncate = 11;
    internal const int OpOpen = 12;
    internal const int OpRead = 13;
    internal const int OpWrite = 14;
    internal const int OpStatfs = 15;
    internal const int OpFlush = 16;
    internal const int OpRelease = 17;
    internal const int OpReaddir = 24;
    internal const int OpCreate = 30;
    internal const int OpUtimens = 32;

    /// <summary>struct fuse_args.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FuseArgs
    {
        public int Argc;
        public byte** Argv;
        public int Allocated;
    }

    [LibraryImport(Library, EntryPoint = "fuse_new_31")]
    internal static partial nint New(FuseArgs* args, void* operations, nuint size, void* userData);

    [LibraryImport(Library, EntryPoint = "fuse_mount")]
    internal static partial int Mount(nint fuse, byte* mountPoint);

    [LibraryImport(Library, EntryPoint = "fuse_loop_mt_31")]
    internal static partial int LoopMultiThreaded(nint fuse, int cloneFd);

    [LibraryImport(Library, EntryPoint = "fuse_exit")]
    internal static partial void Exit(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_unmount")]
    internal static partial void Unmount(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_destroy")]
    internal static partial void Destroy(nint fuse);

    [LibraryImport("libc", EntryPoint = "getuid")]
    internal static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    internal static partial uint GetGid();
}
