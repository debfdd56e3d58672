using System.Threading.Tasks;
using Toolkit.Fts3.Tests.Peer;
using Toolkit.Generated.Fts3;

namespace Toolkit.Fts3.Tests;

[Collection("fts3")]
public sealed class SmokeTests(Fts3Pki pki)
{
    [Fact]
    public async Task Proxy_client_reaches_the_peer_and_is_identified_by_its_end_entity_dn()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        Assert.Equal(13, ctx.EndpointInfo.Api!.Minor);
        var who = await ctx.WhoAmIAsync();
        Assert.Equal(Fts3Pki.UserDn, who.UserDn);
        Assert.Equal("certificate", who.Method);
    }
}
