using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore;

/// <summary>A workflow service (<c>https://gateway/WORKFLOW/rest/workflows</c>; PyUNICORE's <c>WorkflowService</c>).</summary>
public class UnicoreWorkflowService
{
    private readonly UnicoreHttp _http = null!;

    /// <summary>For test doubles.</summary>
    protected UnicoreWorkflowService()
    {
        Url = null!;
    }

    internal UnicoreWorkflowService(UnicoreHttp http, Uri url)
    {
        _http = http;
        Url = url;
    }

    /// <summary>The service URL.</summary>
    public virtual Uri Url { get; }

    /// <summary>
    /// Submits a workflow (its JSON description as UNICORE's workflow engine takes it: <c>activities</c>,
    /// <c>transitions</c>, <c>variables</c>, ...). The JSON is checked to be one object, then sent as is.
    /// </summary>
    /// <param name="workflowJson">The UTF-8 JSON description.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workflow, from the 201's Location.</returns>
    /// <exception cref="ArgumentException">The text is not one JSON object (the message names the byte offset).</exception>
    public virtual async Task<UnicoreWorkflow> SubmitAsync(ReadOnlyMemory<byte> workflowJson, CancellationToken cancellationToken = default)
    {
        try
        {
            using var doc = JsonDocument.Parse(workflowJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("a workflow description is a JSON object, not " + doc.RootElement.ValueKind, nameof(workflowJson));
            }
        }
        catch (JsonException e)
        {
            throw new ArgumentException("the workflow description is not valid JSON: " + e.Message, nameof(workflowJson), e);
        }

        var url = await _http.CreateAsync(Url, workflowJson.ToArray(), cancellationToken).ConfigureAwait(false);
        return new UnicoreWorkflow(_http, url);
    }

    /// <summary>One page of the caller's workflows.</summary>
    /// <param name="offset">First workflow.</param>
    /// <param name="num">Page size.</param>
    /// <param name="tags">Tags to filter by.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workflows.</returns>
    public virtual async Task<IReadOnlyList<UnicoreWorkflow>> ListAsync(int? offset = null, int? num = null, IReadOnlyCollection<string>? tags = null, CancellationToken cancellationToken = default)
    {
        var url = UnicoreHttp.WithQuery(Url, offset, num, tags);
        var list = await _http.GetJsonAsync<WorkflowList>(url, cancellationToken).ConfigureAwait(false);
        return UnicoreHttp.Urls(list.Workflows, url).ConvertAll(u => new UnicoreWorkflow(_http, u));
    }

    /// <summary>The handle of a workflow by its URL (no I/O).</summary>
    /// <param name="url">The workflow URL.</param>
    /// <returns>The handle.</returns>
    public virtual UnicoreWorkflow GetWorkflow(Uri url) => new(_http, url ?? throw new ArgumentNullException(nameof(url)));
}

/// <summary>A submitted workflow: status (UNDEFINED, RUNNING, HELD, SUCCESSFUL, FAILED, ABORTED), resume, abort.</summary>
public class UnicoreWorkflow
{
    private readonly UnicoreHttp _http = null!;

    /// <summary>For test doubles.</summary>
    protected UnicoreWorkflow()
    {
        Url = null!;
    }

    internal UnicoreWorkflow(UnicoreHttp http, Uri url)
    {
        _http = http;
        Url = url;
    }

    /// <summary>The workflow's URL.</summary>
    public virtual Uri Url { get; }

    /// <summary><c>GET</c> the workflow.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The properties.</returns>
    public virtual Task<WorkflowProperties> GetPropertiesAsync(CancellationToken cancellationToken = default) =>
        _http.GetJsonAsync<WorkflowProperties>(Url, cancellationToken);

    /// <summary>Whether a status is final.</summary>
    /// <param name="status">The status.</param>
    /// <returns>True for SUCCESSFUL, FAILED and ABORTED.</returns>
    public static bool IsFinal(WorkflowStatus status) => status == WorkflowStatus.Successful || status == WorkflowStatus.Failed || status == WorkflowStatus.Aborted;

    /// <summary>Polls until the workflow is final, or HELD when <paramref name="stopWhenHeld"/>.</summary>
    /// <param name="timeout">How long to wait; null for ever.</param>
    /// <param name="stopWhenHeld">Also return when the workflow waits for <see cref="ResumeAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last properties.</returns>
    public virtual Task<WorkflowProperties> WaitAsync(TimeSpan? timeout = null, bool stopWhenHeld = true, CancellationToken cancellationToken = default) =>
        UnicorePolling.WaitAsync(_http, Url, GetPropertiesAsync,
            p => p.Status is { } s && (IsFinal(s) || (stopWhenHeld && s == WorkflowStatus.Held)), p => p.Status?.ToString() ?? "without status", timeout, cancellationToken);

    /// <summary>Resumes a HELD workflow, optionally setting workflow variables (link <c>action:continue</c>, else <c>action:resume</c>).</summary>
    /// <param name="variables">Variables to set.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual async Task ResumeAsync(IReadOnlyDictionary<string, string>? variables = null, CancellationToken cancellationToken = default)
    {
        var props = await GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        var link = UnicoreHttp.TryLink(props.Links, "action:continue", Url) ?? UnicoreHttp.Link(props.Links, "action:resume", Url);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (k, v) in variables ?? new Dictionary<string, string>())
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
        }

        await _http.PostJsonAsync(link, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts the workflow (link <c>action:abort</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual async Task AbortAsync(CancellationToken cancellationToken = default)
    {
        var props = await GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        await _http.PostJsonAsync(UnicoreHttp.Link(props.Links, "action:abort", Url), UnicoreHttp.EmptyObject(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The URLs of the workflow's jobs (link <c>jobs</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job URLs.</returns>
    public virtual async Task<IReadOnlyList<Uri>> GetJobUrlsAsync(CancellationToken cancellationToken = default)
    {
        var props = await GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        var jobs = UnicoreHttp.Link(props.Links, "jobs", Url);
        var list = await _http.GetJsonAsync<JobList>(jobs, cancellationToken).ConfigureAwait(false);
        return UnicoreHttp.Urls(list.Jobs, jobs);
    }

    /// <summary>Deletes the workflow.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual Task DeleteAsync(CancellationToken cancellationToken = default) => _http.DeleteAsync(Url, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Url.ToString();
}
