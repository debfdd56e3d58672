using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Toolkit.Peers.DataDispatcher;
using Toolkit.Peers.Fts3;
using Toolkit.Peers.Unicore;
using Toolkit.Peers.Uftp;
using Toolkit.Runtime.Security;

namespace Toolkit.Peers;

/// <summary>
/// Runs one test peer on its own until Ctrl-C: <c>fts3 [--port N] [--no-client-cert]</c> (TLS with a throwaway
/// openssl PKI, whose paths are printed) or <c>datadispatcher [--port N]</c> (plain HTTP, users alice, bob and
/// admin with their tokens printed).
/// </summary>
internal static class Program
{
    private const string Usage = "usage: Toolkit.Peers fts3 [--port N] [--no-client-cert] | datadispatcher [--port N] | unicore [--listen HOST:PORT] [--user USER:PASS]... [--cert PEM --key PEM]"
        + " | uftpd --listen HOST:PORT --cmd HOST:PORT --root DIR [--max-streams N] [--sink]"
        + " | uftp --listen HOST:PORT [--cmd HOST:PORT] --auth HOST:PORT --user USER:PASSWORD --root DIR [--sink]"
        + " | jalien --listen HOST:PORT --cert PEM --key PEM --ca-dir DIR --account 'DN=user' [--xrootd root://HOST:PORT] [--ca-cert PEM --ca-key PEM] [--idle S]"
        + " | hostile-http endless|huge|stall|html|headers|truncated|deep [--port N] | silent-tcp";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        if (args[0] == "unicore")
        {
            return await UnicoreProgram.RunAsync(args[1..], Usage, WaitForStopAsync);
        }

        if (args[0] == "jalien")
        {
            return await Toolkit.Peers.JAliEn.JAlienProgram.RunAsync(args[1..], Usage, WaitForStopAsync);
        }

        if (args[0] is "uftpd" or "uftp")
        {
            return await UftpPeerProgram.RunAsync(args, Usage, WaitForStopAsync);
        }

        int port = 0;
        bool requireCertificate = true;
        int first = args[0] == "hostile-http" ? 2 : 1;
        for (int i = first; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port):
                    i++;
                    break;
                case "--no-client-cert":
                    requireCertificate = false;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        switch (args[0])
        {
            case "fts3":
                await RunFts3Async(port, requireCertificate);
                return 0;
            case "datadispatcher":
                await RunDataDispatcherAsync(port);
                return 0;
            case "hostile-http" when args.Length > 1 && Behaviour(args[1]) is { } behaviour:
                await using (var hostile = await Toolkit.Peers.Hostile.HostileHttpPeer.StartAsync(behaviour, port))
                {
                    Console.WriteLine(hostile.BaseAddress);
                    await WaitForStopAsync();
                }

                return 0;
            case "silent-tcp":
                using (var silent = new Toolkit.Peers.Hostile.SilentTcpPeer())
                {
                    Console.WriteLine(silent.BaseAddress);
                    await WaitForStopAsync();
                }

                return 0;
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static Toolkit.Peers.Hostile.HostileBehaviour? Behaviour(string name) => name switch
    {
        "endless" => Toolkit.Peers.Hostile.HostileBehaviour.EndlessBody,
        "huge" => Toolkit.Peers.Hostile.HostileBehaviour.HugeContentLength,
        "stall" => Toolkit.Peers.Hostile.HostileBehaviour.StalledBody,
        "html" => Toolkit.Peers.Hostile.HostileBehaviour.WrongContentType,
        "headers" => Toolkit.Peers.Hostile.HostileBehaviour.HugeHeaders,
        "truncated" => Toolkit.Peers.Hostile.HostileBehaviour.TruncatedBody,
        "deep" => Toolkit.Peers.Hostile.HostileBehaviour.DeepJson,
        _ => null,
    };

    private static async Task RunFts3Async(int port, bool requireCertificate)
    {
        using var pki = new GridPki();
        string proxyPath = pki.P("x509up_peer");
        using (var user = pki.LoadUser())
        using (var proxy = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = TimeSpan.FromHours(12) }))
        {
            proxy.WritePem(proxyPath);
        }

        await using var peer = await FtsPeer.StartAsync(pki, new FtsPeerOptions { Port = port, RequireClientCertificate = requireCertificate });
        Console.WriteLine(peer.BaseAddress);
        Console.WriteLine($"# CA directory : {pki.CertDir}");
        Console.WriteLine($"# user cert    : {pki.UserCert} (key {pki.UserKey})");
        Console.WriteLine($"# user proxy   : {proxyPath}");
        Console.WriteLine($"# try: toolkit fts -s {peer.BaseAddress} --capath {pki.CertDir} --proxy {proxyPath} whoami");
        await WaitForStopAsync();
    }

    private static async Task RunDataDispatcherAsync(int port)
    {
        await using var peer = new DataDispatcherPeer { Port = port };
        peer.AddUser("alice", "alice-pw", ldapPassword: "alice-ldap");
        peer.AddUser("bob", "bob-pw");
        peer.AddUser("admin", "admin-pw", admin: true);
        await peer.StartAsync();
        Console.WriteLine(peer.DataUrl);
        Console.WriteLine($"# auth server : {peer.AuthUrl}");
        Console.WriteLine("# users       : alice/alice-pw (LDAP alice-ldap), bob/bob-pw, admin/admin-pw (admin)");
        Console.WriteLine($"# alice token : {peer.IssueToken("alice")}");
        Console.WriteLine($"# try: toolkit dd --server {peer.DataUrl} login digest alice");
        await WaitForStopAsync();
    }

    /// <summary>Serves until Ctrl-C or SIGTERM.</summary>
    internal static async Task WaitForStopAsync()
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });
        Console.Out.Flush();
        await stop.Task;
    }
}
