using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.DataDispatcher;

public partial class DataDispatcherClient
{
    /// <summary>Creates a project (the seed's <c>create_project</c>): common attributes are merged into each file's.</summary>
    /// <param name="request">The files and settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new project with its handles.</returns>
    /// <exception cref="DataDispatcherBadRequestException">The server refused the file list.</exception>
    /// <exception cref="DataDispatcherUnauthorizedException">No valid token.</exception>
    public virtual Task<Project> CreateProjectAsync(CreateProjectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Files);
        var files = new List<FileSpec>(request.Files.Count);
        foreach (var f in request.Files)
        {
            if (f is null || string.IsNullOrEmpty(f.Namespace) || string.IsNullOrEmpty(f.Name))
            {
                throw new ArgumentException("file specification " + (files.Count + 1) + " must include namespace and name", nameof(request));
            }

            var attrs = new Dictionary<string, JsonElement>(request.CommonAttributes ?? new Dictionary<string, JsonElement>(), StringComparer.Ordinal);
            foreach (var kv in JsonAttributes.Members(f.Attributes))
            {
                attrs[kv.Key] = kv.Value;
            }

            files.Add(new FileSpec { Namespace = f.Namespace, Name = f.Name, Attributes = JsonAttributes.ToObject(attrs) });
        }

