using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;
using Toolkit.Runtime.Security;

namespace Toolkit.Unicore;

/// <summary>
/// A UNICORE site, the way PyUNICORE's <c>Client</c> speaks to it: it starts at the site's core URL
/// (<c>https://gateway/SITE/rest/core</c>) and reaches everything else through the <c>_links</c> of the replies:
/// jobs, storages, transfers, and the working directory of a job. Resources are created with <c>POST</c> and found
/// at the <c>Location</c> of the <c>201</c>. <see cref="UnicoreRegistry"/> finds sites, <see cref="UnicoreWorkflowService"/>
/// runs workflows. The security session is kept for the client and every handle it made.
/// </summary>
public class UnicoreClient : IDisposable
{
    private readonly HttpClient? _ownHttp;
    private readonly HttpClient _httpClient = null!;
    private readonly UnicoreHttp _http = null!;
    private IReadOnlyDictionary<string, Link>? _siteLinks;

    /// <summary>For test doubles: members not overridden throw.</summary>
    protected UnicoreClient()
    {
    }

    /// <summary>
    /// A client with its own HTTP pipeline (disposed by <see cref="Dispose()"/>): a <see cref="GridTls"/>
    /// transport, Runtime's retry handler (<see cref="UnicoreClientOptions.Retry"/>), the credential's
    /// authentication handler, and the per-attempt <see cref="TimeoutHandler"/>. No I/O.
    /// </summary>
    /// <param name="options">The options; <see cref="UnicoreClientOptions.SiteUrl"/> or <see cref="UnicoreClientOptions.RegistryUrl"/> is required.</param>
    public UnicoreClient(UnicoreClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        var handlers = new List<DelegatingHandler>();
        if (options.UserAgent is { Length: > 0 } agent)
        {
            handlers.Add(new UserAgentHandler(agent));
        }

        handlers.Add(new RetryHandler(options.Retry ?? RetryPolicy.None, options.TimeProvider, options.Logger));
        if (options.Credential.CreateHandler() is { } auth)
        {
            handlers.Add(auth);
        }

        handlers.Add(new TimeoutHandler(options.Timeout, TimeProvider.System, UnicoreHttp.TimeoutOption));
        var transport = GridTls.CreateHttpHandler(options.Tls ?? new GridTlsOptions());
        _ownHttp = new HttpClient(HttpPipeline.Create(transport, handlers.ToArray()), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _httpClient = _ownHttp;
        _http = new UnicoreHttp(_ownHttp, options);
    }

    /// <summary>
    /// A client over the caller's <see cref="HttpClient"/>, used as is and never disposed: its handlers
    /// authenticate, retry and time out (the credential, TLS, retry and timeout of the options are not applied).
    /// </summary>
    /// <param name="httpClient">The caller's client.</param>
    /// <param name="options">The options; <see cref="UnicoreClientOptions.SiteUrl"/> or <see cref="UnicoreClientOptions.RegistryUrl"/> is required.</param>
    public UnicoreClient(HttpClient httpClient, UnicoreClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        _httpClient = httpClient;
        _http = new UnicoreHttp(httpClient, options);
    }

    private UnicoreClient(UnicoreClient parent, Uri siteUrl)
    {
        _httpClient = parent._httpClient;
        _http = new UnicoreHttp(parent._httpClient, parent._http.Options with { SiteUrl = siteUrl, Preferences = parent._http.Preferences });
    }

    internal UnicoreHttp Http => _http;

    /// <summary>The site's core URL (null for a registry-only client).</summary>
    public virtual Uri? SiteUrl => _http.Options.SiteUrl;

    /// <summary>The current security session id (null before the first reply or after a reset).</summary>
    public virtual string? SecuritySession => _http.SessionId;

    /// <summary>
    /// The user preferences (<c>X-UNICORE-User-Preferences</c>, e.g. <c>uid:alice,group:hpc</c>); changing them
    /// drops the security session, which belongs to the attributes it was made with.
    /// </summary>
    public virtual string? Preferences
    {
        get => _http.Preferences;
        set => _http.Preferences = value;
    }

    /// <summary>Sets the preferences from their parts (null parts are left out).</summary>
    /// <param name="uid">The Unix login.</param>
    /// <param name="group">The primary group.</param>
    /// <param name="role">The role (user, admin, ...).</param>
    public virtual void SetPreferences(string? uid = null, string? group = null, string? role = null)
    {
        var parts = new List<string>();
        if (uid is not null)
        {
            parts.Add("uid:" + uid);
        }

        if (group is not null)
        {
            parts.Add("group:" + group);
        }

        if (role is not null)
        {
            parts.Add("role:" + role);
        }

        Preferences = parts.Count == 0 ? null : string.Join(",", parts);
    }

    /// <summary>A client for another site (found in a registry), sharing this client's HTTP pipeline; dispose this one last.</summary>
    /// <param name="siteUrl">The site's core URL.</param>
    /// <returns>The client.</returns>
    public virtual UnicoreClient ForSite(Uri siteUrl)
    {
        ArgumentNullException.ThrowIfNull(siteUrl);
        return new UnicoreClient(this, siteUrl);
    }

    /// <summary><c>GET</c> the site: who the server thinks the client is, the server's version, and the links.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The site information.</returns>
    public virtual async Task<SiteInfo> GetSiteInfoAsync(CancellationToken cancellationToken = default)
    {
        var info = await _http.GetJsonAsync<SiteInfo>(RequireSite(), cancellationToken).ConfigureAwait(false);
        if (info.Links is { Count: > 0 } links)
        {
            Volatile.Write(ref _siteLinks, links);
        }

        return info;
    }

    /// <summary>
    /// Reads the site information and fails with <see cref="UnicoreAnonymousException"/> when the server treats the
    /// client as anonymous (role <c>anonymous</c> or no client DN), which UNICORE does for missing or unmapped
    /// credentials instead of answering 401.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The site information.</returns>
    public virtual async Task<SiteInfo> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var info = await GetSiteInfoAsync(cancellationToken).ConfigureAwait(false);
        if (IsAnonymous(info))
        {
            throw new UnicoreAnonymousException("the site " + SiteUrl + " treats this client as anonymous (role '" + (info.Client?.Role?.Selected ?? "none") +
                "', DN '" + (info.Client?.Dn ?? "none") + "'): the credential (" + (_http?.Options.Credential.Description ?? "unknown") + ") was not accepted or not given");
        }

        return info;
    }

