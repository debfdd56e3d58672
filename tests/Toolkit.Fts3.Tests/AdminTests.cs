using System;
using System.Linq;
using System.Threading.Tasks;
using Toolkit.Peers.Fts3;
using Toolkit.Fts3;

namespace Toolkit.Fts3.Tests;

[Collection("fts3")]
public sealed class AdminTests(Fts3Pki pki)
{
    [Fact]
    public async Task Cancel_by_vo_and_all_need_admin_and_report_what_was_affected()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var user = await Fts3Context.CreateAsync(pki.Options(peer));
        using var admin = await Fts3Context.CreateAsync(pki.Options(peer, admin: true));
        var mine = await user.SubmitAsync(Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("https://a.example.org/1", "https://b.example.org/1"), Fts3Jobs.NewTransfer("https://a.example.org/2", "https://b.example.org/2") }));
        var other = peer.AddForeignJob("/DC=org/DC=toolkit/CN=Somebody Else", "othervo");
        var vo = (await user.WhoAmIAsync()).Vos![0];

        Assert.Equal(403, (await Assert.ThrowsAsync<UnauthorizedException>(() => user.Client.CancelAllVoJobsAsync(vo))).StatusCode);
        var byVo = await admin.Client.CancelAllVoJobsAsync(vo);
        Assert.Equal((1L, 2L, 0L), (byVo.AffectedJobs, byVo.AffectedFiles, byVo.AffectedDm));
        Assert.Equal("CANCELED", peer.GetJob(mine)!["job_state"]!.GetValue<string>());
        Assert.Equal("SUBMITTED", peer.GetJob(other)!["job_state"]!.GetValue<string>());
        var all = await admin.Client.CancelAllJobsAsync();
        Assert.Equal(1L, all.AffectedJobs);
        Assert.Equal("CANCELED", peer.GetJob(other)!["job_state"]!.GetValue<string>());

        // Config routes answer JSON because the client sends Accept: application/json.
        var global = await admin.Client.GetGlobalConfigAsync();
        Assert.Equal(0, global["*"].Retry);
        Assert.Equal("application/json", peer.Requests.Last().Accept);
        await Assert.ThrowsAsync<UnauthorizedException>(() => user.Client.GetGlobalConfigAsync());
    }

    [Fact]
    public async Task Delegate_rethrows_every_failure_as_a_client_error_with_the_cause()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var user = await Fts3Context.CreateAsync(pki.Options(peer));
        using var admin = await Fts3Context.CreateAsync(pki.Options(peer, admin: true));
        await admin.BanDnAsync(Fts3Pki.UserDn);
        var e = await Assert.ThrowsAsync<ClientErrorException>(() => user.DelegateAsync());
        Assert.Equal("delegation failed: The user has been banned", e.Message);
        Assert.Equal(403, e.StatusCode);
        Assert.IsType<UnauthorizedException>(e.InnerException);
    }
}
