using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Toolkit.Peers.Unicore;

public sealed partial class UnicorePeer
{
    private readonly ConcurrentDictionary<string, JsonObject> _transfers = new(StringComparer.Ordinal);

    private string StorageDir(string id, string user)
    {
        if (id == "HOME")
        {
            var home = Path.Combine(Root, "home", user);
            Directory.CreateDirectory(home);
            return home;
        }

        if (id.EndsWith("-uspace", StringComparison.Ordinal) && _jobs.TryGetValue(id[..^"-uspace".Length], out var job))
        {
            return job.Owner == user ? job.Dir : throw new HttpError(403, "Access denied: storage '" + id + "' belongs to another user");
        }

        throw new HttpError(404, "Storage '" + id + "' not found");
    }

    private async Task StorageRouteAsync(HttpContext ctx, Caller caller, string[] seg)
    {
        var user = RequireUser(caller);
        var method = ctx.Request.Method;
        switch (seg)
        {
            case ["storages"] when method == "GET":
                var ids = _jobs.Values.Where(j => j.Owner == user).Select(j => j.Id + "-uspace").Prepend("HOME");
                await WriteJsonAsync(ctx, new JsonObject { ["storages"] = new JsonArray(ids.Select(i => (JsonNode?)U("storages/" + i)).ToArray()), ["_links"] = Links(("self", U("storages"))) });
                return;
            case ["storages", var id] when method == "GET":
                {
                    var dir = StorageDir(id, user);
                    var self = U("storages/" + id);
                    await WriteJsonAsync(ctx, new JsonObject
                    {
                        ["resourceStatus"] = "READY",
                        ["mountPoint"] = dir,
                        ["description"] = id == "HOME" ? "Home directory" : "Working directory of a job",
                        ["protocols"] = Uftpd is null ? new JsonArray("BFT") : new JsonArray("BFT", "UFTP"),
                        ["freeSpace"] = new DriveInfo(dir).AvailableFreeSpace,
                        ["_links"] = Links(("self", self), ("files", self + "/files"), ("action:copy", self + "/actions/copy"), ("action:rename", self + "/actions/rename"), ("transfers", self + "/transfers")),
                    });
                    return;
                }

            case ["storages", var id, "files", .. var rest]:
                await FileAsync(ctx, id, StorageDir(id, user), string.Join("/", rest));
                return;
            case ["storages", var id, "actions", var action] when method == "POST" && action is "copy" or "rename":
                {
                    var dir = StorageDir(id, user);
                    var body = await ReadJsonAsync(ctx) as JsonObject ?? throw new HttpError(400, "Expected a JSON object {from, to}");
                    var from = SafePath(dir, Str(body, "from") ?? throw new HttpError(400, "Missing 'from'"));
                    var to = SafePath(dir, Str(body, "to") ?? throw new HttpError(400, "Missing 'to'"));
                    if (!File.Exists(from) && !Directory.Exists(from))
                    {
                        throw new HttpError(404, "File '" + Str(body, "from") + "' not found");
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                    if (action == "rename")
                    {
                        if (Directory.Exists(from))
                        {
                            Directory.Move(from, to);
                        }
                        else
                        {
                            File.Move(from, to, overwrite: true);
                        }
                    }
                    else
                    {
                        File.Copy(from, to, overwrite: true);
                    }

                    await WriteJsonAsync(ctx, new JsonObject());
                    return;
                }

            case ["storages", var id, "transfers"] when method == "POST":
                await StartTransferAsync(ctx, user, id, StorageDir(id, user));
                return;
            case ["transfers"] when method == "GET":
                await WriteJsonAsync(ctx, new JsonObject
                {
                    ["transfers"] = new JsonArray(_transfers.Where(t => t.Value["owner"]?.GetValue<string>() == user).Select(t => (JsonNode?)U("transfers/" + t.Key)).ToArray()),
                    ["_links"] = Links(("self", U("transfers"))),
                });
                return;
            case ["transfers", var id] when method == "GET":
                {
                    var t = _transfers.TryGetValue(id, out var x) && x["owner"]?.GetValue<string>() == user ? x : throw new HttpError(404, "Transfer '" + id + "' not found");
                    var copy = (JsonObject)t.DeepClone();
                    copy.Remove("owner");
                    await WriteJsonAsync(ctx, copy);
                    return;
                }

            case ["transfers", var id] when method == "DELETE":
                _transfers.TryRemove(id, out _);
                ctx.Response.StatusCode = 204;
                return;
            default:
                throw new HttpError(404, "No such resource or method: " + method + " " + string.Join("/", seg));
        }
    }

    private async Task FileAsync(HttpContext ctx, string id, string dir, string relative)
    {
        var path = SafePath(dir, relative);
        var method = ctx.Request.Method;
        bool json = ctx.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal) || ctx.Request.Headers.Accept.Count == 0;
        switch (method)
        {
            case "GET" when json:
                if (Directory.Exists(path))
                {
                    var info = Info(path, dir);
                    var content = new JsonObject();
                    foreach (var e in Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal))
                    {
                        content["/" + Path.GetRelativePath(dir, e).Replace('\\', '/')] = Info(e, dir);
                    }

                    info["content"] = content;
                    info["_links"] = Links(("self", U("storages/" + id + "/files/" + relative).TrimEnd('/')));
                    await WriteJsonAsync(ctx, info);
                }
                else if (File.Exists(path))
                {
                    await WriteJsonAsync(ctx, Info(path, dir));
                }
                else
                {
                    throw new HttpError(404, "File '/" + relative + "' not found");
                }

                return;
            case "GET":
                await DownloadAsync(ctx, path, relative);
                return;
            case "PUT" when ctx.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true:
                throw new HttpError(400, "Setting file properties is not supported by the peer");
            case "PUT":
                {
                    if (Directory.Exists(path))
                    {
                        throw new HttpError(409, "'/" + relative + "' is a directory");
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    var temp = path + ".peer-upload";
                    await using (var f = File.Create(temp))
                    {
                        await ctx.Request.Body.CopyToAsync(f, ctx.RequestAborted);
                    }

                    File.Move(temp, path, overwrite: true);
                    ctx.Response.StatusCode = 204;
                    return;
                }

            case "POST":
                await ReadJsonAsync(ctx);
                if (File.Exists(path))
                {
                    throw new HttpError(409, "'/" + relative + "' exists and is a file");
                }

                Directory.CreateDirectory(path);
                ctx.Response.Headers.Location = U("storages/" + id + "/files/" + relative);
                ctx.Response.StatusCode = 201;
                return;
            case "DELETE":
                if (Directory.Exists(path))
                {
                    if (path == Path.GetFullPath(dir))
                    {
                        throw new HttpError(403, "Access denied: cannot delete the storage root");
                    }

                    Directory.Delete(path, recursive: true);
                }
                else if (File.Exists(path))
                {
                    File.Delete(path);
                }
                else
                {
                    throw new HttpError(404, "File '/" + relative + "' not found");
                }

                ctx.Response.StatusCode = 204;
                return;
            default:
                throw new HttpError(405, "Method " + method + " is not allowed on files");
        }
    }

