using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Toolkit.Runtime.Security;
using Toolkit.Runtime.Tests.Security;

namespace Toolkit.Runtime.Tests;

/// <summary>Runs the real <c>toolkit</c> binary (<see cref="ToolkitCli"/>).</summary>
[Collection("pki")]
public sealed class CliTests(GridPki pki)
{
    private Tool.Result Toolkit(IEnumerable<string> args, Dictionary<string, string>? env = null, string? stdin = null)
    {
        var e = new Dictionary<string, string?>();
        foreach (var kv in pki.ToolEnv)
        {
            e[kv.Key] = kv.Value;
        }
        foreach (var kv in env ?? [])
        {
            e[kv.Key] = kv.Value;
        }
        return ToolkitCli.Run(args, e, stdin);
    }

    [Fact]
    public void Proxy_init_info_destroy_round_trip_with_an_encrypted_key_and_grid_tools_agree()
    {
        const string pass = "cli-secret-passphrase";
        string key = pki.NewFile("enckey");
        Tool.MustRun("openssl", "rsa", "-in", pki.UserKey, "-traditional", "-aes256", "-passout", "pass:" + pass, "-out", key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string proxy = pki.NewFile("cliproxy");

        var init = Toolkit(["proxy", "init", "-cert", pki.UserCert, "-key", key, "-out", proxy, "-valid", "1:30", "-bits", "2048", "-pwstdin"], stdin: pass + "\n");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("Your identity: /DC=org/DC=toolkit/CN=Test User", init.Stdout);
        Assert.DoesNotContain(pass, init.Stdout + init.Stderr);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(proxy));

        var gpi = Tool.Run("grid-proxy-info", ["-file", proxy], pki.ToolEnv);
        Assert.True(gpi.ExitCode == 0, gpi.ToString());
        Assert.Matches(@"timeleft : 1:(29|30):\d\d", gpi.Stdout);
        Assert.Equal(0, Tool.Run("voms-proxy-info", ["-file", proxy, "-exists"], pki.ToolEnv).ExitCode);

        var info = Toolkit(["proxy", "info", "-file", proxy]);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("identity : /DC=org/DC=toolkit/CN=Test User", info.Stdout);
        Assert.Contains("type     : RFC 3820 compliant impersonation proxy", info.Stdout);
        Assert.Contains("strength : 2048 bits", info.Stdout);
        Assert.DoesNotContain("PRIVATE KEY", info.Stdout);

        var json = Toolkit(["proxy", "info", "-file", proxy, "--json"]);
        using (var doc = JsonDocument.Parse(json.Stdout))
        {
            Assert.Equal("/DC=org/DC=toolkit/CN=Test User", doc.RootElement.GetProperty("identity").GetString());
            Assert.InRange(doc.RootElement.GetProperty("timeLeftSeconds").GetInt64(), 5300, 5400);
        }
        Assert.Equal(0, Toolkit(["proxy", "info", "-file", proxy, "-exists"]).ExitCode);

        var wrong = Toolkit(["proxy", "init", "-cert", pki.UserCert, "-key", key, "-out", pki.NewFile("x"), "-pwstdin"], stdin: "nope\n");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("wrong passphrase", wrong.Stderr);
        Assert.Equal(2, Toolkit(["proxy", "init", "-valid", "12:99"]).ExitCode);

        Assert.Equal(0, Toolkit(["proxy", "destroy", "-file", proxy]).ExitCode);
        Assert.False(File.Exists(proxy));
        Assert.Equal(1, Toolkit(["proxy", "info", "-file", proxy, "-exists"]).ExitCode);
    }

    [Fact]
    public void Proxy_info_shows_voms_attributes_of_a_voms_proxy_fake_proxy()
    {
        string path = pki.NewFile("vpfcli");
        var r = Tool.Run("voms-proxy-fake", ["-cert", pki.UserCert, "-key", pki.UserKey, "-hostcert", pki.VomsCert, "-hostkey", pki.VomsKey,
            "-voms", "testvo", "-uri", "voms.toolkit.test:15000", "-fqan", "/testvo/Role=production/Capability=NULL", "-rfc", "-hours", "1", "-out", path], pki.ToolEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        var info = Toolkit(["proxy", "info", "-file", path]);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("VO        : testvo", info.Stdout);
        Assert.Contains("attribute : /testvo/Role=production/Capability=NULL", info.Stdout);
        Assert.Contains("issuer    : /DC=org/DC=toolkit/CN=voms.toolkit.test", info.Stdout);
    }

    [Fact]
    public void Token_info_prints_claims_but_never_the_token()
    {
        string jwt = TokenTests.UnsignedJwt($"{{\"iss\":\"https://iam.example/\",\"sub\":\"abc\",\"scope\":\"storage.read:/\",\"aud\":\"https://wlcg.cern.ch/jwt/v1/any\",\"exp\":{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}.5}}");
        var r = Toolkit(["token", "info"], new() { ["BEARER_TOKEN"] = jwt });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("issuer   : https://iam.example/", r.Stdout);
        Assert.Contains("scope    : storage.read:/", r.Stdout);
        Assert.Matches(@"timeleft : 0:59:\d\d|timeleft : 1:00:00", r.Stdout);
        Assert.DoesNotContain(jwt, r.Stdout + r.Stderr);
        Assert.DoesNotContain(jwt.Split('.')[2], r.Stdout);

        string file = pki.NewFile("tok");
        File.WriteAllText(file, jwt);
        var j = Toolkit(["token", "info", "--json"], new() { ["BEARER_TOKEN_FILE"] = file });
        using var doc = JsonDocument.Parse(j.Stdout);
        Assert.Equal("abc", doc.RootElement.GetProperty("claims").GetProperty("sub").GetString());
        Assert.DoesNotContain(jwt, j.Stdout);

        var none = Toolkit(["token", "info"], new() { ["BEARER_TOKEN_FILE"] = pki.P("missing-token") });
        Assert.Equal(1, none.ExitCode);
    }
}
