using System;
using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Tests;

public class DictidStoreTests
{
    private static readonly long Sec = TimeSpan.TicksPerSecond;

    [Fact]
    public void Count_bound_evicts_the_least_recently_used()
    {
        var s = new DictidStore<string>(3, TimeSpan.FromHours(1));
        s.Set(new(1, 1), "a", 0);
        s.Set(new(1, 2), "b", 0);
        s.Set(new(1, 3), "c", 0);
        Assert.True(s.TryGet(new(1, 1), 1, out _)); // 1 is now most recent
        s.Set(new(1, 4), "d", 2);
        Assert.Equal(3, s.Count);
        Assert.False(s.TryGet(new(1, 2), 3, out _));
        Assert.True(s.TryGet(new(1, 1), 3, out string? v));
        Assert.Equal("a", v);
        Assert.Equal(1, s.EvictedByCount);
    }

    [Fact]
    public void Time_bound_expires_untouched_entries_and_instances_are_separate()
    {
        var s = new DictidStore<string>(100, TimeSpan.FromSeconds(10));
        s.Set(new(1, 7), "one", 0);
        s.Set(new(2, 7), "two", 5 * Sec);
        Assert.True(s.TryGet(new(2, 7), 6 * Sec, out string? v));
        Assert.Equal("two", v);
        Assert.Equal(1, s.Expire(12 * Sec));
        Assert.False(s.TryGet(new(1, 7), 12 * Sec, out _));
        Assert.True(s.TryGet(new(2, 7), 12 * Sec, out _));
        Assert.Equal(1, s.EvictedByAge);
    }

    [Fact]
    public void Remove_and_remove_instance_free_entries_and_nodes_are_reused()
    {
        var s = new DictidStore<int>(1000, TimeSpan.FromHours(1));
        for (uint i = 0; i < 100; i++)
        {
            s.Set(new(1 + (int)(i % 2), i), (int)i, 0);
        }

        Assert.True(s.Remove(new(1, 0), out int removed));
        Assert.Equal(0, removed);
        Assert.False(s.Remove(new(1, 0), out _));
        Assert.Equal(49, s.RemoveInstance(1));
        Assert.Equal(50, s.Count);

        // Churn far beyond capacity stays bounded.
        var churn = new DictidStore<int>(64, TimeSpan.FromHours(1));
        for (uint i = 0; i < 100_000; i++)
        {
            churn.Set(new(3, i), 1, i);
            if ((i & 1) == 0)
            {
                churn.Remove(new(3, i), out _);
            }
        }

        Assert.True(churn.Count <= 64);
        Assert.True(churn.TryGet(new(3, 99_999), 100_000, out _));
    }
}