    private static async Task DownloadAsync(HttpContext ctx, string path, string relative)
    {
        if (!File.Exists(path))
        {
            throw new HttpError(404, "File '/" + relative + "' not found");
        }

        long length = new FileInfo(path).Length;
        long first = 0, last = length - 1;
        var range = ctx.Request.Headers.Range.ToString();
        if (range.Length > 0)
        {
            var m = System.Text.RegularExpressions.Regex.Match(range, @"^bytes=(\d*)-(\d*)$");
            if (!m.Success || (m.Groups[1].Length == 0 && m.Groups[2].Length == 0))
            {
                throw new HttpError(416, "Invalid range '" + range + "'");
            }

            if (m.Groups[1].Length == 0)
            {
                first = Math.Max(0, length - long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }
            else
            {
                first = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                if (m.Groups[2].Length > 0)
                {
                    last = Math.Min(last, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
                }
            }

            if (first >= length || first > last)
            {
                ctx.Response.Headers.ContentRange = "bytes */" + length;
                throw new HttpError(416, "Range '" + range + "' is not satisfiable (size " + length + ")");
            }

            ctx.Response.StatusCode = 206;
            ctx.Response.Headers.ContentRange = "bytes " + first + "-" + last + "/" + length;
        }

        ctx.Response.ContentType = "application/octet-stream";
        ctx.Response.ContentLength = last - first + 1;
        await using var f = File.OpenRead(path);
        f.Position = first;
        var buffer = new byte[81920];
        long left = last - first + 1;
        while (left > 0)
        {
            int n = await f.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ctx.RequestAborted);
            if (n == 0)
            {
                break;
            }

            await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
            left -= n;
        }
    }

    private static JsonObject Info(string path, string root)
    {
        bool isDir = Directory.Exists(path);
        var fi = new FileInfo(path);
        var mode = File.GetUnixFileMode(path);
        string perm = (mode.HasFlag(UnixFileMode.UserRead) ? "r" : "-") + (mode.HasFlag(UnixFileMode.UserWrite) ? "w" : "-") + (mode.HasFlag(UnixFileMode.UserExecute) ? "x" : "-");
        return new JsonObject
        {
            ["path"] = "/" + Path.GetRelativePath(root, path).Replace('\\', '/').TrimStart('.'),
            ["isDirectory"] = isDir,
            ["size"] = isDir ? 0 : fi.Length,
            ["lastAccessed"] = Time(new DateTimeOffset(isDir ? Directory.GetLastWriteTime(path) : fi.LastWriteTime)),
            ["owner"] = Environment.UserName,
            ["group"] = Environment.UserName,
            ["permissions"] = perm,
            ["metadata"] = new JsonObject(),
        };
    }

    /// <summary>Server-to-server transfers between this peer's own storages (BFT); other hosts and protocols fail as UNICORE reports it.</summary>
    private async Task StartTransferAsync(HttpContext ctx, string user, string id, string dir)
    {
        var body = await ReadJsonAsync(ctx) as JsonObject ?? throw new HttpError(400, "Expected a JSON object");
        var file = Str(body, "file") ?? throw new HttpError(400, "Missing 'file'");
        var source = Str(body, "source");
        var target = Str(body, "target");
        if ((source is null) == (target is null))
        {
            throw new HttpError(400, "Give exactly one of 'source' and 'target'");
        }

        var tid = Guid.NewGuid().ToString();
        var remote = source ?? target!;
        string protocol = "BFT";
        int colon = remote.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !remote.StartsWith("http", StringComparison.Ordinal))
        {
            protocol = remote[..colon];
            remote = remote[(colon + 1)..];
        }

        var t = new JsonObject
        {
            ["owner"] = user,
            ["source"] = source ?? U("storages/" + id + "/files/" + file.TrimStart('/')),
            ["target"] = target ?? U("storages/" + id + "/files/" + file.TrimStart('/')),
            ["protocol"] = protocol,
            ["_links"] = Links(("self", U("transfers/" + tid)), ("action:abort", U("transfers/" + tid + "/actions/abort"))),
        };
        try
        {
            if (protocol != "BFT")
            {
                throw new HttpError(400, "Protocol " + protocol + " is not available on this peer");
            }

            var prefix = SiteUrl + "/storages/";
            if (!remote.StartsWith(prefix, StringComparison.Ordinal) || remote[prefix.Length..].Split('/', 3) is not [var rid, "files", var rpath])
            {
                throw new HttpError(400, "Remote '" + remote + "' is not a storage file of this site");
            }

            var local = SafePath(dir, file);
            var other = SafePath(StorageDir(rid, user), Uri.UnescapeDataString(rpath));
            var (from, to) = source is not null ? (other, local) : (local, other);
            if (!File.Exists(from))
            {
                throw new HttpError(404, "File '" + from + "' not found");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
            long size = new FileInfo(to).Length;
            t["status"] = "DONE";
            t["statusMessage"] = string.Empty;
            t["size"] = size;
            t["transferredBytes"] = size;
        }
        catch (HttpError e)
        {
            t["status"] = "FAILED";
            t["statusMessage"] = e.Message;
        }

        _transfers[tid] = t;
        ctx.Response.Headers.Location = U("transfers/" + tid);
        ctx.Response.StatusCode = 201;
    }
}
