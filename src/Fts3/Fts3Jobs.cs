using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Toolkit.Fts3;

/// <summary>
/// Builds submissions like the Python <c>fts3.rest.client.easy</c> helpers (<c>new_transfer</c>, <c>new_job</c>,
/// <c>Submitter.build_submission</c>): same defaults, same client-side validation, and the server's deterministic
/// job ids computed client side.
/// </summary>
public static class Fts3Jobs
{
    /// <summary>The namespace of deterministic job ids (<c>BASE_ID</c> of fts-rest).</summary>
    public static readonly Guid BaseId = new("01874efb-4735-4595-bc9c-591aef8240c9");

    /// <summary>Random job ids.</summary>
    public const string StandardIdGenerator = "standard";

    /// <summary>Job id = uuid5(uuid5(BASE_ID, vo), sid).</summary>
    public const string DeterministicIdGenerator = "deterministic";

    private static readonly string[] ChecksumModes = { "source", "target", "both", "none" };

    /// <summary>A transfer of one file (Python <c>new_transfer</c>).</summary>
    /// <param name="source">Source URL.</param>
    /// <param name="destination">Destination URL.</param>
    /// <param name="checksum"><c>ALG</c> or <c>ALG:VALUE</c>; Python's default <c>ADLER32</c>; null not sent.</param>
    /// <param name="filesize">Size in bytes.</param>
    /// <param name="metadata">File metadata.</param>
    /// <param name="activity">Activity (share).</param>
    /// <param name="selectionStrategy"><c>auto</c> (default) or <c>orderly</c>.</param>
    /// <param name="archiveMetadata">Archive metadata.</param>
    /// <param name="stagingMetadata">Staging metadata.</param>
    /// <param name="scitag">SciTag flow label, 65..65535.</param>
    /// <param name="sourceToken">Token for the source (needs <paramref name="destinationToken"/>).</param>
    /// <param name="destinationToken">Token for the destination (needs <paramref name="sourceToken"/>).</param>
    /// <returns>The file entry.</returns>
    /// <exception cref="ClientErrorException">A value is out of range or only one token is given.</exception>
    public static TransferFile NewTransfer(
        string source,
        string destination,
        string? checksum = "ADLER32",
        long? filesize = null,
        JsonElement? metadata = null,
        string? activity = null,
        string? selectionStrategy = "auto",
        JsonElement? archiveMetadata = null,
        JsonElement? stagingMetadata = null,
        int? scitag = null,
        string? sourceToken = null,
        string? destinationToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        CheckScitag(scitag);
        if ((sourceToken is null) != (destinationToken is null))
        {
            throw new ClientErrorException("Bad request: source_token and destination_token must be given together (transfer " + source + " -> " + destination + ")");
        }

        return new TransferFile
        {
            Sources = new[] { source },
            Destinations = new[] { destination },
            Checksum = string.IsNullOrEmpty(checksum) ? null : checksum,
            Filesize = filesize,
            Metadata = metadata,
            Activity = string.IsNullOrEmpty(activity) ? null : activity,
            SelectionStrategy = string.IsNullOrEmpty(selectionStrategy) ? null : selectionStrategy,
            ArchiveMetadata = archiveMetadata,
            StagingMetadata = stagingMetadata,
            Scitag = scitag,
            SourceTokens = sourceToken is null ? null : new[] { sourceToken },
            DestinationTokens = destinationToken is null ? null : new[] { destinationToken },
        };
    }

    /// <summary>
    /// A job (Python <c>new_job</c> + <c>build_submission</c>): validates the options, copies job-level checksum,
    /// size, activity, SciTag and metadata into every file that lacks them, and builds the parameters.
    /// </summary>
    /// <param name="transfers">The files (at least one).</param>
    /// <param name="options">Job settings; null for the Python defaults.</param>
    /// <returns>The submission body.</returns>
    /// <exception cref="ClientErrorException">The options are inconsistent (what and why in the message).</exception>
    public static Submission NewJob(IEnumerable<TransferFile> transfers, Fts3JobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transfers);
        var o = options ?? new Fts3JobOptions();
        var files = transfers.ToList();
        if (files.Count == 0)
        {
            throw new ClientErrorException("Bad request: a job needs at least one transfer");
        }

