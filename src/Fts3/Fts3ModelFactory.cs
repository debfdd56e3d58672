using System;
using System.Collections.Generic;

namespace Toolkit.Fts3;

/// <summary>
/// Creates FTS3 model instances for tests and mocks (the Azure SDK's model factory): a mocked
/// <see cref="Fts3Context"/> returns these. Every parameter is optional, so a test names only what it checks.
/// Hand-written until the OpenAPI generator emits model factories; it covers the models the easy layer returns.
/// </summary>
public static class Fts3ModelFactory
{
    /// <summary>A <see cref="Job"/> (<c>GET /jobs/{id}</c>).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="jobState">The job state.</param>
    /// <param name="userDn">The owner's DN.</param>
    /// <param name="voName">The VO.</param>
    /// <param name="sourceSe">The source storage.</param>
    /// <param name="destSe">The destination storage.</param>
    /// <param name="submitTime">When it was submitted.</param>
    /// <param name="jobFinished">When it finished.</param>
    /// <param name="reason">The server's reason.</param>
    /// <param name="priority">The priority.</param>
    /// <param name="files">The files.</param>
    /// <returns>The job.</returns>
    public static Job Job(
        string? jobId = null,
        JobState? jobState = null,
        string? userDn = null,
        string? voName = null,
        string? sourceSe = null,
        string? destSe = null,
        DateTimeOffset? submitTime = null,
        DateTimeOffset? jobFinished = null,
        string? reason = null,
        int? priority = null,
        IReadOnlyList<JobFile>? files = null)
        => new()
        {
            JobId = jobId,
            JobState = jobState,
            UserDn = userDn,
            VoName = voName,
            SourceSe = sourceSe,
            DestSe = destSe,
            SubmitTime = submitTime,
            JobFinished = jobFinished,
            Reason = reason,
            Priority = priority,
            Files = files,
        };

    /// <summary>A <see cref="JobFile"/> (one transfer of a job).</summary>
    /// <param name="fileId">The file id.</param>
    /// <param name="jobId">The job id.</param>
    /// <param name="fileState">The file state.</param>
    /// <param name="sourceSurl">The source URL.</param>
    /// <param name="destSurl">The destination URL.</param>
    /// <param name="reason">The server's reason.</param>
    /// <param name="filesize">The size in bytes.</param>
    /// <param name="checksum">The checksum.</param>
    /// <param name="startTime">When the transfer started.</param>
    /// <param name="finishTime">When it finished.</param>
    /// <param name="throughput">The throughput.</param>
    /// <param name="retry">The retry count.</param>
    /// <returns>The file.</returns>
    public static JobFile JobFile(
        long? fileId = null,
        string? jobId = null,
        FileState? fileState = null,
        string? sourceSurl = null,
        string? destSurl = null,
        string? reason = null,
        long? filesize = null,
        string? checksum = null,
        DateTimeOffset? startTime = null,
        DateTimeOffset? finishTime = null,
        double? throughput = null,
        int? retry = null)
        => new()
        {
            FileId = fileId,
            JobId = jobId,
            FileState = fileState,
            SourceSurl = sourceSurl,
            DestSurl = destSurl,
            Reason = reason,
            Filesize = filesize,
            Checksum = checksum,
            StartTime = startTime,
            FinishTime = finishTime,
            Throughput = throughput,
            Retry = retry,
        };

    /// <summary>A <see cref="WhoAmI"/> (<c>GET /whoami</c>).</summary>
    /// <param name="userDn">The caller's DN.</param>
    /// <param name="delegationId">The delegation id.</param>
    /// <param name="vos">The VOs.</param>
    /// <param name="voms">The VOMS attributes.</param>
    /// <param name="method">How the caller authenticated (<c>certificate</c>, <c>oauth2</c>).</param>
    /// <param name="isRoot">Whether the caller is an administrator.</param>
    /// <returns>The identity.</returns>
    public static WhoAmI WhoAmI(string userDn = "/DC=org/DC=example/CN=test", string? delegationId = null, IReadOnlyList<string>? vos = null, IReadOnlyList<string>? voms = null, string? method = null, bool? isRoot = null)
        => new() { UserDn = userDn, DelegationId = delegationId, Vos = vos, VomsCred = voms, Method = method, IsRoot = isRoot };

    /// <summary>A <see cref="DelegationInfo"/> (<c>GET /delegation/{id}</c>).</summary>
    /// <param name="terminationTime">When the delegated proxy expires.</param>
    /// <param name="vomsAttributes">Its VOMS attributes.</param>
    /// <returns>The delegation.</returns>
    public static DelegationInfo DelegationInfo(DateTimeOffset terminationTime, IReadOnlyList<string>? vomsAttributes = null)
        => new() { TerminationTime = terminationTime, VomsAttrs = vomsAttributes };

    /// <summary>An <see cref="EndpointInfo"/> (<c>GET /</c>) with the same version for the API, delegation and schema.</summary>
    /// <param name="major">Major version.</param>
    /// <param name="minor">Minor version.</param>
    /// <param name="patch">Patch version.</param>
    /// <returns>The versions.</returns>
    public static EndpointInfo EndpointInfo(int major = 3, int minor = 13, int patch = 4)
    {
        var v = ApiVersion(major, minor, patch);
        return new() { Api = v, Delegation = v, Schema = v, Core = new EndpointInfoCore { Major = major, Minor = minor, Patch = patch } };
    }

    /// <summary>An <see cref="ApiVersion"/>.</summary>
    /// <param name="major">Major version.</param>
    /// <param name="minor">Minor version.</param>
    /// <param name="patch">Patch version.</param>
    /// <returns>The version.</returns>
    public static ApiVersion ApiVersion(int major = 3, int minor = 13, int patch = 4) => new() { Major = major, Minor = minor, Patch = patch };

    /// <summary>An <see cref="Fts3JobResult"/> (one item of a multi-id answer).</summary>
    /// <param name="jobId">The job id asked for.</param>
    /// <param name="statusCode">The item's status.</param>
    /// <param name="message">The server's message for a failed item.</param>
    /// <param name="job">The job when the item succeeded.</param>
    /// <returns>The result.</returns>
    public static Fts3JobResult JobResult(string jobId, int statusCode = 200, string? message = null, Job? job = null) => new(jobId, statusCode, message, job);

    /// <summary>An <see cref="Fts3CancelResult"/>.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="fileId">The file, or null for the whole job.</param>
    /// <param name="state">The state after the call.</param>
    /// <param name="alreadyTerminal">Whether nothing changed.</param>
    /// <param name="message">The server's message.</param>
    /// <returns>The result.</returns>
    public static Fts3CancelResult CancelResult(string jobId, long? fileId = null, string state = "CANCELED", bool alreadyTerminal = false, string? message = null) => new(jobId, fileId, state, alreadyTerminal, message);
}
