using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn.Transfer;

namespace Toolkit.Cli;

internal sealed partial class AlienShell
{
    private const string CopyUsage =
        "usage: cp [-T N] [-f] [-dryrun] [-norecovery] [-strictspec] [-glob P | -select RE | -name RE|begin_X|contain_X|ends_X|ext_X] "
        + "[-exclude S] [-exclude_re RE] [-user U] [-group G] [-jobid N] [-minsize N] [-maxsize N] [-mindepth N] [-maxdepth N] "
        + "[-min-ctime T] [-max-ctime T] [-j JOBID] [-l N] [-o N] [-e PATTERN]... [-site SITE] [-parent N | -rmprefix N] SOURCE TARGET | -dst DIR F1 F2 ... | -input FILE (local paths start with file:)";

    /// <summary>alienpy's <c>cp</c> with its selection filters, <c>-dst</c> and <c>-input</c> (the rest of its options are accepted and ignored).</summary>
    private async Task<int> CopyAsync(List<string> args, TextWriter output, CancellationToken ct)
    {
        int parallel = 8;
        bool md5 = false, dry = false, noRecovery = false, strict = false;
        string pattern = "*";
        string? select = null, name = null, exclude = null, excludeRe = null, user = null, group = null, dst = null, input = null;
        long? jobId = null, minSize = null, maxSize = null, findJob = null, findLimit = null, findOffset = null;
        string? findSite = null;
        var findExclude = new List<string>();
        int? minDepth = null, maxDepth = null, parent = null, rmPrefix = null;
        DateTimeOffset? minCtime = null, maxCtime = null;
        var paths = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string opt = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException(opt + ": a value is missing");
            switch (opt)
            {
                case "-T": parallel = (int)Number(opt, Value(), int.MaxValue); break;
                case "-glob": pattern = Value(); break;
                case "-select": select = Value(); break;
                case "-name": name = Value(); break;
                case "-exclude": exclude = Value(); break;
                case "-exclude_re": excludeRe = Value(); break;
                case "-user": user = Value(); break;
                case "-group": group = Value(); break;
                case "-jobid": jobId = Number(opt, Value(), long.MaxValue); break;
                case "-minsize": minSize = Number(opt, Value(), long.MaxValue); break;
                case "-maxsize": maxSize = Number(opt, Value(), long.MaxValue); break;
                case "-mindepth": minDepth = (int)Number(opt, Value(), int.MaxValue); break;
                case "-maxdepth": maxDepth = (int)Number(opt, Value(), int.MaxValue); break;
                case "-parent": parent = (int)Number(opt, Value(), int.MaxValue); break;
                case "-rmprefix": rmPrefix = (int)Number(opt, Value(), int.MaxValue); break;
                case "-min-ctime": minCtime = AlienCopyFilter.ParseTime(opt, Value()); break;
                case "-max-ctime": maxCtime = AlienCopyFilter.ParseTime(opt, Value()); break;
                case "-j": findJob = Number(opt, Value(), long.MaxValue); break;
                case "-l": findLimit = Number(opt, Value(), long.MaxValue); break;
                case "-o": findOffset = Number(opt, Value(), long.MaxValue); break;
                case "-e": findExclude.Add(Value()); break;
                case "-site": findSite = Value(); break;
                case "-dst": dst = Value(); break;
                case "-input": input = Value(); break;
                case "-f": md5 = true; break;
                case "-dryrun": dry = true; break;
                case "-norecovery": noRecovery = true; break;
                case "-strictspec": strict = true; break;
                case "-y" or "-cksum" or "-fastcheck" or "-skipmd5" or "-xrdcp": break;
                case "-tpc":
                    await _console.Error.WriteLineAsync("error: cp -tpc (third-party copy) is not supported").ConfigureAwait(false);
                    return 22;
                default:
                    paths.Add(opt);
                    break;
            }
        }
        var pairs = new List<(string Source, string Target)>();
        if (input is not null)
        {
            pairs.AddRange(ReadCopyInput(input));
        }
        else if (dst is not null)
        {
            pairs.AddRange(paths.Select(p => (p, dst.EndsWith('/') ? dst : dst + "/")));
        }
        else if (paths.Count == 2)
        {
            pairs.Add((paths[0], paths[1]));
        }
        if (pairs.Count == 0 || (input is not null && (dst is not null || paths.Count > 0)))
        {
            await _console.Error.WriteLineAsync(CopyUsage).ConfigureAwait(false);
            return 22;
        }
        var filter = new AlienCopyFilter
        {
            Select = select, Name = name, Exclude = exclude, ExcludeRegex = excludeRe, User = user, Group = group, JobId = jobId,
            MinSize = minSize, MaxSize = maxSize, MinDepth = minDepth, MaxDepth = maxDepth, MinCtime = minCtime, MaxCtime = maxCtime,
            Parent = parent, RemovePrefix = rmPrefix,
        };
        filter.Validate(pattern);
        _ = name is null ? null : AlienCopyFilter.NameRegex(name);
        _ = select is null ? null : AlienCopyFilter.Compile("-select", select);
        _ = excludeRe is null ? null : AlienCopyFilter.Compile("-exclude_re", excludeRe);
        var connection = await ConnectionAsync(ct).ConfigureAwait(false);
        // On a terminal one line is redrawn per finished file; otherwise only the per-file lines below.
        var progress = _console.IsOutputRedirected ? null : new AlienCopyProgress();
        var drawLock = new object();
        var options = new AlienCopyOptions
        {
            Parallel = Math.Max(1, parallel), CheckMd5 = md5, DryRun = dry, NoRecovery = noRecovery, StrictSpecs = strict, Pattern = pattern, Filter = filter,
            ServerFilter = new AlienFindFilter { JobId = findJob, Limit = findLimit, Offset = findOffset, Exclude = findExclude, Site = findSite },
            KeepMetalinkDirectory = _env.IsOn("ALIENPY_KEEP_META") ? Directory.GetCurrentDirectory() : null,
            Planned = progress is null ? null : progress.Plan,
            Progress = progress is null ? null : i =>
            {
                string line = TerminalText.Clean(progress.Done(i, TerminalWidth()));
                lock (drawLock)
                {
                    _console.Error.Write("\r\u001b[K" + line);
                }
            },
        };
        var items = new List<AlienCopyItem>();
        foreach (var (source, target) in pairs)
        {
            items.AddRange(await new AlienCopy(connection).CopyAsync(source, target, options, ct).ConfigureAwait(false));
        }
        if (progress is not null)
        {
            await _console.Error.WriteAsync("\r\u001b[K").ConfigureAwait(false);
        }
        foreach (var item in items)
        {
            string line = item.Status switch
            {
                AlienCopyStatus.Failed => "failed: " + item.Source + " -> " + item.Target + ": " + item.Error,
                AlienCopyStatus.Skipped => "skipped (already valid): " + item.Target,
                AlienCopyStatus.Planned => item.Source + " -> " + item.Target,
                _ => "copied: " + item.Source + " -> " + item.Target + (item.StorageElements.Count > 0 ? " (" + string.Join(", ", item.StorageElements) + ")" : string.Empty),
            };
            await (item.Status == AlienCopyStatus.Failed ? _console.Error : output).WriteLineAsync(TerminalText.Clean(line)).ConfigureAwait(false);
        }
        // alienpy: success when at least one file was copied (or there was nothing to do).
        return items.Any(i => i.Status != AlienCopyStatus.Failed) || items.Count == 0 ? 0 : 5;
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    /// <summary>A whole number of at least 0 for an option, or an error naming the option.</summary>
    private static long Number(string option, string text, long max) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n <= max
            ? n
            : throw new ArgumentException(option + ": '" + text + "' is not a whole number of at least 0");

    /// <summary>The pairs of a <c>-input</c> file: one <c>source target</c> per line; blank lines and <c>#</c> comments are skipped.</summary>
    private static List<(string Source, string Target)> ReadCopyInput(string file)
    {
        string path = file.StartsWith("file:", StringComparison.Ordinal) ? AlienCopy.LocalPath(file) : file;
        var pairs = new List<(string, string)>();
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"-input {path}, line {number}: expected 'source target', got {parts.Length} word(s)"));
            }
            pairs.Add((parts[0], parts[1]));
        }
        return pairs;
    }
}
