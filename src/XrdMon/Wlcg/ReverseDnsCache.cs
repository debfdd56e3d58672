using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.XrdMon.Wlcg;

/// <summary>Limits of a <see cref="ReverseDnsCache"/>.</summary>
public sealed class ReverseDnsOptions
{
    /// <summary>How long a resolved name is kept (the OSG collector's <c>dns_cache_ttl</c>, default one hour).</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a failed or timed-out lookup is remembered before it is tried again.</summary>
    public TimeSpan NegativeTtl { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one lookup may take (the OSG collector's <c>dns_timeout</c>, default 2 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Addresses held at most (resolved and failed); expired ones go first, then the oldest half.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Lookups running at once (the OSG collector's <c>enrichment_workers</c>); a lookup that hangs holds its slot.</summary>
    public int MaxConcurrent { get; init; } = 8;

    /// <summary>Lookups waiting for a slot at most; beyond that an address is not looked up now (counted) and is tried again by a later record.</summary>
    public int MaxPending { get; init; } = 10_000;
}

/// <summary>
/// Reverse DNS names of IP addresses for the WLCG records, looked up in the background: <see cref="TryGet"/> never
/// waits. It answers from a bounded TTL cache; on a miss it starts one lookup for the address and returns null, so
/// the caller writes the address (or leaves the field as it is) and later records get the name. Names come as the
/// resolver gives them, trailing dot removed; IPv4-mapped IPv6 addresses are looked up as IPv4.
/// </summary>
public sealed class ReverseDnsCache : IDisposable
{
    private readonly ReverseDnsOptions _options;
    private readonly Func<IPAddress, CancellationToken, Task<string?>> _resolve;
    private readonly ConcurrentDictionary<IPAddress, Entry> _cache = new();
    private readonly ConcurrentDictionary<IPAddress, byte> _inFlight = new();
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<long> _now;
    private long _hits, _misses, _lookups, _resolved, _failed, _timeouts, _skipped;
    private int _pending;

    /// <summary>Creates a cache.</summary>
    /// <param name="options">Its limits (null: the defaults).</param>
    /// <param name="resolve">The lookup: a name or null (null: the system resolver, <see cref="Dns.GetHostEntryAsync(IPAddress)"/>).</param>
    /// <param name="now">A clock in <see cref="Environment.TickCount64"/> milliseconds (tests).</param>
    public ReverseDnsCache(ReverseDnsOptions? options = null, Func<IPAddress, CancellationToken, Task<string?>>? resolve = null, Func<long>? now = null)
    {
        _options = options ?? new ReverseDnsOptions();
        if (_options.MaxEntries < 1 || _options.MaxConcurrent < 1 || _options.MaxPending < 1 || _options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ReverseDnsOptions: MaxEntries, MaxConcurrent, MaxPending and Timeout must be positive");
        }

        _resolve = resolve ?? SystemResolve;
        _now = now ?? (() => Environment.TickCount64);
        _slots = new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent);
    }

    /// <summary>Answers from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Answers not in the cache (a lookup started or already running).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Lookups started.</summary>
    public long Lookups => Interlocked.Read(ref _lookups);

    /// <summary>Lookups that gave a name.</summary>
    public long Resolved => Interlocked.Read(ref _resolved);

    /// <summary>Lookups that gave no name or failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Lookups that took longer than <see cref="ReverseDnsOptions.Timeout"/>.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Misses not looked up because <see cref="ReverseDnsOptions.MaxPending"/> lookups were waiting.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Addresses in the cache.</summary>
    public int Count => _cache.Count;

