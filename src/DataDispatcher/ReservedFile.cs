using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.DataDispatcher;

/// <summary>A file reserved by <see cref="DataDispatcherClient.ReserveFilesAsync"/>: process it, then release it once.</summary>
public sealed class ReservedFile
{
    private readonly DataDispatcherClient _client;
    private int _released;

    internal ReservedFile(DataDispatcherClient client, long projectId, string workerId, Handle handle)
    {
        _client = client;
        ProjectId = projectId;
        WorkerId = workerId;
        Handle = handle;
        Replicas = handle.ReplicasByProximity();
    }

    /// <summary>The project.</summary>
    public long ProjectId { get; }

    /// <summary>The worker that holds the reservation.</summary>
    public string WorkerId { get; }

    /// <summary>The handle as next_file returned it (attributes, project attributes, replicas).</summary>
    public Handle Handle { get; }

    /// <summary>The file's namespace.</summary>
    public string Namespace => Handle.Namespace;

    /// <summary>The file's name.</summary>
    public string Name => Handle.Name;

    /// <summary>The DID, <c>namespace:name</c>.</summary>
    public string Did => Handle.Did;

    /// <summary>The available replicas, closest first.</summary>
    public IReadOnlyList<Replica> Replicas { get; }

    /// <summary>Whether DoneAsync or FailedAsync was called successfully.</summary>
    public bool IsReleased => Volatile.Read(ref _released) == 2;

    /// <summary>Marks the file done.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="InvalidOperationException">The file was already released through this object.</exception>
    public Task<Handle> DoneAsync(CancellationToken cancellationToken = default)
        => ReleaseAsync(() => _client.FileDoneAsync(ProjectId, Did, WorkerId, cancellationToken));

    /// <summary>Marks the file failed: back to the queue when <paramref name="retry"/>, else failed for good.</summary>
    /// <param name="retry">Whether the file may be given out again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="InvalidOperationException">The file was already released through this object.</exception>
    public Task<Handle> FailedAsync(bool retry = true, CancellationToken cancellationToken = default)
        => ReleaseAsync(() => _client.FileFailedAsync(ProjectId, Did, retry, WorkerId, cancellationToken));

    /// <inheritdoc/>
    public override string ToString() => Did;

    private async Task<Handle> ReleaseAsync(Func<Task<Handle>> release)
    {
        if (Interlocked.CompareExchange(ref _released, 1, 0) != 0)
        {
            throw new InvalidOperationException("file " + Did + " of project " + ProjectId + " was already released");
        }

        try
        {
            var h = await release().ConfigureAwait(false);
            Volatile.Write(ref _released, 2);
            return h;
        }
        catch
        {
            Volatile.Write(ref _released, 0);
            throw;
        }
    }
}
