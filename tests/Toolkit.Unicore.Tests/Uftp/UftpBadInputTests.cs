using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Toolkit.Peers.Uftp;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests.Uftp;

public sealed class UftpBadInputTests(UftpFixture fx) : IClassFixture<UftpFixture>
{
    [Fact]
    public async Task Wrong_password_is_an_auth_refusal_with_its_status()
    {
        using var http = HttpPipeline.CreateClient(null, new SocketsHttpHandler(), new BasicAuthHandler(UftpFixture.User, "nope"));
        var e = await Assert.ThrowsAsync<UftpAuthException>(() => new UftpAuthClient(http).AuthenticateAsync(fx.Host.AuthUrl, fx.Request()));
        Assert.Equal(401, e.StatusCode);
        Assert.Contains("Authentication failed", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_server_and_refusal_replies_are_typed()
    {
        var other = new Uri(fx.Host.AuthUrl.ToString().Replace("/TEST", "/NOPE", StringComparison.Ordinal));
        var e = await Assert.ThrowsAsync<UftpAuthException>(() => new UftpAuthClient(fx.Http).AuthenticateAsync(other, fx.Request()));
        Assert.Equal(404, e.StatusCode);
        Assert.Contains("No server 'NOPE'", e.Message, StringComparison.Ordinal);

        var refused = Assert.Throws<UftpAuthException>(() => UftpAuthClient.ParseResponse("{\"success\":false,\"reason\":\"quota\"}"u8.ToArray(), fx.Host.AuthUrl));
        Assert.Contains("quota", refused.Message, StringComparison.Ordinal);
        var noSecret = Assert.Throws<UftpAuthException>(() => UftpAuthClient.ParseResponse("{\"success\":true,\"serverHost\":\"h\",\"serverPort\":1}"u8.ToArray(), fx.Host.AuthUrl));
        Assert.Contains("$.secret", noSecret.Message, StringComparison.Ordinal);
        var notJson = Assert.Throws<UftpAuthException>(() => UftpAuthClient.ParseResponse("<html>"u8.ToArray(), fx.Host.AuthUrl));
        Assert.Contains("not JSON", notJson.Message, StringComparison.Ordinal);
        var badPort = Assert.Throws<UftpAuthException>(() => UftpAuthClient.ParseResponse("{\"serverHost\":\"h\",\"serverPort\":70000,\"secret\":\"s\"}"u8.ToArray(), fx.Host.AuthUrl));
        Assert.Contains("$.serverPort", badPort.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_secret_is_530()
    {
        var ep = fx.Host.Uftpd.ListenEndpoint;
        var e = await Assert.ThrowsAsync<UftpReplyException>(() => UftpSession.ConnectAsync(ep.Address.ToString(), ep.Port, "abcdefghijklmnopqrst"));
        Assert.Equal(530, e.Code);
        Assert.True(e.IsLoginRefused);
        Assert.Equal("PASS", e.Command);
        Assert.DoesNotContain("abcdefghijklmnopqrst", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_time_secret_cannot_be_reused()
    {
        var ticket = await UftpClient.AuthenticateAsync(fx.Http, fx.Host.AuthUrl, fx.Request() with { Persistent = false });
        var first = await ticket.ConnectAsync();
        var running = await Assert.ThrowsAsync<UftpReplyException>(() => ticket.ConnectAsync());
        Assert.Equal(500, running.Code);
        Assert.Contains("already running", running.Reply, StringComparison.Ordinal);
        await first.DisposeAsync();
        await Task.Delay(200);
        var used = await Assert.ThrowsAsync<UftpReplyException>(() => ticket.ConnectAsync());
        Assert.Equal(530, used.Code);
    }

    [Fact]
    public async Task Command_port_rejects_duplicate_secrets_and_unknown_requests()
    {
        var cmd = fx.Host.Uftpd.CommandEndpoint;
        KeyValuePair<string, string>[] req = [new("request-type", "uftp-transfer-request"), new("user", "u"), new("secret", "dupdupdupdupdupdupdu"), new("client-ip", "127.0.0.1"), new("file", "")];
        Assert.StartsWith("OK::", await UftpdCommandClient.SendAsync(cmd, req), StringComparison.Ordinal);
        Assert.Equal("ERROR::Duplicate secret - this is not allowed.", await UftpdCommandClient.SendAsync(cmd, req));
        Assert.Equal("ERROR::Unsupported request type 'x'", await UftpdCommandClient.SendAsync(cmd, [new("request-type", "x")]));
        Assert.Contains("ListenPort: " + fx.Host.Uftpd.ListenEndpoint.Port, await UftpdCommandClient.SendAsync(cmd, [new("request-type", "uftp-ping-request")]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello world\n", "malformed reply")]
    [InlineData("220-UFTPD\n999 what\n", "the greeting")]
    [InlineData("", "closed the control connection")]
    public async Task Malformed_or_missing_control_replies_are_typed(string greeting, string expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            using var s = await listener.AcceptSocketAsync();
            await s.SendAsync(Encoding.ASCII.GetBytes(greeting));
            await Task.Delay(300);
        });
        var e = await Assert.ThrowsAnyAsync<UftpException>(() => UftpSession.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, "secret", new UftpSessionOptions { Timeout = TimeSpan.FromSeconds(2) }));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        await serve;
    }

    [Fact]
    public async Task A_silent_server_times_out()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptSocketAsync();
        var e = await Assert.ThrowsAsync<TimeoutException>(() => UftpSession.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, "secret", new UftpSessionOptions { Timeout = TimeSpan.FromMilliseconds(500) }));
        Assert.Contains("the greeting", e.Message, StringComparison.Ordinal);
        (await accept).Dispose();
    }

    [Fact]
    public async Task A_dropped_data_stream_names_the_stream()
    {
        var wire = await DataWire.EncodeAsync(UftpFixture.RandomBytes(5 * UftpFrame.MaxBlockSize, 1), 3, null, false);
        wire[2] = wire[2][..(2 * (UftpFrame.HeaderLength + (UftpFrame.MaxBlockSize - (2 * (UftpFrame.MaxBlockSize / 3)))))];
        var e = await Assert.ThrowsAsync<UftpDataException>(() => DataWire.DecodeAsync(wire, null, false));
        Assert.Equal(2, e.Stream);
        Assert.Contains("dropped", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_magic_and_sequence_name_the_offset()
    {
        var wire = await DataWire.EncodeAsync(UftpFixture.RandomBytes(3 * UftpFrame.MaxBlockSize, 2), 2, null, false);
        var magic = wire.Select(w => w.ToArray()).ToArray();
        magic[1][0] = 0xAA;
        var e = await Assert.ThrowsAsync<UftpDataException>(() => DataWire.DecodeAsync(magic, null, false));
        Assert.Equal((1, 0L), (e.Stream, e.Offset));
        Assert.Contains("wrong frame magic 0xAABF", e.Message, StringComparison.Ordinal);

        var seq = wire.Select(w => w.ToArray()).ToArray();
        int second = UftpFrame.HeaderLength + (UftpFrame.MaxBlockSize / 2);
        seq[0][second + 7] = 9;
        var s = await Assert.ThrowsAsync<UftpDataException>(() => DataWire.DecodeAsync(seq, null, false));
        Assert.Equal((0, (long)second + 4), (s.Stream, s.Offset));
        Assert.Contains("wrong sequence number 9 (expected 1)", s.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UftpCipherAlgorithm.Aes)]
    [InlineData(UftpCipherAlgorithm.Blowfish)]
    public async Task A_truncated_cipher_block_is_typed(UftpCipherAlgorithm algorithm)
    {
        var enc = UftpEncryption.Generate(algorithm);
        var wire = await DataWire.EncodeAsync(UftpFixture.RandomBytes(1000, 3), 1, enc, false);
        var cut = new[] { wire[0][..^3] };
        var e = await Assert.ThrowsAsync<UftpDataException>(() => DataWire.DecodeAsync(cut, enc, false));
        Assert.Contains("truncated cipher block", e.Message, StringComparison.Ordinal);
        Assert.Equal(wire[0].Length - 3, e.Offset);

        // A wrong key: the padding check catches it unless the garbage happens to end in valid padding (about 1 in
        // 256), and then the bytes differ; never the original data.
        var wrongKey = UftpEncryption.Generate(algorithm);
        try
        {
            var garbage = await DataWire.DecodeAsync([wire[0]], wrongKey, false);
            Assert.NotEqual(UftpFixture.RandomBytes(1000, 3), garbage);
        }
        catch (UftpDataException w)
        {
            Assert.Contains("padding", w.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Client_and_server_disagreeing_on_encryption_is_caught()
    {
        await File.WriteAllBytesAsync(fx.RemoteReal("mismatch.bin"), new byte[1000]);
        var ticket = await UftpClient.AuthenticateAsync(fx.Http, fx.Host.AuthUrl, fx.Request(cipher: UftpCipherAlgorithm.Aes));
        await using var s = await UftpSession.ConnectAsync(ticket.Server.ServerHost, ticket.Server.ServerPort, ticket.Server.Secret, ticket.Options with { Encryption = null });
        var e = await Assert.ThrowsAsync<UftpDataException>(() => UftpTransfers.DownloadAsync(s, "mismatch.bin", fx.LocalPath("mismatch.bin")));
        Assert.Contains("more than the 1000 bytes", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(fx.LocalPath("mismatch.bin")));
    }

    [Fact]
    public async Task Listing_over_the_data_connection_fails_like_uftpd_when_encrypted()
    {
        Directory.CreateDirectory(fx.RemoteReal("mlsd"));
        await File.WriteAllBytesAsync(fx.RemoteReal("mlsd/one"), new byte[5]);
        await using (var plain = await fx.ConnectAsync())
        {
            var entries = await plain.ListDataAsync("mlsd");
            Assert.Equal("one", Assert.Single(entries).Name);
            Assert.Equal(5, entries[0].Size);
        }

        await using var s = await fx.ConnectAsync(cipher: UftpCipherAlgorithm.Blowfish);
        // pyuftp lists with STAT on the control connection for this reason; the engine does too.
        Assert.Equal("one", Assert.Single(await s.ListAsync("mlsd")).Name);
        await Assert.ThrowsAsync<UftpException>(() => s.ListDataAsync("mlsd"));
        // uftpd itself answers 150, then fails: its encrypted connector has no write_message.
        Assert.Equal(150, (await s.SendCommandAsync("MLSD mlsd")).Code);
        var failure = await s.SendCommandAsync("NOOP");
        Assert.Equal(500, failure.Code);
        Assert.Contains("write_message", failure.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_breaks_in_arguments_are_refused()
    {
        Assert.Throws<FormatException>(() => UftpAddress.Parse("ftp://x"));
        var a = UftpAddress.Parse("https://host:9000/rest/auth/TEST:/data/file.bin");
        Assert.Equal("https://host:9000/rest/auth/TEST", a.AuthUrl.ToString());
        Assert.Equal("/data/file.bin", a.Path);
    }
}
