using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.Peers.Unicore;

namespace Toolkit.Cli.Tests.Aot;

/// <summary>The smoke run of <c>unicore</c> (see <see cref="AotSmokeTests"/>).</summary>
public sealed partial class AotSmokeTests
{
    /// <summary>Every verb of <c>unicore</c> against the UNICORE peer: a real /bin/echo job, storage copies both ways, registry and a workflow.</summary>
    private static async Task UnicoreAsync(ToolkitBinary bin)
    {
        await using var peer = new UnicorePeer();
        await peer.StartAsync();
        var home = Directory.CreateTempSubdirectory("toolkit-smoke-unicore-").FullName;
        try
        {
            var env = new Dictionary<string, string?> { ["HOME"] = home, ["UNICORE_URL"] = null, ["UNICORE_USER"] = null, ["UNICORE_TOKEN"] = null, ["UNICORE_REGISTRY"] = null };
            Task<BinaryResult> U(params string[] args) => bin.RunAsync(["unicore", "-s", peer.SiteUrl.ToString(), "-u", "demouser:test123", "-r", peer.RegistryUrl.ToString(), .. args], env, null, home);

            Ok(await U("connect"), bin);
            await File.WriteAllTextAsync(Path.Combine(home, "job.json"), """{"Executable": "/bin/echo", "Arguments": ["smoke"], "Tags": ["smoke"]}""");
            var run = await U("run", "job.json", "--wait", "--json");
            Ok(run, bin);
            string url;
            using (var doc = JsonDocument.Parse(run.StdoutBytes))
            {
                Assert.Equal("SUCCESSFUL", doc.RootElement.GetProperty("status").GetString());
                url = doc.RootElement.GetProperty("url").GetString()!;
            }

            Assert.Contains("status   : SUCCESSFUL", (await U("job-status", url)).Stdout, StringComparison.Ordinal);
            Assert.Contains(url, (await U("list-jobs", "--tags", "smoke", "--json")).Stdout, StringComparison.Ordinal);
            Ok(await U("get-output", url, "-o", "out"), bin);
            Assert.Equal("smoke\n", await File.ReadAllTextAsync(Path.Combine(home, "out", "stdout")));
            Ok(await U("abort-job", url), bin);

            await File.WriteAllTextAsync(Path.Combine(home, "local.txt"), "payload");
            Ok(await U("cp", "local.txt", "HOME:/smoke/"), bin);
            var ls = await U("ls", "HOME:/smoke", "--json");
            Ok(ls, bin);
            using (var doc = JsonDocument.Parse(ls.StdoutBytes))
            {
                Assert.Equal(["smoke/local.txt"], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString()));
            }

            Ok(await U("cp", "HOME:/smoke/local.txt", "back.txt"), bin);
            Assert.Equal("payload", await File.ReadAllTextAsync(Path.Combine(home, "back.txt")));

            var sites = await U("list-sites", "--json");
            Ok(sites, bin);
            Assert.Contains("DEMO-SITE", sites.Stdout, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(home, "wf.json"), """{"activities": [{"id": "j", "type": "JOB", "job": {"Executable": "/bin/true"}}]}""");
            var wf = await U("workflow", "submit", "wf.json", "--wait", "--json");
            Ok(wf, bin);
            using (var doc = JsonDocument.Parse(wf.StdoutBytes))
            {
                Assert.Equal("SUCCESSFUL", doc.RootElement.GetProperty("status").GetString());
                Ok(await U("workflow", "status", doc.RootElement.GetProperty("url").GetString()!), bin);
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
