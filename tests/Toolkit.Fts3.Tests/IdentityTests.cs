using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Toolkit.Peers.Fts3;
using Toolkit.Fts3;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3.Tests;

[Collection("fts3")]
public sealed class IdentityTests(Fts3Pki pki)
{
    [Fact]
    public void Delegation_id_matches_the_live_server_example()
        => Assert.Equal("ac4ba2be183546e6", FtsPeer.DelegationIdOf("/DC=ch/DC=cern/CN=Test User", new[] { "/testvo/Role=NULL/Capability=NULL", "/testvo/Role=lcgadmin/Capability=NULL" }));

    [Fact]
    public async Task A_voms_proxy_gives_fqans_vos_and_the_delegation_id_over_dn_and_fqans()
    {
        var path = pki.Pki.NewFile("vomsproxy");
        var r = Tool.Run("voms-proxy-fake", ["-cert", pki.Pki.UserCert, "-key", pki.Pki.UserKey, "-hostcert", pki.Pki.VomsCert, "-hostkey", pki.Pki.VomsKey,
            "-voms", "testvo", "-uri", "voms.toolkit.test:15000", "-fqan", "/testvo/Role=NULL/Capability=NULL",
            "-fqan", "/testvo/Role=lcgadmin/Capability=NULL", "-rfc", "-hours", "3", "-out", path], pki.Pki.ToolEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer, proxy: path));
        var who = await ctx.WhoAmIAsync();
        Assert.Equal(Fts3Pki.UserDn, who.UserDn);
        Assert.Equal(new[] { "/testvo/Role=NULL/Capability=NULL", "/testvo/Role=lcgadmin/Capability=NULL" }, who.VomsCred);
        Assert.Equal(new[] { "testvo" }, who.Vos);
        Assert.Equal(FtsPeer.DelegationIdOf(Fts3Pki.UserDn, who.VomsCred!), who.DelegationId);
        Assert.NotEqual(FtsPeer.DelegationIdOf(Fts3Pki.UserDn, Array.Empty<string>()), who.DelegationId);
        Assert.Equal(FtsPeer.Uuid5(FtsPeer.BaseId, "testvo").ToString(), who.VosId![0]);

        await ctx.DelegateAsync();
        var info = await ctx.GetDelegationAsync();
        Assert.Equal(who.VomsCred, info!.VomsAttrs);
        var id = await ctx.SubmitAsync(Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("https://a.example.org/v", "https://b.example.org/v") }, new Fts3JobOptions { IdGenerator = "deterministic", Sid = "s1" }));
        Assert.Equal(Fts3Jobs.DeterministicJobId("testvo", "s1").ToString(), id);
        Assert.Equal("testvo", peer.GetJob(id)!["vo_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_request_key_has_the_size_of_the_client_key_and_is_reused()
    {
        using var user = pki.Pki.LoadUser();
        using var small = ProxyFactory.CreateProxy(user, new ProxyOptions { KeySize = 3072, Lifetime = TimeSpan.FromHours(4) });
        var path = pki.Pki.NewFile("proxy3072");
        small.WritePem(path);
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer, proxy: path));
        var id = (await ctx.WhoAmIAsync()).DelegationId!;
        var pem = await ctx.Client.GetDelegationRequestAsync(id);
        var csr = CertificateRequest.LoadSigningRequestPem(pem, System.Security.Cryptography.HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        Assert.Equal("O=Dummy", csr.SubjectName.Name);
        Assert.Equal(3072, csr.PublicKey.GetRSAPublicKey()!.KeySize);
        Assert.Equal(pem, await ctx.Client.GetDelegationRequestAsync(id));
        Assert.Equal(1, peer.CsrCount);
        Assert.Equal(2, peer.Requests.Count(r => r.Path.EndsWith("/request", StringComparison.Ordinal)));
        await ctx.DelegateAsync();
        Assert.True(peer.Credentials.ContainsKey(id));
    }
}
