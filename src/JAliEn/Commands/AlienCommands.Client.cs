using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn.Transfer;

namespace Toolkit.JAliEn;

/// <summary>
/// alienpy's client-side commands that are built on server commands (<c>quota</c>, <c>pfn</c>, <c>lfn2uri</c>,
/// <c>jobInfo</c>): hand-written next to the generated ones, over the same channel and error mode.
/// </summary>
public sealed partial class AlienCommands
{
    /// <summary>alienpy's <c>quota</c>: <c>jquota list USER</c> and <c>fquota list USER</c> together.</summary>
    /// <param name="user">The account (default: the session's user).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>Both results.</returns>
    public async Task<AlienQuota> QuotaAsync(string? user = null, CancellationToken cancellationToken = default)
    {
        var jobs = await JquotaAsync(JquotaAction.List, user, cancellationToken).ConfigureAwait(false);
        var files = await FquotaAsync(FquotaAction.List, user ?? (jobs.User.Length > 0 ? jobs.User : null), cancellationToken).ConfigureAwait(false);
        return new AlienQuota(jobs, files);
    }

    /// <summary>alienpy's <c>pfn</c>: the PFNs of a file's replicas (<c>whereis -r</c>, archive members resolved).</summary>
    /// <param name="lfn">The file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>whereis</c> result and its PFNs.</returns>
    public async Task<AlienResult<IReadOnlyList<string>>> PfnAsync(string lfn, CancellationToken cancellationToken = default)
    {
        var whereis = await WhereisAsync(lfn, resolve: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> pfns = whereis.Rows.Select(r => r.Pfn).OfType<string>().Where(p => p.Length > 0).ToList();
        return whereis.WithRows(pfns);
    }

    /// <summary>
    /// alienpy's <c>lfn2uri</c>: one <c>url?xrd.wantprot=unix&amp;authz=ENVELOPE</c> per replica from <c>access read</c>, or
    /// per target SE from <c>access -s SIZE -m MD5 write</c> for the local file to upload.
    /// </summary>
    /// <param name="lfn">The grid file (may end in <c>@disk:N,SE,!SE</c>).</param>
    /// <param name="localFile">For <paramref name="write"/>: the local file (its size and MD5 go to <c>access</c>).</param>
    /// <param name="write">Upload URIs.</param>
    /// <param name="strict">Strict specifiers (<c>access -f</c>).</param>
    /// <param name="http">HTTP URLs (<c>access -u</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>access</c> result with the URIs.</returns>
    /// <exception cref="ArgumentException">A write without a local file.</exception>
    public async Task<AlienResult<IReadOnlyList<string>>> Lfn2UriAsync(string lfn, string? localFile = null, bool write = false, bool strict = false, bool http = false, CancellationToken cancellationToken = default)
    {
        var access = await AccessForUriAsync(lfn, localFile, write, strict, http, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> uris = access.Rows.Select(r => Metalink.WithEnvelope(r.Url, r.Envelope)).ToList();
        return access.WithRows(uris);
    }

    /// <summary>
    /// <c>lfn2uri ... meta</c>: writes a metalink of the replicas into <paramref name="directory"/> and returns the path xrdcp
    /// takes (with <c>?xrdcl.unzip=MEMBER</c> for a zip member).
    /// </summary>
    /// <param name="lfn">The grid file.</param>
    /// <param name="directory">Where the <c>.meta4</c> file goes (alienpy: the local cwd).</param>
    /// <param name="strict">Strict specifiers.</param>
    /// <param name="http">HTTP URLs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>access</c> result with the one path (no row when it failed).</returns>
    public async Task<AlienResult<IReadOnlyList<string>>> Lfn2MetalinkAsync(string lfn, string directory, bool strict = false, bool http = false, CancellationToken cancellationToken = default)
    {
        var access = await AccessForUriAsync(lfn, null, false, strict, http, cancellationToken).ConfigureAwait(false);
        if (!access.IsSuccess || access.Rows.Count == 0)
        {
            return access.WithRows<string>([]);
        }
        AlienReplicaSpec.Split(lfn, out var path, out _);
        string expanded = AlienPath.Expand(path, AlienPaths.Of(_channel));
        string name = expanded[(expanded.LastIndexOf('/') + 1)..];
        string meta = Path.Combine(directory, name + "." + Guid.NewGuid().ToString("N")[..8] + ".meta4");
        var first = access.Rows[0];
        string? member = Metalink.Write(meta, name, expanded, first.Size ?? 0, first.Md5, access.Rows);
        return access.WithRows<string>([member is null ? meta : meta + "?xrdcl.unzip=" + member]);
    }

    private async Task<AlienResult<IReadOnlyList<AccessEnvelope>>> AccessForUriAsync(string lfn, string? localFile, bool write, bool strict, bool http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lfn);
        AlienReplicaSpec.Split(lfn, out var path, out var spec);
        if (!write)
        {
            return await AccessAsync(AccessMode.Read, path, spec, strict: strict, http: http, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        if (string.IsNullOrEmpty(localFile) || !File.Exists(localFile))
        {
            throw new ArgumentException("lfn2uri write: give the local file to upload (lfn2uri LFN LOCAL write); not found: " + localFile);
        }
        long size = new FileInfo(localFile).Length;
        string md5 = await AlienCopy.Md5Async(localFile, cancellationToken).ConfigureAwait(false);
        return await AccessAsync(AccessMode.Write, path, spec, size, md5, strict: strict, http: http, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>alienpy's <c>jobInfo</c>: <c>ps -j IDS -trace -jdl</c>, with each trace split into its sections.</summary>
    /// <param name="jobIds">The job IDs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>ps</c> result with one <see cref="AlienJobInfo"/> per job.</returns>
    public async Task<AlienResult<IReadOnlyList<AlienJobInfo>>> JobInfoAsync(IEnumerable<long> jobIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        string ids = string.Join(',', jobIds.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        if (ids.Length == 0)
        {
            throw new ArgumentException("jobInfo: give at least one job ID", nameof(jobIds));
        }
        // -trace and -jdl take an optional job ID on the server; alone they apply to the -j list.
        var line = new AlienCommandLine("ps", ["-nomsg", "-j", ids, "-trace", "-jdl"]);
        var ps = await AlienCommandRunner.SendAsync<JobRow>(_channel, line, _errorMode, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AlienJobInfo> jobs = ps.Rows.Select(AlienJobInfo.From).ToList();
        return ps.WithRows(jobs);
    }
}

/// <summary>The two halves of <c>quota</c>.</summary>
/// <param name="Jobs">The <c>jquota list</c> result.</param>
/// <param name="Files">The <c>fquota list</c> result.</param>
public sealed record AlienQuota(AlienResult<IReadOnlyList<JobQuota>> Jobs, AlienResult<IReadOnlyList<FileQuota>> Files);

/// <summary>One job of <c>jobInfo</c>: the <c>ps</c> row and its trace sorted into sections as alienpy does.</summary>
public sealed class AlienJobInfo
{
    /// <summary>The <c>ps</c> row (id, owner, split, status, name, trace, jdl).</summary>
    public required JobRow Job { get; init; }

    /// <summary>The <c>[state     ]</c> lines.</summary>
    public IReadOnlyList<string> States { get; init; } = [];

    /// <summary>The <c>[trace     ]</c> lines.</summary>
    public IReadOnlyList<string> Trace { get; init; } = [];

    /// <summary>The <c>[procfmt   ]</c> then <c>[proc      ]</c> lines.</summary>
    public IReadOnlyList<string> Proc { get; init; } = [];

    /// <summary>The batch queue lines (trace lines with <c>BatchId</c>).</summary>
    public IReadOnlyList<string> Queue { get; init; } = [];

    /// <summary>The worker node (from "Running JAliEn JobAgent ... on NODE").</summary>
    public string? WorkerNode { get; init; }

    /// <summary>The work directory (from "Created workdir: DIR").</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The JDL as key/value pairs (<c>Key = "value";</c> statements; lists as their text without braces).</summary>
    public IReadOnlyDictionary<string, string> Jdl { get; init; } = new Dictionary<string, string>();

    /// <summary>Splits a <c>ps -trace -jdl</c> row.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The job info.</returns>
    public static AlienJobInfo From(JobRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        List<string> states = [], trace = [], proc = [], procFmt = [], queue = [];
        string? node = null, workdir = null;
        foreach (string line in (row.Trace ?? string.Empty).Split('\n'))
        {
            if (Section(line, "[state     ]: ") is { } s)
            {
                states.Add(s);
            }
            else if (Section(line, "[trace     ]: ") is { } t)
            {
                trace.Add(t);
                string message = t[(t.IndexOf(' ', StringComparison.Ordinal) + 1)..];
                if (message.Contains("Created workdir", StringComparison.Ordinal) && message.IndexOf(": ", StringComparison.Ordinal) is int c and >= 0)
                {
                    workdir = message[(c + 2)..].Trim();
                }
                if (message.Contains("Running JAliEn JobAgent", StringComparison.OrdinalIgnoreCase) && message.LastIndexOf(" on ", StringComparison.Ordinal) is int o and >= 0)
                {
                    node = message[(o + 4)..].Trim().TrimEnd('.').Split(' ')[0];
                }
                if (message.Contains("BatchId", StringComparison.Ordinal))
                {
                    queue.Add(message.Replace("BatchId", string.Empty, StringComparison.Ordinal).Trim());
                }
            }
            else if (Section(line, "[proc      ]: ") is { } p)
            {
                proc.Add(p);
            }
            else if (Section(line, "[procfmt   ]: ") is { } f)
            {
                procFmt.Add(f);
            }
        }
        return new AlienJobInfo
        {
            Job = row, States = states, Trace = trace, Proc = [.. procFmt, .. proc], Queue = queue, WorkerNode = node, WorkDirectory = workdir,
            Jdl = ParseJdl(row.Jdl ?? string.Empty),
        };
    }

    // "TIME [state     ]: message" → "TIME message".
    private static string? Section(string line, string tag) =>
        line.IndexOf(tag, StringComparison.Ordinal) is int i and >= 0 ? (line[..i].TrimEnd() + " " + line[(i + tag.Length)..]).Trim() : null;

    private static Dictionary<string, string> ParseJdl(string jdl)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string statement in jdl.Split(';'))
        {
            int eq = statement.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }
            string key = string.Join(' ', statement[..eq].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            string value = string.Join(' ', statement[(eq + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace("\"", string.Empty, StringComparison.Ordinal).Trim();
            if (value.StartsWith('{') && value.EndsWith('}'))
            {
                value = string.Join(",", value[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0));
            }
            if (key.Length > 0)
            {
                result[key] = value;
            }
        }
        return result;
    }
}
