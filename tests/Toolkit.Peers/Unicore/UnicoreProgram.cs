using System;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace Toolkit.Peers.Unicore;

/// <summary><c>Toolkit.Peers unicore [--listen HOST:PORT] [--user USER:PASS]... [--cert PEM --key PEM]</c>: the UNICORE peer on its own.</summary>
internal static class UnicoreProgram
{
    public static async Task<int> RunAsync(string[] args, string usage, Func<Task> waitForStop)
    {
        var address = IPAddress.Loopback;
        int port = 8080;
        string? cert = null, key = null;
        var users = new System.Collections.Generic.List<(string, string)>();
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--listen" when value is not null:
                    int colon = value.LastIndexOf(':');
                    if (colon <= 0 || !IPAddress.TryParse(value[..colon], out address!) || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port))
                    {
                        await Console.Error.WriteLineAsync($"--listen wants HOST:PORT with an IP address, not '{value}'");
                        return 2;
                    }

                    i++;
                    break;
                case "--user" when value is not null && value.IndexOf(':', StringComparison.Ordinal) > 0:
                    users.Add((value[..value.IndexOf(':', StringComparison.Ordinal)], value[(value.IndexOf(':', StringComparison.Ordinal) + 1)..]));
                    i++;
                    break;
                case "--cert" when value is not null:
                    cert = value;
                    i++;
                    break;
                case "--key" when value is not null:
                    key = value;
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown or incomplete argument '{args[i]}'\n{usage}");
                    return 2;
            }
        }

        if ((cert is null) != (key is null))
        {
            await Console.Error.WriteLineAsync("--cert and --key go together");
            return 2;
        }

        var options = new UnicorePeerOptions
        {
            Address = address,
            Port = port,
            Certificate = cert is null ? null : X509Certificate2.CreateFromPemFile(cert, key),
            Uftp = true,
        };
        if (users.Count > 0)
        {
            options.Users.Clear();
            foreach (var (u, p) in users)
            {
                options.Users[u] = p;
            }
        }

        await using var peer = new UnicorePeer(options);
        await peer.StartAsync();
        Console.WriteLine(peer.SiteUrl);
        Console.WriteLine($"# registry  : {peer.RegistryUrl}");
        Console.WriteLine($"# workflows : {peer.WorkflowUrl}");
        Console.WriteLine($"# users     : {string.Join(", ", options.Users.Keys)} (Basic)");
        Console.WriteLine($"# files     : {peer.Root}");
        Console.WriteLine($"# UFTP auth : {peer.UftpAuthUrl}  (uftpd {peer.Uftpd!.ListenEndpoint}, same users and files)");
        var user = System.Linq.Enumerable.First(options.Users);
        Console.WriteLine($"# try: toolkit unicore -s {peer.SiteUrl} -u {user.Key}:{user.Value} run job.json --wait   (job.json: {{\"Executable\": \"/bin/echo\", \"Arguments\": [\"hello\"]}})");
        Console.WriteLine($"#      curl -u {user.Key}:{user.Value} {peer.SiteUrl}");
        await waitForStop();
        return 0;
    }
}