    /// <summary>Whether the site information says the client is anonymous.</summary>
    /// <param name="info">The site information.</param>
    /// <returns>True when anonymous.</returns>
    public static bool IsAnonymous(SiteInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var role = info.Client?.Role?.Selected;
        return info.Client is null || string.Equals(role, "anonymous", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(info.Client.Dn);
    }

    /// <summary>Submits a job (<c>POST</c> to the site's <c>jobs</c> link) and returns its handle from the 201's Location.</summary>
    /// <param name="job">The job description.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job.</returns>
    public virtual async Task<UnicoreJob> SubmitJobAsync(JobDescription job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var jobs = await SiteLinkAsync("jobs", cancellationToken).ConfigureAwait(false);
        var url = await _http.CreateAsync(jobs, ApiJson.Serialize(job), cancellationToken).ConfigureAwait(false);
        return new UnicoreJob(_http, url);
    }

    /// <summary>
    /// Submits a job whose inputs the client uploads (PyUNICORE's <c>new_job(..., inputs)</c>): sets
    /// <c>haveClientStageIn</c>, uploads each input into the working directory, then starts the job.
    /// </summary>
    /// <param name="job">The job description.</param>
    /// <param name="inputs">Remote file name → local path.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The started job.</returns>
    public virtual async Task<UnicoreJob> SubmitJobAsync(JobDescription job, IReadOnlyDictionary<string, string> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(inputs);
        var handle = await SubmitJobAsync(job with { HaveClientStageIn = "true" }, cancellationToken).ConfigureAwait(false);
        var wd = await handle.GetWorkingDirectoryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (remote, local) in inputs)
        {
            await wd.UploadFileAsync(local, remote, cancellationToken).ConfigureAwait(false);
        }

        await handle.StartAsync(cancellationToken).ConfigureAwait(false);
        return handle;
    }

    /// <summary>One page of the caller's jobs (<c>offset</c>/<c>num</c>), optionally only those with all the <paramref name="tags"/>.</summary>
    /// <param name="offset">First job.</param>
    /// <param name="num">Page size (the server's default when null).</param>
    /// <param name="tags">Tags to filter by.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job handles.</returns>
    public virtual async Task<IReadOnlyList<UnicoreJob>> ListJobsAsync(int? offset = null, int? num = null, IReadOnlyCollection<string>? tags = null, CancellationToken cancellationToken = default)
    {
        var jobs = UnicoreHttp.WithQuery(await SiteLinkAsync("jobs", cancellationToken).ConfigureAwait(false), offset, num, tags);
        var list = await _http.GetJsonAsync<JobList>(jobs, cancellationToken).ConfigureAwait(false);
        return UnicoreHttp.Urls(list.Jobs, jobs).ConvertAll(u => new UnicoreJob(_http, u));
    }

