using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.Peers.Unicore;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;
using Toolkit.TestSupport;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests;

/// <summary>A UNICORE peer that serves UFTP as the demo server does (uftpd on its storage root, <c>/rest/auth/TEST</c>).</summary>
public sealed class UftpSiteFixture : IAsyncLifetime
{
    public UnicorePeer Peer { get; } = new(new UnicorePeerOptions { Uftp = true });

    public UnicoreClient Client(string user = "demouser", string password = "test123") => new(new UnicoreClientOptions
    {
        SiteUrl = Peer.SiteUrl,
        RegistryUrl = Peer.RegistryUrl,
        Credential = UnicoreCredential.Basic(user, password),
        Timeout = TimeSpan.FromSeconds(20),
    });

    public string NewDir() => Directory.CreateTempSubdirectory("unicore-uftp-client-").FullName;

    public string Home => Path.Combine(Peer.Root, "home", "demouser");

    public Task InitializeAsync() => Peer.StartAsync();

    public async Task DisposeAsync() => await Peer.DisposeAsync();
}

/// <summary>The UNICORE peer's UFTP Auth endpoint, the storage facade over UFTP, and <c>toolkit unicore cp</c> choosing UFTP or HTTP.</summary>
public sealed class UnicoreUftpTests(UftpSiteFixture fx) : IClassFixture<UftpSiteFixture>
{
    private static byte[] Random(int n) => RandomNumberGenerator.GetBytes(n);

    [Fact]
    public async Task Peer_advertises_UFTP_and_its_Auth_endpoint_hands_out_sessions_on_the_same_files()
    {
        using var client = fx.Client();
        var home = await client.GetStorageAsync("HOME");
        var props = await home.GetPropertiesAsync();
        Assert.True(UnicoreStorage.OffersUftp(props));
        Assert.Equal(fx.Peer.UftpAuthUrl, await home.FindUftpAuthAsync());

        var data = Random(100_000);
        await home.UploadAsync("same/rest.bin", new MemoryStream(data));
        using var http = HttpPipeline.CreateClient(null, new SocketsHttpHandler(), new BasicAuthHandler("demouser", "test123"));
        var session = await UftpClient.ConnectAsync(http, fx.Peer.UftpAuthUrl, new UftpAuthRequest { ServerPath = props.MountPoint + "/same/" });
        await using (session)
        {
            var local = Path.Combine(fx.NewDir(), "got.bin");
            await UftpTransfers.DownloadAsync(session, "rest.bin", local, new UftpTransferOptions { Verify = true });
            Assert.Equal(data, await File.ReadAllBytesAsync(local));
        }

        using var wrong = HttpPipeline.CreateClient(null, new SocketsHttpHandler(), new BasicAuthHandler("demouser", "nope"));
        await Assert.ThrowsAsync<UftpAuthException>(() => UftpClient.AuthenticateAsync(wrong, fx.Peer.UftpAuthUrl, new UftpAuthRequest()));
    }

    [Fact]
    public async Task Registry_lists_the_UFTP_Auth_endpoint()
    {
        using var http = HttpPipeline.CreateClient(null, new SocketsHttpHandler(), new BasicAuthHandler("demouser", "test123"));
        using var doc = JsonDocument.Parse(await http.GetStringAsync(fx.Peer.RegistryUrl));
        Assert.Contains(doc.RootElement.GetProperty("entries").EnumerateArray(), e => e.GetProperty("type").GetString() == "UFTPAuth" && e.GetProperty("href").GetString() == fx.Peer.UftpAuthUrl.ToString());
    }

    [Fact]
    public async Task Storage_facade_uploads_over_UFTP_and_HTTP_reads_the_same_bytes_and_back()
    {
        using var client = fx.Client();
        var home = await client.GetStorageAsync("HOME");
        var dir = fx.NewDir();
        var data = Random(300_000);
        await File.WriteAllBytesAsync(Path.Combine(dir, "up.bin"), data);
        var up = await home.UploadUftpAsync(Path.Combine(dir, "up.bin"), "/facade/up.bin", request: new UftpAuthRequest { StreamCount = 2 });
        Assert.Equal(data.Length, up.Bytes);
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(fx.Home, "facade", "up.bin")));
        var back = Path.Combine(dir, "http.bin");
        await home.DownloadFileAsync("facade/up.bin", back);
        Assert.Equal(data, await File.ReadAllBytesAsync(back));

        var down = Path.Combine(dir, "uftp.bin");
        var result = await home.DownloadUftpAsync("facade/up.bin", down);
        Assert.Equal(data.Length, result.Bytes);
        Assert.Equal(data, await File.ReadAllBytesAsync(down));
        Assert.False(File.Exists(down + UftpTransfers.PartSuffix));
    }

    private static Task<Tool.Result> Toolkit(UnicorePeer peer, string dir, params string[] args) => ToolkitCli.RunAsync(
        ["unicore", "-s", peer.SiteUrl.ToString(), "-u", "demouser:test123", .. args],
        new Dictionary<string, string?> { ["HOME"] = dir, ["UNICORE_URL"] = null, ["UNICORE_USER"] = null, ["UNICORE_TOKEN"] = null, ["UNICORE_REGISTRY"] = null },
        null, dir);

    private static string Protocol(Tool.Result r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement.GetProperty("protocol").GetString()!;
    }

    [Fact]
    public async Task Cli_cp_uses_UFTP_when_the_storage_offers_it_and_BFT_when_asked()
    {
        var dir = fx.NewDir();
        var data = Random(1_000_000);
        await File.WriteAllBytesAsync(Path.Combine(dir, "big.bin"), data);
        Assert.Equal("UFTP", Protocol(await Toolkit(fx.Peer, dir, "cp", "big.bin", "HOME:/cliuftp/", "-n", "2", "--json")));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(fx.Home, "cliuftp", "big.bin")));
        Assert.Equal("UFTP", Protocol(await Toolkit(fx.Peer, dir, "cp", "HOME:/cliuftp/big.bin", "down.bin", "--json")));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(dir, "down.bin")));

        Assert.Equal("BFT", Protocol(await Toolkit(fx.Peer, dir, "cp", "HOME:/cliuftp/big.bin", "http.bin", "--protocol", "BFT", "--json")));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(dir, "http.bin")));
        var text = await Toolkit(fx.Peer, dir, "cp", "big.bin", "HOME:/cliuftp/again.bin");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("(1000000 bytes) via UFTP", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_cp_falls_back_to_HTTP_when_the_peer_serves_no_UFTP_and_refuses_a_forced_UFTP()
    {
        await using var plain = new UnicorePeer(new UnicorePeerOptions());
        await plain.StartAsync();
        var dir = fx.NewDir();
        var data = Random(50_000);
        await File.WriteAllBytesAsync(Path.Combine(dir, "f.bin"), data);
        Assert.Equal("BFT", Protocol(await Toolkit(plain, dir, "cp", "f.bin", "HOME:/f.bin", "--json")));
        Assert.Equal("BFT", Protocol(await Toolkit(plain, dir, "cp", "HOME:/f.bin", "g.bin", "--json")));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(dir, "g.bin")));
        var forced = await Toolkit(plain, dir, "cp", "HOME:/f.bin", "h.bin", "--protocol", "UFTP");
        Assert.NotEqual(0, forced.ExitCode);
        Assert.Contains("does not offer UFTP", forced.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "h.bin")));
    }
}
