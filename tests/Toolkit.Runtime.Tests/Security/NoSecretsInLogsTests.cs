using System;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

/// <summary>Exercises the failure paths with a capturing logger and checks no key, passphrase or token leaks into logs or error messages.</summary>
[Collection("pki")]
public sealed class NoSecretsInLogsTests(GridPki pki)
{
    [Fact]
    public async Task Keys_passphrases_and_tokens_stay_out_of_logs_and_errors()
    {
        const string pass = "leak-canary-passphrase";
        const string token = "leak-canary-token.eyJzdWIiOiJ4In0.sig";
        var log = new CapturingLogger();
        var messages = new System.Text.StringBuilder();

        string key = pki.NewFile("canarykey");
        Tool.MustRun("openssl", "rsa", "-in", pki.UserKey, "-traditional", "-des3", "-passout", "pass:" + pass, "-out", key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string keyBody = File.ReadAllText(pki.UserKey).Split('\n')[1];

        void Capture(Action a)
        {
            try
            {
                a();
            }
            catch (Exception e)
            {
                messages.AppendLine(e.ToString());
            }
        }

        Capture(() => X509Credential.Load(pki.UserCert, key, _ => pass + "-wrong"));
        Capture(() => X509Credential.Load(pki.UserCert, key, _ => null));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.OtherRead);
        Capture(() => X509Credential.Load(pki.UserCert, key, _ => pass));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var user = X509Credential.Load(pki.UserCert, key, _ => pass);
        using var proxy = ProxyFactory.CreateProxy(user);
        Capture(() => JwtInfo.Parse(token));
        Capture(() => new BearerToken("   ", "BEARER_TOKEN"));
        messages.AppendLine(new BearerToken(token, "BEARER_TOKEN").ToString());

        var options = new GridTlsOptions { ClientCredential = proxy, InsecureSkipServerVerification = true, Logger = log };
        using (var http = new HttpClient(GridTls.CreateHttpHandler(options)))
        {
            // Nothing listens on this port: the connection error must not carry secrets either.
            try
            {
                await http.GetAsync(new Uri("https://127.0.0.1:9/"));
            }
            catch (HttpRequestException e)
            {
                messages.AppendLine(e.ToString());
            }
        }
        var handler = new BearerTokenHandler(new BearerToken(token, "env"), _ => throw new InvalidOperationException("refresh failed"), logger: log) { InnerHandler = new SocketsHttpHandler() };
        using (var http = new HttpClient(handler))
        {
            try
            {
                await http.GetAsync(new Uri("http://127.0.0.1:9/"));
            }
            catch (HttpRequestException e)
            {
                messages.AppendLine(e.ToString());
            }
        }

        string all = log.All + "\n" + messages;
        Assert.Contains("wrong passphrase", all); // the failure paths really ran
        Assert.Contains("chmod 600", all);
        Assert.DoesNotContain(pass, all);
        Assert.DoesNotContain("leak-canary-token", all);
        Assert.DoesNotContain(keyBody, all);
        Assert.DoesNotContain("PRIVATE KEY-----", all);
    }
}
