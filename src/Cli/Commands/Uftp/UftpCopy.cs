using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Cli;

/// <summary><c>toolkit uftp cp</c>: uploads and downloads, recursive, ranged, resumable, verified, n files in parallel.</summary>
internal static partial class UftpHandlers
{
    private sealed record CopyJob(string Source, string Target, long Size, bool Upload);

    private sealed record CopyDone(CopyJob Job, UftpTransferResult Result);

    public static Task<int> CopyAsync(UftpCopyOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        if (o.Threads < 1)
        {
            throw new ArgumentException("--threads must be at least 1");
        }

        var (offset, length, partial) = ParseRange(o.ByteRange);
        bool upload = UftpAddress.IsRemote(o.Target);
        if (upload == o.Sources.All(UftpAddress.IsRemote) || o.Sources.Any(UftpAddress.IsRemote) == upload)
        {
            throw new ArgumentException(upload
                ? "server-to-server copies are not supported: copy from local files to a remote target or from remote sources to a local target"
                : "nothing remote to copy: a source or the target must be https://AUTHHOST:PORT/rest/auth/SERVER:/path");
        }

        var remote = UftpAddress.Parse(upload ? o.Target : o.Sources[0]);
        if (!upload && o.Sources.Any(s => UftpAddress.Parse(s).AuthUrl != remote.AuthUrl))
        {
            throw new ArgumentException("all remote sources must be on the same Auth server");
        }

        using var http = CreateHttp(o.Global, console);
        var ticket = await AuthenticateAsync(http, remote, o.Global, ct).ConfigureAwait(false);
        var sessions = new List<UftpSession> { await ticket.ConnectAsync(ct).ConfigureAwait(false) };
        try
        {
            var jobs = upload
                ? await PlanUploadAsync(sessions[0], o, remote.Path, ct).ConfigureAwait(false)
                : await PlanDownloadAsync(sessions[0], o, ct).ConfigureAwait(false);
            for (int i = 1; i < Math.Min(o.Threads, jobs.Count); i++)
            {
                sessions.Add(await ticket.ConnectAsync(ct).ConfigureAwait(false));
            }

            var options = new UftpTransferOptions { Offset = offset, Length = length, Partial = partial, Resume = o.Resume, Verify = !o.NoVerify, HashAlgorithm = o.HashAlgorithm.ToUpperInvariant() };
            var done = !o.Global.Json && !console.IsOutputRedirected
                ? await RunWithProgressAsync(sessions, jobs, options, ct).ConfigureAwait(false)
                : await RunAsync(sessions, jobs, options, null, ct).ConfigureAwait(false);
            Report(o, console, done);
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var s in sessions)
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }
        }
    });

    private static async Task<List<CopyJob>> PlanUploadAsync(UftpSession s, UftpCopyOptions o, string target, CancellationToken ct)
    {
        target = target.Length == 0 ? "." : target;
        bool targetIsDir = target.EndsWith('/') || o.Sources.Length > 1 || target == "."
            || (await s.TryStatAsync(target, ct).ConfigureAwait(false))?.IsDirectory == true;
        var jobs = new List<CopyJob>();
        foreach (var src in o.Sources)
        {
            if (Directory.Exists(src))
            {
                if (!o.Recursive)
                {
                    throw new ArgumentException("'" + src + "' is a directory: use cp -r");
                }

                string root = Join(target, targetIsDir ? Path.GetFileName(Path.TrimEndingDirectorySeparator(src)) : "");
                await EnsureRemoteDirAsync(s, root, ct).ConfigureAwait(false);
                foreach (var dir in Directory.EnumerateDirectories(src, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    await EnsureRemoteDirAsync(s, Join(root, Path.GetRelativePath(src, dir).Replace('\\', '/')), ct).ConfigureAwait(false);
                }

                foreach (var file in Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    jobs.Add(new CopyJob(file, Join(root, Path.GetRelativePath(src, file).Replace('\\', '/')), new System.IO.FileInfo(file).Length, true));
                }
            }
            else if (File.Exists(src))
            {
                jobs.Add(new CopyJob(src, targetIsDir ? Join(target, Path.GetFileName(src)) : target, new System.IO.FileInfo(src).Length, true));
            }
            else
            {
                throw new FileNotFoundException("no such local file: " + src);
            }
        }

        return jobs;
    }

    private static async Task EnsureRemoteDirAsync(UftpSession s, string dir, CancellationToken ct)
    {
        if (dir is "." or "" or "/" || (await s.TryStatAsync(dir, ct).ConfigureAwait(false))?.IsDirectory == true)
        {
            return;
        }

        await s.MakeDirectoryAsync(dir, ct).ConfigureAwait(false);
    }

    private static async Task<List<CopyJob>> PlanDownloadAsync(UftpSession s, UftpCopyOptions o, CancellationToken ct)
    {
        bool targetIsDir = Directory.Exists(o.Target) || o.Target.EndsWith('/') || o.Sources.Length > 1;
        var jobs = new List<CopyJob>();
        foreach (var source in o.Sources)
        {
            string path = UftpAddress.Parse(source).Path;
            var info = await s.StatAsync(path.Length == 0 ? "." : path, ct).ConfigureAwait(false);
            if (info.IsDirectory)
            {
                if (!o.Recursive)
                {
                    throw new ArgumentException("'" + path + "' is a directory: use cp -r");
                }

                string root = targetIsDir ? Path.Combine(o.Target, info.Name is "/" or "." ? "" : info.Name) : o.Target;
                var files = new List<(string Path, UftpFileInfo Info)>();
                await WalkAsync(s, path, files, ct).ConfigureAwait(false);
                foreach (var (p, fi) in files)
                {
                    string rel = p[(path.TrimEnd('/').Length + 1)..];
                    jobs.Add(new CopyJob(p, SafeLocal(root, rel), fi.Size, false));
                }
            }
            else
            {
                jobs.Add(new CopyJob(path, targetIsDir ? SafeLocal(o.Target, info.Name) : o.Target, info.Size, false));
            }
        }

        foreach (var dir in jobs.Select(j => Path.GetDirectoryName(Path.GetFullPath(j.Target))!).Distinct(StringComparer.Ordinal))
        {
            Directory.CreateDirectory(dir);
        }

        return jobs;
    }

    /// <summary>A local path under <paramref name="root"/> for a server-given relative name (no escaping with <c>..</c>).</summary>
    private static string SafeLocal(string root, string relative)
    {
        string full = Path.GetFullPath(Path.Combine(root, relative));
        string r = Path.GetFullPath(root.Length == 0 ? "." : root);
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(r) + Path.DirectorySeparatorChar, StringComparison.Ordinal) && full != r)
        {
            throw new UftpException("the server named a file outside the target directory: '" + relative + "'");
        }

        return full;
    }

    private static string Join(string dir, string name) => name.Length == 0 ? dir : dir == "." ? name : dir.TrimEnd('/') + "/" + name;

    private static async Task<List<CopyDone>> RunAsync(List<UftpSession> sessions, List<CopyJob> jobs, UftpTransferOptions options, Func<CopyJob, Action<long>>? progress, CancellationToken ct)
    {
        var queue = new ConcurrentQueue<CopyJob>(jobs);
        var done = new ConcurrentBag<CopyDone>();
        await Task.WhenAll(sessions.Select(session => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var job))
            {
                var opts = options with { Progress = progress?.Invoke(job) };
                var result = job.Upload
                    ? await UftpTransfers.UploadAsync(session, job.Source, job.Target, opts, ct).ConfigureAwait(false)
                    : await UftpTransfers.DownloadAsync(session, job.Source, job.Target, opts, ct).ConfigureAwait(false);
                done.Add(new CopyDone(job, result));
            }
        }, ct))).ConfigureAwait(false);
        return [.. done.OrderBy(d => jobs.IndexOf(d.Job))];
    }

    private static async Task<List<CopyDone>> RunWithProgressAsync(List<UftpSession> sessions, List<CopyJob> jobs, UftpTransferOptions options, CancellationToken ct)
    {
        List<CopyDone> result = [];
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var tasks = jobs.ToDictionary(j => j, j => ctx.AddTask(Markup.Escape(TerminalText.Clean(Path.GetFileName(j.Target.TrimEnd('/')), 40)), autoStart: false, maxValue: Math.Max(1, j.Size)));
                result = await RunAsync(sessions, jobs, options, job =>
                {
                    var t = tasks[job];
                    t.StartTask();
                    return moved => t.Value = moved;
                }, ct).ConfigureAwait(false);
                foreach (var t in tasks.Values)
                {
                    t.Value = t.MaxValue;
                    t.StopTask();
                }
            }).ConfigureAwait(false);
        return result;
    }

    private static void Report(UftpCopyOptions o, CliConsole console, List<CopyDone> done)
    {
        if (o.Global.Json)
        {
            JsonOutput.WriteIndentedList(console.Out, done, (w, d) =>
            {
                w.WriteStartObject();
                w.WriteString("source", d.Job.Source);
                w.WriteString("target", d.Job.Target);
                w.WritePropertyName("bytes");
                w.WriteNumberValue(d.Result.Bytes);
                w.WritePropertyName("totalBytes");
                w.WriteNumberValue(d.Result.TotalBytes);
                w.WritePropertyName("seconds");
                w.WriteNumberValue(Math.Round(d.Result.Elapsed.TotalSeconds, 3));
                w.WritePropertyName("streams");
                w.WriteNumberValue(d.Result.Streams);
                w.WritePropertyName("skipped");
                w.WriteBooleanValue(d.Result.Skipped);
                if (d.Result.Hash is { } h)
                {
                    w.WriteString("hashAlgorithm", h.Algorithm);
                    w.WriteString("hash", h.Hex);
                }

                w.WriteEndObject();
            });
            return;
        }

        long bytes = done.Sum(d => d.Result.Bytes);
        double seconds = done.Count == 0 ? 0 : done.Max(d => d.Result.Elapsed.TotalSeconds);
        foreach (var d in done)
        {
            console.Out.WriteLine(TerminalText.Clean(d.Job.Source) + " -> " + TerminalText.Clean(d.Job.Target) + ": "
                + (d.Result.Skipped ? "already complete" : d.Result.Bytes.ToString(CultureInfo.InvariantCulture) + " bytes in " + d.Result.Elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s")
                + (d.Result.Hash is { } h ? ", " + h.Algorithm + " " + h.Hex : ""));
        }

        if (done.Count > 1 || console.IsOutputRedirected)
        {
            console.Out.WriteLine(done.Count.ToString(CultureInfo.InvariantCulture) + " file(s), " + bytes.ToString(CultureInfo.InvariantCulture) + " bytes, "
                + (seconds > 0 ? (bytes / seconds / 1e6).ToString("0.0", CultureInfo.InvariantCulture) : "-") + " MB/s");
        }
    }

    /// <summary>pyuftp's <c>-B START-END[-p]</c>: inclusive end, k/M/G/T units (powers of 1024), <c>p</c> to write into the existing target.</summary>
    internal static (long Offset, long Length, bool Partial) ParseRange(string? spec)
    {
        if (string.IsNullOrEmpty(spec))
        {
            return (0, -1, false);
        }

        var t = spec.Split('-');
        if (t.Length is < 2 or > 3 || (t.Length == 3 && t[2] != "p"))
        {
            throw new FormatException("byte range '" + spec + "' is not START-END or START-END-p");
        }

        long start = t[0].Length > 0 ? Units(t[0]) : 0;
        long end = t[1].Length > 0 ? Units(t[1]) : -1;
        if (end >= 0 && end < start)
        {
            throw new FormatException("byte range '" + spec + "' ends before it starts");
        }

        return (start, end < 0 ? -1 : end - start + 1, t.Length == 3);
    }

    private static long Units(string s)
    {
        long mult = char.ToUpperInvariant(s[^1]) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            'T' => 1L << 40,
            _ => 1,
        };
        string digits = mult == 1 ? s : s[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? checked(v * mult) : throw new FormatException("not a byte count: '" + s + "'");
    }
}
