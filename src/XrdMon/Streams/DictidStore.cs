using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Toolkit.XrdMon.Streams;

/// <summary>
/// Bounded map from <see cref="DictidKey"/> to values (user, path, info string, server identity), with
/// least-recently-used order. Entries go when removed explicitly (disconnect frees a user, close frees a file),
/// when more than <see cref="Capacity"/> are held (the least recently used goes), or when not touched for
/// <see cref="TimeToLive"/> (checked on <see cref="Expire"/> and on every insert). Nodes live in arrays and are
/// reused, so steady-state churn allocates nothing. Each instance's entries are also chained together, so
/// <see cref="RemoveInstance"/> costs the entries of that instance, not the whole store.
/// </summary>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class DictidStore<TValue>
{
    private readonly Dictionary<DictidKey, int> _index;
    private readonly Dictionary<int, int> _instanceHeads = [];
    private Node[] _nodes;
    private int _head = -1;
    private int _tail = -1;
    private int _free = -1;
    private int _used;

    /// <summary>Creates a store.</summary>
    /// <param name="capacity">Most entries held at once (at least 1).</param>
    /// <param name="timeToLive">How long an entry lives without being touched.</param>
    public DictidStore(int capacity, TimeSpan timeToLive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        Capacity = capacity;
        TimeToLive = timeToLive;
        int initial = Math.Min(capacity, 1024);
        _index = new Dictionary<DictidKey, int>(initial);
        _nodes = new Node[initial];
    }

    /// <summary>Most entries held at once.</summary>
    public int Capacity { get; }

    /// <summary>How long an untouched entry lives.</summary>
    public TimeSpan TimeToLive { get; }

    /// <summary>Entries held now.</summary>
    public int Count => _index.Count;

    /// <summary>Entries dropped because the store was full.</summary>
    public long EvictedByCount { get; private set; }

    /// <summary>Entries dropped because they were not touched for <see cref="TimeToLive"/>.</summary>
    public long EvictedByAge { get; private set; }

    /// <summary>Entries removed explicitly.</summary>
    public long Removed { get; private set; }

    /// <summary>Adds or replaces an entry and marks it most recently used.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="now">The current time (any monotonic clock, in ticks of <see cref="TimeSpan"/>).</param>
    public void Set(DictidKey key, TValue value, long now)
    {
        Expire(now);
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, key, out bool found);
        if (found)
        {
            int existing = slot;
            _nodes[existing].Value = value;
            _nodes[existing].Touched = now;
            MoveToTail(existing);
            return;
        }

        // One hash lookup adds the key; the node array has room for one entry beyond the capacity, so the least
        // recently used entry can go after the new one is in.
        int n = Allocate();
        slot = n;
        _nodes[n] = new Node { Key = key, Value = value, Touched = now, Prev = -1, Next = -1, InstancePrev = -1 };
        Append(n);
        ref int head = ref CollectionsMarshal.GetValueRefOrAddDefault(_instanceHeads, key.Instance, out bool exists);
        _nodes[n].InstanceNext = exists ? head : -1;
        if (exists)
        {
            _nodes[head].InstancePrev = n;
        }

        head = n;
        if (_index.Count > Capacity)
        {
            EvictedByCount++;
            RemoveNode(_head);
        }
    }

    /// <summary>Looks an entry up and marks it most recently used.</summary>
    /// <param name="key">The key.</param>
    /// <param name="now">The current time in ticks.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(DictidKey key, long now, out TValue value)
    {
        if (_index.TryGetValue(key, out int n))
        {
            _nodes[n].Touched = now;
            MoveToTail(n);
            value = _nodes[n].Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Looks an entry up without changing its recency.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>True when found.</returns>
    public bool TryPeek(DictidKey key, out TValue value)
    {
        if (_index.TryGetValue(key, out int n))
        {
            value = _nodes[n].Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Removes an entry (the spec's removal rules: disconnect frees a user, close frees a file).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The removed value, when there was one.</param>
    /// <returns>True when an entry was removed.</returns>
    public bool Remove(DictidKey key, out TValue value)
    {
        if (_index.TryGetValue(key, out int n))
        {
            value = _nodes[n].Value;
            Removed++;
            RemoveNode(n);
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Removes every entry of one server instance (used when the instance restarts or is retired).</summary>
    /// <param name="instance">The instance number.</param>
    /// <returns>How many entries were removed.</returns>
    public int RemoveInstance(int instance)
    {
        int removed = 0;
        while (_instanceHeads.TryGetValue(instance, out int n))
        {
            RemoveNode(n);
            removed++;
        }

        Removed += removed;
        return removed;
    }

    /// <summary>Drops entries not touched since <paramref name="now"/> minus <see cref="TimeToLive"/>.</summary>
    /// <param name="now">The current time in ticks.</param>
    /// <returns>How many entries were dropped.</returns>
    public int Expire(long now)
    {
        long limit = now - TimeToLive.Ticks;
        int dropped = 0;
        while (_head >= 0 && _nodes[_head].Touched < limit)
        {
            RemoveNode(_head);
            dropped++;
        }

        EvictedByAge += dropped;
        return dropped;
    }

    private int Allocate()
    {
        if (_free >= 0)
        {
            int n = _free;
            _free = _nodes[n].Next;
            return n;
        }

        if (_used == _nodes.Length)
        {
            Array.Resize(ref _nodes, Math.Min(Math.Max(_nodes.Length * 2, 4), Math.Max(Capacity + 1, 4)));
        }

        return _used++;
    }

    private void RemoveNode(int n)
    {
        _index.Remove(_nodes[n].Key);
        Unlink(n);
        int prev = _nodes[n].InstancePrev;
        int next = _nodes[n].InstanceNext;
        if (next >= 0)
        {
            _nodes[next].InstancePrev = prev;
        }

        if (prev >= 0)
        {
            _nodes[prev].InstanceNext = next;
        }
        else if (next >= 0)
        {
            _instanceHeads[_nodes[n].Key.Instance] = next;
        }
        else
        {
            _instanceHeads.Remove(_nodes[n].Key.Instance);
        }

        _nodes[n] = new Node { Next = _free, Prev = -1 };
        _free = n;
    }

    private void MoveToTail(int n)
    {
        if (n == _tail)
        {
            return;
        }

        Unlink(n);
        Append(n);
    }

    private void Append(int n)
    {
        _nodes[n].Prev = _tail;
        _nodes[n].Next = -1;
        if (_tail >= 0)
        {
            _nodes[_tail].Next = n;
        }
        else
        {
            _head = n;
        }

        _tail = n;
    }

    private void Unlink(int n)
    {
        int prev = _nodes[n].Prev;
        int next = _nodes[n].Next;
        if (prev >= 0)
        {
            _nodes[prev].Next = next;
        }
        else
        {
            _head = next;
        }

        if (next >= 0)
        {
            _nodes[next].Prev = prev;
        }
        else
        {
            _tail = prev;
        }
    }

    private struct Node
    {
        public DictidKey Key;
        public TValue Value;
        public long Touched;
        public int Prev;
        public int Next;
        public int InstancePrev;
        public int InstanceNext;
    }
}
