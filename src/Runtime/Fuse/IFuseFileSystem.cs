using System;
using System.Collections.Generic;

namespace Toolkit.Runtime.Fuse;

/// <summary>
/// A filesystem served through <see cref="FuseHost"/>. Every method returns 0 (or a byte count for reads and writes)
/// on success and a negative errno (<see cref="Errno"/>) on failure, as libfuse's high-level API expects. Methods are
/// called concurrently from libfuse's threads; an exception that escapes becomes <c>-EIO</c>.
/// </summary>
public interface IFuseFileSystem
{
    /// <summary>Describes a file or directory (<c>getattr</c>).</summary>
    /// <param name="path">The path inside the mount, starting with <c>/</c>.</param>
    /// <param name="handle">The open file's handle, or null.</param>
    /// <param name="attributes">What the file is.</param>
    /// <returns>0 or a negative errno.</returns>
    int GetAttributes(string path, ulong? handle, out FuseAttributes attributes);

    /// <summary>Lists a directory (<c>readdir</c>; "." and ".." are added by the host).</summary>
    /// <param name="path">The directory.</param>
    /// <param name="entries">Receives the entries.</param>
    /// <returns>0 or a negative errno.</returns>
    int ReadDirectory(string path, ICollection<FuseDirectoryEntry> entries);

    /// <summary>Opens a file (<c>open</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="flags">The open(2) flags.</param>
    /// <param name="handle">A handle passed to the later calls on this file.</param>
    /// <returns>0 or a negative errno.</returns>
    int Open(string path, int flags, out ulong handle);

    /// <summary>Creates and opens a file (<c>create</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="mode">The requested mode.</param>
    /// <param name="flags">The open(2) flags.</param>
    /// <param name="handle">A handle passed to the later calls on this file.</param>
    /// <returns>0 or a negative errno.</returns>
    int Create(string path, uint mode, int flags, out ulong handle);

    /// <summary>Reads from an open file (<c>read</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="handle">Its handle.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset">The file offset.</param>
    /// <returns>The byte count (less than the buffer only at the end of the file) or a negative errno.</returns>
    int Read(string path, ulong handle, Span<byte> buffer, long offset);

    /// <summary>Writes to an open file (<c>write</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="handle">Its handle.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="offset">The file offset.</param>
    /// <returns>The byte count or a negative errno.</returns>
    int Write(string path, ulong handle, ReadOnlySpan<byte> data, long offset);

    /// <summary>Sets the size (<c>truncate</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="size">The new size.</param>
    /// <param name="handle">The open file's handle, or null.</param>
    /// <returns>0 or a negative errno.</returns>
    int Truncate(string path, long size, ulong? handle);

    /// <summary>Removes a file (<c>unlink</c>).</summary>
    /// <param name="path">The file.</param>
    /// <returns>0 or a negative errno.</returns>
    int Unlink(string path);

    /// <summary>Creates a directory (<c>mkdir</c>).</summary>
    /// <param name="path">The directory.</param>
    /// <param name="mode">The requested mode.</param>
    /// <returns>0 or a negative errno.</returns>
    int MakeDirectory(string path, uint mode);

    /// <summary>Removes an empty directory (<c>rmdir</c>).</summary>
    /// <param name="path">The directory.</param>
    /// <returns>0 or a negative errno.</returns>
    int RemoveDirectory(string path);

    /// <summary>Renames (<c>rename</c>).</summary>
    /// <param name="source">The old path.</param>
    /// <param name="target">The new path.</param>
    /// <param name="flags">renameat2 flags (<see cref="FuseHost.RenameNoReplace"/>, <see cref="FuseHost.RenameExchange"/>).</param>
    /// <returns>0 or a negative errno.</returns>
    int Rename(string source, string target, uint flags);

    /// <summary>A close(2) of a descriptor of the open file (<c>flush</c>): the place to report write errors to the caller.</summary>
    /// <param name="path">The file.</param>
    /// <param name="handle">Its handle.</param>
    /// <returns>0 or a negative errno.</returns>
    int Flush(string path, ulong handle);

    /// <summary>The last descriptor of the open file is gone (<c>release</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="handle">Its handle.</param>
    /// <returns>0 or a negative errno (the kernel ignores it).</returns>
    int Release(string path, ulong handle);

    /// <summary>Filesystem figures (<c>statfs</c>).</summary>
    /// <param name="path">Any path.</param>
    /// <param name="stats">The figures.</param>
    /// <returns>0 or a negative errno.</returns>
    int StatFileSystem(string path, out FuseFileSystemStats stats);

    /// <summary>Sets the modification time (<c>utimens</c>; the access time is not kept).</summary>
    /// <param name="path">The file.</param>
    /// <param name="modified">The new time, or null to leave it.</param>
    /// <returns>0 or a negative errno.</returns>
    int SetTimes(string path, DateTimeOffset? modified);
}

/// <summary>A file's attributes (the host fills the owner with the mounting user).</summary>
/// <param name="Mode">The full st_mode (type and permission bits, e.g. <c>S_IFREG | 0644</c>).</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Modified">The modification time (also used for the access and change times).</param>
/// <param name="Links">The link count.</param>
public readonly record struct FuseAttributes(uint Mode, long Size, DateTimeOffset Modified, uint Links = 1)
{
    /// <summary>S_IFDIR.</summary>
    public const uint Directory = 0x4000;

    /// <summary>S_IFREG.</summary>
    public const uint RegularFile = 0x8000;

    /// <summary>True for a directory.</summary>
    public bool IsDirectory => (Mode & 0xF000) == Directory;
}

/// <summary>One entry of a directory listing.</summary>
/// <param name="Name">The name (no slash).</param>
/// <param name="Attributes">Its attributes.</param>
public readonly record struct FuseDirectoryEntry(string Name, FuseAttributes Attributes);

/// <summary>statvfs figures.</summary>
/// <param name="BlockSize">The block size.</param>
/// <param name="Blocks">Total blocks.</param>
/// <param name="FreeBlocks">Free blocks.</param>
/// <param name="Files">Total inodes.</param>
/// <param name="FreeFiles">Free inodes.</param>
/// <param name="ReadOnly">Mounted read-only.</param>
public readonly record struct FuseFileSystemStats(long BlockSize, long Blocks, long FreeBlocks, long Files, long FreeFiles, bool ReadOnly);
