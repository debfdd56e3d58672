using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Toolkit.JAliEn.Tests;

/// <summary>Debian's real xrootd on 127.0.0.1 with a temporary export root (scripts/test-packages.txt installs xrootd-server).</summary>
public sealed class XrootdServer : IDisposable
{
    private readonly Process _process;

    public XrootdServer()
    {
        Root = Directory.CreateTempSubdirectory("toolkit-xrootd-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        Directory.CreateDirectory(Path.Combine(Root, "admin"));
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        File.WriteAllText(Path.Combine(Root, "xrootd.cfg"), $"""
            all.export /
            oss.localroot {Root}/data
            all.adminpath {Root}/admin
            all.pidpath {Root}/admin
            xrd.port {Port}
            xrd.trace off
            """);
        var psi = new ProcessStartInfo("xrootd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        bool root = Environment.UserName == "root";
        if (root)
        {
            // xrootd will not run as root: give the tree to the xrootd (or nobody) account.
            string user = Tool.Run("id", ["xrootd"]).ExitCode == 0 ? "xrootd" : "nobody";
            Tool.MustRun("chown", "-R", user, Root);
            psi.ArgumentList.Add("-R");
            psi.ArgumentList.Add(user);
        }
        foreach (var a in new[] { "-c", Path.Combine(Root, "xrootd.cfg"), "-l", Path.Combine(Root, "xrootd.log"), "-n", "jalien" + Port })
        {
            psi.ArgumentList.Add(a);
        }
        _process = Process.Start(psi)!;
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        Dispose();
        throw new InvalidOperationException("xrootd did not start; see " + Root);
    }

    public string Root { get; }

    public int Port { get; }

    public string Url => "root://127.0.0.1:" + Port;

    /// <summary>The file on disk behind a root:// URL of this server.</summary>
    public string LocalFile(string url) => Path.Combine(Root, "data", new Uri(url).AbsolutePath.TrimStart('/'));

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