        var verify = ParseVerifyChecksum(o.VerifyChecksum);
        CheckOverwrite(o);
        CheckScitag(o.Scitag);
        if (o.IdGenerator != StandardIdGenerator && o.IdGenerator != DeterministicIdGenerator)
        {
            throw new ClientErrorException("Bad request: id_generator must be 'standard' or 'deterministic', not '" + o.IdGenerator + "'");
        }

        if (o.IdGenerator == DeterministicIdGenerator && string.IsNullOrEmpty(o.Sid))
        {
            throw new ClientErrorException("Bad request: the deterministic id generator needs a sid");
        }

        var withSource = files.Count(f => f.SourceTokens is { Count: > 0 });
        var withDestination = files.Count(f => f.DestinationTokens is { Count: > 0 });
        if ((withSource != 0 && withSource != files.Count) || (withDestination != 0 && withDestination != files.Count) || withSource != withDestination)
        {
            throw new ClientErrorException("Bad request: source and destination tokens must be given for every transfer or for none (" + withSource.ToString(CultureInfo.InvariantCulture) + " source, " + withDestination.ToString(CultureInfo.InvariantCulture) + " destination tokens for " + files.Count.ToString(CultureInfo.InvariantCulture) + " transfers)");
        }

        for (var i = 0; i < files.Count; i++)
        {
            var f = files[i];
            CheckScitag(f.Scitag);
            files[i] = f with
            {
                Checksum = f.Checksum ?? o.Checksum,
                Filesize = f.Filesize ?? o.Filesize,
                Activity = f.Activity ?? o.Activity,
                Scitag = f.Scitag ?? o.Scitag,
                Metadata = f.Metadata ?? o.FileMetadata,
                StagingMetadata = f.StagingMetadata ?? o.StagingMetadata,
                ArchiveMetadata = f.ArchiveMetadata ?? o.ArchiveMetadata,
            };
        }

