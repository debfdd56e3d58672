using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.DataDispatcher;

/// <summary>
/// The Data Dispatcher client: the methods of the Python <c>DataDispatcherClient</c>, typed, over the generated
/// <see cref="DataServerClient"/> and <see cref="AuthServerClient"/>. Every request carries the token header and
/// is retried on 503 only, with random exponential backoff (1 s, ×1.5, jittered) inside <see cref="DataDispatcherClientOptions.Timeout"/>.
/// </summary>
/// <remarks>Thread-safe. Tokens and passwords are never logged.</remarks>
public sealed partial class DataDispatcherClient : IDisposable
{
    /// <summary>The default worker id file name (in the current directory).</summary>
    public const string DefaultWorkerIdFile = ".data_dispatcher_worker_id";

    /// <summary>The seed's default idle timeout of new projects: 72 hours.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromHours(72);

    private readonly HttpMessageHandler _transport;
    private readonly bool _disposeTransport;
    private readonly HttpClient _dataHttp;
    private readonly HttpClient _authHttp;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly Func<string, string?> _env;
    private readonly string _cwd;
    private readonly object _gate = new();
    private readonly DataDispatcherClientOptions _options;
    private TokenLibrary? _library;
    private DateTime? _libraryStamp;
    private string? _token;
    private string? _workerId;

    /// <summary>Creates a client with its own HTTP transport (TLS settings from <see cref="DataDispatcherClientOptions.Tls"/>).</summary>
    /// <param name="options">Settings; defaults (environment variables) when null.</param>
    /// <exception cref="ArgumentException">No server URL anywhere.</exception>
    public DataDispatcherClient(DataDispatcherClientOptions? options = null)
        : this(options, null, disposeTransport: true)
    {
    }

    /// <summary>Creates a client over a caller-supplied transport (tests, proxies, custom TLS).</summary>
    /// <param name="options">Settings; defaults (environment variables) when null.</param>
    /// <param name="transport">The innermost handler; a <see cref="GridTls"/> handler when null.</param>
    /// <param name="disposeTransport">Whether disposing the client disposes <paramref name="transport"/>.</param>
    /// <exception cref="ArgumentException">No server URL anywhere.</exception>
    public DataDispatcherClient(DataDispatcherClientOptions? options, HttpMessageHandler? transport, bool disposeTransport = false)
    {
        _options = options ?? new DataDispatcherClientOptions();
        _env = _options.Environment ?? Environment.GetEnvironmentVariable;
        _cwd = _options.CurrentDirectory ?? Directory.GetCurrentDirectory();
        _time = _options.TimeProvider ?? TimeProvider.System;
        _random = _options.Random ?? Random.Shared.NextDouble;
        if (_options.Timeout <= TimeSpan.Zero && _options.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("the timeout must be positive", nameof(options));
        }

        ServerUrl = _options.ServerUrl ?? _env(DataDispatcherClientOptions.ServerUrlVariable)
            ?? throw new ArgumentException("no Data Dispatcher server URL: set ServerUrl or " + DataDispatcherClientOptions.ServerUrlVariable, nameof(options));
        AuthServerUrl = _options.AuthServerUrl ?? _env(DataDispatcherClientOptions.AuthServerUrlVariable) ?? ServerUrl.TrimEnd('/') + "/auth";
        if (!Uri.TryCreate(ServerUrl, UriKind.Absolute, out var dataUri) || dataUri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("the server URL '" + ServerUrl + "' is not an absolute http(s) URL", nameof(options));
        }

        if (!Uri.TryCreate(AuthServerUrl, UriKind.Absolute, out var authUri) || authUri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("the auth server URL '" + AuthServerUrl + "' is not an absolute http(s) URL", nameof(options));
        }

        _transport = transport ?? GridTls.CreateHttpHandler(_options.Tls ?? new GridTlsOptions());
        _disposeTransport = transport is null || disposeTransport;
        _workerId = _options.WorkerId;
        _token = _options.Token;
        _dataHttp = CreateHttp(_transport, withToken: true);
        _authHttp = CreateHttp(_transport, withToken: true);
        Data = new DataServerClient(_dataHttp, new DataServerClientOptions { BaseAddress = dataUri, Logger = _options.Logger });
        Auth = new AuthServerClient(_authHttp, new AuthServerClientOptions { BaseAddress = authUri, Logger = _options.Logger });
    }

    /// <summary>The data server URL, exactly as given (also the token library key).</summary>
    public string ServerUrl { get; }

    /// <summary>The auth server URL.</summary>
    public string AuthServerUrl { get; }

    /// <summary>The CPU site sent with next_file unless a call names another.</summary>
    public string CpuSite => _options.CpuSite;

    /// <summary>The generated data server client (same pipeline: token header, 503 retry).</summary>
    public DataServerClient Data { get; }

    /// <summary>The generated auth server client (same pipeline).</summary>
    public AuthServerClient Auth { get; }

