using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.Peers.JAliEn;

namespace Toolkit.Cli.Tests.Aot;

/// <summary>The smoke run of <c>alien</c> (see <see cref="AotSmokeTests"/>).</summary>
public sealed partial class AotSmokeTests
{
    /// <summary><c>alien</c> against the JAliEn peer over TLS with the test PKI: command mode, -json, and the shell on stdin.</summary>
    private static async Task AlienAsync(ToolkitBinary bin)
    {
        using var pki = new GridPki();
        await using var peer = await JAlienPeer.StartAsync(new JAlienPeerOptions
        {
            CertificatePath = pki.ServerCert, KeyPath = pki.ServerKey, CaDirectory = pki.CertDir, CaCertificatePath = pki.CaPath, CaKeyPath = pki.CaKeyPath,
        });
        peer.AddAccount("/DC=org/DC=toolkit/CN=Test User", "jdoe");
        var home = Directory.CreateTempSubdirectory("toolkit-smoke-alien-").FullName;
        try
        {
            var env = new Dictionary<string, string?>
            {
                ["HOME"] = home, ["TMPDIR"] = home, ["X509_USER_CERT"] = pki.UserCert, ["X509_USER_KEY"] = pki.UserKey, ["X509_CERT_DIR"] = pki.CertDir,
                ["ALIENPY_JCENTRAL"] = "127.0.0.1", ["ALIENPY_JCENTRAL_PORT"] = peer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["JALIEN_TOKEN_CERT"] = null, ["JALIEN_TOKEN_KEY"] = null, ["JALIEN_HOST"] = null,
            };
            var pwd = await bin.RunAsync(["alien", "pwd"], env, null, home);
            Ok(pwd, bin);
            Assert.Equal("/alice/cern.ch/user/j/jdoe/", pwd.Stdout.Trim());
            Ok(await bin.RunAsync(["alien", "mkdir", "-p", "smoke"], env, null, home), bin);
            var json = await bin.RunAsync(["alien", "-j", "ls", "-l"], env, null, home);
            Ok(json, bin);
            using (var doc = JsonDocument.Parse(json.StdoutBytes))
            {
                Assert.Equal("smoke", doc.RootElement.GetProperty("results")[0].GetProperty("name").GetString());
            }
            var shell = await bin.RunAsync(["alien"], env, "cd smoke\npwd\nexit 3\n", home);
            Assert.Equal(3, shell.ExitCode);
            Assert.Contains("AliEn[jdoe]:/alice/cern.ch/user/j/jdoe/smoke/ >", shell.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
