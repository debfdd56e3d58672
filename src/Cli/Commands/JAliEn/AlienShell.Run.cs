using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn;
using Toolkit.JAliEn.Connection;
using Toolkit.JAliEn.Transfer;

namespace Toolkit.Cli;

/// <summary><c>run</c>, <c>exec</c> and the editors: grid files downloaded (through cp) to a private temporary directory first.</summary>
internal sealed partial class AlienShell
{
    private static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Downloads one LFN into <paramref name="dir"/> through cp; null (and the error printed) when it failed.</summary>
    private async Task<string?> DownloadTempAsync(AlienConnection connection, string lfn, string dir, CancellationToken ct)
    {
        string grid = AlienPath.Expand(AlienCopy.GridPath(lfn), AlienPaths.Of(connection));
        string local = Path.Combine(dir, grid[(grid.LastIndexOf('/') + 1)..]);
        var items = await new AlienCopy(connection).CopyAsync(grid, "file:" + local, new AlienCopyOptions { Parallel = 1 }, ct).ConfigureAwait(false);
        var failed = items.FirstOrDefault(i => i.Status == AlienCopyStatus.Failed);
        if (items.Count != 1 || failed is not null || !File.Exists(local))
        {
            await _console.Error.WriteLineAsync("error: could not download " + TerminalText.Clean(grid) + (failed is null ? string.Empty : ": " + TerminalText.Clean(failed.Error ?? string.Empty))).ConfigureAwait(false);
            return null;
        }
        return local;
    }

    private static string PrivateTempDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("toolkit-alien-");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return dir.FullName;
    }

    /// <summary>
    /// alienpy's <c>run CMD [ARGS] LFN</c> (or <c>alien:LFN</c> anywhere) and <c>exec LFN [ARGS]</c>: the files are downloaded
    /// first, then the command runs through <c>/bin/sh</c> with its output captured (<c>-noout</c>: on the terminal).
    /// </summary>
    private async Task<int> RunOnDownloadAsync(AlienConnection connection, string verb, List<string> args, TextWriter output, CancellationToken ct)
    {
        bool noCapture = args.Remove("-noout");
        args.Remove("-force"); // Every run downloads afresh into its own temporary directory.
        string dir = PrivateTempDirectory();
        try
        {
            string command;
            if (verb == "exec")
            {
                string? script = await DownloadTempAsync(connection, args[0], dir, ct).ConfigureAwait(false);
                if (script is null)
                {
                    return 5;
                }
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
                command = string.Join(' ', [ShellQuote(script), .. args.Skip(1).Select(ShellQuote)]);
            }
            else
            {
                var lfns = args.Where(a => a.StartsWith("alien:", StringComparison.Ordinal)).ToList();
                if (lfns.Count == 0)
                {
                    lfns.Add(args[^1]);
                    args.RemoveAt(args.Count - 1);
                }
                else
                {
                    args.RemoveAll(lfns.Contains);
                }
                var files = new List<string>();
                foreach (string lfn in lfns)
                {
                    if (await DownloadTempAsync(connection, lfn, Directory.CreateDirectory(Path.Combine(dir, files.Count.ToString(CultureInfo.InvariantCulture))).FullName, ct).ConfigureAwait(false) is not { } f)
                    {
                        return 5;
                    }
                    files.Add(f);
                }
                // As alienpy: the command words are given to the shell as typed, the files are appended.
                command = string.Join(' ', args) + " " + string.Join(' ', files.Select(ShellQuote));
            }
            return noCapture ? await RunAttachedAsync("/bin/sh", ["-c", command], ct).ConfigureAwait(false) : await RunLocalAsync(command, null, output, ct).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a command may have left a file open.
            }
        }
    }

    /// <summary>A local program on the terminal (stdin, stdout and stderr inherited), as an editor needs.</summary>
    private static async Task<int> RunAttachedAsync(string program, IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new IOException("could not start " + program);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return process.ExitCode;
    }

    /// <summary>
    /// alienpy's <c>edit</c> (and vi, vim, nano, mcedit): download, run the editor (<c>$EDITOR</c> for edit, else
    /// <c>mcedit -u</c>), and when the MD5 changed move the old LFN to <c>LFN~</c> (<c>-datebck</c>: <c>LFN.DATE</c>) and upload
    /// the new content with as many replicas; a failed upload moves the backup back.
    /// </summary>
    private async Task<int> EditAsync(AlienConnection connection, AlienCommands commands, string verb, List<string> args, TextWriter output, CancellationToken ct)
    {
        bool dated = args.Remove("-datebck");
        AlienReplicaSpec.Split(args[^1], out var path, out var spec);
        string lfn = AlienPath.Expand(path, AlienPaths.Of(connection));
        string dir = PrivateTempDirectory();
        try
        {
            string? local = await DownloadTempAsync(connection, lfn, dir, ct).ConfigureAwait(false);
            if (local is null)
            {
                return 5;
            }
            string before = await AlienCopy.Md5Async(local, ct).ConfigureAwait(false);
            string editor = verb != "edit" ? verb : _env.Get("EDITOR") is { Length: > 0 } e ? e : "mcedit -u";
            int rc = await RunAttachedAsync("/bin/sh", ["-c", editor + " " + ShellQuote(local)], ct).ConfigureAwait(false);
            if (rc != 0)
            {
                await _console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"error: the editor exited with {rc}; nothing uploaded")).ConfigureAwait(false);
                return rc;
            }
            if (await AlienCopy.Md5Async(local, ct).ConfigureAwait(false) == before)
            {
                return 0;
            }
            var replicas = await commands.WhereisAsync(lfn, cancellationToken: ct).ConfigureAwait(false);
            spec ??= AlienReplicaSpec.Parse("disk:" + Math.Max(1, replicas.Rows.Count).ToString(CultureInfo.InvariantCulture));
            string backup = dated ? lfn + "." + DateTime.UtcNow.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture) : lfn + "~";
            if (!dated)
            {
                await commands.RmAsync([backup], force: true, cancellationToken: ct).ConfigureAwait(false);
            }
            var moved = await commands.MvAsync(lfn, backup, ct).ConfigureAwait(false);
            if (!moved.IsSuccess)
            {
                return await ReportAsync(moved.ExitCode, "mv " + lfn + " " + backup + ": " + moved.Error).ConfigureAwait(false);
            }
            var items = await new AlienCopy(connection).CopyAsync("file:" + local, lfn + "@" + spec, new AlienCopyOptions { Parallel = 1 }, ct).ConfigureAwait(false);
            if (items.Any(i => i.Status == AlienCopyStatus.Copied))
            {
                await output.WriteLineAsync("Uploaded " + TerminalText.Clean(lfn) + " (the old version is " + TerminalText.Clean(backup) + ")").ConfigureAwait(false);
                return 0;
            }
            await commands.MvAsync(backup, lfn, ct).ConfigureAwait(false);
            return await ReportAsync(5, "error uploading " + lfn + ": " + string.Join("; ", items.Select(i => i.Error))).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
