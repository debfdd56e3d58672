using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.JAliEn.Connection;

/// <summary>
/// Up to <see cref="Size"/> connections for parallel work (the server runs one command at a time per session). The
/// pool keeps one cwd: a connection whose session is elsewhere is moved there with <c>cd</c> before it is used.
/// </summary>
public sealed class AlienConnectionPool : IAlienChannel, IAsyncDisposable
{
    private readonly AlienConnectionOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<AlienConnection> _idle = [];
    private readonly List<AlienConnection> _all = [];
    private readonly Lock _lock = new();
    private string _cwd;
    private string _home;

    private AlienConnectionPool(AlienConnectionOptions options, int size, AlienConnection first)
    {
        _options = options;
        Size = size;
        _slots = new SemaphoreSlim(size, size);
        _all.Add(first);
        _idle.Add(first);
        _cwd = first.CurrentDirectory;
        _home = first.HomeDirectory;
        First = first;
    }

    /// <summary>The most connections the pool opens.</summary>
    public int Size { get; }

    /// <summary>The first connection (opened eagerly, so a bad credential or endpoint fails at once).</summary>
    public AlienConnection First { get; }

    /// <summary>Connections opened so far.</summary>
    public int Opened
    {
        get
        {
            lock (_lock)
            {
                return _all.Count;
            }
        }
    }

    /// <inheritdoc />
    public string CurrentDirectory => Volatile.Read(ref _cwd);

    /// <inheritdoc />
    public string HomeDirectory => _home;

    /// <summary>Opens the first connection; the others are opened when parallel work needs them.</summary>
    /// <param name="options">Connection settings (with a fixed endpoint and credentials, every connection uses the same).</param>
    /// <param name="size">The most connections, at least 1.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The pool.</returns>
    public static async Task<AlienConnectionPool> CreateAsync(AlienConnectionOptions options, int size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var first = await AlienConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        var fixedOptions = new AlienConnectionOptions
        {
            Environment = options.Environment,
            Endpoint = first.Endpoint,
            Credentials = options.Credentials,
            TrustStore = options.TrustStore,
            InsecureSkipServerVerification = options.InsecureSkipServerVerification,
            ConnectTries = options.ConnectTries,
            ConnectTriesInterval = options.ConnectTriesInterval,
            NetworkStack = options.NetworkStack,
            NoStagger = options.NoStagger,
            SocketConnectTimeout = options.SocketConnectTimeout,
            OpenTimeout = options.OpenTimeout,
            SendTimeout = options.SendTimeout,
            ReceiveTimeout = options.ReceiveTimeout,
            KeepAlive = options.KeepAlive,
            MaxReplyBytes = options.MaxReplyBytes,
            Site = options.Site,
            RefreshToken = false,
            Passphrase = options.Passphrase,
            UserAgent = options.UserAgent,
            Logger = options.Logger,
            TimeProvider = options.TimeProvider,
        };
        return new AlienConnectionPool(fixedOptions, size, first);
    }

    /// <inheritdoc />
    public async Task<ReadOnlyMemory<byte>> SendAsync(AlienCommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        AlienConnection? connection = null;
        try
        {
            connection = await RentAsync(cancellationToken).ConfigureAwait(false);
            string cwd = CurrentDirectory;
            if (cwd.Length > 0 && connection.CurrentDirectory != cwd && line.Command != "cd")
            {
                await connection.SendAsync(new AlienCommandLine("cd", [cwd]), cancellationToken).ConfigureAwait(false);
            }
            var reply = await connection.SendAsync(line, cancellationToken).ConfigureAwait(false);
            if (line.Command == "cd")
            {
                Volatile.Write(ref _cwd, connection.CurrentDirectory);
            }
            return reply;
        }
        finally
        {
            if (connection is not null)
            {
                _idle.Add(connection);
            }
            _slots.Release();
        }
    }

    private async Task<AlienConnection> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out var idle))
        {
            return idle;
        }
        // A slot is held and no idle connection exists, so fewer than Size are open: open one more.
        var connection = await AlienConnection.ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _all.Add(connection);
        }
        return connection;
    }

    /// <summary>Closes every connection.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        List<AlienConnection> all;
        lock (_lock)
        {
            all = [.. _all];
            _all.Clear();
        }
        foreach (var connection in all)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        _slots.Dispose();
    }
}