    /// <summary>
    /// The worker id: the explicit one, else the content of the worker id file, else a new
    /// <see cref="GenerateWorkerId"/> written to that file (done on first use, not at construction).
    /// </summary>
    public string WorkerId
    {
        get
        {
            lock (_gate)
            {
                if (_workerId is null)
                {
                    var file = WorkerIdFilePath(null);
                    if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } stored)
                    {
                        _workerId = stored;
                    }
                    else
                    {
                        _workerId = GenerateWorkerId();
                        File.WriteAllText(file, _workerId);
                    }
                }

                return _workerId;
            }
        }
    }

    /// <summary>The token library (opened, and created if none exists, on first use).</summary>
    public TokenLibrary TokenLibrary
    {
        get
        {
            lock (_gate)
            {
                return _library ??= new TokenLibrary(_options.TokenLibrary, _time, _env, _cwd);
            }
        }
    }

    /// <summary>
    /// The current token: the explicit one, else the token file, else the library's entry for
    /// <see cref="ServerUrl"/>; re-read when expired or when the library file changed. Null when none.
    /// </summary>
    /// <returns>The encoded token or null.</returns>
    public string? CurrentToken()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_token is not null && !Expired(_token, now) && !LibraryChanged())
            {
                return _token;
            }

            if (_options.Token is { } explicitToken && !Expired(explicitToken, now))
            {
                _token = explicitToken;
            }
            else if (_options.TokenFile is { } file && File.Exists(file))
            {
                _token = File.ReadAllText(file).Trim();
            }
            else
            {
                var lib = _library ??= new TokenLibrary(_options.TokenLibrary, _time, _env, _cwd);
                _libraryStamp = lib.LastWriteTimeUtc();
                _token = lib.Get(ServerUrl);
            }

            return _token;
        }
    }

    /// <summary>A random worker id: <paramref name="prefix"/> and 8 hex digits of a UUID4 (the seed's <c>random_worker_id</c>).</summary>
    /// <param name="prefix">Prepended text.</param>
    /// <returns>The id.</returns>
    public static string RandomWorkerId(string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix + Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>
    /// The seed's <c>gen_worker_id</c>: 8 hex digits from the bytes of a UUID4. (The seed's XOR fold only ever
    /// visits the first 4 bytes, so the result is those bytes in hex.)
    /// </summary>
    /// <returns>The id.</returns>
    public static string GenerateWorkerId()
    {
        Span<byte> u = stackalloc byte[16];
        RandomNumberGenerator.Fill(u);
        u[6] = (byte)((u[6] & 0x0F) | 0x40);
        u[8] = (byte)((u[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(u[..4]);
    }

    /// <summary>Sets (or generates) the worker id and writes it to the worker id file (the seed's <c>new_worker_id</c>).</summary>
    /// <param name="newId">The id; a <see cref="GenerateWorkerId"/> value when null.</param>
    /// <param name="workerIdFile">The file; the configured one (default <c>./.data_dispatcher_worker_id</c>) when null.</param>
    /// <returns>The id now in use.</returns>
    public string NewWorkerId(string? newId = null, string? workerIdFile = null)
    {
        var id = newId ?? GenerateWorkerId();
        if (id.Length == 0 || id.Contains('&', StringComparison.Ordinal) || id.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("worker id '" + id + "' is empty or contains '&' or a space", nameof(newId));
        }

        lock (_gate)
        {
            File.WriteAllText(WorkerIdFilePath(workerIdFile), id);
            _workerId = id;
        }

        return id;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _dataHttp.Dispose();
        _authHttp.Dispose();
        if (_disposeTransport)
        {
            _transport.Dispose();
        }
    }

    private string WorkerIdFilePath(string? explicitFile) => Path.GetFullPath(explicitFile ?? _options.WorkerIdFile ?? DefaultWorkerIdFile, _cwd);

    private bool LibraryChanged()
    {
        if (_library is null || _options.Token is not null || _options.TokenFile is not null)
        {
            return false;
        }

        return _library.LastWriteTimeUtc() != _libraryStamp;
    }

    private static bool Expired(string token, DateTimeOffset now)
        => JwtInfo.TryParse(token, out var info) && info!.ExpiresAt is { } exp && exp <= now;

    private RetryPolicy Policy() => new()
    {
        MaxAttempts = int.MaxValue,
        InitialDelay = TimeSpan.FromSeconds(1),
        Multiplier = 1.5,
        MaxDelay = TimeSpan.FromDays(1),
        Budget = _options.Timeout == Timeout.InfiniteTimeSpan ? null : _options.Timeout,
        Jitter = true,
        RespectRetryAfter = false,
        RetryStatusCodes = new HashSet<int> { 503 },
    };

    private HttpClient CreateHttp(HttpMessageHandler transport, bool withToken, params DelegatingHandler[] extra)
    {
        var handlers = new List<DelegatingHandler> { new RetryHandler(Policy(), _time, _options.Logger, _random) };
        if (withToken)
        {
            handlers.Add(new TokenHeaderHandler(CurrentToken));
        }

        handlers.AddRange(extra);
        // The per-attempt timeout is a network timeout: always wall-clock time (the injected clock drives the backoff and waits).
        handlers.Add(new AttemptTimeoutHandler(_options.Timeout, TimeProvider.System));
        return new HttpClient(HttpPipeline.Create(transport, handlers.ToArray()), disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        => delay > TimeSpan.Zero ? Task.Delay(delay, _time, cancellationToken) : Task.CompletedTask;
}
