using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Cli;

/// <summary>The <c>toolkit uftp</c> commands other than <c>cp</c> (UftpCopy.cs), and what they share.</summary>
internal static partial class UftpHandlers
{
    /// <summary>An HttpClient for the Auth server with the user's credentials (Basic from -u/-P, or Bearer from -A).</summary>
    internal static HttpClient CreateHttp(UftpGlobalOptions g, CliConsole console)
    {
        var transport = new SocketsHttpHandler { ConnectTimeout = g.Timeout };

        if (!string.IsNullOrEmpty(g.Token))
        {
            return HttpPipeline.CreateClient(null, transport, new TimeoutHandler(g.Timeout, null, "--timeout"), new BearerTokenHandler(new BearerToken(g.Token, "--auth-token")));
        }

        if (string.IsNullOrEmpty(g.User) || g.User == "anonymous")
        {
            return HttpPipeline.CreateClient(null, transport, new TimeoutHandler(g.Timeout, null, "--timeout"));
        }

        int colon = g.User.IndexOf(':', StringComparison.Ordinal);
        string user = colon < 0 ? g.User : g.User[..colon];
        string? password = colon < 0 ? null : g.User[(colon + 1)..];
        if (password is null)
        {
            password = g.AskPassword ? console.AskSecret("Password for " + user + ": ") : null;
            if (password is null)
            {
                throw new ArgumentException("no password for '" + user + "': give -u USER:PASSWORD or -P to be asked");
            }
        }

        return HttpPipeline.CreateClient(null, transport, new TimeoutHandler(g.Timeout, null, "--timeout"), new BasicAuthHandler(user, password));
    }

    /// <summary>The auth request for the global options (a fresh key per run when -E is given).</summary>
    internal static UftpAuthRequest Request(UftpGlobalOptions g)
    {
        if (g.Streams < 1)
        {
            throw new ArgumentException("--streams must be at least 1");
        }

        UftpEncryption? encryption = null;
        if (g.Encrypt)
        {
            var algorithm = UftpEncryption.ParseAlgorithm(g.Algorithm ?? Environment.GetEnvironmentVariable("UFTP_ENCRYPTION_ALGORITHM") ?? "BLOWFISH");
            int aesKeySize = int.TryParse(Environment.GetEnvironmentVariable("UFTP_ENCRYPTION_AES_KEYSIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out int k) ? k : 32;
            if (aesKeySize is not (16 or 24 or 32))
            {
                throw new ArgumentException("UFTP_ENCRYPTION_AES_KEYSIZE must be 16, 24 or 32");
            }

            encryption = UftpEncryption.Generate(algorithm, aesKeySize);
        }

        return new UftpAuthRequest { StreamCount = g.Streams, Compress = g.Compress, Encryption = encryption };
    }

    internal static async Task<UftpTicket> AuthenticateAsync(HttpClient http, UftpAddress address, UftpGlobalOptions g, CancellationToken ct)
        => await UftpClient.AuthenticateAsync(http, address.AuthUrl, Request(g), g.Timeout, ct).ConfigureAwait(false);

    /// <summary>Runs <paramref name="body"/> on one session for the remote address.</summary>
    private static Task<int> WithSessionAsync(UftpPathOptions o, CliConsole console, Func<UftpSession, string, Task<int>> body, CancellationToken ct)
        => CliErrors.RunAsync(console.Error, async () =>
        {
            var address = UftpAddress.Parse(o.Remote);
            using var http = CreateHttp(o.Global, console);
            var ticket = await AuthenticateAsync(http, address, o.Global, ct).ConfigureAwait(false);
            var session = await ticket.ConnectAsync(ct).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                return await body(session, address.Path.Length == 0 ? "." : address.Path).ConfigureAwait(false);
            }
        });

    public static Task<int> ListAsync(UftpPathOptions o, CliConsole console, CancellationToken ct) => WithSessionAsync(o, console, async (s, path) =>
    {
        var entries = await s.ListAsync(path, ct).ConfigureAwait(false);
        if (o.Global.Json)
        {
            JsonOutput.WriteIndentedList(console.Out, entries, WriteEntry);
            return ExitCodes.Ok;
        }

        foreach (var e in entries)
        {
            console.Out.WriteLine(LsLine(e));
        }

        return ExitCodes.Ok;
    }, ct);

    public static Task<int> MakeDirectoryAsync(UftpPathOptions o, CliConsole console, CancellationToken ct) => WithSessionAsync(o, console, async (s, path) =>
    {
        await s.MakeDirectoryAsync(path, ct).ConfigureAwait(false);
        if (o.Global.Json)
        {
            JsonOutput.WriteLine(console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("created", path);
                w.WriteEndObject();
            });
        }

        return ExitCodes.Ok;
    }, ct);

