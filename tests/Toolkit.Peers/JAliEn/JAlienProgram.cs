using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading.Tasks;

namespace Toolkit.Peers.JAliEn;

/// <summary>
/// <c>jalien --listen HOST:PORT --cert PEM --key PEM --ca-dir DIR --account 'DN=user'... [--xrootd root://HOST:PORT]...
/// [--ca-cert PEM --ca-key PEM] [--idle SECONDS]</c>: the JAliEn peer on its own until Ctrl-C. Each --xrootd adds two
/// storage elements on that server (ALICE::PEER::SE&lt;n&gt;, paths /se&lt;n&gt;).
/// </summary>
internal static class JAlienProgram
{
    public static async Task<int> RunAsync(string[] args, string usage, Func<Task> waitForStop)
    {
        string? listen = null, cert = null, key = null, caDir = null, caCert = null, caKey = null;
        var accounts = new List<(string Dn, string User)>();
        var xrootds = new List<string>();
        double idle = 900;
        for (int i = 0; i < args.Length; i++)
        {
            string? next = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--listen" when next is not null: listen = next; i++; break;
                case "--cert" when next is not null: cert = next; i++; break;
                case "--key" when next is not null: key = next; i++; break;
                case "--ca-dir" when next is not null: caDir = next; i++; break;
                case "--ca-cert" when next is not null: caCert = next; i++; break;
                case "--ca-key" when next is not null: caKey = next; i++; break;
                case "--xrootd" when next is not null: xrootds.Add(next); i++; break;
                case "--idle" when next is not null && double.TryParse(next, NumberStyles.Float, CultureInfo.InvariantCulture, out idle): i++; break;
                case "--account" when next is not null && next.LastIndexOf('=') is > 0 and var eq:
                    accounts.Add((next[..eq], next[(eq + 1)..]));
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown or incomplete argument '{args[i]}'\n{usage}");
                    return 2;
            }
        }
        if (cert is null || key is null || caDir is null || accounts.Count == 0)
        {
            await Console.Error.WriteLineAsync("jalien needs --cert, --key, --ca-dir and at least one --account 'DN=user'\n" + usage);
            return 2;
        }
        var endpoint = listen is null ? new IPEndPoint(IPAddress.Loopback, 0) : IPEndPoint.Parse(listen);
        var options = new JAlienPeerOptions
        {
            Address = endpoint.Address, Port = endpoint.Port, CertificatePath = cert, KeyPath = key, CaDirectory = caDir,
            CaCertificatePath = caCert, CaKeyPath = caKey, IdleTimeout = TimeSpan.FromSeconds(idle),
        };
        int n = 0;
        foreach (var x in xrootds)
        {
            options.StorageElements["ALICE::PEER::SE" + (++n).ToString(CultureInfo.InvariantCulture)] = x.TrimEnd('/') + "//se" + n.ToString(CultureInfo.InvariantCulture);
            options.StorageElements["ALICE::PEER::SE" + (++n).ToString(CultureInfo.InvariantCulture)] = x.TrimEnd('/') + "//se" + n.ToString(CultureInfo.InvariantCulture);
        }
        await using var peer = await JAlienPeer.StartAsync(options);
        foreach (var (dn, user) in accounts)
        {
            peer.AddAccount(dn, user);
        }
        Console.WriteLine($"wss://{endpoint.Address}:{peer.Port}/websocket/json");
        Console.WriteLine($"# try: ALIENPY_JCENTRAL={endpoint.Address} ALIENPY_JCENTRAL_PORT={peer.Port} X509_CERT_DIR={caDir} X509_USER_CERT=... X509_USER_KEY=... toolkit alien");
        await waitForStop();
        return 0;
    }
}
