using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Fuse;

namespace Toolkit.Unicore.Tests.Mount;

/// <summary>
/// The uftpd peer as its own process (<c>Toolkit.Peers uftp</c>, so a test can kill it) and the real <c>toolkit uftp
/// mount</c> binary mounted on a temporary directory with Debian's fuse3. Disposing always detaches the mount
/// (<c>fusermount3 -u -z</c>) and kills what is left, so no stale mount survives a failed test.
/// </summary>
public sealed class MountedPeer : IAsyncDisposable
{
    public const string User = "demo";
    public const string Password = "mount-pw";

    private readonly StringBuilder _mountErr = new();
    private Process? _peer;
    private Process? _mount;

    private MountedPeer()
    {
    }

    /// <summary>The directory the peer serves.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("uftp-mount-root-").FullName;

    /// <summary>The mount point.</summary>
    public string Mnt { get; } = Directory.CreateTempSubdirectory("uftp-mount-mnt-").FullName;

    /// <summary>Scratch space for local copies.</summary>
    public string Local { get; } = Directory.CreateTempSubdirectory("uftp-mount-local-").FullName;

    /// <summary>The Auth URL the peer printed.</summary>
    public string AuthUrl { get; private set; } = "";

    /// <summary>The mount process.</summary>
    public Process MountProcess => _mount!;

    /// <summary>What the mount process wrote on standard error so far.</summary>
    public string MountStderr
    {
        get
        {
            lock (_mountErr)
            {
                return _mountErr.ToString();
            }
        }
    }

    /// <summary>Fails the test, clearly, when FUSE cannot run on this machine (never a silent skip).</summary>
    public static void RequireFuse()
    {
        if (FuseHost.Unavailable() is { } why)
        {
            Assert.Fail("FUSE cannot run here, so the mount tests cannot run: " + why);
        }
    }

    /// <summary>Starts the peer and mounts it with <paramref name="mountArgs"/> (e.g. <c>--read-only</c>).</summary>
    public static async Task<MountedPeer> StartAsync(params string[] mountArgs)
    {
        RequireFuse();
        var m = new MountedPeer();
        try
        {
            await m.StartPeerAsync();
            await m.MountAsync(mountArgs);
            return m;
        }
        catch
        {
            await m.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a shell command line in <see cref="Local"/> (60 s at most) and returns its result.</summary>
    public Tool.Result Sh(string script)
    {
        var psi = Tool.StartInfo("sh", ["-c", script], Local);
        psi.Environment["MNT"] = Mnt;
        psi.Environment["ROOT"] = Root;
        psi.Environment["LOCAL"] = Local;
        psi.Environment["LC_ALL"] = "C";
        return Tool.Run(psi);
    }

    /// <summary>Runs a shell command line and fails the test when it does not exit 0.</summary>
    public string MustSh(string script)
    {
        var r = Sh(script);
        Assert.True(r.ExitCode == 0, "`" + script + "` failed: " + r + "\nmount stderr:\n" + MountStderr);
        return r.Stdout;
    }

    /// <summary>True while the mount point is in /proc/mounts.</summary>
    public bool IsMounted() => File.ReadLines("/proc/mounts").Any(l => l.Split(' ').ElementAtOrDefault(1) == Mnt);

    /// <summary>Kills the peer (SIGKILL: its sockets close as in a crash).</summary>
    public void KillPeer()
    {
        Tool.MustRun("kill", "-KILL", _peer!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(_peer.WaitForExit(10_000), "the peer did not die");
        Assert.True(_peer.HasExited);
    }

    public async ValueTask DisposeAsync()
    {
        FuseHost.DetachMount(Mnt);
        foreach (var p in new[] { _mount, _peer })
        {
            if (p is null)
            {
                continue;
            }

            try
            {
                if (!p.HasExited && !p.WaitForExit(p == _mount ? 10_000 : 0))
                {
                    p.Kill(entireProcessTree: true);
                }

                await p.WaitForExitAsync(new CancellationTokenSource(10_000).Token);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // Not started or already gone.
            }

            p.Dispose();
        }

        foreach (var d in new[] { Root, Local, Mnt })
        {
            try
            {
                Directory.Delete(d, recursive: true);
            }
            catch (IOException)
            {
                // A mount that would not go away: leave the directory.
            }
        }
    }

    private async Task StartPeerAsync()
    {
        var psi = Tool.StartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Toolkit.Peers.dll"), "uftp", "--listen", "127.0.0.1:0", "--auth", "127.0.0.1:0", "--user", User + ":" + Password, "--root", Root]);
        _peer = Process.Start(psi)!;
        _peer.StandardInput.Close();
        _ = _peer.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line = await _peer.StandardOutput.ReadLineAsync(cts.Token);
        Assert.True(line is not null && line.StartsWith("http://", StringComparison.Ordinal), "the uftp peer printed no Auth URL: " + line);
        AuthUrl = line!;
        _ = _peer.StandardOutput.ReadToEndAsync();
    }

    private async Task MountAsync(string[] mountArgs)
    {
        var psi = Tool.StartInfo("dotnet", [ToolkitCli.Dll, "uftp", "-u", User + ":" + Password, "--timeout", "10", "mount", .. mountArgs, AuthUrl + ":/", Mnt]);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        _mount = Process.Start(psi)!;
        _mount.StandardInput.Close();
        _mount.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_mountErr)
                {
                    _mountErr.AppendLine(e.Data);
                }
            }
        };
        _mount.BeginErrorReadLine();
        _ = _mount.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!IsMounted())
        {
            if (_mount.HasExited)
            {
                _mount.WaitForExit();
                Assert.Fail("toolkit uftp mount exited with " + _mount.ExitCode + " before mounting:\n" + MountStderr);
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("toolkit uftp mount did not mount within 60 s:\n" + MountStderr);
            }

            await Task.Delay(100);
        }
    }
}
