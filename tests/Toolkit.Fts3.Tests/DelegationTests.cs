using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Toolkit.Peers.Fts3;
using Toolkit.Fts3;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3.Tests;

[Collection("fts3")]
public sealed class DelegationTests(Fts3Pki pki)
{
    private static int Puts(FtsPeer peer) => peer.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/credential", StringComparison.Ordinal));

    [Fact]
    public async Task Delegation_end_to_end_stores_a_proxy_that_openssl_verifies_then_skips_until_forced()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        var who = await ctx.WhoAmIAsync();
        Assert.Equal(FtsPeer.DelegationIdOf(Fts3Pki.UserDn, Array.Empty<string>()), who.DelegationId);
        Assert.Null(await ctx.GetDelegationAsync());

        var before = DateTimeOffset.UtcNow;
        var id = await ctx.DelegateAsync(TimeSpan.FromHours(3));
        Assert.Equal(who.DelegationId, id);
        Assert.Equal(1, Puts(peer));

        // What the server stored: leaf + private key + chain; the leaf is a proxy of the signing proxy.
        var stored = peer.Credentials[id];
        var certs = PeerPem.EnumerateCertificates(stored.Pem).ToList();
        Assert.Equal(3, certs.Count); // new proxy, user proxy, user certificate
        Assert.Contains("-----BEGIN PRIVATE KEY-----", stored.Pem);
        var signer = X509Credential.Load(pki.ProxyPath);
        Assert.Equal(signer.Certificate.SerialNumber, certs[0].SerialNumber);
        var subject = DistinguishedNames.ToGridForm(certs[0].SubjectName);
        Assert.StartsWith(signer.Subject + "/CN=", subject);
        var cn = long.Parse(subject[(subject.LastIndexOf("/CN=", StringComparison.Ordinal) + 4)..]);
        Assert.InRange(cn, before.ToUnixTimeSeconds() - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.True(certs[0].Extensions["1.3.6.1.5.5.7.1.14"]!.Critical);
        Assert.InRange(stored.TerminationTime, before.UtcDateTime.AddHours(3).AddMinutes(-1), DateTime.UtcNow.AddHours(3).AddMinutes(1));

        // The real openssl accepts the uploaded chain as an RFC 3820 proxy chain.
        var leaf = pki.Pki.NewFile("leaf");
        var chain = pki.Pki.NewFile("chain");
        File.WriteAllText(leaf, certs[0].ExportCertificatePem());
        File.WriteAllText(chain, string.Concat(certs.Skip(1).Select(c => c.ExportCertificatePem() + "\n")));
        var verify = Tool.Openssl("verify", "-allow_proxy_certs", "-CApath", pki.Pki.CertDir, "-untrusted", chain, leaf);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains(": OK", verify.Stdout);

        // Enough time left: skipped. Forced, or below the threshold: delegated again.
        var info = await ctx.GetDelegationAsync();
        Assert.NotNull(info);
        Assert.Equal(stored.TerminationTime, info!.TerminationTime.UtcDateTime, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, info.TerminationTime.Offset);
        await ctx.DelegateAsync();
        Assert.Equal(1, Puts(peer));
        await ctx.DelegateAsync(force: true);
        Assert.Equal(2, Puts(peer));
        await ctx.DelegateAsync(redelegateBelow: TimeSpan.FromHours(8));
        Assert.Equal(3, Puts(peer));
    }

    [Fact]
    public async Task Nothing_delegated_decodes_to_null_for_both_null_and_empty_array_bodies()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        foreach (var ua in new[] { "fts-toolkit/0.1.0", "fts-python-bindings/3.13.0" })
        {
            using var ctx = await Fts3Context.CreateAsync(pki.Options(peer) with { UserAgent = ua });
            Assert.Null(await ctx.GetDelegationAsync());
        }

        // The peer answered "null" to the old agent and "[]" to the 3.12+ one, as the real server does.
        var gets = peer.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/delegation/", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { "fts-toolkit/0.1.0", "fts-python-bindings/3.13.0" }, gets.Select(g => g.UserAgent));
    }

    [Fact]
    public async Task Submission_before_delegation_is_419_and_auto_redelegation_retries_once()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        var job = Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("https://a.example.org/f1", "https://b.example.org/f1") });
        using (var ctx = await Fts3Context.CreateAsync(pki.Options(peer)))
        {
            var e = await Assert.ThrowsAsync<NeedDelegationException>(() => ctx.SubmitAsync(job, @delegate: false));
            Assert.Equal(419, e.StatusCode);
            Assert.Equal("No delegation found for " + FtsPeer.DelegationIdOf(Fts3Pki.UserDn, Array.Empty<string>()), e.Message);
            Assert.IsAssignableFrom<ClientErrorException>(e);
        }

        using (var ctx = await Fts3Context.CreateAsync(pki.Options(peer) with { AutoRedelegate = true }))
        {
            var id = await ctx.SubmitAsync(job, @delegate: false);
            Assert.NotNull(peer.GetJob(id));
            Assert.Equal(1, Puts(peer));
        }
    }

    [Fact]
    public async Task A_proxy_with_less_than_an_hour_left_is_419_and_delegate_replaces_it()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        await ctx.DelegateAsync(TimeSpan.FromMinutes(30));
        var job = Fts3Jobs.NewJob(new[] { Fts3Jobs.NewTransfer("https://a.example.org/f1", "https://b.example.org/f1") });
        var e = await Assert.ThrowsAsync<NeedDelegationException>(() => ctx.SubmitAsync(job, @delegate: false));
        Assert.Contains("has less than one hour left", e.Message);
        var id = await ctx.SubmitAsync(job); // 30 min < 2 h: delegates again first
        Assert.Equal("SUBMITTED", peer.GetJob(id)!["job_state"]!.GetValue<string>());
        Assert.Equal(2, Puts(peer));
    }

    [Fact]
    public async Task The_peer_refuses_a_chain_that_does_not_match_its_request_and_a_foreign_delegation_id()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        var id = (await ctx.WhoAmIAsync()).DelegationId!;
        var noRequest = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.Client.PutDelegationCredentialAsync(id, "x"));
        Assert.Equal("No credential cache found", noRequest.Message);
        _ = await ctx.Client.GetDelegationRequestAsync(id);

        // A proxy whose key is not the one of the request.
        using var user = pki.Pki.LoadUser();
        using var other = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = TimeSpan.FromHours(2) });
        var wrongKey = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.Client.PutDelegationCredentialAsync(id, other.ExportPem(false)));
        Assert.StartsWith("Could not process the proxy:", wrongKey.Message);
        var single = await Assert.ThrowsAsync<ClientErrorException>(() => ctx.Client.PutDelegationCredentialAsync(id, other.Certificate.ExportCertificatePem()));
        Assert.StartsWith("Could not process the proxy:", single.Message);

        var foreign = await Assert.ThrowsAsync<UnauthorizedException>(() => ctx.Client.GetDelegationAsync("0123456789abcdef"));
        Assert.Equal(403, foreign.StatusCode);
        Assert.Empty(peer.Credentials);
    }

    [Fact]
    public async Task Delegation_failures_are_client_errors_that_keep_the_servers_message()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        using var ctx = await Fts3Context.CreateAsync(pki.Options(peer));
        await ctx.DelegateAsync();
        var id = (await ctx.WhoAmIAsync()).DelegationId!;
        await ctx.Client.DeleteDelegationAsync(id);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => ctx.Client.DeleteDelegationAsync(id));
        Assert.Equal("Delegated credentials not found", missing.Message);
        Assert.Empty(peer.Credentials);
    }
}
