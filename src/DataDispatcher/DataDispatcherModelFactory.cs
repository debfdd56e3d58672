using System;
using System.Collections.Generic;

namespace Toolkit.DataDispatcher;

/// <summary>
/// Creates Data Dispatcher model instances for tests and mocks (the Azure SDK's model factory): a mocked
/// <see cref="DataDispatcherClient"/> returns these. Every parameter but the identifying ones is optional.
/// Hand-written until the OpenAPI generator emits model factories; it also reaches types whose constructors are
/// internal (<see cref="DataDispatcher.ReservedFile"/>).
/// </summary>
public static class DataDispatcherModelFactory
{
    /// <summary>A <see cref="DataDispatcher.Project"/>.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="state">The state; active when null.</param>
    /// <param name="active">Whether it is active.</param>
    /// <param name="createdTimestamp">Creation time (Unix seconds).</param>
    /// <param name="endedTimestamp">End time (Unix seconds).</param>
    /// <param name="query">The MQL query it was made from.</param>
    /// <param name="workerTimeout">The worker timeout in seconds.</param>
    /// <param name="idleTimeout">The idle timeout in seconds.</param>
    /// <param name="fileHandles">Its file handles.</param>
    /// <returns>The project.</returns>
    public static Project Project(
        long projectId,
        string owner = "user",
        ProjectState? state = null,
        bool? active = true,
        double? createdTimestamp = null,
        double? endedTimestamp = null,
        string? query = null,
        double? workerTimeout = null,
        double? idleTimeout = null,
        IReadOnlyList<Handle>? fileHandles = null)
        => new()
        {
            ProjectId = projectId,
            Owner = owner,
            State = state ?? ProjectState.Active,
            Active = active,
            CreatedTimestamp = createdTimestamp,
            EndedTimestamp = endedTimestamp,
            Query = query,
            WorkerTimeout = workerTimeout,
            IdleTimeout = idleTimeout,
            FileHandles = fileHandles,
        };

    /// <summary>A file <see cref="DataDispatcher.Handle"/>.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="namespace">The file's namespace.</param>
    /// <param name="name">The file's name.</param>
    /// <param name="state">The handle state; initial when null.</param>
    /// <param name="workerId">The worker holding it.</param>
    /// <param name="attempts">The number of attempts.</param>
    /// <param name="reservedSince">When it was reserved (Unix seconds).</param>
    /// <param name="replicas">Its replicas by RSE.</param>
    /// <returns>The handle.</returns>
    public static Handle Handle(
        long projectId,
        string @namespace,
        string name,
        HandleState? state = null,
        string? workerId = null,
        long? attempts = null,
        double? reservedSince = null,
        IReadOnlyDictionary<string, Replica>? replicas = null)
        => new()
        {
            ProjectId = projectId,
            Namespace = @namespace,
            Name = name,
            State = state ?? HandleState.Initial,
            WorkerId = workerId,
            Attempts = attempts,
            ReservedSince = reservedSince,
            Replicas = replicas,
        };

    /// <summary>A <see cref="DataDispatcher.Replica"/>.</summary>
    /// <param name="rse">The RSE.</param>
    /// <param name="url">The URL.</param>
    /// <param name="path">The path.</param>
    /// <param name="namespace">The file's namespace.</param>
    /// <param name="name">The file's name.</param>
    /// <returns>The replica.</returns>
    public static Replica Replica(string? rse = null, string? url = null, string? path = null, string? @namespace = null, string? name = null)
        => new() { Rse = rse, Url = url, Path = path, Namespace = @namespace, Name = name };

    /// <summary>An <see cref="DataDispatcher.Rse"/>.</summary>
    /// <param name="name">The RSE name.</param>
    /// <param name="isAvailable">Whether it is available.</param>
    /// <param name="isTape">Whether it is tape.</param>
    /// <param name="description">The description.</param>
    /// <param name="preference">The preference.</param>
    /// <returns>The RSE.</returns>
    public static Rse Rse(string name, bool? isAvailable = true, bool? isTape = false, string? description = null, long? preference = null)
        => new() { Name = name, IsAvailable = isAvailable, IsTape = isTape, Description = description, Preference = preference };

    /// <summary>An <see cref="DataDispatcher.AuthInfo"/>.</summary>
    /// <param name="user">The token's user.</param>
    /// <param name="expiresAt">Its expiry.</param>
    /// <returns>The info.</returns>
    public static AuthInfo AuthInfo(string? user = null, DateTimeOffset? expiresAt = null) => new(user, expiresAt);

    /// <summary>
    /// A <see cref="DataDispatcher.ReservedFile"/> bound to <paramref name="client"/> (a mock): releasing it calls
    /// the client's <see cref="DataDispatcherClient.FileDoneAsync"/> or <see cref="DataDispatcherClient.FileFailedAsync"/>.
    /// </summary>
    /// <param name="client">The client that releases it.</param>
    /// <param name="handle">The reserved handle.</param>
    /// <param name="workerId">The worker id; the handle's, else <c>worker</c>, when null.</param>
    /// <returns>The reserved file.</returns>
    public static ReservedFile ReservedFile(DataDispatcherClient client, Handle handle, string? workerId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(handle);
        return new ReservedFile(client, handle.ProjectId, workerId ?? handle.WorkerId ?? "worker", handle);
    }
}
