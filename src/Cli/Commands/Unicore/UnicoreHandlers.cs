using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Json;
using Toolkit.Runtime.Security;
using Toolkit.Unicore;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Cli;

/// <summary>Runs the <c>toolkit unicore</c> commands over <see cref="UnicoreClient"/>.</summary>
internal static partial class UnicoreHandlers
{
    private static readonly string[] OutputFiles = ["stdout", "stderr"];

    public static Task<int> ConnectAsync(UnicoreGlobalOptions g, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var info = await client.ConnectAsync(ct).ConfigureAwait(false);
        if (g.Json)
        {
            JsonOutput.WriteIndented(console.Out, w => info.WriteJson(w));
            return ExitCodes.Ok;
        }

        console.Out.WriteLine($"site      : {S(client.SiteUrl?.ToString())}");
        console.Out.WriteLine($"dn        : {S(info.Client?.Dn)}");
        console.Out.WriteLine($"role      : {S(info.Client?.Role?.Selected)}");
        console.Out.WriteLine($"uid/group : {S(info.Client?.Xlogin?.Uid)}/{S(info.Client?.Xlogin?.Group)}");
        console.Out.WriteLine($"server    : {S(info.Server?.Version)}");
        return ExitCodes.Ok;
    });

    public static Task<int> RunAsync(UnicoreGlobalOptions g, string file, bool wait, double? waitTimeout, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var job = ReadJson(file, static b => ApiJson.Parse<JobDescription>(b), "job description");
        await client.ConnectAsync(ct).ConfigureAwait(false);
        var handle = await client.SubmitJobAsync(job, ct).ConfigureAwait(false);
        JobProperties? props = null;
        if (wait)
        {
            props = await handle.WaitAsync(null, waitTimeout is { } s ? TimeSpan.FromSeconds(s) : null, ct).ConfigureAwait(false);
        }

        WriteJob(g, console, handle, props);
        return props is null || (props.Status == JobStatus.Successful && UnicoreJob.ExitCode(props) is null or 0) ? ExitCodes.Ok : ExitCodes.Failure;
    });

    public static Task<int> ListJobsAsync(UnicoreGlobalOptions g, int? offset, int? num, string? tags, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var tagList = tags?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var jobs = await client.ListJobsAsync(offset, num, tagList, ct).ConfigureAwait(false);
        var rows = new List<(UnicoreJob Job, JobProperties Props)>();
        foreach (var j in jobs)
        {
            rows.Add((j, await j.GetPropertiesAsync(["status", "name", "exitCode", "submissionTime"], ct).ConfigureAwait(false)));
        }

        if (g.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) =>
            {
                w.WriteStartArray();
                foreach (var (j, p) in rows)
                {
                    WriteJobJson(w, j, p);
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        foreach (var (j, p) in rows)
        {
            console.Out.WriteLine($"{j.Url}  {S(p.Status?.ToString()),-10}  {S(p.Name)}");
        }

        return ExitCodes.Ok;
    });

    public static Task<int> JobStatusAsync(UnicoreGlobalOptions g, string url, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var job = client.GetJob(Url(url));
        WriteJob(g, console, job, await job.GetPropertiesAsync(null, ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    public static Task<int> AbortJobAsync(UnicoreGlobalOptions g, string url, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var job = client.GetJob(Url(url));
        await job.AbortAsync(ct).ConfigureAwait(false);
        WriteJob(g, console, job, await job.GetPropertiesAsync(null, ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    public static Task<int> GetOutputAsync(UnicoreGlobalOptions g, string url, string dir, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var job = client.GetJob(Url(url));
        var wd = await job.GetWorkingDirectoryAsync(ct).ConfigureAwait(false);
        Directory.CreateDirectory(dir);
        var written = new List<(string Name, string Path, long Bytes)>();
        foreach (var name in OutputFiles)
        {
            var local = Path.Combine(dir, name);
            written.Add((name, local, await wd.DownloadFileAsync(name, local, ct).ConfigureAwait(false)));
        }

        if (g.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) =>
            {
                w.WriteStartObject();
                foreach (var (name, path, bytes) in written)
                {
                    w.WriteStartObject(name);
                    w.WriteString("path", path);
                    w.WriteNumber("bytes", bytes);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            });
        }
        else
        {
            foreach (var (name, path, bytes) in written)
            {
                console.Out.WriteLine($"{name} -> {path} ({bytes} bytes)");
            }
        }

        return ExitCodes.Ok;
    });

    public static Task<int> LsAsync(UnicoreGlobalOptions g, string target, bool longFormat, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var (storageName, path) = Remote(target) ?? ("HOME", target);
        var storage = await client.GetStorageAsync(storageName, ct).ConfigureAwait(false);
        var entries = await storage.ListAsync(path, ct).ConfigureAwait(false);
        if (g.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) =>
            {
                w.WriteStartArray();
                foreach (var e in entries)
                {
                    w.WriteStartObject();
                    w.WriteString("path", e.Path);
                    w.WriteBoolean("isDirectory", e.IsDirectory);
                    w.WriteNumber("size", e.Info.Size ?? 0);
                    w.WriteString("permissions", e.Info.Permissions);
                    w.WriteString("lastAccessed", e.Info.LastAccessed);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        foreach (var e in entries)
        {
            console.Out.WriteLine(longFormat
                ? $"{(e.IsDirectory ? 'd' : '-')}{S(e.Info.Permissions),-4} {e.Info.Size ?? 0,12} {S(e.Info.LastAccessed),-25} {S(e.Path)}{(e.IsDirectory ? "/" : string.Empty)}"
                : S(e.Path) + (e.IsDirectory ? "/" : string.Empty));
        }

        return ExitCodes.Ok;
    });

    public static Task<int> CpAsync(UnicoreCpOptions o, CliConsole console, CancellationToken ct) => WithClient(o.Global, console, async client =>
    {
        var g = o.Global;
        string source = o.Source, target = o.Target;
        if (o.Streams < 1)
        {
            throw new FormatException("--streams must be at least 1");
        }

        var authUrl = o.UftpAuth is null ? null : Url(o.UftpAuth);
        var from = Remote(source);
        var to = Remote(target);
        string what;
        string protocol = "BFT";
        long bytes = -1;
        if (from is null && to is null)
        {
            throw new FormatException("one of SOURCE and TARGET must be remote (STORAGE:/path)");
        }
        else if (from is null)
        {
            var storage = await client.GetStorageAsync(to!.Value.Storage, ct).ConfigureAwait(false);
            var remote = to.Value.Path.EndsWith('/') ? to.Value.Path + Path.GetFileName(source) : to.Value.Path;
            protocol = await ProtocolAsync(o, storage, ct).ConfigureAwait(false);
            if (protocol == "UFTP")
            {
                bytes = (await storage.UploadUftpAsync(source, remote, authUrl, new UftpAuthRequest { StreamCount = o.Streams }, ct).ConfigureAwait(false)).Bytes;
            }
            else
            {
                await storage.UploadFileAsync(source, remote, ct).ConfigureAwait(false);
                bytes = new System.IO.FileInfo(source).Length;
            }

            what = "uploaded " + source + " -> " + to.Value.Storage + ":" + remote;
        }
        else if (to is null)
        {
            var storage = await client.GetStorageAsync(from.Value.Storage, ct).ConfigureAwait(false);
            var local = Directory.Exists(target) ? Path.Combine(target, Path.GetFileName(from.Value.Path.TrimEnd('/'))) : target;
            protocol = await ProtocolAsync(o, storage, ct).ConfigureAwait(false);
            bytes = protocol == "UFTP"
                ? (await storage.DownloadUftpAsync(from.Value.Path, local, authUrl, new UftpAuthRequest { StreamCount = o.Streams }, ct).ConfigureAwait(false)).Bytes
                : await storage.DownloadFileAsync(from.Value.Path, local, ct).ConfigureAwait(false);
            what = "downloaded " + source + " -> " + local;
        }
        else if (from.Value.Storage == to.Value.Storage)
        {
            var storage = await client.GetStorageAsync(from.Value.Storage, ct).ConfigureAwait(false);
            await storage.CopyAsync(from.Value.Path, to.Value.Path, ct).ConfigureAwait(false);
            what = "copied " + source + " -> " + target;
        }
        else
        {
            var src = await client.GetStorageAsync(from.Value.Storage, ct).ConfigureAwait(false);
            var dst = await client.GetStorageAsync(to.Value.Storage, ct).ConfigureAwait(false);
            var transfer = await dst.ReceiveFileAsync((await src.FileUrlAsync(from.Value.Path, ct).ConfigureAwait(false)).ToString(), to.Value.Path, null, ct).ConfigureAwait(false);
            var props = await transfer.WaitAsync(null, ct).ConfigureAwait(false);
            if (props.Status != TransferStatus.Done)
            {
                throw new UnicoreProtocolException("the transfer " + transfer.Url + " ended " + props.Status + ": " + props.StatusMessage);
            }

            bytes = props.TransferredBytes ?? -1;
            what = "transferred " + source + " -> " + target + " (" + transfer.Url + ")";
        }

        if (g.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) =>
            {
                w.WriteStartObject();
                w.WriteString("source", source);
                w.WriteString("target", target);
                w.WriteNumber("bytes", bytes);
                w.WriteString("protocol", protocol);
                w.WriteEndObject();
            });
        }
        else
        {
            console.Out.WriteLine(S(what) + (bytes >= 0 ? $" ({bytes} bytes)" : string.Empty) + " via " + protocol);
        }

        return ExitCodes.Ok;
    });

    public static Task<int> ListSitesAsync(UnicoreGlobalOptions g, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var registry = client.GetRegistry();
        var sites = await registry.GetSitesAsync(ct).ConfigureAwait(false);
        var workflows = await registry.GetWorkflowServicesAsync(ct).ConfigureAwait(false);
        if (g.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) =>
            {
                w.WriteStartObject();
                w.WriteStartObject("sites");
                foreach (var (name, url) in sites)
                {
                    w.WriteString(name, url.ToString());
                }

                w.WriteEndObject();
                w.WriteStartObject("workflowServices");
                foreach (var (name, url) in workflows)
                {
                    w.WriteString(name, url.ToString());
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        foreach (var (name, url) in sites)
        {
            console.Out.WriteLine($"{S(name),-20} {url}");
        }

        foreach (var (name, url) in workflows)
        {
            console.Out.WriteLine($"{S(name),-20} {url}  (workflows)");
        }

        return ExitCodes.Ok;
    });

    /// <summary>UFTP when asked for, or (auto) when the storage lists it in <c>protocols</c>; else BFT (plain HTTP).</summary>
    private static async Task<string> ProtocolAsync(UnicoreCpOptions o, UnicoreStorage storage, CancellationToken ct)
    {
        if (o.Protocol == "BFT")
        {
            return "BFT";
        }

        bool offered = UnicoreStorage.OffersUftp(await storage.GetPropertiesAsync(ct).ConfigureAwait(false));
        if (o.Protocol == "UFTP" && !offered && o.UftpAuth is null)
        {
            throw new UnicoreProtocolException("the storage " + storage.Url + " does not offer UFTP (its protocols lack it); use --protocol BFT or --uftp-auth URL");
        }

        return offered || o.Protocol == "UFTP" ? "UFTP" : "BFT";
    }

    /// <summary><c>STORAGE:/path</c> → (storage, path); null for a local path (no prefix, or a one-letter one).</summary>
    internal static (string Storage, string Path)? Remote(string spec)
    {
        var m = RemoteSpec().Match(spec);
        return m.Success ? (m.Groups[1].Value, m.Groups[2].Value.Length == 0 ? "/" : m.Groups[2].Value) : null;
    }

    [GeneratedRegex(@"^([A-Za-z0-9_.-]{2,}):(.*)$")]
    private static partial Regex RemoteSpec();
}
