using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Toolkit.DataDispatcher;

/// <summary>The inputs of <see cref="DataDispatcherClient.CreateProjectAsync(CreateProjectRequest, System.Threading.CancellationToken)"/> (the seed's <c>create_project</c> arguments).</summary>
public sealed record CreateProjectRequest
{
    /// <summary>The files (see <see cref="FileSpec.FromDid"/> for <c>namespace:name</c> strings).</summary>
    public required IReadOnlyList<FileSpec> Files { get; init; }

    /// <summary>Attributes given to every file; a file's own attributes win.</summary>
    public IReadOnlyDictionary<string, JsonElement>? CommonAttributes { get; init; }

    /// <summary>Attributes of the project.</summary>
    public IReadOnlyDictionary<string, JsonElement>? ProjectAttributes { get; init; }

    /// <summary>The MetaCat query the files came from (informational).</summary>
    public string? Query { get; init; }

    /// <summary>How long a worker may hold a file before it is released by the server's daemon; null: no limit.</summary>
    public TimeSpan? WorkerTimeout { get; init; }

    /// <summary>Inactivity after which the project is abandoned; null: never. Default 72 hours.</summary>
    public TimeSpan? IdleTimeout { get; init; } = DataDispatcherClient.DefaultIdleTimeout;

    /// <summary>Users allowed to use the worker interface besides the owner.</summary>
    public IReadOnlyList<string>? Users { get; init; }

    /// <summary>Roles whose members may use the worker interface.</summary>
    public IReadOnlyList<string>? Roles { get; init; }
}

/// <summary>The inputs of <see cref="DataDispatcherClient.CopyProjectAsync"/> (the seed's <c>copy_project</c> arguments).</summary>
public sealed record CopyProjectRequest
{
    /// <summary>The project to copy.</summary>
    public required long ProjectId { get; init; }

    /// <summary>File attributes to override.</summary>
    public IReadOnlyDictionary<string, JsonElement>? CommonAttributes { get; init; }

    /// <summary>Project attributes to override.</summary>
    public IReadOnlyDictionary<string, JsonElement>? ProjectAttributes { get; init; }

    /// <summary>The worker timeout of the copy (default: the original's).</summary>
    public CopyTimeout WorkerTimeout { get; init; }

    /// <summary>The idle timeout of the copy (default: the original's).</summary>
    public CopyTimeout IdleTimeout { get; init; }
}

/// <summary>The filters of <see cref="DataDispatcherClient.ListProjectsAsync"/> (the seed's <c>list_projects</c> defaults).</summary>
public sealed record ListProjectsOptions
{
    /// <summary>Only this owner's projects (<c>all</c>: everyone's); the caller's when null.</summary>
    public string? Owner { get; init; }

    /// <summary>Only projects in this state (default <c>active</c>; null: any).</summary>
    public string? State { get; init; } = "active";

    /// <summary>Exclude projects in this state (default <c>abandoned</c>; null: none).</summary>
    public string? NotState { get; init; } = "abandoned";

    /// <summary>Only projects with these attribute values.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Attributes { get; init; }

    /// <summary>Include the file handles (default true).</summary>
    public bool WithFiles { get; init; } = true;

    /// <summary>Include the replicas of the handles.</summary>
    public bool WithReplicas { get; init; }
}

/// <summary>How <see cref="DataDispatcherClient.NextFileAsync"/> waits (the seed's <c>next_file</c> keyword arguments).</summary>
public sealed record NextFileOptions
{
    /// <summary>The CPU site; the client's when null.</summary>
    public string? CpuSite { get; init; }

    /// <summary>The worker id; the client's when null.</summary>
    public string? WorkerId { get; init; }

    /// <summary>How long to wait for a file to become available; null: until the project ends.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A random delay of up to this much before the first request (default 10 s; zero: none).</summary>
    public TimeSpan Stagger { get; init; } = TimeSpan.FromSeconds(10);
}