        var body = new NewProject
        {
            Files = files,
            ProjectAttributes = JsonAttributes.ToObject(request.ProjectAttributes),
            Query = request.Query,
            WorkerTimeout = request.WorkerTimeout?.TotalSeconds,
            IdleTimeout = request.IdleTimeout?.TotalSeconds,
            Users = request.Users ?? [],
            Roles = request.Roles ?? [],
        };
        return Data.CreateProjectAsync(body, cancellationToken);
    }

    /// <summary>Creates a project from the DIDs (<c>namespace:name</c>) of files.</summary>
    /// <param name="dids">The DIDs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new project.</returns>
    public virtual Task<Project> CreateProjectAsync(IEnumerable<string> dids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dids);
        return CreateProjectAsync(new CreateProjectRequest { Files = dids.Select(FileSpec.FromDid).ToList() }, cancellationToken);
    }

    /// <summary>Creates a project with the files of another (the seed's <c>copy_project</c>).</summary>
    /// <param name="request">What to copy and override.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new project.</returns>
    /// <exception cref="DataDispatcherNotFoundException">No such project.</exception>
    public virtual Task<Project> CopyProjectAsync(CopyProjectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Data.CopyProjectAsync(new CopyProject
        {
            ProjectId = request.ProjectId,
            FileAttributes = JsonAttributes.ToObject(request.CommonAttributes),
            ProjectAttributes = JsonAttributes.ToObject(request.ProjectAttributes),
            WorkerTimeout = request.WorkerTimeout.ToJson(),
            IdleTimeout = request.IdleTimeout.ToJson(),
        }, cancellationToken);
    }

    /// <summary>
    /// Puts handles back to <c>initial</c> (the seed's <c>restart_handles</c>): the listed DIDs when any, otherwise
    /// those in the selected states (<paramref name="all"/> selects done, failed and reserved).
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="done">Restart done handles.</param>
    /// <param name="failed">Restart failed handles.</param>
    /// <param name="reserved">Restart reserved handles.</param>
    /// <param name="all">Restart done, failed and reserved handles.</param>
    /// <param name="handles">DIDs of specific handles.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The project.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "'handles' is the seed's keyword argument; renaming it would break named-argument callers.")]
    public virtual Task<Project> RestartHandlesAsync(long projectId, bool done = false, bool failed = false, bool reserved = false, bool all = false, IReadOnlyList<string>? handles = null, CancellationToken cancellationToken = default)
    {
        RestartHandles body = handles is { Count: > 0 }
            ? new RestartHandles { ProjectId = projectId, Handles = handles }
            : new RestartHandles { ProjectId = projectId, Done = done || all, Failed = failed || all, Reserved = reserved || all };
        return Data.RestartHandlesAsync(body, cancellationToken);
    }

    /// <summary>Deletes a project (the seed's <c>delete_project</c>; owner or admin).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public virtual Task DeleteProjectAsync(long projectId, CancellationToken cancellationToken = default)
        => Data.DeleteProjectAsync(projectId, cancellationToken);

    /// <summary>Cancels a project (the seed's <c>cancel_project</c>; owner or admin).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The project.</returns>
    /// <exception cref="DataDispatcherForbiddenException">Neither owner nor admin.</exception>
    public virtual Task<Project> CancelProjectAsync(long projectId, CancellationToken cancellationToken = default)
        => Data.CancelProjectAsync(projectId, cancellationToken);

    /// <summary>Makes an abandoned (or other ended) project active again (the seed's <c>activate_project</c>).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The project.</returns>
    public virtual Task<Project> ActivateProjectAsync(long projectId, CancellationToken cancellationToken = default)
        => Data.ActivateProjectAsync(projectId, cancellationToken);

    /// <summary>One project, or null when it does not exist (the seed's <c>get_project</c>).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="withFiles">Include the handles.</param>
    /// <param name="withReplicas">Include the handles' replicas.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The project or null.</returns>
    public virtual Task<Project?> GetProjectAsync(long projectId, bool withFiles = true, bool withReplicas = false, CancellationToken cancellationToken = default)
        => Data.GetProjectAsync(projectId, YesNoOf(withFiles), YesNoOf(withReplicas), cancellationToken);

    /// <summary>One handle of a project (with replicas), or null (the seed's <c>get_handle</c>).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="ns">The file's namespace.</param>
    /// <param name="name">The file's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handle or null (also when the project does not exist).</returns>
    public virtual async Task<Handle?> GetHandleAsync(long projectId, string ns, string name, CancellationToken cancellationToken = default)
    {
        var project = await GetProjectAsync(projectId, withFiles: true, withReplicas: true, cancellationToken).ConfigureAwait(false);
        return project?.FileHandles?.FirstOrDefault(h => h.Namespace == ns && h.Name == name);
    }

    /// <summary>Projects (the seed's <c>list_projects</c>; by default the caller's active, not abandoned, with files).</summary>
    /// <param name="options">Filters; the seed's defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The projects, by id.</returns>
    public virtual Task<IReadOnlyList<Project>> ListProjectsAsync(ListProjectsOptions? options = null, CancellationToken cancellationToken = default)
        => Data.ListProjectsAsync(ProjectsRequest(options), cancellationToken);

    /// <summary>
    /// Projects as <see cref="ListProjectsAsync"/> lists them, one at a time as the response is read (the generated
    /// <c>ListProjectsStreamAsync</c>), so a listing with files is never held in memory at once. An error status throws
    /// at the first <c>MoveNextAsync</c>.
    /// </summary>
    /// <param name="options">Filters; the seed's defaults when null.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The projects, as they arrive.</returns>
    public virtual IAsyncEnumerable<Project> ListProjectsStreamAsync(ListProjectsOptions? options = null, CancellationToken cancellationToken = default)
        => Data.ListProjectsStreamAsync(ProjectsRequest(options), cancellationToken);

    private static ListProjectsRequest ProjectsRequest(ListProjectsOptions? options)
    {
        var o = options ?? new ListProjectsOptions();
        return new ListProjectsRequest
        {
            Owner = string.IsNullOrEmpty(o.Owner) ? null : o.Owner,
            State = string.IsNullOrEmpty(o.State) ? null : o.State,
            NotState = string.IsNullOrEmpty(o.NotState) ? null : o.NotState,
            Attributes = o.Attributes is { Count: > 0 } a ? JsonAttributes.ToObject(a).GetRawText() : null,
            WithHandles = YesNoOf(o.WithFiles),
            WithReplicas = YesNoOf(o.WithReplicas),
        };
    }

    /// <summary>Projects matching a query on their attributes (the seed's <c>search_projects</c>).</summary>
    /// <param name="query">The query (the server's MQL subset).</param>
    /// <param name="owner">Only this owner's projects; everyone's when null.</param>
    /// <param name="state">Only this state (default <c>active</c>; <c>all</c> or null: any).</param>
    /// <param name="withFiles">Include the handles.</param>
    /// <param name="withReplicas">Include the replicas.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The projects.</returns>
    public virtual Task<IReadOnlyList<Project>> SearchProjectsAsync(string query, string? owner = null, string? state = "active", bool withFiles = true, bool withReplicas = false, CancellationToken cancellationToken = default)
        => Data.SearchProjectsAsync(Search(query, owner, state, withFiles, withReplicas), cancellationToken);

    /// <summary>Projects matching a query, as <see cref="SearchProjectsAsync"/> finds them, one at a time as the response is read (the generated <c>SearchProjectsStreamAsync</c>).</summary>
    /// <param name="query">The query (the server's MQL subset).</param>
    /// <param name="owner">Only this owner's projects; everyone's when null.</param>
    /// <param name="state">Only this state (default <c>active</c>; <c>all</c> or null: any).</param>
    /// <param name="withFiles">Include the handles.</param>
    /// <param name="withReplicas">Include the replicas.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The projects, as they arrive.</returns>
    public virtual IAsyncEnumerable<Project> SearchProjectsStreamAsync(string query, string? owner = null, string? state = "active", bool withFiles = true, bool withReplicas = false, CancellationToken cancellationToken = default)
        => Data.SearchProjectsStreamAsync(Search(query, owner, state, withFiles, withReplicas), cancellationToken);

    private static SearchProjects Search(string query, string? owner, string? state, bool withFiles, bool withReplicas)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new SearchProjects
        {
            Query = query,
            Owner = string.IsNullOrEmpty(owner) ? null : owner,
            State = state is null or "all" ? null : state,
            WithHandles = withFiles,
            WithReplicas = withReplicas,
        };
    }

    /// <summary>The handles of a project (the seed's deprecated <c>list_handles</c>).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="state">Only this state.</param>
    /// <param name="notState">Not this state.</param>
    /// <param name="withReplicas">Include replicas.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handles.</returns>
    public virtual Task<IReadOnlyList<Handle>> ListHandlesAsync(long projectId, string? state = null, string? notState = null, bool withReplicas = false, CancellationToken cancellationToken = default)
        => Data.ListHandlesAsync(projectId, state, notState, YesNoOf(withReplicas), cancellationToken);

    /// <summary>The handles of a project, one at a time as the response is read (the generated <c>ListHandlesStreamAsync</c>): a project of many files is never held in memory at once.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="state">Only this state.</param>
    /// <param name="notState">Not this state.</param>
    /// <param name="withReplicas">Include replicas.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The handles, as they arrive.</returns>
    public virtual IAsyncEnumerable<Handle> ListHandlesStreamAsync(long projectId, string? state = null, string? notState = null, bool withReplicas = false, CancellationToken cancellationToken = default)
        => Data.ListHandlesStreamAsync(projectId, state, notState, YesNoOf(withReplicas), cancellationToken);

    /// <summary>All RSEs (the seed's <c>list_rses</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The RSEs.</returns>
    public virtual Task<IReadOnlyList<Rse>> ListRsesAsync(CancellationToken cancellationToken = default) => Data.ListRsesAsync(cancellationToken);

    /// <summary>One RSE or null (the seed's <c>get_rse</c>).</summary>
    /// <param name="name">The RSE name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The RSE or null.</returns>
    public virtual Task<Rse?> GetRseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Data.GetRseAsync(name, cancellationToken);
    }

    /// <summary>
    /// Marks an RSE available or not (admin). The seed's <c>set_rse_availability</c> became a no-op; this calls
    /// the server route that still exists.
    /// </summary>
    /// <param name="name">The RSE name.</param>
    /// <param name="available">Available or not.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The RSE.</returns>
    /// <exception cref="DataDispatcherForbiddenException">Not an admin.</exception>
    public virtual Task<Rse> SetRseAvailabilityAsync(string name, bool available, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Data.SetRseAvailabilityAsync(name, YesNoOf(available), cancellationToken);
    }

    /// <summary>Creates an RSE (the seed's <c>create_rse</c>; admin).</summary>
    /// <param name="rse">The RSE.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The RSE.</returns>
    public virtual Task<Rse> CreateRseAsync(NewRse rse, CancellationToken cancellationToken = default) => Data.CreateRseAsync(rse, cancellationToken);

    /// <summary>Changes an RSE (the seed's <c>update_rse</c>; admin; null members unchanged).</summary>
    /// <param name="update">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The RSE.</returns>
    public virtual Task<Rse> UpdateRseAsync(RseUpdate update, CancellationToken cancellationToken = default) => Data.UpdateRseAsync(update, cancellationToken);

    /// <summary>Deletes an RSE (the seed's <c>delete_rse</c>; admin).</summary>
    /// <param name="name">The RSE name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public virtual Task DeleteRseAsync(string name, CancellationToken cancellationToken = default) => Data.DeleteRseAsync(name, cancellationToken);

    private static YesNo YesNoOf(bool value) => value ? YesNo.Yes : YesNo.No;
}
