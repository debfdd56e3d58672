using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore;

/// <summary>A job at a UNICORE site (PyUNICORE's <c>Job</c>): properties, waiting, actions and its working directory, all through the job's links.</summary>
public class UnicoreJob
{
    private static readonly string[] Order = ["UNDEFINED", "READY", "STAGINGIN", "QUEUED", "RUNNING", "STAGINGOUT", "SUCCESSFUL", "FAILED"];
    private readonly UnicoreHttp _http = null!;

    /// <summary>For test doubles.</summary>
    protected UnicoreJob()
    {
        Url = null!;
    }

    internal UnicoreJob(UnicoreHttp http, Uri url)
    {
        _http = http;
        Url = url;
    }

    /// <summary>The job's URL (the Location of its submission).</summary>
    public virtual Uri Url { get; }

    /// <summary>The job's id: the last segment of its URL.</summary>
    public virtual string Id => Url.AbsolutePath.TrimEnd('/')[(Url.AbsolutePath.TrimEnd('/').LastIndexOf('/') + 1)..];

    /// <summary><c>GET</c> the job, optionally only some <paramref name="fields"/>.</summary>
    /// <param name="fields">Property names to ask for (UNICORE's <c>fields</c> filter).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The properties.</returns>
    public virtual Task<JobProperties> GetPropertiesAsync(IReadOnlyCollection<string>? fields = null, CancellationToken cancellationToken = default) =>
        _http.GetJsonAsync<JobProperties>(UnicoreHttp.WithQuery(Url, fields: fields), cancellationToken);

    /// <summary>The job's status.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status (UNDEFINED when the server sends none).</returns>
    public virtual async Task<JobStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        (await GetPropertiesAsync(null, cancellationToken).ConfigureAwait(false)).Status ?? JobStatus.Undefined;

    /// <summary>Whether a status is final (SUCCESSFUL or FAILED).</summary>
    /// <param name="status">The status.</param>
    /// <returns>True when the job will not change any more.</returns>
    public static bool IsFinal(JobStatus status) => status == JobStatus.Successful || status == JobStatus.Failed;

    /// <summary>
    /// Polls until the job reached <paramref name="until"/> (in PyUNICORE's order UNDEFINED, READY, STAGINGIN, QUEUED,
    /// RUNNING, STAGINGOUT, SUCCESSFUL, FAILED) or a final state, with delays growing from
    /// <see cref="UnicoreClientOptions.PollInitialDelay"/> to <see cref="UnicoreClientOptions.PollMaxDelay"/>.
    /// </summary>
    /// <param name="until">The state to wait for; default SUCCESSFUL (that is, the end).</param>
    /// <param name="timeout">How long to wait; null for ever (the token still cancels).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last properties.</returns>
    /// <exception cref="TimeoutException">The job did not get there in time; the message names the job and its state.</exception>
    public virtual Task<JobProperties> WaitAsync(JobStatus? until = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        int target = Rank(until ?? JobStatus.Successful);
        return UnicorePolling.WaitAsync(_http, Url, ct => GetPropertiesAsync(null, ct),
            p => p.Status is { } s && (IsFinal(s) || Rank(s) >= target), p => (p.Status ?? JobStatus.Undefined).ToString(), timeout, cancellationToken);
    }

    /// <summary>Starts a job submitted with <c>haveClientStageIn</c> (link <c>action:start</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual Task StartAsync(CancellationToken cancellationToken = default) => ActionAsync("start", cancellationToken);

    /// <summary>Aborts the job (link <c>action:abort</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual Task AbortAsync(CancellationToken cancellationToken = default) => ActionAsync("abort", cancellationToken);

    /// <summary>Runs the job again in the same working directory (link <c>action:restart</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual Task RestartAsync(CancellationToken cancellationToken = default) => ActionAsync("restart", cancellationToken);

    /// <summary>Destroys the job and its working directory.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual Task DeleteAsync(CancellationToken cancellationToken = default) => _http.DeleteAsync(Url, cancellationToken);

    /// <summary>The job's working directory (link <c>workingDirectory</c>), once its storage is READY (PyUNICORE waits the same way).</summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The storage.</returns>
    public virtual async Task<UnicoreStorage> GetWorkingDirectoryAsync(CancellationToken cancellationToken = default)
    {
        var props = await GetPropertiesAsync(null, cancellationToken).ConfigureAwait(false);
        var storage = new UnicoreStorage(_http, UnicoreHttp.Link(props.Links, "workingDirectory", Url));
        await UnicorePolling.WaitAsync(_http, storage.Url, ct => storage.GetPropertiesAsync(ct),
            p => p.ResourceStatus is null or "READY" || p.ResourceStatus == "ERROR", p => "not ready (" + p.ResourceStatus + ")", TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return storage;
    }

    /// <summary>The job's standard output (the file <c>stdout</c> of its working directory).</summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The text.</returns>
    public virtual async Task<string> ReadStdoutAsync(CancellationToken cancellationToken = default) =>
        await (await GetWorkingDirectoryAsync(cancellationToken).ConfigureAwait(false)).ReadAllTextAsync("stdout", cancellationToken).ConfigureAwait(false);

    /// <summary>The job's standard error (the file <c>stderr</c> of its working directory).</summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The text.</returns>
    public virtual async Task<string> ReadStderrAsync(CancellationToken cancellationToken = default) =>
        await (await GetWorkingDirectoryAsync(cancellationToken).ConfigureAwait(false)).ReadAllTextAsync("stderr", cancellationToken).ConfigureAwait(false);

    /// <summary>The exit code of the properties, whether the server sent it as a number or as a string.</summary>
    /// <param name="properties">The job's properties.</param>
    /// <returns>The exit code, or null.</returns>
    public static int? ExitCode(JobProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.ExitCode?.ToElement() switch
        {
            { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var i) => i,
            { ValueKind: JsonValueKind.String } s when int.TryParse(s.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
            _ => null,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Url.ToString();

    private async Task ActionAsync(string name, CancellationToken cancellationToken)
    {
        var props = await GetPropertiesAsync(null, cancellationToken).ConfigureAwait(false);
        await _http.PostJsonAsync(UnicoreHttp.Link(props.Links, "action:" + name, Url), UnicoreHttp.EmptyObject(), cancellationToken).ConfigureAwait(false);
    }

    private static int Rank(JobStatus s)
    {
        int i = Array.IndexOf(Order, s.Value);
        return i >= 0 ? i : 3; // BLOCKED, UNKNOWN and states of newer servers count as waiting
    }
}
