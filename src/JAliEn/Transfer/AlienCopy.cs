using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn.Connection;

namespace Toolkit.JAliEn.Transfer;

/// <summary>
/// alienpy's <c>cp</c>: grid ↔ local copies whose bytes move through Debian's <c>xrdcp</c>. Downloads go through a
/// metalink with every replica (zip members through <c>xrdcl.unzip</c>), are checked against the catalogue MD5 and
/// renamed over the target only when complete. Uploads get one <c>xrdcp</c> per replica that <c>access write</c>
/// hands out, the successful replicas are committed in pipelined batches, and failed replicas are retried on other
/// SEs in up to two recovery rounds.
/// </summary>
public sealed partial class AlienCopy
{
    private readonly AlienCommands _commands;
    private readonly IAlienChannel _channel;

    /// <summary>Creates the copier over a connection or pool.</summary>
    /// <param name="channel">The channel (an <see cref="AlienConnection"/> pipelines the commits).</param>
    public AlienCopy(IAlienChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
        _commands = new AlienCommands(channel, AlienErrorMode.Return);
    }

    /// <summary>Whether a path names a local file: <c>file:</c> or <c>file://</c> prefix.</summary>
    /// <param name="path">The path as typed.</param>
    /// <returns>True for local.</returns>
    public static bool IsLocal(string path) => path.StartsWith("file:", StringComparison.Ordinal);

    /// <summary>The local path of a <c>file:</c> path.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The file system path.</returns>
    public static string LocalPath(string path) =>
        Path.GetFullPath(path.StartsWith("file://", StringComparison.Ordinal) ? path[7..] : path.StartsWith("file:", StringComparison.Ordinal) ? path[5..] : path);

    /// <summary>The grid path without an <c>alien:</c> prefix.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The path.</returns>
    public static string GridPath(string path) =>
        path.StartsWith("alien://", StringComparison.Ordinal) ? path[8..] : path.StartsWith("alien:", StringComparison.Ordinal) ? path[6..] : path;

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> (one local, one grid).</summary>
    /// <param name="source">The source: <c>file:</c>path, or a grid path (maybe a directory).</param>
    /// <param name="destination">The destination; a grid destination may end in <c>@disk:N,SE,!SE</c>.</param>
    /// <param name="options">Settings.</param>
    /// <param name="cancellationToken">Cancels the copy (xrdcp processes are killed).</param>
    /// <returns>One item per file.</returns>
    /// <exception cref="ArgumentException">Both local or both grid.</exception>
    public async Task<IReadOnlyList<AlienCopyItem>> CopyAsync(string source, string destination, AlienCopyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new AlienCopyOptions();
        options.Filter.Validate(options.Pattern);
        bool srcLocal = IsLocal(source), dstLocal = IsLocal(destination);
        if (srcLocal == dstLocal)
        {
            throw new ArgumentException(srcLocal
                ? "local-to-local copies are not supported: one side must be a grid path"
                : "grid-to-grid copies are not supported: prefix the local side with file: (cp file:local.txt /alice/...)");
        }
        if (srcLocal && (!options.Filter.IsEmpty || !options.ServerFilter.IsEmpty))
        {
            throw new ArgumentException("the file filters (-select, -name, -exclude, -user, -minsize, -parent, -j, -l, -o, -e, -site, ...) apply to downloads only");
        }
        return srcLocal
            ? await UploadAsync(LocalPath(source), GridPath(destination), options, cancellationToken).ConfigureAwait(false)
            : await DownloadAsync(GridPath(source), LocalPath(destination), destination.EndsWith('/'), options, cancellationToken).ConfigureAwait(false);
    }

    private AlienPaths Paths => AlienPaths.Of(_channel);

    private async Task<IReadOnlyList<AlienCopyItem>> DownloadAsync(string source, string target, bool targetIsDir, AlienCopyOptions options, CancellationToken cancellationToken)
    {
        AlienReplicaSpec.Split(source, out var path, out var spec);
        string lfn = AlienPath.Expand(path, Paths);
        var stat = await _commands.StatAsync([lfn.TrimEnd('/')], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!stat.IsSuccess || stat.Rows.Count == 0)
        {
            return [new AlienCopyItem { Source = lfn, Target = target, Status = AlienCopyStatus.Failed, Error = "stat: " + stat.Error }];
        }
        var files = new List<(string Lfn, long Size, string? Md5, DateTimeOffset? Ctime, string Local)>();
        if (stat.Rows[0].Type == "d")
        {
            // rsync's rule: "dir" copies the directory itself, "dir/" its contents.
            string dir = lfn.TrimEnd('/') + "/";
            string baseDir = path.EndsWith('/') ? dir : dir[..(dir.TrimEnd('/').LastIndexOf('/') + 1)];
            var sf = options.ServerFilter;
            var found = await _commands.FindAsync(dir, options.Pattern, all: true, jobId: sf.JobId, limit: sf.Limit, offset: sf.Offset,
                site: sf.Site, exclude: sf.Exclude.Count > 0 ? sf.Exclude : null, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return [new AlienCopyItem { Source = dir, Target = target, Status = AlienCopyStatus.Failed, Error = "find: " + found.Error }];
            }
            var matches = options.Filter.Matcher(dir);
            foreach (var f in found.Rows.Where(r => r.Type != "d").Where(matches))
            {
                files.Add((f.Lfn, f.Size ?? 0, f.Md5, f.Ctime, Path.Combine(target, options.Filter.RelativeTarget(f.Lfn) ?? f.Lfn[baseDir.Length..])));
            }
        }
        else
        {
            var s = stat.Rows[0];
            string local = targetIsDir || Directory.Exists(target)
                ? Path.Combine(target, options.Filter.RelativeTarget(lfn) ?? lfn[(lfn.LastIndexOf('/') + 1)..])
                : target;
            files.Add((lfn, s.Size ?? 0, s.Md5, s.Ctime, local));
        }
        var items = files.Select(f => new AlienCopyItem { Source = f.Lfn, Target = f.Local, Size = f.Size }).ToList();
        if (options.DryRun)
        {
            return items;
        }
        options.Planned?.Invoke(items);
        using var gate = new SemaphoreSlim(Math.Max(1, options.Parallel));
        await Task.WhenAll(files.Select(async (f, i) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await DownloadOneAsync(f.Lfn, f.Size, f.Md5, f.Ctime, spec, items[i], options, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
            options.Progress?.Invoke(items[i]);
        })).ConfigureAwait(false);
        return items;
    }