    public static Task<int> RemoveAsync(UftpPathOptions o, CliConsole console, CancellationToken ct) => WithSessionAsync(o, console, async (s, path) =>
    {
        var info = await s.StatAsync(path, ct).ConfigureAwait(false);
        var removed = new List<string>();
        if (info.IsDirectory)
        {
            if (!o.Recursive)
            {
                throw new ArgumentException("'" + path + "' is a directory: use rm -r");
            }

            await RemoveTreeAsync(s, path.TrimEnd('/'), removed, ct).ConfigureAwait(false);
        }
        else
        {
            await s.RemoveFileAsync(path, ct).ConfigureAwait(false);
            removed.Add(path);
        }

        if (o.Global.Json)
        {
            JsonOutput.WriteIndentedList(console.Out, removed, (w, p) => w.WriteStringValue(p));
        }

        return ExitCodes.Ok;
    }, ct);

    private static async Task RemoveTreeAsync(UftpSession s, string dir, List<string> removed, CancellationToken ct)
    {
        foreach (var e in await s.ListAsync(dir, ct).ConfigureAwait(false))
        {
            string p = dir + "/" + e.Name;
            if (e.IsDirectory)
            {
                await RemoveTreeAsync(s, p, removed, ct).ConfigureAwait(false);
            }
            else
            {
                await s.RemoveFileAsync(p, ct).ConfigureAwait(false);
                removed.Add(p);
            }
        }

        await s.RemoveDirectoryAsync(dir, ct).ConfigureAwait(false);
        removed.Add(dir);
    }

    /// <summary>Every file under <paramref name="dir"/> (depth first), with its path.</summary>
    internal static async Task WalkAsync(UftpSession s, string dir, List<(string Path, UftpFileInfo Info)> files, CancellationToken ct, int depth = 0)
    {
        if (depth > 64)
        {
            throw new UftpException("directory tree deeper than 64 levels under '" + dir + "'");
        }

        foreach (var e in await s.ListAsync(dir, ct).ConfigureAwait(false))
        {
            string p = (dir == "." ? "" : dir.TrimEnd('/') + "/") + e.Name;
            if (e.IsDirectory)
            {
                await WalkAsync(s, p, files, ct, depth + 1).ConfigureAwait(false);
            }
            else
            {
                files.Add((p, e));
            }
        }
    }

