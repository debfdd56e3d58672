using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;
using Toolkit.Runtime.Json;

namespace Toolkit.Fts3;

public partial class Fts3Context
{
    /// <summary>The file attributes <see cref="GetJobsStatusesAsync"/> embeds when files are asked for (as the Python client).</summary>
    public static readonly IReadOnlyList<string> FileFieldsForStatus = new[]
    {
        "start_time", "finish_time", "source_se", "dest_se", "source_surl", "dest_surl", "file_state", "file_id",
        "reason", "filesize", "checksum", "throughput", "tx_duration",
    };

    /// <summary>Versions of the server (Python <c>get_endpoint_info</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions.</returns>
    public virtual async Task<EndpointInfo> GetEndpointInfoAsync(CancellationToken cancellationToken = default)
    {
        EndpointInfo = await Client.GetEndpointInfoAsync(cancellationToken).ConfigureAwait(false);
        return EndpointInfo;
    }

    /// <summary>Who the server thinks the caller is (Python <c>whoami</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>DN, VOs, delegation id, roles.</returns>
    public virtual Task<WhoAmI> WhoAmIAsync(CancellationToken cancellationToken = default) => Client.WhoAmIAsync(cancellationToken);

    /// <summary>Lists jobs (Python <c>list_jobs</c>); without states only unfinished jobs.</summary>
    /// <param name="userDn">Only jobs of this DN.</param>
    /// <param name="vo">Only jobs of this VO.</param>
    /// <param name="sourceSe">Only jobs from this storage.</param>
    /// <param name="destSe">Only jobs to this storage.</param>
    /// <param name="delegationId">Only jobs of this delegation id.</param>
    /// <param name="states">Only jobs in these states.</param>
    /// <param name="timeWindow"><c>H</c> or <c>H:M</c>: also jobs finished within the window (with states).</param>
    /// <param name="fields">Only these job attributes.</param>
    /// <param name="limit">At most this many (0..500), newest first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs.</returns>
    public virtual Task<IReadOnlyList<Job>> ListJobsAsync(
        string? userDn = null,
        string? vo = null,
        string? sourceSe = null,
        string? destSe = null,
        string? delegationId = null,
        IEnumerable<string>? states = null,
        string? timeWindow = null,
        IEnumerable<string>? fields = null,
        int? limit = null,
        CancellationToken cancellationToken = default)
        => Client.ListJobsAsync(JobsRequest(userDn, vo, sourceSe, destSe, delegationId, states, timeWindow, fields, limit), cancellationToken);

    /// <summary>
    /// Lists jobs as <see cref="ListJobsAsync"/> does, one job at a time as the response is read (the generated
    /// <c>ListJobsStreamAsync</c>): a long listing is never held in memory at once. An error status throws at the first
    /// <c>MoveNextAsync</c>.
    /// </summary>
    /// <param name="userDn">Only jobs of this DN.</param>
    /// <param name="vo">Only jobs of this VO.</param>
    /// <param name="sourceSe">Only jobs from this storage.</param>
    /// <param name="destSe">Only jobs to this storage.</param>
    /// <param name="delegationId">Only jobs of this delegation id.</param>
    /// <param name="states">Only jobs in these states.</param>
    /// <param name="timeWindow"><c>H</c> or <c>H:M</c>: also jobs finished within the window (with states).</param>
    /// <param name="fields">Only these job attributes.</param>
    /// <param name="limit">At most this many (0..500), newest first.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The jobs, as they arrive.</returns>
    public virtual IAsyncEnumerable<Job> ListJobsStreamAsync(
        string? userDn = null,
        string? vo = null,
        string? sourceSe = null,
        string? destSe = null,
        string? delegationId = null,
        IEnumerable<string>? states = null,
        string? timeWindow = null,
        IEnumerable<string>? fields = null,
        int? limit = null,
        CancellationToken cancellationToken = default)
        => Client.ListJobsStreamAsync(JobsRequest(userDn, vo, sourceSe, destSe, delegationId, states, timeWindow, fields, limit), cancellationToken);

