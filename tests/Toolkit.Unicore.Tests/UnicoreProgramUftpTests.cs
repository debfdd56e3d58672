using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests;

/// <summary>The standalone <c>Toolkit.Peers unicore</c> program starts uftpd too and prints a working Auth URL.</summary>
public sealed class UnicoreProgramUftpTests
{
    [Fact]
    public async Task Standalone_unicore_peer_prints_an_Auth_URL_that_hands_out_UFTP_sessions()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Toolkit.Peers.dll"), "unicore", "--listen", "127.0.0.1:0", "--user", "alice:secret" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? auth = null;
            while (auth is null && await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("# UFTP auth : ", StringComparison.Ordinal))
                {
                    auth = line["# UFTP auth : ".Length..].Split(' ', 2)[0];
                }
            }

            Assert.NotNull(auth);
            Assert.EndsWith("/rest/auth/TEST", auth, StringComparison.Ordinal);
            using var http = HttpPipeline.CreateClient(null, new SocketsHttpHandler(), new BasicAuthHandler("alice", "secret"));
            var session = await UftpClient.ConnectAsync(http, new Uri(auth), new UftpAuthRequest(), cts.Token);
            await using (session)
            {
                await session.MakeDirectoryAsync("from-uftp", cts.Token);
                Assert.True((await session.StatAsync("from-uftp", cts.Token)).IsDirectory);
            }

            using var wrong = HttpPipeline.CreateClient(null, new SocketsHttpHandler(), new BasicAuthHandler("demouser", "test123"));
            await Assert.ThrowsAsync<UftpAuthException>(() => UftpClient.AuthenticateAsync(wrong, new Uri(auth), new UftpAuthRequest(), null, cts.Token));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
