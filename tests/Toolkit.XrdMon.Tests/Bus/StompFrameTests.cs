using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Xunit;
using Toolkit.XrdMon.Bus;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>The STOMP 1.2 frame codec, the URL, and TLS verification (no broker needed).</summary>
public sealed class StompFrameTests
{
    private static byte[] Bytes(string command, IEnumerable<KeyValuePair<string, string>> headers, byte[]? body = null)
    {
        var w = new ArrayBufferWriter<byte>();
        StompFrame.Write(w, command, headers, body);
        return w.WrittenSpan.ToArray();
    }

    [Fact]
    public void A_send_frame_has_escaped_headers_a_content_length_and_a_nul()
    {
        byte[] frame = Bytes("SEND", [new("destination", "/exchange/x/10.0.0.1:1094"), new("a\\b", "line\nbreak\r")], "{\"k\":0}"u8.ToArray());
        Assert.Equal("SEND\ndestination:/exchange/x/10.0.0.1\\c1094\na\\\\b:line\\nbreak\\r\ncontent-length:7\n\n{\"k\":0}\0", Encoding.UTF8.GetString(frame));
        byte[] connect = Bytes("CONNECT", [new("passcode", "a:b\\c")]);
        Assert.Equal("CONNECT\npasscode:a:b\\c\n\n\0", Encoding.UTF8.GetString(connect));
        Assert.Throws<ArgumentException>(() => Bytes("CONNECT", [new("login", "x\ny")]));
    }

    [Property(MaxTest = 200)]
    public bool Frames_round_trip_with_any_header_text_and_any_body(NonEmptyString name, string value, byte[] body, PositiveInt beats)
    {
        string key = name.Get.Replace("\0", string.Empty, StringComparison.Ordinal);
        value = (value ?? string.Empty).Replace("\0", string.Empty, StringComparison.Ordinal);
        if (key.Length == 0 || key == "content-length")
        {
            return true;
        }

        byte[] wire = [.. Enumerable.Repeat((byte)'\n', beats.Get % 5), .. Bytes("MESSAGE", [new(key, value), new(key, "second")], body), .. "\nNEXT"u8];
        bool ok = StompFrame.TryParse(wire, 1 << 20, out StompFrame? frame, out int consumed);
        return ok && frame!.Command == "MESSAGE" && frame[key] == value && frame.Body.Span.SequenceEqual(body)
            && consumed == wire.Length - 5;
    }

    [Fact]
    public void Partial_frames_wait_for_more_and_heart_beats_are_consumed()
    {
        byte[] wire = Bytes("RECEIPT", [new("receipt-id", "7")]);
        for (int cut = 0; cut < wire.Length; cut++)
        {
            Assert.False(StompFrame.TryParse(wire.AsSpan(0, cut), 1024, out _, out _));
        }

        Assert.False(StompFrame.TryParse("\n\r\n\n"u8, 1024, out _, out int consumed));
        Assert.Equal(4, consumed);
        Assert.True(StompFrame.TryParse("ERROR\r\nmessage:bad\r\n\r\nbody text\0"u8, 1024, out StompFrame? error, out _));
        Assert.Equal("bad", error!["message"]);
        Assert.Equal("body text", Encoding.UTF8.GetString(error.Body.Span));
    }

    [Theory]
    [InlineData("send\n\n\0", "not a STOMP command", 0)]
    [InlineData("MESSAGE\nno-colon\n\n\0", "without 'name:value'", 8)]
    [InlineData("MESSAGE\na:b\\tc\n\n\0", "undefined header escape", 11)]
    [InlineData("MESSAGE\ncontent-length:x\n\n\0", "content-length is not a number", 24)]
    [InlineData("MESSAGE\ncontent-length:2\n\nabc\0", "does not end with NUL", 28)]
    [InlineData("MESSAGE\ncontent-length:5000\n\n\0", "exceeds the 1024-byte frame limit", 27)]
    public void Bad_frames_are_typed_errors_naming_the_offset(string wire, string what, long offset)
    {
        var e = Assert.Throws<StompProtocolException>(() => StompFrame.TryParse(Encoding.UTF8.GetBytes(wire), 1024, out _, out _));
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void An_endless_frame_is_refused_at_the_limit()
    {
        byte[] wire = Encoding.UTF8.GetBytes("MESSAGE\n\n" + new string('x', 2000));
        Assert.Throws<StompProtocolException>(() => StompFrame.TryParse(wire, 1024, out _, out _));
        Assert.Throws<StompProtocolException>(() => StompFrame.TryParse(Encoding.UTF8.GetBytes("MESSAGE\nh:" + new string('x', 2000)), 1024, out _, out _));
    }

    [Fact]
    public void The_url_gives_port_vhost_and_credentials_and_is_redacted()
    {
        var e = new StompEndpoint("stomp+ssl://user:s%40cret@mq.example.org/vh");
        Assert.True(e.Tls);
        Assert.Equal(61614, e.Port);
        Assert.Equal("vh", e.VirtualHost);
        Assert.Equal("user", e.Login);
        Assert.Equal("stomp+ssl://***@mq.example.org/vh", e.Redacted);
        Assert.DoesNotContain("cret", e.Describe(new System.IO.IOException("failed for user:s%40cret and s@cret")), StringComparison.Ordinal);
        var plain = new StompEndpoint("stomp://mq.example.org:1234", password: "tok");
        Assert.False(plain.Tls);
        Assert.Equal(1234, plain.Port);
        Assert.Equal("/", plain.VirtualHost);
        Assert.Equal("shoveler", plain.Login);
        var bad = Assert.Throws<FormatException>(() => new StompEndpoint("amqp://u:topsecret@h/"));
        Assert.DoesNotContain("topsecret", bad.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xrootd.shoveler", "3", "/topic/xrootd.shoveler")]
    [InlineData("/queue/q", "3", "/queue/q")]
    [InlineData("/exchange/x", "3", "/exchange/x/3")]
    [InlineData("/exchange/x", "", "/exchange/x")]
    [InlineData("/exchange/x/fixed", "3", "/exchange/x/fixed")]
    public void Destinations_follow_the_shovelers_topic_rule_and_rabbitmqs_exchange_form(string configured, string key, string expected) =>
        Assert.Equal(expected, XrdMonShovel.StompDestination(configured, key));

    [Fact]
    public async Task Tls_refuses_a_certificate_it_cannot_verify()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using X509Certificate2 cert = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = Task.Run(async () =>
        {
            using TcpClient c = await listener.AcceptTcpClientAsync();
            using var ssl = new SslStream(c.GetStream());
            try
            {
                await ssl.AuthenticateAsServerAsync(cert).WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception e) when (e is AuthenticationException or System.IO.IOException)
            {
                // The client hung up: expected.
            }
        });
        var endpoint = new StompEndpoint($"stomp+ssl://u:p@localhost:{port}/");
        await Assert.ThrowsAsync<AuthenticationException>(() => StompConnection.ConnectAsync(endpoint, null, CancellationToken.None));
        await server.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_server_that_never_answers_connect_is_a_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<TcpClient> accept = listener.AcceptTcpClientAsync();
        var endpoint = new StompEndpoint($"stomp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        await Assert.ThrowsAsync<TimeoutException>(() => StompConnection.ConnectAsync(endpoint, new StompOptions { ConnectTimeout = TimeSpan.FromMilliseconds(500) }, CancellationToken.None));
        (await accept).Dispose();
    }
}
