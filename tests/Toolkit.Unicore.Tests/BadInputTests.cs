using System;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Tests;

/// <summary>Replies the client cannot use and failures of the server: each is a typed error naming what and where.</summary>
public sealed class BadInputTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public async Task A_malformed_reply_names_the_url_and_the_byte_offset()
    {
        using var client = fx.Client();
        fx.Peer.Overrides["/rest/core"] = (200, "application/json", "{\"client\": {\"dn\": 42}}");
        var e = await Assert.ThrowsAsync<UnicoreProtocolException>(() => client.GetSiteInfoAsync());
        Assert.Contains("GET " + fx.Peer.SiteUrl, e.Message, StringComparison.Ordinal);
        Assert.EndsWith("expected a string, found a number (at byte 18)", e.Message, StringComparison.Ordinal);

        fx.Peer.Overrides["/rest/core"] = (200, "application/json", "{\"_links\": {\"self\": {\"href\": \"x\"}}");
        await Assert.ThrowsAsync<UnicoreProtocolException>(() => client.GetSiteInfoAsync());

        fx.Peer.Overrides["/rest/core"] = (200, "application/json", "{\"_links\": {}}");
        var link = await Assert.ThrowsAsync<UnicoreProtocolException>(() => client.ListJobsAsync());
        Assert.Contains("has no link 'jobs'", link.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_errors_carry_the_errorMessage_and_a_201_without_Location_is_refused()
    {
        using var client = fx.Client();
        fx.Peer.Overrides["/rest/core"] = (503, "application/json", "{\"errorMessage\": \"The site is in maintenance\"}");
        var e = await Assert.ThrowsAsync<UnicoreServerErrorException>(() => client.ConnectAsync());
        Assert.Equal(503, e.StatusCode);
        Assert.StartsWith("The site is in maintenance (GET ", e.Message, StringComparison.Ordinal);

        fx.Peer.Overrides["/rest/core/jobs"] = (201, "application/json", string.Empty);
        var noLocation = await Assert.ThrowsAsync<UnicoreProtocolException>(() => client.SubmitJobAsync(Jobs.Echo("x")));
        Assert.Contains("Location", noLocation.Message, StringComparison.Ordinal);

        fx.Peer.Overrides["/rest/core"] = (502, "text/html", "<html>Bad Gateway</html>");
        Assert.Contains("Bad Gateway", (await Assert.ThrowsAsync<UnicoreServerErrorException>(() => client.ConnectAsync())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_times_out()
    {
        using var client = fx.Client(configure: o => o with { Timeout = TimeSpan.FromMilliseconds(300) });
        fx.Peer.Delay = TimeSpan.FromSeconds(3);
        try
        {
            var e = await Assert.ThrowsAsync<TimeoutException>(() => client.GetSiteInfoAsync());
            Assert.Contains("/DEMO-SITE/rest/core", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            fx.Peer.Delay = TimeSpan.Zero;
        }
    }

    [Fact]
    public void Options_refuse_bad_urls_and_missing_ones_naming_the_variable()
    {
        var env = UnicoreClientOptions.FromEnvironment(n => n switch { "UNICORE_URL" => "https://h/SITE/rest/core", "UNICORE_USER" => "alice:pw", _ => null });
        Assert.Equal(new Uri("https://h/SITE/rest/core"), env.SiteUrl);
        Assert.Equal("user alice (password)", env.Credential.Description);
        var bearer = UnicoreClientOptions.FromEnvironment(n => n == "UNICORE_TOKEN" ? "t" : null);
        Assert.Equal("bearer token", bearer.Credential.Description);
        Assert.Contains("UNICORE_URL", Assert.Throws<FormatException>(() => UnicoreClientOptions.FromEnvironment(n => n == "UNICORE_URL" ? "ftp://x" : null)).Message, StringComparison.Ordinal);
        Assert.Contains("UNICORE_URL", Assert.Throws<ArgumentException>(() => new UnicoreClient(new UnicoreClientOptions())).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => UnicoreCredential.Basic("a:b", "c"));
    }
}
