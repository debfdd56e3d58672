using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn.Connection;

namespace Toolkit.JAliEn.Transfer;

public sealed partial class AlienCopy
{
    private sealed record Written(AlienCopyItem Item, string Lfn, long Size, string Md5, AccessEnvelope Replica);

    private async Task<IReadOnlyList<AlienCopyItem>> UploadAsync(string source, string destination, AlienCopyOptions options, CancellationToken cancellationToken)
    {
        AlienReplicaSpec.Split(destination, out var path, out var spec);
        string target = AlienPath.Expand(path, Paths);
        var pairs = new List<(string Local, string Lfn)>();
        if (Directory.Exists(source))
        {
            string root = source.EndsWith('/') ? source : Path.GetDirectoryName(source.TrimEnd('/'))!;
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                pairs.Add((file, target.TrimEnd('/') + "/" + Path.GetRelativePath(root, file).Replace('\\', '/')));
            }
        }
        else if (File.Exists(source))
        {
            bool toDir = path.EndsWith('/') || await IsGridDirectoryAsync(target, cancellationToken).ConfigureAwait(false);
            pairs.Add((source, toDir ? target.TrimEnd('/') + "/" + Path.GetFileName(source) : target));
        }
        else
        {
            return [new AlienCopyItem { Source = source, Target = target, Status = AlienCopyStatus.Failed, Error = "no such local file or directory" }];
        }
        var items = pairs.Select(p => new AlienCopyItem { Source = p.Local, Target = p.Lfn, Size = new FileInfo(p.Local).Length }).ToList();
        if (options.DryRun)
        {
            return items;
        }
        options.Planned?.Invoke(items);
        var written = new List<Written>();
        var failed = new List<(AlienCopyItem Item, string Md5, List<string> TriedSes, int Missing)>();
        using (var gate = new SemaphoreSlim(Math.Max(1, options.Parallel)))
        {
            var lockObj = new object();
            await Task.WhenAll(items.Select(async item =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var (ok, bad, md5) = await UploadOneAsync(item, spec, options, cancellationToken).ConfigureAwait(false);
                    lock (lockObj)
                    {
                        written.AddRange(ok);
                        if (bad.Count > 0 && !options.NoRecovery)
                        {
                            failed.Add((item, md5, bad.Concat(ok.Select(o => o.Replica.Se ?? string.Empty)).ToList(), bad.Count));
                        }
                    }
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }
        // Recovery: ask for as many replicas as failed, on SEs not tried yet (at most two rounds).
        for (int round = 0; round < 2 && failed.Count > 0; round++)
        {
            var next = new List<(AlienCopyItem Item, string Md5, List<string> TriedSes, int Missing)>();
            foreach (var (item, md5, tried, missing) in failed)
            {
                var recoverySpec = new AlienReplicaSpec([new KeyValuePair<string, int>("disk", missing)], [], tried.Where(s => s.Length > 0).Distinct().ToList());
                var (ok, bad) = await WriteReplicasAsync(item, item.Target, md5, recoverySpec, options, cancellationToken).ConfigureAwait(false);
                written.AddRange(ok);
                if (bad.Count > 0 && ok.Count < missing)
                {
                    next.Add((item, md5, tried.Concat(bad).Concat(ok.Select(o => o.Replica.Se ?? string.Empty)).ToList(), missing - ok.Count));
                }
            }
            failed = next;
        }
        await CommitAsync(written, options, cancellationToken).ConfigureAwait(false);
        foreach (var item in items.Where(i => i.Status == AlienCopyStatus.Planned))
        {
            item.Status = item.StorageElements.Count > 0 ? AlienCopyStatus.Copied : AlienCopyStatus.Failed;
            item.Error ??= item.Status == AlienCopyStatus.Failed ? "no replica was written" : null;
        }
        foreach (var item in items)
        {
            options.Progress?.Invoke(item);
        }
        return items;
    }

    private async Task<bool> IsGridDirectoryAsync(string lfn, CancellationToken cancellationToken)
    {
        var stat = await _commands.StatAsync([lfn], cancellationToken: cancellationToken).ConfigureAwait(false);
        return stat.IsSuccess && stat.Rows.Count > 0 && stat.Rows[0].Type == "d";
    }

    private async Task<(List<Written> Ok, List<string> Bad, string Md5)> UploadOneAsync(AlienCopyItem item, AlienReplicaSpec? spec, AlienCopyOptions options, CancellationToken cancellationToken)
    {
        string md5 = await Md5Async(item.Source, cancellationToken).ConfigureAwait(false);
        var stat = await _commands.StatAsync([item.Target], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (stat.IsSuccess && stat.Rows.Count > 0)
        {
            var s = stat.Rows[0];
            bool same = s.Size == item.Size && (!options.CheckMd5 || string.Equals(s.Md5, md5, StringComparison.OrdinalIgnoreCase))
                && (s.Ctime is null || File.GetLastWriteTimeUtc(item.Source) <= s.Ctime.Value.UtcDateTime.AddSeconds(1));
            if (same)
            {
                item.Status = AlienCopyStatus.Skipped;
                return ([], [], md5);
            }
            await _commands.RmAsync([item.Target], force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        string parent = item.Target[..(item.Target.LastIndexOf('/') + 1)];
        await _commands.MkdirAsync([parent], parents: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        // alienpy's default: two replicas, four for small macros, scripts and JDLs.
        spec ??= AlienReplicaSpec.Disk(item.Size < 1 << 20 && (item.Target.EndsWith(".sh", StringComparison.Ordinal) || item.Target.EndsWith(".C", StringComparison.Ordinal)
            || item.Target.EndsWith(".jdl", StringComparison.Ordinal) || item.Target.EndsWith(".xml", StringComparison.Ordinal)) ? 4 : 2);
        var (ok, bad) = await WriteReplicasAsync(item, item.Target, md5, spec, options, cancellationToken).ConfigureAwait(false);
        return (ok, bad, md5);
    }

    private async Task<(List<Written> Ok, List<string> Bad)> WriteReplicasAsync(AlienCopyItem item, string lfn, string md5, AlienReplicaSpec spec, AlienCopyOptions options, CancellationToken cancellationToken)
    {
        var access = await _commands.AccessAsync(AccessMode.Write, lfn, spec, size: item.Size, md5: md5, strict: options.StrictSpecs, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!access.IsSuccess || access.Rows.Count == 0)
        {
            item.Error = "access write: " + (access.Error.Length > 0 ? access.Error : "no storage element");
            return ([], []);
        }
        var results = await Task.WhenAll(access.Rows.Select(async replica =>
        {
            string url = Metalink.WithEnvelope(replica.Url, replica.Envelope);
            var outcome = await XrdcpRunner.RunAsync(options.Xrdcp, ["-f", "-N", "-p", item.Source, url], options.TransferTimeout, options.XrdEnvironment ?? DefaultXrdEnvironment, cancellationToken).ConfigureAwait(false);
            return (replica, outcome);
        })).ConfigureAwait(false);
        var ok = results.Where(r => r.outcome.Succeeded).Select(r => new Written(item, lfn, item.Size, md5, r.replica)).ToList();
        var bad = results.Where(r => !r.outcome.Succeeded).Select(r => r.replica.Se ?? string.Empty).ToList();
        if (ok.Count == 0)
        {
            item.Error = "xrdcp failed on every replica: " + string.Join("; ", results.Select(r => (r.replica.Se ?? "?") + ": " + r.outcome.Error.Split('\n')[^1]));
        }
        return (ok, bad);
    }

    /// <summary>Commits the written replicas, in pipelined batches on a connection (one by one on another channel).</summary>
    private async Task CommitAsync(List<Written> written, AlienCopyOptions options, CancellationToken cancellationToken)
    {
        var paths = Paths;
        foreach (var batch in written.Chunk(Math.Max(1, options.CommitBatch)))
        {
            var lines = batch.Select(w => AlienArgv.Commit(paths, true, w.Replica.Envelope ?? string.Empty, w.Size, w.Lfn, "644", "0", w.Replica.Url,
                w.Replica.Se ?? string.Empty, w.Replica.Guid?.ToString() ?? string.Empty, w.Md5)).ToList();
            IReadOnlyList<ReadOnlyMemory<byte>> replies;
            if (_channel is AlienConnection connection)
            {
                replies = await connection.SendPipelinedAsync(lines, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var list = new List<ReadOnlyMemory<byte>>();
                foreach (var line in lines)
                {
                    list.Add(await _channel.SendAsync(line, cancellationToken).ConfigureAwait(false));
                }
                replies = list;
            }
            for (int i = 0; i < batch.Length; i++)
            {
                var result = AlienReplyReader.Read<CommitRow>(replies[i], "commit", AlienErrorMode.Return);
                if (result.IsSuccess)
                {
                    batch[i].Item.StorageElements.Add(batch[i].Replica.Se ?? string.Empty);
                }
                else
                {
                    batch[i].Item.Error = "commit: " + result.Error;
                }
            }
        }
    }
}
