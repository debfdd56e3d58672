using System;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Toolkit.XrdMon.Bus;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>The shoveler message format, the IP mapping and the malformed-message kinds.</summary>
public sealed class ShovelerMessageTests
{
    [Property(MaxTest = 200)]
    public void Any_datagram_round_trips(byte[] datagram, NonNegativeInt port)
    {
        string remote = ShovelerMessage.JoinHostPort("192.0.2.9", port.Get % 65536);
        byte[] body = ShovelerMessage.Encode(remote, "toolkit-1", datagram);
        var buffer = new byte[ShovelerMessage.MaxDatagram + 3];
        Assert.Equal(ShovelerMessageError.None, ShovelerMessage.TryRead(body, out string r, buffer, out int n));
        Assert.Equal(remote, r);
        Assert.Equal(datagram, buffer.AsSpan(0, n).ToArray());
    }

    [Fact]
    public void The_message_has_exactly_the_shovelers_members()
    {
        byte[] body = ShovelerMessage.Encode("[2001:db8::1]:1094", "v1", [1, 2, 3]);
        using JsonDocument doc = JsonDocument.Parse(body);
        Assert.Equal(["remote", "version", "data"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("AQID", doc.RootElement.GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("192.0.2.1", 1094, "192.0.2.1:1094")]
    [InlineData("2001:db8::1", 1094, "[2001:db8::1]:1094")]
    [InlineData("::1", 9930, "[::1]:9930")]
    [InlineData("host.example.org", 80, "host.example.org:80")]
    public void JoinHostPort_brackets_ipv6_as_go_does(string host, int port, string expected) =>
        Assert.Equal(expected, ShovelerMessage.JoinHostPort(host, port));

    [Fact]
    public void Ipv4_mapped_senders_are_written_as_ipv4_like_gos_ip_string()
    {
        Assert.Equal("192.0.2.5", ShovelerMessage.AddressText(IPAddress.Parse("::ffff:192.0.2.5")));
        Assert.Equal("2001:db8::5", ShovelerMessage.AddressText(IPAddress.Parse("2001:db8::5")));
    }

    [Fact]
    public void An_osg_shoveler_message_is_read()
    {
        // As Go's encoding/json writes the shoveler's Message struct (HTML-safe escaping, members in field order).
        byte[] body = Encoding.UTF8.GetBytes("{\"remote\":\"[2001:db8::7]:41000\",\"version\":\"1.3.0\",\"data\":\"PQABAAAAAQ==\"}");
        var buffer = new byte[ShovelerMessage.MaxDatagram + 3];
        Assert.Equal(ShovelerMessageError.None, ShovelerMessage.TryRead(body, out string remote, buffer, out int n));
        Assert.Equal("[2001:db8::7]:41000", remote);
        Assert.Equal(new byte[] { 0x3d, 0, 1, 0, 0, 0, 1 }, buffer.AsSpan(0, n).ToArray());
    }

    [Theory]
    [InlineData("", ShovelerMessageError.NotJson)]
    [InlineData("[1,2]", ShovelerMessageError.NotJson)]
    [InlineData("{\"remote\":\"a:1\",\"data\":\"AA==\"", ShovelerMessageError.NotJson)]
    [InlineData("{\"remote\":\"a:1\",\"data\":\"AA==\"} trailing", ShovelerMessageError.NotJson)]
    [InlineData("{\"data\":\"AA==\"}", ShovelerMessageError.MissingField)]
    [InlineData("{\"remote\":\"a:1\"}", ShovelerMessageError.MissingField)]
    [InlineData("{\"remote\":5,\"data\":\"AA==\"}", ShovelerMessageError.MissingField)]
    [InlineData("{\"remote\":\"a:1\",\"data\":\"A\"}", ShovelerMessageError.BadBase64)]
    [InlineData("{\"remote\":\"a:1\",\"data\":\"!!!!\"}", ShovelerMessageError.BadBase64)]
    public void Malformed_messages_are_classified(string body, ShovelerMessageError expected)
    {
        var buffer = new byte[ShovelerMessage.MaxDatagram + 3];
        Assert.Equal(expected, ShovelerMessage.TryRead(Encoding.UTF8.GetBytes(body), out _, buffer, out _));
    }

    [Fact]
    public void An_oversized_datagram_is_refused_not_truncated()
    {
        var buffer = new byte[ShovelerMessage.MaxDatagram + 3];
        byte[] body = Encoding.UTF8.GetBytes("{\"remote\":\"a:1\",\"data\":\"" + Convert.ToBase64String(new byte[ShovelerMessage.MaxDatagram + 1]) + "\"}");
        Assert.Equal(ShovelerMessageError.Oversized, ShovelerMessage.TryRead(body, out _, buffer, out _));
        Assert.Equal(ShovelerMessageError.Oversized, ShovelerMessage.TryRead(new byte[ShovelerMessage.MaxBody + 1], out _, buffer, out _));
    }

    [Fact]
    public void Ip_mapping_replaces_listed_addresses_or_all_and_keeps_the_port()
    {
        ShovelerIpMap map = ShovelerIpMap.Parse(["10.0.0.5=192.0.2.50", "[fd00::5]=2001:db8::50"]);
        Assert.Equal("192.0.2.50", map.Map(IPAddress.Parse("10.0.0.5")));
        Assert.Equal("192.0.2.50", map.Map(IPAddress.Parse("::ffff:10.0.0.5")));
        Assert.Equal("2001:db8::50", map.Map(IPAddress.Parse("fd00::5")));
        Assert.Equal("10.0.0.6", map.Map(IPAddress.Parse("10.0.0.6")));
        ShovelerIpMap all = ShovelerIpMap.Parse(["*=198.51.100.1", "10.0.0.5=x"]);
        Assert.Equal("198.51.100.1", all.Map(IPAddress.Parse("10.0.0.5")));
        Assert.Throws<FormatException>(() => ShovelerIpMap.Parse(["nonsense"]));
        Assert.Throws<FormatException>(() => ShovelerIpMap.Parse(["host.example=1.2.3.4"]));
    }

    [Fact]
    public void Shards_are_a_stable_function_of_the_sender_spread_over_all_shards()
    {
        Assert.Equal(XrdMonShards.Of("192.0.2.1:1094", 12), XrdMonShards.Of("192.0.2.1:1094", 12));
        // FNV-1a 32 of "a" is 0xE40C292C (the published test vector).
        Assert.Equal((int)(0xE40C292Cu % 1000u), XrdMonShards.Of("a", 1000));
        var counts = new int[12];
        for (int i = 0; i < 1200; i++)
        {
            counts[XrdMonShards.Of($"10.0.{i / 250}.{i % 250}:1094", 12)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 50, 150));
    }

    [Fact]
    public void The_shovels_header_check_is_the_shovelers()
    {
        Assert.True(XrdMonShovel.Verify([(byte)'f', 0, 0, 8, 0, 0, 0, 1]));
        Assert.False(XrdMonShovel.Verify([(byte)'f', 0, 0, 9, 0, 0, 0, 1]));
        Assert.True(XrdMonShovel.Verify("<statistics>"u8));
        Assert.False(XrdMonShovel.Verify([1, 2, 3]));
    }

    [Theory]
    [InlineData("amqp://user:secret@broker.example:5672/vhost", "amqp://***@broker.example:5672/vhost")]
    [InlineData("amqps://broker.example/", "amqps://broker.example/")]
    [InlineData("amqp://token@h/", "amqp://***@h/")]
    public void Broker_urls_are_redacted(string url, string expected)
    {
        Assert.Equal(expected, AmqpEndpoint.RedactText(url));
        var endpoint = new AmqpEndpoint(url);
        Assert.Equal(expected, endpoint.Redacted);
        Assert.DoesNotContain("secret", endpoint.Describe(new InvalidOperationException("failed for amqp://user:secret@broker.example")), StringComparison.Ordinal);
    }

    [Fact]
    public void Amqps_verifies_the_certificate_by_default()
    {
        var factory = new AmqpEndpoint("amqps://broker.example/").CreateFactory("t");
        Assert.True(factory.Ssl.Enabled);
        Assert.Equal("broker.example", factory.Ssl.ServerName);
        Assert.Equal(System.Net.Security.SslPolicyErrors.None, factory.Ssl.AcceptablePolicyErrors);
        Assert.Throws<FormatException>(() => new AmqpEndpoint("http://user:pw@h/"));
        var e = Assert.Throws<FormatException>(() => new AmqpEndpoint("ftp://user:pw@h/"));
        Assert.DoesNotContain("pw", e.Message, StringComparison.Ordinal);
    }
}
