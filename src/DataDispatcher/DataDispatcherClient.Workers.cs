using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.DataDispatcher;

public partial class DataDispatcherClient
{
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Reserves the next file of a project (the seed's <c>next_file</c>): after a random stagger, asks the server;
    /// while it answers "retry", waits 1–60 s (random, never past the timeout) and asks again.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="options">CPU site, worker id, timeout and stagger; the seed's defaults when null.</param>
    /// <param name="cancellationToken">Cancels the waits and the calls.</param>
    /// <returns>
    /// <see cref="NextFileResult.Reserved"/>, <see cref="NextFileResult.TimedOut"/> (no file within the timeout) or
    /// <see cref="NextFileResult.ProjectEnded"/> (only on the server's "project inactive" reply or its 400
    /// "Inactive project" answer; every other error is thrown, unlike the seed, which turned all into "ended").
    /// </returns>
    /// <exception cref="DataDispatcherException">Any other server error (401, 403, 404 ...).</exception>
    public virtual async Task<NextFileResult> NextFileAsync(long projectId, NextFileOptions? options = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? new NextFileOptions();
        var workerId = o.WorkerId ?? WorkerId;
        var cpuSite = string.IsNullOrEmpty(o.CpuSite) ? CpuSite : o.CpuSite;
        var start = _time.GetTimestamp();
        if (o.Stagger > TimeSpan.Zero)
        {
            await DelayAsync(o.Stagger * _random(), cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            NextFileReply reply;
            try
            {
                reply = await Data.NextFileAsync(projectId, workerId, string.IsNullOrEmpty(cpuSite) ? null : cpuSite, cancellationToken).ConfigureAwait(false);
            }
            catch (DataDispatcherBadRequestException e) when (e.Message.StartsWith("Inactive project", StringComparison.Ordinal))
            {
                return new NextFileResult.ProjectEnded(e.Message);
            }

            if (reply.Handle is { } handle)
            {
                return new NextFileResult.Reserved(handle);
            }

            if (reply.Retry != true)
            {
                return new NextFileResult.ProjectEnded(reply.Reason ?? "project inactive");
            }

            var dt = MaxPoll;
            if (o.Timeout is { } timeout)
            {
                var remaining = timeout - _time.GetElapsedTime(start);
                if (remaining <= TimeSpan.Zero)
                {
                    return new NextFileResult.TimedOut();
                }

                dt = remaining < dt ? remaining : dt;
            }

            var dt0 = dt < TimeSpan.FromSeconds(1) ? dt : TimeSpan.FromSeconds(1);
            await DelayAsync(dt0 + ((dt - dt0) * _random()), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The handles of a project reserved by a worker (the seed's <c>reserved_handles</c>).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="workerId">The worker; the client's when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handles.</returns>
    /// <exception cref="DataDispatcherNotFoundException">No such project.</exception>
    public virtual async Task<IReadOnlyList<Handle>> ReservedHandlesAsync(long projectId, string? workerId = null, CancellationToken cancellationToken = default)
    {
        var wid = workerId ?? WorkerId;
        var project = await GetProjectAsync(projectId, withFiles: true, withReplicas: false, cancellationToken).ConfigureAwait(false)
            ?? throw new DataDispatcherNotFoundException("project " + projectId + " not found");
        return (project.FileHandles ?? []).Where(h => h.State == HandleState.Reserved && h.WorkerId == wid).ToList();
    }

    /// <summary>Marks a reserved file done (the seed's <c>file_done</c>).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="did">The file's <c>namespace:name</c>.</param>
    /// <param name="workerId">The worker that reserved it; the client's when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="DataDispatcherForbiddenException">Wrong worker id (also on a second release).</exception>
    /// <exception cref="DataDispatcherNotFoundException">Not found or not reserved.</exception>
    public virtual Task<Handle> FileDoneAsync(long projectId, string did, string? workerId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(did);
        return Data.ReleaseAsync(projectId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + did, YesNo.No, workerId ?? WorkerId, null, cancellationToken);
    }

    /// <summary>Marks a reserved file failed (the seed's <c>file_failed</c>): back to the queue when <paramref name="retry"/>, else failed for good.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="did">The file's <c>namespace:name</c>.</param>
    /// <param name="retry">Whether the file may be given out again.</param>
    /// <param name="workerId">The worker that reserved it; the client's when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="DataDispatcherForbiddenException">Wrong worker id (also on a second release).</exception>
    public virtual Task<Handle> FileFailedAsync(long projectId, string did, bool retry = true, string? workerId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(did);
        return Data.ReleaseAsync(projectId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + did, YesNo.Yes, workerId ?? WorkerId, YesNoOf(retry), cancellationToken);
    }

    /// <summary>
    /// The worker loop: reserves files one after another until the project ends, yielding each with its replicas
    /// sorted by proximity; the caller processes it and calls <see cref="ReservedFile.DoneAsync"/> or
    /// <see cref="ReservedFile.FailedAsync"/>. The stagger is applied once, before the first request; with a
    /// <see cref="NextFileOptions.Timeout"/>, the loop also ends when no file became available within it.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="options">CPU site, worker id, timeout and stagger.</param>
    /// <param name="cancellationToken">Stops the loop (waits included).</param>
    /// <returns>The reserved files.</returns>
    public virtual async IAsyncEnumerable<ReservedFile> ReserveFilesAsync(long projectId, NextFileOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var o = options ?? new NextFileOptions();
        var workerId = o.WorkerId ?? WorkerId;
        var first = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await NextFileAsync(projectId, o with { WorkerId = workerId, Stagger = first ? o.Stagger : TimeSpan.Zero }, cancellationToken).ConfigureAwait(false);
            first = false;
            switch (result)
            {
                case NextFileResult.Reserved r:
                    yield return new ReservedFile(this, projectId, workerId, r.Handle);
                    break;
                default:
                    yield break;
            }
        }
    }
}
