using System;
using System.Collections.Generic;

namespace Toolkit.JAliEn.Transfer;

/// <summary>Settings of <see cref="AlienCopy"/> (alienpy's cp options).</summary>
public sealed class AlienCopyOptions
{
    /// <summary>Parallel transfers (<c>-T</c>, default 8).</summary>
    public int Parallel { get; init; } = 8;

    /// <summary>Also compare MD5 sums when deciding whether a target is already valid (<c>-f</c>).</summary>
    public bool CheckMd5 { get; init; }

    /// <summary>No recovery rounds for failed upload replicas (<c>-norecovery</c>).</summary>
    public bool NoRecovery { get; init; }

    /// <summary>Send <c>access -f</c> (strict specifiers, <c>-strictspec</c>).</summary>
    public bool StrictSpecs { get; init; }

    /// <summary>The find pattern for a directory source (<c>-glob</c>, default <c>*</c>).</summary>
    public string Pattern { get; init; } = "*";

    /// <summary>The file selection and target path rules for a directory source (downloads only).</summary>
    public AlienCopyFilter Filter { get; init; } = new();

    /// <summary>
    /// The filters a directory download passes to the server's <c>find</c> as alienpy does (cp <c>-j -l -o -e -site</c> →
    /// <c>find -j -l -o -e -S</c>); downloads only.
    /// </summary>
    public AlienFindFilter ServerFilter { get; init; } = new();

    /// <summary>Only plan: list the pairs without copying (<c>-dryrun</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>The xrdcp program.</summary>
    public string Xrdcp { get; init; } = "xrdcp";

    /// <summary>The most time one xrdcp run may take.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Extra environment for xrdcp (XRD_* tuning); null for alienpy's defaults.</summary>
    public IReadOnlyDictionary<string, string>? XrdEnvironment { get; init; }

    /// <summary>Keep the metalink files in this directory (<c>ALIENPY_KEEP_META</c>); null to delete them.</summary>
    public string? KeepMetalinkDirectory { get; init; }

    /// <summary>Called with the planned files of a source before they are copied (for progress display).</summary>
    public Action<IReadOnlyList<AlienCopyItem>>? Planned { get; init; }

    /// <summary>Called after each file (for progress display).</summary>
    public Action<AlienCopyItem>? Progress { get; init; }

    /// <summary>The commits sent per pipelined batch (alienpy: 64).</summary>
    public int CommitBatch { get; init; } = 64;
}

/// <summary>cp's server-side <c>find</c> filters (alienpy's <c>-j -l -o -e -site</c>).</summary>
public sealed class AlienFindFilter
{
    /// <summary>Only files written by this job (cp <c>-j</c> → <c>find -j</c>).</summary>
    public long? JobId { get; init; }

    /// <summary>At most this many files (cp <c>-l</c> → <c>find -l</c>).</summary>
    public long? Limit { get; init; }

    /// <summary>Skip this many files first (cp <c>-o</c> → <c>find -o</c>).</summary>
    public long? Offset { get; init; }

    /// <summary>Exclude patterns, each sent as its own <c>find -e</c> (cp <c>-e</c>, repeatable).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Sort by the replicas' distance to this site (cp <c>-site</c> → <c>find -S</c>).</summary>
    public string? Site { get; init; }

    /// <summary>True when no filter is set.</summary>
    public bool IsEmpty => JobId is null && Limit is null && Offset is null && Exclude.Count == 0 && Site is null;
}

/// <summary>What happened to one file.</summary>
public enum AlienCopyStatus
{
    /// <summary>Copied (and for uploads, at least one replica committed).</summary>
    Copied,

    /// <summary>The target was already valid.</summary>
    Skipped,

    /// <summary>Failed (see <see cref="AlienCopyItem.Error"/>).</summary>
    Failed,

    /// <summary>Planned only (dry run).</summary>
    Planned,
}

/// <summary>One source/target pair and its outcome.</summary>
public sealed class AlienCopyItem
{
    /// <summary>The source (an LFN or a local path).</summary>
    public required string Source { get; init; }

    /// <summary>The target (a local path or an LFN).</summary>
    public required string Target { get; init; }

    /// <summary>The size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>The outcome.</summary>
    public AlienCopyStatus Status { get; set; } = AlienCopyStatus.Planned;

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }

    /// <summary>For uploads: the SEs that hold a committed replica.</summary>
    public List<string> StorageElements { get; } = [];
}
