using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.Peers.Uftp;

namespace Toolkit.Cli.Tests.Aot;

/// <summary>The smoke run of <c>uftp</c> (see <see cref="AotSmokeTests"/>).</summary>
public sealed partial class AotSmokeTests
{
    /// <summary>Every verb of <c>uftp</c> against the uftpd peer and its Auth endpoint: encrypted, compressed, multi-stream copies both ways.</summary>
    private static async Task UftpAsync(ToolkitBinary bin)
    {
        var root = Directory.CreateTempSubdirectory("toolkit-smoke-uftpd-").FullName;
        var home = Directory.CreateTempSubdirectory("toolkit-smoke-uftp-").FullName;
        try
        {
            await using var host = await UftpPeerHost.StartAsync(new UftpdPeer { Root = root }, new Dictionary<string, string> { ["demouser"] = "test123" });
            var auth = host.AuthUrl.ToString();
            var env = new Dictionary<string, string?> { ["HOME"] = home, ["COLUMNS"] = "200" };
            Task<BinaryResult> U(params string[] args) => bin.RunAsync(["uftp", "-u", "demouser:test123", .. args], env, null, home);

            var data = RandomNumberGenerator.GetBytes(300_000);
            await File.WriteAllBytesAsync(Path.Combine(home, "data.bin"), data);
            Ok(await U("info", auth), bin);
            Ok(await U("authenticate", auth), bin);
            Ok(await U("mkdir", auth + ":/smoke"), bin);
            Ok(await U("cp", "-n", "2", "-E", "-C", "data.bin", auth + ":/smoke/"), bin);
            Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(root, "smoke", "data.bin")));
            Ok(await U("cp", "-n", "4", "-E", "--algorithm", "AES", auth + ":/smoke/data.bin", "back.bin"), bin);
            Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(home, "back.bin")));
            Ok(await U("cp", "-B", "0-999", auth + ":/smoke/data.bin", "head.bin"), bin);
            Assert.Equal(data.AsSpan(0, 1000).ToArray(), await File.ReadAllBytesAsync(Path.Combine(home, "head.bin")));

            var ls = await U("--json", "ls", auth + ":/smoke");
            Ok(ls, bin);
            Assert.Contains("data.bin", ls.Stdout, StringComparison.Ordinal);
            Assert.Equal(["/smoke/data.bin"], (await U("find", auth + ":/smoke")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var sums = await U("--json", "checksum", "-a", "SHA-256", auth + ":/smoke/data.bin");
            Ok(sums, bin);
            Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(data)), sums.Stdout, StringComparison.OrdinalIgnoreCase);
            var token = await U("issue-token", auth);
            Ok(token, bin);
            Ok(await U("rm", auth + ":/smoke/data.bin"), bin);
            Assert.False(File.Exists(Path.Combine(root, "smoke", "data.bin")));
            await MountSmokeAsync(bin, auth, root, home, env);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary><c>uftp mount</c>: the libfuse3 binding's function pointers and callbacks under Native AOT; read and write through the mount, then fusermount3 -u.</summary>
    private static async Task MountSmokeAsync(ToolkitBinary bin, string auth, string root, string home, Dictionary<string, string?> env)
    {
        if (Toolkit.Runtime.Fuse.FuseHost.Unavailable() is { } why)
        {
            Assert.Fail("FUSE cannot run here, so the uftp mount smoke test cannot run: " + why);
        }

        string mnt = Directory.CreateDirectory(Path.Combine(home, "mnt")).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "smoke", "in.txt"), "through fuse\n");
        using var mount = System.Diagnostics.Process.Start(bin.StartInfo(["uftp", "-u", "demouser:test123", "--timeout", "10", "mount", auth + ":/smoke", mnt], env, home))!;
        var stderr = mount.StandardError.ReadToEndAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.ReadLines("/proc/mounts").Any(l => l.Split(' ')[1] == mnt))
            {
                Assert.False(mount.HasExited || DateTime.UtcNow > deadline, "uftp mount did not mount: " + (mount.HasExited ? await stderr : "timeout"));
                await Task.Delay(100);
            }

            Assert.Equal("through fuse\n", await File.ReadAllTextAsync(Path.Combine(mnt, "in.txt")));
            await File.WriteAllTextAsync(Path.Combine(mnt, "out.txt"), "written\n");
            Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Combine(root, "smoke", "out.txt")));
            Assert.Contains("out.txt", Directory.GetFiles(mnt).Select(Path.GetFileName));
        }
        finally
        {
            Toolkit.Runtime.Fuse.FuseHost.DetachMount(mnt);
            if (!mount.WaitForExit(20_000))
            {
                mount.Kill();
            }
        }

        Assert.True(mount.ExitCode == 0, "uftp mount exit " + mount.ExitCode + ": " + await stderr);
    }
}
