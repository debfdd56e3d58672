using System;
using System.Linq;
using System.Threading.Tasks;
using Toolkit.DataDispatcher;

namespace Toolkit.DataDispatcher.Tests;

public sealed class RetryTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public async Task Retries_503_with_random_exponential_backoff_and_succeeds()
    {
        var clock = new TestClock();
        using var client = fx.Client(fx.AliceToken, clock, random: () => 0.5);
        fx.Peer.Fail503(4);
        Assert.Equal("2.0.3", await client.VersionAsync());
        // interval 1, 1.5, 2.25, 3.375 (x1.5), each wait random * interval with random = 0.5.
        var expected = new[] { 0.5, 0.75, 1.125, 1.6875 };
        Assert.Equal(expected.Length, clock.Delays.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], clock.Delays[i].TotalSeconds, 0.001);
        }
    }

    [Fact]
    public async Task Backoff_stays_within_the_bounds_for_any_random_source()
    {
        var rng = new Random(1234);
        for (var round = 0; round < 5; round++)
        {
            var clock = new TestClock();
            using var client = fx.Client(fx.AliceToken, clock, random: rng.NextDouble);
            fx.Peer.Fail503(6);
            Assert.Equal("2.0.3", await client.VersionAsync());
            var delays = clock.Delays;
            Assert.Equal(6, delays.Count);
            for (var i = 0; i < delays.Count; i++)
            {
                Assert.InRange(delays[i].TotalSeconds, 0, Math.Pow(1.5, i) + 1e-9);
            }
        }
    }

    [Fact]
    public async Task Budget_is_the_client_timeout_then_the_503_surfaces_typed()
    {
        var clock = new TestClock();
        using var client = fx.Client(fx.AliceToken, clock, random: () => 1.0 - 1e-12, timeout: TimeSpan.FromSeconds(10));
        fx.Peer.Fail503(1000);
        try
        {
            var e = await Assert.ThrowsAsync<DataDispatcherUnavailableException>(() => client.GetProjectAsync(1));
            Assert.Equal(503, e.StatusCode);
            Assert.Equal("Service Unavailable", e.Message);
            // 1 + 1.5 + 2.25 + 3.375 = 8.125, then the last wait is cut to the remaining 1.875 s.
            Assert.Equal(10, clock.Elapsed.TotalSeconds, 3);
            Assert.InRange(clock.Delays[^1].TotalSeconds, 1.87, 1.88);
        }
        finally
        {
            fx.Peer.Fail503(0);
        }
    }

    [Fact]
    public async Task Only_503_is_retried()
    {
        var clock = new TestClock();
        using var client = fx.Client(fx.AliceToken, clock);
        await Assert.ThrowsAsync<DataDispatcherNotFoundException>(() => client.CancelProjectAsync(55555));
        Assert.Empty(clock.Delays);
        using var anonymous = fx.Client(clock: clock);
        await Assert.ThrowsAsync<DataDispatcherUnauthorizedException>(() => anonymous.ListProjectsAsync());
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task Logins_and_posts_are_retried_too()
    {
        var clock = new TestClock();
        using var client = fx.Client(clock: clock, random: () => 0.5);
        fx.Peer.Fail503(2);
        Assert.Equal("alice", (await client.LoginDigestAsync("alice", "alice-pw")).User);
        fx.Peer.Fail503(1);
        var p = await client.CreateProjectAsync(["retry:1"]);
        Assert.Single(p.FileHandles!);
        Assert.Equal(3, clock.Delays.Count);
    }
}