    private async Task DownloadOneAsync(string lfn, long size, string? md5, DateTimeOffset? ctime, AlienReplicaSpec? spec, AlienCopyItem item, AlienCopyOptions options, CancellationToken cancellationToken)
    {
        string local = item.Target;
        if (File.Exists(local))
        {
            var info = new FileInfo(local);
            bool valid = info.Length == size && (ctime is null || info.LastWriteTimeUtc >= ctime.Value.UtcDateTime.AddSeconds(-1))
                && (!options.CheckMd5 || string.IsNullOrEmpty(md5) || string.Equals(await Md5Async(local, cancellationToken).ConfigureAwait(false), md5, StringComparison.OrdinalIgnoreCase));
            if (valid)
            {
                item.Status = AlienCopyStatus.Skipped;
                return;
            }
        }
        var access = await _commands.AccessAsync(AccessMode.Read, lfn, spec, strict: options.StrictSpecs, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!access.IsSuccess || access.Rows.Count == 0)
        {
            Fail(item, "access read: " + (access.Error.Length > 0 ? access.Error : "no replica"));
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        string meta = Path.Combine(options.KeepMetalinkDirectory ?? Path.GetTempPath(), "toolkit-" + Guid.NewGuid().ToString("N") + ".meta4");
        string partial = Path.Combine(Path.GetDirectoryName(local)!, "." + Path.GetFileName(local) + "." + Guid.NewGuid().ToString("N")[..8] + ".part");
        try
        {
            string? member = Metalink.Write(meta, Path.GetFileName(local), lfn, size, md5, access.Rows);
            string src = member is null ? meta : meta + "?xrdcl.unzip=" + member;
            var outcome = await XrdcpRunner.RunAsync(options.Xrdcp, ["-f", "-N", src, partial], options.TransferTimeout, options.XrdEnvironment ?? DefaultXrdEnvironment, cancellationToken).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                Fail(item, string.Create(CultureInfo.InvariantCulture, $"xrdcp exited with {outcome.ExitCode}: {outcome.Error}"));
                return;
            }
            if (new FileInfo(partial).Length != size)
            {
                Fail(item, string.Create(CultureInfo.InvariantCulture, $"size mismatch: got {new FileInfo(partial).Length} bytes, the catalogue says {size}"));
                return;
            }
            if (!string.IsNullOrEmpty(md5) && !string.Equals(await Md5Async(partial, cancellationToken).ConfigureAwait(false), md5, StringComparison.OrdinalIgnoreCase))
            {
                Fail(item, "MD5 mismatch with the catalogue (" + md5 + ")");
                return;
            }
            File.Move(partial, local, overwrite: true);
            item.Status = AlienCopyStatus.Copied;
        }
        finally
        {
            TryDelete(partial);
            if (options.KeepMetalinkDirectory is null)
            {
                TryDelete(meta);
            }
        }
    }

    /// <summary>alienpy's XRootD client defaults.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultXrdEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["XRD_CONNECTIONRETRY"] = "3",
        ["XRD_CONNECTIONWINDOW"] = "10",
        ["XRD_REQUESTTIMEOUT"] = "1200",
        ["XRD_STREAMTIMEOUT"] = "60",
        ["XRD_CPINITTIMEOUT"] = "90",
        ["XRD_TIMEOUTRESOLUTION"] = "1",
        ["XRD_APPNAME"] = "toolkit-alien",
    };

    private static void Fail(AlienCopyItem item, string error)
    {
        item.Status = AlienCopyStatus.Failed;
        item.Error = error;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }

    /// <summary>The lower-case hex MD5 of a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The hash.</returns>
    public static async Task<string> Md5Async(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
#pragma warning disable CA5351 // MD5 is the catalogue's checksum, not a security measure.
            return Convert.ToHexStringLower(await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
#pragma warning restore CA5351
        }
    }
}
