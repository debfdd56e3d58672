using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>Reverse DNS enrichment of the WLCG records: in the background, cached, bounded, with timeouts.</summary>
public sealed class ReverseDnsTests
{
    private static void WaitFor(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            Thread.Sleep(5);
        }
    }

    [Fact]
    public void A_record_before_the_lookup_ends_keeps_the_address_and_later_records_get_the_name()
    {
        var gate = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = new ConcurrentQueue<IPAddress>();
        using var names = new ReverseDnsCache(resolve: (ip, _) =>
        {
            asked.Enqueue(ip);
            return ip.Equals(IPAddress.Parse("192.0.2.10")) ? gate.Task : Task.FromResult<string?>("wn7.physics.example.edu.");
        });
        string first = WlcgFilterTests.Summary(1, "cms", "/store/a", clientHost: "[::ffff:198.51.100.7]", serverHost: null);
        string second = WlcgFilterTests.Summary(2, "cms", "/store/b", clientHost: "198.51.100.7", serverHost: null);
        List<JsonElement> wlcg = WlcgFilterTests.Tap(new WlcgOptions(), [first], names).Wlcg;
        Assert.Equal("192.0.2.10", wlcg[0].GetProperty("server_host").GetString());
        Assert.Equal(string.Empty, wlcg[0].GetProperty("server_domain").GetString());
        Assert.Equal("[::ffff:198.51.100.7]", wlcg[0].GetProperty("client_host").GetString());
        WaitFor(() => names.Resolved == 1);
        gate.SetResult("xrd-a.example.org.");
        WaitFor(() => names.Resolved == 2 && names.InFlight == 0);
        wlcg = WlcgFilterTests.Tap(new WlcgOptions(), [second, first], names).Wlcg;
        Assert.All(wlcg, w => Assert.Equal("xrd-a.example.org", w.GetProperty("server_host").GetString()));
        Assert.All(wlcg, w => Assert.Equal("example.org", w.GetProperty("server_domain").GetString()));
        Assert.All(wlcg, w => Assert.Equal("example.edu", w.GetProperty("client_domain").GetString()));
        Assert.Equal("198.51.100.7", wlcg[0].GetProperty("client_host").GetString()); // the host field itself stays as the record has it
        Assert.Equal(2, asked.Count); // one lookup per address: the IPv4-mapped client was looked up as IPv4 and shared
        Assert.Contains(IPAddress.Parse("198.51.100.7"), asked);
        Assert.Equal(2, names.Lookups);
    }

    [Fact]
    public void A_resolved_name_replaces_the_servers_own_host_name_and_names_are_not_looked_up()
    {
        using var names = new ReverseDnsCache(resolve: (_, _) => Task.FromResult<string?>("dns-name.example.net"));
        string s = WlcgFilterTests.Summary(1, "cms", "/store/a", clientHost: "wn1.example.org", serverHost: "xrd1.cern.ch");
        Assert.Equal("xrd1.cern.ch", WlcgFilterTests.Tap(new WlcgOptions(), [s], names).Wlcg[0].GetProperty("server_host").GetString());
        WaitFor(() => names.Resolved == 1);
        JsonElement w = WlcgFilterTests.Tap(new WlcgOptions(), [s], names).Wlcg[0];
        Assert.Equal("dns-name.example.net", w.GetProperty("server_host").GetString());
        Assert.Equal("example.org", w.GetProperty("client_domain").GetString());
        Assert.Equal(1, names.Lookups);
        Assert.Null(names.TryGet("wn1.example.org"));
        Assert.Equal(1, names.Lookups);
    }

    [Fact]
    public void The_consumer_never_waits_for_a_resolver_that_blocks_and_a_hung_lookup_times_out_and_holds_its_slot()
    {
        using var release = new ManualResetEventSlim();
        int calls = 0;
        using var names = new ReverseDnsCache(new ReverseDnsOptions { Timeout = TimeSpan.FromMilliseconds(100), MaxConcurrent = 1 }, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None); // synchronous and deaf to cancellation, like a stuck getnameinfo
            return Task.FromResult<string?>("late.example.org");
        });
        Assert.Null(names.TryGet("192.0.2.1"));
        WaitFor(() => names.Lookups == 1); // 192.0.2.1 holds the only slot before 192.0.2.2 asks (lookups start on the thread pool, in any order)
        Assert.Null(names.TryGet("192.0.2.2"));
        WaitFor(() => names.Timeouts == 1);
        Thread.Sleep(300);
        Assert.Equal(1, Volatile.Read(ref calls)); // the second lookup waits for the slot the hung one holds
        Assert.Null(names.TryGet("192.0.2.1")); // a timeout is remembered (NegativeTtl): no new lookup
        Assert.Equal(2, names.Misses);
        Assert.Equal(1, names.Hits);
        release.Set();
        WaitFor(() => names.Resolved == 1 && names.InFlight == 0);
        Assert.Equal("late.example.org", names.TryGet("192.0.2.2"));
        Assert.Null(names.TryGet("192.0.2.1"));
        Assert.Equal(2, names.Lookups);
    }

    [Fact]
    public void Entries_expire_after_their_ttl_and_the_cache_stays_bounded()
    {
        long now = 0;
        int calls = 0;
        using var names = new ReverseDnsCache(new ReverseDnsOptions { Ttl = TimeSpan.FromSeconds(10), NegativeTtl = TimeSpan.FromSeconds(1), MaxEntries = 8 },
            (ip, _) =>
            {
                Interlocked.Increment(ref calls);
                return Task.FromResult<string?>(ip.GetAddressBytes()[3] % 2 == 0 ? "h" + ip.GetAddressBytes()[3] + ".example.org" : null);
            },
            () => Volatile.Read(ref now));
        Assert.Null(names.TryGet("10.0.0.2"));
        WaitFor(() => names.Resolved == 1 && names.InFlight == 0); // the count comes before the address leaves the in-flight set: a miss in between starts no new lookup
        Assert.Equal("h2.example.org", names.TryGet("10.0.0.2"));
        Volatile.Write(ref now, 9_999);
        Assert.Equal("h2.example.org", names.TryGet("10.0.0.2"));
        Volatile.Write(ref now, 10_000);
        Assert.Null(names.TryGet("10.0.0.2"));
        WaitFor(() => names.Resolved == 2);
        Assert.Equal(2, calls);
        for (int i = 10; i < 40; i++)
        {
            names.TryGet("10.0.0." + i);
            WaitFor(() => names.InFlight == 0);
            Assert.InRange(names.Count, 1, 8);
        }

        Assert.Equal(15, names.Failed);
        Assert.Null(names.TryGet("not-an-address"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReverseDnsCache(new ReverseDnsOptions { MaxEntries = 0 }));
    }

    [Fact]
    public void The_system_resolver_names_the_loopback_address_as_etc_hosts_does()
    {
        var expected = File.ReadAllLines("/etc/hosts").Select(l => l.Split('#')[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 1 && f[0] == "127.0.0.1").SelectMany(f => f.Skip(1)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.NotEmpty(expected);
        using var names = new ReverseDnsCache();
        Assert.Null(names.TryGet("127.0.0.1"));
        WaitFor(() => names.InFlight == 0);
        Assert.Equal(1, names.Resolved);
        Assert.Contains(names.TryGet("127.0.0.1")!, expected);
        Assert.Equal(1, names.Hits);
    }
}