    /// <summary>The files of a job (<c>/jobs/{id}/files</c>), one at a time as the response is read (the generated <c>GetJobFilesStreamAsync</c>).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The files, as they arrive.</returns>
    /// <exception cref="NotFoundException">No such job (at the first <c>MoveNextAsync</c>).</exception>
    public virtual IAsyncEnumerable<JobFile> ListJobFilesStreamAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return Client.GetJobFilesStreamAsync(jobId, cancellationToken);
    }

    private static ListJobsRequest JobsRequest(
        string? userDn, string? vo, string? sourceSe, string? destSe, string? delegationId, IEnumerable<string>? states, string? timeWindow, IEnumerable<string>? fields, int? limit)
        => new()
        {
            UserDn = userDn,
            VoName = vo,
            SourceSe = sourceSe,
            DestSe = destSe,
            DlgId = delegationId,
            StateIn = states?.Select(s => new JobState(s)).ToList(),
            TimeWindow = timeWindow,
            Fields = fields?.ToList(),
            Limit = limit,
        };

    /// <summary>One job (Python <c>get_job_status</c>), with its files when asked.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="listFiles">Also fetch <c>/jobs/{id}/files</c> into <see cref="Job.Files"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job.</returns>
    /// <exception cref="NotFoundException">No such job (the server's message names it).</exception>
    public virtual async Task<Job> GetJobStatusAsync(string jobId, bool listFiles = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var element = await Client.GetJobsAsync(new[] { jobId }, null, cancellationToken).ConfigureAwait(false);
        var job = ParseJob(element.ToElement());
        if (listFiles)
        {
            var files = await Client.GetJobFilesAsync(jobId, cancellationToken).ConfigureAwait(false);
            job = job with { Files = files };
        }

        return job;
    }

    /// <summary>
    /// Several jobs at once (Python <c>get_jobs_statuses</c>): one result per id, in order. When some ids fail the
    /// server answers 207 and those items carry their status and message instead of raising.
    /// </summary>
    /// <param name="jobIds">The job ids.</param>
    /// <param name="listFiles">Embed the files (attributes <see cref="FileFieldsForStatus"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per-id results.</returns>
    public virtual async Task<IReadOnlyList<Fts3JobResult>> GetJobsStatusesAsync(IEnumerable<string> jobIds, bool listFiles = false, CancellationToken cancellationToken = default)
    {
        var ids = CheckIds(jobIds);
        var element = await Client.GetJobsAsync(ids, listFiles ? FileFieldsForStatus : null, cancellationToken).ConfigureAwait(false);
        return ParseResults(ids, element.ToElement());
    }

    /// <summary>
    /// Cancels a job, or some of its files (Python <c>cancel</c>). A job that had already finished is reported with
    /// <see cref="Fts3CancelResult.AlreadyTerminal"/> (the server's 200 with <c>304 Not Modified</c> in the body).
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="fileIds">Files to cancel; null or empty cancels the job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result for the job, or one per file.</returns>
    public virtual async Task<IReadOnlyList<Fts3CancelResult>> CancelAsync(string jobId, IEnumerable<long>? fileIds = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var files = fileIds?.ToList();
        if (files is null || files.Count == 0)
        {
            var element = await Client.CancelJobsAsync(new[] { jobId }, cancellationToken).ConfigureAwait(false);
            var job = ParseJob(element.ToElement());
            var status = StatusOf(job.HttpStatus);
            return new[] { new Fts3CancelResult(job.JobId ?? jobId, null, job.JobState?.Value ?? string.Empty, status == 304, job.HttpMessage) };
        }

        var answer = (await Client.CancelFilesAsync(jobId, files, cancellationToken).ConfigureAwait(false)).ToElement();
        var states = answer.ValueKind == JsonValueKind.Array
            ? answer.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : new List<string> { answer.GetString() ?? string.Empty };
        if (states.Count != files.Count)
        {
            throw new ServerErrorException("the server answered " + states.Count.ToString(CultureInfo.InvariantCulture) + " states for " + files.Count.ToString(CultureInfo.InvariantCulture) + " files of job " + jobId);
        }

        var results = new List<Fts3CancelResult>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var s = states[i];
            var known = s is "CANCELED" or "FINISHED" or "FAILED";
            results.Add(new Fts3CancelResult(jobId, files[i], known ? s : string.Empty, s is "FINISHED" or "FAILED", known ? null : s));
        }

        return results;
    }

    /// <summary>Cancels several jobs at once; one result per id (207 items keep their status and message).</summary>
    /// <param name="jobIds">The jobs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per-id results; <see cref="Fts3JobResult.AlreadyTerminal"/> marks jobs that had finished.</returns>
    public virtual async Task<IReadOnlyList<Fts3JobResult>> CancelJobsAsync(IEnumerable<string> jobIds, CancellationToken cancellationToken = default)
    {
        var ids = CheckIds(jobIds);
        var element = await Client.CancelJobsAsync(ids, cancellationToken).ConfigureAwait(false);
        return ParseResults(ids, element.ToElement());
    }

    /// <summary>Submits a job (Python <c>submit</c>): delegates first when needed (X.509), then posts it.</summary>
    /// <param name="job">The job (see <see cref="Fts3Jobs.NewJob"/>).</param>
    /// <param name="delegate">Delegate first if less than two hours are left (X.509 only).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job id.</returns>
    /// <exception cref="NeedDelegationException">419 and automatic re-delegation is off or did not help.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "'delegate' is the Python submit() keyword argument; named-argument callers use it.")]
    public virtual async Task<string> SubmitAsync(Submission job, bool @delegate = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (@delegate && Token is null)
        {
            await DelegateAsync(_options.DelegationLifetime, false, null, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return (await Client.SubmitJobAsync(job, cancellationToken).ConfigureAwait(false)).JobId;
        }
        catch (NeedDelegationException) when (_options.AutoRedelegate && Token is null)
        {
            await DelegateAsync(_options.DelegationLifetime, true, null, cancellationToken).ConfigureAwait(false);
            return (await Client.SubmitJobAsync(job, cancellationToken).ConfigureAwait(false)).JobId;
        }
    }

    /// <summary>The id the server will give a deterministic job with this sid (from <c>/whoami</c>'s base id and first VO).</summary>
    /// <param name="sid">The sid.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job id.</returns>
    public virtual async Task<string> DeterministicJobIdAsync(string sid, CancellationToken cancellationToken = default)
    {
        var who = await WhoAmIAsync(cancellationToken).ConfigureAwait(false);
        var vo = who.Vos is { Count: > 0 } vos ? vos[0] : throw new ClientErrorException("the server reports no VO for " + who.UserDn + ": a deterministic id cannot be computed");
        var baseId = who.BaseId is { } b && Guid.TryParse(b, out var g) ? g : Fts3Jobs.BaseId;
        return Fts3Jobs.DeterministicJobId(vo, sid, baseId).ToString();
    }

    /// <summary>Bans a storage (Python <c>ban_se</c>; config level).</summary>
    /// <param name="storage">The storage URL, e.g. <c>gsiftp://host</c>.</param>
    /// <param name="status"><c>cancel</c> (cancel its jobs) or <c>wait</c> (hold them).</param>
    /// <param name="timeout">Sent as the Python client does; the server ignores it.</param>
    /// <param name="allowSubmit">With <c>wait</c>: accept new jobs and hold them.</param>
    /// <param name="voName">Only for this VO.</param>
    /// <param name="message">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ids of the affected jobs.</returns>
    public virtual Task<IReadOnlyList<string>> BanSeAsync(string storage, string status = "cancel", int timeout = 0, bool allowSubmit = false, string? voName = null, string? message = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(storage);
        ArgumentNullException.ThrowIfNull(status);
        var s = status.ToLowerInvariant();
        if (s is not ("cancel" or "wait"))
        {
            throw new ClientErrorException("Bad request: the ban status must be 'cancel' or 'wait', not '" + status + "'");
        }

        return Client.BanSeAsync(new BanSeRequest { Storage = storage, Status = s, Timeout = timeout, AllowSubmit = allowSubmit, VoName = voName, Message = message }, cancellationToken);
    }

    /// <summary>Lifts a storage ban (Python <c>unban_se</c>).</summary>
    /// <param name="storage">The storage URL.</param>
    /// <param name="voName">The VO the ban was for, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public virtual Task UnbanSeAsync(string storage, string? voName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(storage);
        return Client.UnbanSeAsync(storage, voName, cancellationToken);
    }

    /// <summary>Bans a user (Python <c>ban_dn</c>; config level). Banning yourself gives 409.</summary>
    /// <param name="userDn">The DN.</param>
    /// <param name="message">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ids of the affected (cancelled) jobs.</returns>
    public virtual Task<IReadOnlyList<string>> BanDnAsync(string userDn, string? message = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userDn);
        return Client.BanDnAsync(new BanDnRequest { UserDn = userDn, Message = message }, cancellationToken);
    }

    /// <summary>Lifts a user ban (Python <c>unban_dn</c>).</summary>
    /// <param name="userDn">The DN.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public virtual Task UnbanDnAsync(string userDn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userDn);
        return Client.UnbanDnAsync(userDn, cancellationToken);
    }

    private static List<string> CheckIds(IEnumerable<string> jobIds)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var ids = jobIds.ToList();
        if (ids.Count == 0 || ids.Any(string.IsNullOrWhiteSpace) || ids.Any(i => i.Contains(',', StringComparison.Ordinal)))
        {
            throw new ArgumentException("job ids must be non-empty and contain no comma", nameof(jobIds));
        }

        return ids;
    }

    private static Job ParseJob(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 1)
        {
            element = element[0];
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ServerErrorException("the server answered a " + element.ValueKind.ToString() + " where a job was expected");
        }

        return ReadJob(element);
    }

    /// <summary>
    /// Reads one job of an answer. A job that does not match the schema (a number out of range, such as
    /// <c>1e400</c> or a <c>priority</c> of 2147483648) is the server's fault: <see cref="Fts3ClientException"/>, as
    /// the generated client raises for a whole body, with the reader's byte offset counted from the job's <c>{</c>.
    /// </summary>
    private static Job ReadJob(JsonElement element)
    {
        try
        {
            return ApiJson.Parse<Job>(JsonMarshal.GetRawUtf8Value(element));
        }
        catch (JsonException ex)
        {
            var id = element.TryGetProperty("job_id", out var jid) && jid.ValueKind == JsonValueKind.String ? " " + jid.GetString() : string.Empty;
            throw new Fts3ClientException("the job" + id + " in the server's answer does not match the schema (byte offsets count from the job's opening brace): " + ex.Message, ex);
        }
    }

    private static List<Fts3JobResult> ParseResults(List<string> ids, JsonElement element)
    {
        var items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : new List<JsonElement> { element };
        var results = new List<Fts3JobResult>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ServerErrorException("item " + i.ToString(CultureInfo.InvariantCulture) + " of the answer is a " + item.ValueKind.ToString() + ", not an object");
            }

            var id = item.TryGetProperty("job_id", out var jid) && jid.ValueKind == JsonValueKind.String ? jid.GetString()! : (i < ids.Count ? ids[i] : string.Empty);
            var status = StatusOf(item.TryGetProperty("http_status", out var hs) && hs.ValueKind == JsonValueKind.String ? hs.GetString() : null);
            var message = item.TryGetProperty("http_message", out var hm) && hm.ValueKind == JsonValueKind.String ? hm.GetString() : null;
            var ok = status is (>= 200 and < 300) or 304;
            results.Add(new Fts3JobResult(id, status, ok ? null : message ?? "HTTP " + status.ToString(CultureInfo.InvariantCulture), ok ? ReadJob(item) : null));
        }

        return results;
    }

    /// <summary>"404 Not Found" → 404; missing → 200.</summary>
    private static int StatusOf(string? httpStatus)
    {
        if (string.IsNullOrEmpty(httpStatus))
        {
            return 200;
        }

        var space = httpStatus.IndexOf(' ', StringComparison.Ordinal);
        var digits = space < 0 ? httpStatus : httpStatus[..space];
        return int.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : 200;
    }
}