    public static Task<int> FindAsync(UftpPathOptions o, CliConsole console, CancellationToken ct) => WithSessionAsync(o, console, async (s, path) =>
    {
        var files = new List<(string Path, UftpFileInfo Info)>();
        await WalkAsync(s, path, files, ct).ConfigureAwait(false);
        if (o.Global.Json)
        {
            JsonOutput.WriteIndentedList(console.Out, files, (w, f) =>
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WritePropertyName("size");
                w.WriteNumberValue(f.Info.Size);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        foreach (var f in files)
        {
            console.Out.WriteLine(TerminalText.Clean(f.Path));
        }

        return ExitCodes.Ok;
    }, ct);

    public static Task<int> ChecksumAsync(UftpPathOptions o, CliConsole console, CancellationToken ct) => WithSessionAsync(o, console, async (s, path) =>
    {
        var info = await s.StatAsync(path, ct).ConfigureAwait(false);
        var files = new List<(string Path, UftpFileInfo Info)>();
        if (info.IsDirectory)
        {
            if (!o.Recursive)
            {
                throw new ArgumentException("'" + path + "' is a directory: use checksum -r");
            }

            await WalkAsync(s, path, files, ct).ConfigureAwait(false);
        }
        else
        {
            files.Add((path, info));
        }

        var hashes = new List<UftpHash>();
        foreach (var f in files)
        {
            hashes.Add(await s.HashAsync(f.Path, o.HashAlgorithm?.ToUpperInvariant(), cancellationToken: ct).ConfigureAwait(false));
        }

        if (o.Global.Json)
        {
            JsonOutput.WriteIndentedList(console.Out, hashes, (w, h) =>
            {
                w.WriteStartObject();
                w.WriteString("path", h.Path);
                w.WriteString("algorithm", h.Algorithm);
                w.WriteString("hash", h.Hex);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        foreach (var h in hashes)
        {
            console.Out.WriteLine(h.Hex + "  " + TerminalText.Clean(h.Path) + "  (" + h.Algorithm + ")");
        }

        return ExitCodes.Ok;
    }, ct);

    public static Task<int> InfoAsync(UftpPathOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        var address = UftpAddress.Parse(o.Remote);
        using var http = CreateHttp(o.Global, console);
        using var doc = await new UftpAuthClient(http).GetInfoAsync(address.AuthUrl, ct).ConfigureAwait(false);
        if (o.Global.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) => doc.RootElement.WriteTo(w));
            return ExitCodes.Ok;
        }

        console.Out.WriteLine("Auth server: " + UftpAuthClient.AuthRoot(address.AuthUrl, ""));
        foreach (var server in doc.RootElement.EnumerateObject())
        {
            if (server.Value.ValueKind != JsonValueKind.Object || !server.Value.TryGetProperty("href", out _))
            {
                continue;
            }

            console.Out.WriteLine("Server: " + TerminalText.Clean(server.Name));
            foreach (var p in server.Value.EnumerateObject())
            {
                console.Out.WriteLine("  " + TerminalText.Clean(p.Name) + ": " + TerminalText.Clean(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()));
            }
        }

        return ExitCodes.Ok;
    });

    public static Task<int> AuthenticateAsync(UftpPathOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        var address = UftpAddress.Parse(o.Remote);
        using var http = CreateHttp(o.Global, console);
        var ticket = await AuthenticateAsync(http, address, o.Global, ct).ConfigureAwait(false);
        if (o.Global.Json)
        {
            JsonOutput.WriteLine(console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("serverHost", ticket.Server.ServerHost);
                w.WritePropertyName("serverPort");
                w.WriteNumberValue(ticket.Server.ServerPort);
                w.WriteString("secret", ticket.Server.Secret);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        console.Out.WriteLine("Connect to " + TerminalText.Clean(ticket.Server.ToString()) + " with the one-time password " + TerminalText.Clean(ticket.Server.Secret));
        return ExitCodes.Ok;
    });

    public static Task<int> IssueTokenAsync(UftpTokenOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        var address = UftpAddress.Parse(o.AuthUrl);
        using var http = CreateHttp(o.Global, console);
        string token;
        try
        {
            token = await new UftpAuthClient(http).IssueTokenAsync(address.AuthUrl, o.Lifetime is { } l ? TimeSpan.FromSeconds(l) : null, o.Limited, o.Renewable, ct).ConfigureAwait(false);
        }
        catch (UftpAuthException e) when (e.StatusCode is 404 or 405)
        {
            throw new UftpAuthException("this Auth server does not issue tokens (GET /rest/auth/token: HTTP " + e.StatusCode.ToString(CultureInfo.InvariantCulture) + ")", e.StatusCode);
        }

        var info = JwtInfo.TryParse(token, out var jwt) ? jwt : null;
        if (o.Global.Json)
        {
            JsonOutput.WriteLine(console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("token", token);
                w.WriteString("subject", info?.Subject);
                w.WriteString("issuer", info?.Issuer);
                w.WriteString("expires", info?.ExpiresAt is { } e ? TimeFormats.Iso(e) : null);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        if (o.Inspect)
        {
            console.Out.WriteLine("Subject:      " + TerminalText.Clean(info?.Subject ?? "(not a JWT)"));
            console.Out.WriteLine("Issued by:    " + TerminalText.Clean(info?.Issuer ?? "-"));
            console.Out.WriteLine("Expires:      " + (info?.ExpiresAt is { } e ? TimeFormats.Utc(e) : "-"));
        }

        console.Out.WriteLine(TerminalText.Clean(token));
        return ExitCodes.Ok;
    });

    internal static string LsLine(UftpFileInfo e)
        => (e.IsDirectory ? "d" : "-") + e.Permissions.PadRight(3) + " " + e.Size.ToString(CultureInfo.InvariantCulture).PadLeft(16) + " "
            + TimeFormats.Table(e.LastModified) + " " + TerminalText.Clean(e.Name);

    internal static void WriteEntry(Toolkit.Runtime.Json.ApiJsonWriter w, UftpFileInfo e)
    {
        w.WriteStartObject();
        w.WriteString("name", e.Name);
        w.WritePropertyName("directory");
        w.WriteBooleanValue(e.IsDirectory);
        w.WritePropertyName("size");
        w.WriteNumberValue(e.Size);
        w.WriteString("modified", TimeFormats.Iso(e.LastModified));
        w.WriteString("permissions", e.Permissions);
        w.WriteEndObject();
    }
}
