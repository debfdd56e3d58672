using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Threading.Tasks;

namespace Toolkit.Peers.Uftp;

/// <summary>The <c>uftpd</c> and <c>uftp</c> modes of the peers program.</summary>
internal static class UftpPeerProgram
{
    public static async Task<int> RunAsync(string[] args, string usage, Func<Task> waitForStop)
    {
        IPEndPoint? listen = null, cmd = null, auth = null;
        string? root = null, user = null;
        int maxStreams = 4;
        bool sink = false;
        for (int i = 1; i < args.Length; i++)
        {
            string? next = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--listen" when next is not null && IPEndPoint.TryParse(next, out listen):
                case "--cmd" when next is not null && IPEndPoint.TryParse(next, out cmd):
                case "--auth" when next is not null && IPEndPoint.TryParse(next, out auth):
                    i++;
                    break;
                case "--root" when next is not null:
                    root = Path.GetFullPath(next);
                    i++;
                    break;
                case "--user" when next is not null && next.Contains(':', StringComparison.Ordinal):
                    user = next;
                    i++;
                    break;
                case "--max-streams" when next is not null && int.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out maxStreams):
                    i++;
                    break;
                case "--sink":
                    sink = true;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown or incomplete argument '{args[i]}'\n{usage}");
                    return 2;
            }
        }

        if (listen is null || root is null || (args[0] == "uftpd" && cmd is null) || (args[0] == "uftp" && (auth is null || user is null)))
        {
            await Console.Error.WriteLineAsync(usage);
            return 2;
        }

        var uftpd = new UftpdPeer
        {
            Root = root,
            Address = listen.Address,
            ListenPort = listen.Port,
            CommandPort = cmd?.Port ?? 0,
            MaxStreams = maxStreams,
            Sink = sink,
        };
        if (args[0] == "uftpd")
        {
            uftpd.Start();
            await using (uftpd)
            {
                Console.WriteLine($"uftpd peer listening on {uftpd.ListenEndpoint}, command port {uftpd.CommandEndpoint}, root {root}");
                Console.WriteLine($"# register a session: printf 'request-type=uftp-transfer-request\\nuser=demo\\nsecret=abcdefghijklmnopqrst\\nclient-ip=127.0.0.1\\nfile=\\nEND\\n' | nc {uftpd.CommandEndpoint.Address} {uftpd.CommandEndpoint.Port}");
                await waitForStop();
            }

            return 0;
        }

        var parts = user!.Split(':', 2);
        await using var host = await UftpPeerHost.StartAsync(uftpd, new Dictionary<string, string> { [parts[0]] = parts[1] }, auth!.Port);
        Console.WriteLine(host.AuthUrl);
        Console.WriteLine($"# uftpd      : listen {uftpd.ListenEndpoint}, command {uftpd.CommandEndpoint}, root {root}{(sink ? " (sink)" : "")}");
        Console.WriteLine($"# user       : {parts[0]} (password as given)");
        Console.WriteLine($"# try        : toolkit uftp ls -u {parts[0]}:PASSWORD {host.AuthUrl}:/");
        Console.WriteLine($"#              toolkit uftp cp -u {parts[0]}:PASSWORD -n 2 -E FILE {host.AuthUrl}:/");
        await waitForStop();
        return 0;
    }
}
