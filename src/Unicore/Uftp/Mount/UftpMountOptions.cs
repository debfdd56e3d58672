using System;

namespace Toolkit.Unicore.Uftp.Mount;

/// <summary>How a UFTP mount behaves (<c>toolkit uftp mount</c>).</summary>
public sealed record UftpMountOptions
{
    /// <summary>Refuse every change with EROFS (the kernel mount is read-only too).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// How long attributes from MLST and directory listings (STAT N) are trusted before they are asked again (2 s;
    /// any change made through the mount drops the entries it touches at once).
    /// </summary>
    public TimeSpan AttributeLifetime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest one filesystem call may take; after it the call returns EIO (never a hang).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The bytes fetched per ranged RETR (4 MiB).</summary>
    public int ReadChunkBytes { get; init; } = 4 << 20;

    /// <summary>Chunks fetched ahead of a sequential reader (2).</summary>
    public int ReadAheadChunks { get; init; } = 2;

    /// <summary>Control connections opened with the persistent secret (4): calls beyond that wait for one.</summary>
    public int MaxSessions { get; init; } = 4;

    /// <summary>Called with each failure a call turns into an errno other than ENOENT (for a log; the engine never puts secrets in its messages).</summary>
    public Action<int, Exception>? OnError { get; init; }

    /// <summary>Where the per-file write buffers live (a private 0700 directory is made inside), or null for the temporary folder.</summary>
    public string? TempDirectory { get; init; }
}