        var p = new JobParams
        {
            VerifyChecksum = verify,
            Reuse = o.Reuse,
            Overwrite = o.Overwrite,
            OverwriteOnRetry = o.OverwriteOnRetry,
            OverwriteHop = o.OverwriteHop,
            OverwriteWhenOnlyOnDisk = o.OverwriteWhenOnlyOnDisk,
            Multihop = o.Multihop,
            SourceSpacetoken = o.SourceSpacetoken,
            DestinationSpacetoken = o.DestinationSpacetoken,
            BringOnline = o.BringOnline,
            ArchiveTimeout = o.ArchiveTimeout,
            DstFileReport = o.DstFileReport,
            CopyPinLifetime = o.CopyPinLifetime,
            Retry = o.Retry,
            RetryDelay = o.RetryDelay,
            JobMetadata = o.Metadata,
            Priority = o.Priority,
            StrictCopy = o.StrictCopy,
            MaxTimeInQueue = o.MaxTimeInQueue is null ? default(JobParamsMaxTimeInQueue?) : MaxTimeInQueueValue(o.MaxTimeInQueue),
            Timeout = o.Timeout,
            IdGenerator = o.IdGenerator,
            Sid = o.Sid,
            S3alternate = o.S3Alternate,
            Nostreams = o.Nostreams,
            BufferSize = o.BufferSize,
            TargetQos = o.TargetQos,
            UnmanagedTokens = o.UnmanagedTokens,
        };
        return new Submission { Files = files, Params = p };
    }

    /// <summary>
    /// The id the server gives a deterministic job: <c>uuid5(uuid5(BASE_ID, vo), sid)</c>, with <c>vo</c> the
    /// caller's first VO (<c>vos[0]</c> of <c>/whoami</c>).
    /// </summary>
    /// <param name="vo">The VO.</param>
    /// <param name="sid">The job's sid.</param>
    /// <param name="baseId">The namespace; <see cref="BaseId"/> by default (the server reports it in <c>/whoami</c>).</param>
    /// <returns>The job id.</returns>
    public static Guid DeterministicJobId(string vo, string sid, Guid? baseId = null)
    {
        ArgumentNullException.ThrowIfNull(vo);
        ArgumentNullException.ThrowIfNull(sid);
        return Uuid5(Uuid5(baseId ?? BaseId, vo), sid);
    }

    /// <summary>RFC 4122 name-based UUID, version 5 (SHA-1), as Python's <c>uuid.uuid5</c>.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="name">The name (UTF-8).</param>
    /// <returns>The UUID.</returns>
    public static Guid Uuid5(Guid ns, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nsBytes = ns.ToByteArray(bigEndian: true);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var data = new byte[nsBytes.Length + nameBytes.Length];
        nsBytes.CopyTo(data, 0);
        nameBytes.CopyTo(data, nsBytes.Length);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 version 5 (and the server) use; not a security use
        var hash = SHA1.HashData(data);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Whether a job state is terminal (FINISHED, FAILED, FINISHEDDIRTY, CANCELED); unknown states are not.</summary>
    /// <param name="state">The state.</param>
    /// <returns>Whether the job will not change any more.</returns>
    public static bool IsTerminal(JobState state) => state.Value is "FINISHED" or "FAILED" or "FINISHEDDIRTY" or "CANCELED";

    /// <summary>Whether a file state is terminal (FINISHED, FAILED, CANCELED); unknown states are not.</summary>
    /// <param name="state">The state.</param>
    /// <returns>Whether the file will not change any more.</returns>
    public static bool IsTerminal(FileState state) => state.Value is "FINISHED" or "FAILED" or "CANCELED";

    private static JobParamsVerifyChecksum ParseVerifyChecksum(string value)
    {
        var v = (value ?? "false").Trim();
        if (v.Equals("false", StringComparison.OrdinalIgnoreCase) || v.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return v.Equals("true", StringComparison.OrdinalIgnoreCase);
        }

        if (Array.IndexOf(ChecksumModes, v) < 0)
        {
            throw new ClientErrorException("Bad request: verify_checksum must be one of source, target, both, none (or true/false), not '" + v + "'");
        }

        return new JobParamsVerifyChecksum(v);
    }

    private static void CheckOverwrite(Fts3JobOptions o)
    {
        var set = new List<string>();
        if (o.Overwrite)
        {
            set.Add("overwrite");
        }

        if (o.OverwriteOnRetry)
        {
            set.Add("overwrite_on_retry");
        }

        if (o.OverwriteHop)
        {
            set.Add("overwrite_hop");
        }

        if (o.OverwriteWhenOnlyOnDisk)
        {
            set.Add("overwrite_when_only_on_disk");
        }

        var allowedPair = set.Count == 2 && o.OverwriteHop && o.OverwriteWhenOnlyOnDisk;
        if (set.Count > 1 && !allowedPair)
        {
            throw new ClientErrorException("Bad request: only one overwrite flag may be set (except overwrite_hop with overwrite_when_only_on_disk), got " + string.Join(", ", set));
        }

        if (o.OverwriteHop && !o.Multihop)
        {
            throw new ClientErrorException("Bad request: overwrite_hop needs a multihop job");
        }

        if (o.OverwriteWhenOnlyOnDisk && !(o.ArchiveTimeout > 0))
        {
            throw new ClientErrorException("Bad request: overwrite_when_only_on_disk needs archive_timeout > 0");
        }
    }

    private static void CheckScitag(int? scitag)
    {
        if (scitag is { } s && (s < 65 || s > 65535))
        {
            throw new ClientErrorException("Bad request: invalid SciTag value " + s.ToString(CultureInfo.InvariantCulture) + " (not in [65, 65535])");
        }
    }

    private static JobParamsMaxTimeInQueue MaxTimeInQueueValue(string text)
        => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var hours) ? hours : new JobParamsMaxTimeInQueue(text);
}