    /// <summary>Lookups started and not finished.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>The name of an address if it is known, else null (and a lookup is started). Never waits.</summary>
    /// <param name="address">An IP address as text (IPv6 with or without brackets, with or without a zone).</param>
    /// <returns>The name, or null: not an address, not resolved yet, or no name.</returns>
    public string? TryGet(string address)
    {
        IPAddress? ip = Parse(address);
        if (ip is null)
        {
            return null;
        }

        long now = _now();
        if (_cache.TryGetValue(ip, out Entry entry) && entry.Expires > now)
        {
            Interlocked.Increment(ref _hits);
            return entry.Name;
        }

        Interlocked.Increment(ref _misses);
        if (!_stop.IsCancellationRequested && _inFlight.TryAdd(ip, 0))
        {
            if (Interlocked.Increment(ref _pending) > _options.MaxPending)
            {
                Interlocked.Decrement(ref _pending);
                _inFlight.TryRemove(ip, out _);
                Interlocked.Increment(ref _skipped);
            }
            else
            {
                _ = Task.Run(() => LookupAsync(ip));
            }
        }

        return null;
    }

    /// <summary>The address of <c>HOST</c>, <c>[IPv6]</c> or <c>IPv6%zone</c>, IPv4-mapped IPv6 as IPv4; null if it is not an address.</summary>
    internal static IPAddress? Parse(string text)
    {
        string t = text.Trim().Trim('[', ']');
        int zone = t.IndexOf('%', StringComparison.Ordinal);
        if (zone >= 0)
        {
            t = t[..zone];
        }

        if (t.Length == 0 || !IPAddress.TryParse(t, out IPAddress? ip))
        {
            return null;
        }

        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
    }

    private async Task LookupAsync(IPAddress ip)
    {
        string? name = null;
        bool timedOut = false;
        try
        {
            await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _pending);
            _inFlight.TryRemove(ip, out _);
            return;
        }

        Interlocked.Decrement(ref _pending);
        Interlocked.Increment(ref _lookups);
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.Timeout);
        CancellationToken token = timeout.Token;

        // On its own task, so a resolver that blocks its thread cannot hold up the timeout.
        Task<string?> lookup = Task.Run(() => _resolve(ip, token), CancellationToken.None);

        // The slot is held until the lookup itself ends, so a resolver that ignores cancellation cannot pile up work.
        _ = lookup.ContinueWith(
            (_, s) =>
            {
                ((SemaphoreSlim)s!).Release();
                timeout.Dispose();
            },
            _slots, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            name = await lookup.WaitAsync(_options.Timeout, _stop.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            timedOut = true;
        }
        catch (OperationCanceledException)
        {
            timedOut = !_stop.IsCancellationRequested;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            name = null; // a failed lookup: no name (counted)
        }

        name = name?.TrimEnd('.');
        if (string.IsNullOrEmpty(name))
        {
            name = null;
        }

        Store(ip, name); // before the counters, so a reader that sees a count also finds the entry

        if (timedOut)
        {
            Interlocked.Increment(ref _timeouts);
        }
        else if (name is null)
        {
            Interlocked.Increment(ref _failed);
        }
        else
        {
            Interlocked.Increment(ref _resolved);
        }

        _inFlight.TryRemove(ip, out _);
    }

    private void Store(IPAddress ip, string? name)
    {
        long now = _now();
        if (_cache.Count >= _options.MaxEntries && !_cache.ContainsKey(ip))
        {
            foreach (var kv in _cache)
            {
                if (kv.Value.Expires <= now)
                {
                    _cache.TryRemove(kv.Key, out _);
                }
            }

            if (_cache.Count >= _options.MaxEntries)
            {
                var all = _cache.ToArray();
                Array.Sort(all, static (a, b) => a.Value.Expires.CompareTo(b.Value.Expires));
                for (int i = 0; i < all.Length / 2 + 1 && i < all.Length; i++)
                {
                    _cache.TryRemove(all[i].Key, out _);
                }
            }
        }

        TimeSpan ttl = name is null ? _options.NegativeTtl : _options.Ttl;
        _cache[ip] = new Entry(name, now + (long)ttl.TotalMilliseconds);
    }

    private static async Task<string?> SystemResolve(IPAddress ip, CancellationToken cancellationToken)
    {
        try
        {
            IPHostEntry entry = await Dns.GetHostEntryAsync(ip.ToString(), cancellationToken).ConfigureAwait(false);
            return entry.HostName;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>Stops starting lookups; running ones end on their own.</summary>
    public void Dispose()
    {
        _stop.Cancel();
    }

    private readonly record struct Entry(string? Name, long Expires);
}