    /// <summary>The handle of a job by its URL (no I/O).</summary>
    /// <param name="url">The job URL.</param>
    /// <returns>The handle.</returns>
    public virtual UnicoreJob GetJob(Uri url) => new(_http, url ?? throw new ArgumentNullException(nameof(url)));

    /// <summary>The storages of the site (home, project spaces, working directories of jobs).</summary>
    /// <param name="offset">First storage.</param>
    /// <param name="num">Page size.</param>
    /// <param name="tags">Tags to filter by.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The storage handles.</returns>
    public virtual async Task<IReadOnlyList<UnicoreStorage>> ListStoragesAsync(int? offset = null, int? num = null, IReadOnlyCollection<string>? tags = null, CancellationToken cancellationToken = default)
    {
        var storages = UnicoreHttp.WithQuery(await SiteLinkAsync("storages", cancellationToken).ConfigureAwait(false), offset, num, tags);
        var list = await _http.GetJsonAsync<StorageList>(storages, cancellationToken).ConfigureAwait(false);
        return UnicoreHttp.Urls(list.Storages, storages).ConvertAll(u => new UnicoreStorage(_http, u));
    }

    /// <summary>The storage whose URL ends with <paramref name="name"/> (<c>HOME</c>, <c>PROJECTS</c>, ...).</summary>
    /// <param name="name">The storage's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The storage.</returns>
    /// <exception cref="UnicoreNotFoundException">The site has no such storage.</exception>
    public virtual async Task<UnicoreStorage> GetStorageAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var s in await ListStoragesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (s.Url.AbsolutePath.TrimEnd('/').EndsWith("/" + name, StringComparison.Ordinal))
            {
                return s;
            }
        }

        throw new UnicoreNotFoundException("the site " + SiteUrl + " has no storage '" + name + "'");
    }

    /// <summary>The handle of a storage by its URL (no I/O).</summary>
    /// <param name="url">The storage URL.</param>
    /// <returns>The handle.</returns>
    public virtual UnicoreStorage GetStorage(Uri url) => new(_http, url ?? throw new ArgumentNullException(nameof(url)));

    /// <summary>The server-to-server transfers of the caller.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transfer handles.</returns>
    public virtual async Task<IReadOnlyList<UnicoreTransfer>> ListTransfersAsync(CancellationToken cancellationToken = default)
    {
        var transfers = await SiteLinkAsync("transfers", cancellationToken).ConfigureAwait(false);
        var list = await _http.GetJsonAsync<TransferList>(transfers, cancellationToken).ConfigureAwait(false);
        return UnicoreHttp.Urls(list.Transfers, transfers).ConvertAll(u => new UnicoreTransfer(_http, u));
    }

    /// <summary>The registry of <see cref="UnicoreClientOptions.RegistryUrl"/>, or of <paramref name="url"/>.</summary>
    /// <param name="url">The registry URL; null for the options'.</param>
    /// <returns>The registry.</returns>
    public virtual UnicoreRegistry GetRegistry(Uri? url = null) =>
        new(_http, url ?? _http.Options.RegistryUrl ?? throw new InvalidOperationException("no registry URL: set RegistryUrl (or " + UnicoreClientOptions.RegistryVariable + ")"));

    /// <summary>A workflow service (<c>https://gateway/WORKFLOW/rest/workflows</c>).</summary>
    /// <param name="url">The service URL.</param>
    /// <returns>The service.</returns>
    public virtual UnicoreWorkflowService GetWorkflowService(Uri url) => new(_http, url ?? throw new ArgumentNullException(nameof(url)));

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the own HTTP client, if any.</summary>
    /// <param name="disposing">From <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownHttp?.Dispose();
        }
    }

    private async Task<Uri> SiteLinkAsync(string relation, CancellationToken cancellationToken)
    {
        // The site's links do not change: read once (PyUNICORE caches properties for 5 s; links are kept here).
        var site = RequireSite();
        var links = Volatile.Read(ref _siteLinks) ?? (await GetSiteInfoAsync(cancellationToken).ConfigureAwait(false)).Links;
        return UnicoreHttp.Link(links, relation, site);
    }

    private Uri RequireSite() => _http.Options.SiteUrl ?? throw new InvalidOperationException("no site URL: set SiteUrl (or " + UnicoreClientOptions.UrlVariable + ")");

    private static void Check(UnicoreClientOptions options)
    {
        if (options.SiteUrl is null && options.RegistryUrl is null)
        {
            throw new ArgumentException("no UNICORE URL: set SiteUrl or RegistryUrl (or " + UnicoreClientOptions.UrlVariable + " / " + UnicoreClientOptions.RegistryVariable + ")", nameof(options));
        }
    }
}
