using System;
using System.Text.Json;

namespace Toolkit.Fts3;

/// <summary>
/// Job-level settings of <see cref="Fts3Jobs.NewJob"/>, with the defaults of the Python <c>easy.new_job</c> helper
/// (which differ from the server's: <c>retry = -1</c>, <c>nostreams = 1</c>, <c>verify_checksum = false</c>).
/// Null means "not sent" (the server default).
/// </summary>
public sealed record Fts3JobOptions
{
    /// <summary><c>false</c>/<c>true</c> (sent as booleans) or <c>source</c>, <c>target</c>, <c>both</c>, <c>none</c>.</summary>
    public string VerifyChecksum { get; init; } = "false";

    /// <summary>Session reuse (job type Y).</summary>
    public bool? Reuse { get; init; }

    /// <summary>Overwrite the destination.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Overwrite only when retrying.</summary>
    public bool OverwriteOnRetry { get; init; }

    /// <summary>Overwrite intermediate hops (needs <see cref="Multihop"/>).</summary>
    public bool OverwriteHop { get; init; }

    /// <summary>Overwrite when the file is only on disk (needs <see cref="ArchiveTimeout"/> &gt; 0).</summary>
    public bool OverwriteWhenOnlyOnDisk { get; init; }

    /// <summary>Multi-hop job (job type H).</summary>
    public bool Multihop { get; init; }

    /// <summary>Source space token.</summary>
    public string? SourceSpacetoken { get; init; }

    /// <summary>Destination space token.</summary>
    public string? DestinationSpacetoken { get; init; }

    /// <summary>Bring-online timeout in seconds (staging); null not sent.</summary>
    public int? BringOnline { get; init; }

    /// <summary>Archive monitoring timeout in seconds.</summary>
    public int? ArchiveTimeout { get; init; }

    /// <summary>Ask for a destination file report.</summary>
    public bool DstFileReport { get; init; }

    /// <summary>Pin lifetime in seconds.</summary>
    public int? CopyPinLifetime { get; init; }

    /// <summary>Retries: -1 none (Python default), 0 the server's default.</summary>
    public int Retry { get; init; } = -1;

    /// <summary>Seconds between retries.</summary>
    public int RetryDelay { get; init; }

    /// <summary>Job metadata (free JSON).</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>Priority 1..5.</summary>
    public int? Priority { get; init; }

    /// <summary>No checks on the destination (no checksum, no size).</summary>
    public bool StrictCopy { get; init; }

    /// <summary>Maximum time in queue: hours, or a text like <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>.</summary>
    public string? MaxTimeInQueue { get; init; }

    /// <summary>Transfer timeout in seconds.</summary>
    public int? Timeout { get; init; }

    /// <summary><c>standard</c> (random ids) or <c>deterministic</c> (needs <see cref="Sid"/>).</summary>
    public string IdGenerator { get; init; } = Fts3Jobs.StandardIdGenerator;

    /// <summary>The name of a deterministic job id.</summary>
    public string? Sid { get; init; }

    /// <summary>S3 alternate (path-style) addressing.</summary>
    public bool S3Alternate { get; init; }

    /// <summary>TCP streams (Python default 1).</summary>
    public int? Nostreams { get; init; } = 1;

    /// <summary>TCP buffer size in bytes.</summary>
    public int? BufferSize { get; init; }

    /// <summary>Target QoS class.</summary>
    public string? TargetQos { get; init; }

    /// <summary>Tokens are not managed (refreshed) by FTS (3.14+).</summary>
    public bool? UnmanagedTokens { get; init; }

    /// <summary>Copied into every file without its own checksum (Python <c>Submitter.build_submission</c>).</summary>
    public string? Checksum { get; init; }

    /// <summary>Copied into every file without its own size.</summary>
    public long? Filesize { get; init; }

    /// <summary>Copied into every file without its own activity.</summary>
    public string? Activity { get; init; }

    /// <summary>Copied into every file without its own SciTag (65..65535).</summary>
    public int? Scitag { get; init; }

    /// <summary>Copied into every file without its own metadata (<c>file_metadata</c> → <c>metadata</c>).</summary>
    public JsonElement? FileMetadata { get; init; }

    /// <summary>Copied into every file without its own staging metadata.</summary>
    public JsonElement? StagingMetadata { get; init; }

    /// <summary>Copied into every file without its own archive metadata.</summary>
    public JsonElement? ArchiveMetadata { get; init; }
}
