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
/// <see cref="DataServerClient"/> and <see cref="AuthServerClient"/>. It follows the toolkit's REST facade pattern
/// (docs/rest-clients.md): an options record, two ways to get the HTTP client (its own, or the caller's), Runtime's
/// handlers only, and one exception root, <see cref="DataDispatcherException"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="DataDispatcherClient(DataDispatcherClientOptions)"/> builds its own <see cref="HttpClient"/> and disposes
/// it: a <see cref="GridTls"/> transport (<see cref="DataDispatcherClientOptions.Tls"/>), Runtime's
/// <see cref="RetryHandler"/> (503 with random exponential backoff within <see cref="DataDispatcherClientOptions.Timeout"/>
/// unless <see cref="DataDispatcherClientOptions.Retry"/> says otherwise), <see cref="BearerTokenHandler"/> (the current
/// token in <c>X-Authentication-Token</c>) and <see cref="TimeoutHandler"/> (each attempt).
/// <see cref="DataDispatcherClient(HttpClient, DataDispatcherClientOptions)"/> sends through the caller's client as it
/// is and never disposes it.
/// </para>
/// <para>Thread-safe. Tokens and passwords are never logged. Every public instance member is virtual, for mocks.</para>
/// </remarks>
public partial class DataDispatcherClient : IDisposable
{
    /// <summary>The default worker id file name (in the current directory).</summary>
    public const string DefaultWorkerIdFile = ".data_dispatcher_worker_id";

    /// <summary>The seed's default idle timeout of new projects: 72 hours.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromHours(72);

    /// <summary>The option named when a response is larger than the maximum response size.</summary>
    private const string MaxResponseOption = "DataDispatcherClientOptions.MaxResponseBytes";

    private readonly HttpMessageHandler? _transport;
    private readonly HttpClient? _ownHttp;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly Func<string, string?> _env;
    private readonly string _cwd;
    private readonly object _gate = new();
    private readonly DataDispatcherClientOptions _options;
    private readonly RetryPolicy _retry;
    private TokenLibrary? _library;
    private DateTime? _libraryStamp;
    private string? _token;
    private string? _workerId;

    /// <summary>
    /// Creates a client with an HTTP client of its own (see the remarks), which <see cref="Dispose()"/> disposes. No I/O:
    /// the token, the worker id and the token library are read on first use.
    /// </summary>
    /// <param name="options">Settings; <see cref="DataDispatcherClientOptions.ServerUrl"/> is required (see <see cref="DataDispatcherClientOptions.FromEnvironment"/>).</param>
    /// <exception cref="ArgumentException">No server URL, a URL that is not http(s), or a timeout that is not positive.</exception>
    public DataDispatcherClient(DataDispatcherClientOptions options)
        : this(options, null)
    {
    }

    /// <summary>
    /// Creates a client that sends every data and auth server call through <paramref name="httpClient"/> as it is: the
    /// caller's handlers provide authentication (e.g. Runtime's <see cref="BearerTokenHandler"/> with
    /// <see cref="DataServerClient.TokenHeaderName"/>), retry and timeout, and the caller disposes it (this client never does).
    /// The logins, which need their own authentication, use short-lived clients over a transport made from
    /// <see cref="DataDispatcherClientOptions.Tls"/> and disposed after the login.
    /// </summary>
    /// <param name="httpClient">The caller's client; not disposed by this client.</param>
    /// <param name="options">Settings; <see cref="DataDispatcherClientOptions.ServerUrl"/> is required.</param>
    /// <exception cref="ArgumentException">No server URL, a URL that is not http(s), or a timeout that is not positive.</exception>
    public DataDispatcherClient(HttpClient httpClient, DataDispatcherClientOptions options)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)))
    {
    }

    /// <summary>For mocking frameworks and test doubles: every member not overridden throws or returns defaults.</summary>
    protected DataDispatcherClient()
    {
        _options = new DataDispatcherClientOptions();
        _retry = RetryPolicy.None;
        _time = TimeProvider.System;
        _random = Random.Shared.NextDouble;
        _env = _ => null;
        _cwd = Directory.GetCurrentDirectory();
        ServerUrl = string.Empty;
        AuthServerUrl = string.Empty;
        Data = null!;
        Auth = null!;
    }

    private DataDispatcherClient(DataDispatcherClientOptions options, HttpClient? callerHttp)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _env = _options.Environment ?? Environment.GetEnvironmentVariable;
        _cwd = _options.CurrentDirectory ?? Directory.GetCurrentDirectory();
        _time = _options.TimeProvider ?? TimeProvider.System;
        _random = _options.Random ?? Random.Shared.NextDouble;
        if (_options.Timeout <= TimeSpan.Zero && _options.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("the timeout must be positive", nameof(options));
        }

        var serverUrl = _options.ServerUrl
            ?? throw new ArgumentException("no Data Dispatcher server URL: set ServerUrl (DataDispatcherClientOptions.FromEnvironment reads " + DataDispatcherClientOptions.ServerUrlVariable + ")", nameof(options));
        var authServerUrl = _options.AuthServerUrl ?? serverUrl.TrimEnd('/') + "/auth";
        if (!Uri.TryCreate(serverUrl, UriKind.Absolute, out var dataUri) || dataUri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("the server URL '" + serverUrl + "' is not an absolute http(s) URL", nameof(options));
        }

        if (!Uri.TryCreate(authServerUrl, UriKind.Absolute, out var authUri) || authUri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("the auth server URL '" + authServerUrl + "' is not an absolute http(s) URL", nameof(options));
        }

        ServerUrl = serverUrl;
        AuthServerUrl = authServerUrl;
        _retry = _options.Retry ?? DataDispatcherClientOptions.DefaultRetryPolicy(_options.Timeout);
        _workerId = _options.WorkerId;
        _token = _options.Token;
        HttpClient http;
        if (callerHttp is null)
        {
            _transport = GridTls.CreateHttpHandler(_options.Tls ?? new GridTlsOptions());
            _ownHttp = CreateHttp(_transport, new BearerTokenHandler(TokenForRequest, DataServerClient.TokenHeaderName));
            http = _ownHttp;
        }
        else
        {
            http = callerHttp;
        }

        Data = new DataServerClient(http, new DataServerClientOptions { BaseAddress = dataUri, Logger = _options.Logger, MaxResponseBytes = _options.MaxResponseBytes, MaxResponseBytesOptionName = MaxResponseOption });
        Auth = new AuthServerClient(http, new AuthServerClientOptions { BaseAddress = authUri, Logger = _options.Logger, MaxResponseBytes = _options.MaxResponseBytes, MaxResponseBytesOptionName = MaxResponseOption });
    }

    /// <summary>The data server URL, exactly as given (also the token library key).</summary>
    public virtual string ServerUrl { get; }

    /// <summary>The auth server URL.</summary>
    public virtual string AuthServerUrl { get; }

    /// <summary>The CPU site sent with next_file unless a call names another.</summary>
    public virtual string CpuSite => _options.CpuSite;

    /// <summary>The generated data server client (same HTTP client: token header, 503 retry).</summary>
    public virtual DataServerClient Data { get; }

    /// <summary>The generated auth server client (same HTTP client).</summary>
    public virtual AuthServerClient Auth { get; }

    /// <summary>
    /// The worker id: the explicit one, else the content of the worker id file, else a new
    /// <see cref="GenerateWorkerId"/> written to that file (done on first use, not at construction).
    /// </summary>
    public virtual string WorkerId
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
    public virtual TokenLibrary TokenLibrary
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
    public virtual string? CurrentToken()
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
    public virtual string NewWorkerId(string? newId = null, string? workerIdFile = null)
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

    /// <summary>Disposes the HTTP client this client created (never the caller's).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the HTTP client this client created (never the caller's).</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownHttp?.Dispose();
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

    private BearerToken? TokenForRequest() => CurrentToken() is { Length: > 0 } t ? new BearerToken(t, "the Data Dispatcher token") : null;

    /// <summary>
    /// An HTTP client over <paramref name="transport"/> with Runtime's handlers: retry (outermost), the given
    /// authentication, then the per-attempt timeout. Disposing it disposes the handlers and the transport only when
    /// <paramref name="disposeTransport"/> is set.
    /// </summary>
    private HttpClient CreateHttp(HttpMessageHandler transport, DelegatingHandler? auth, bool disposeTransport = true)
    {
        var handlers = new List<DelegatingHandler> { new RetryHandler(_retry, _time, _options.Logger, _random) };
        if (auth is not null)
        {
            handlers.Add(auth);
        }

        // The per-attempt timeout is a network timeout: always wall-clock time (the injected clock drives the backoff and waits).
        handlers.Add(new TimeoutHandler(_options.Timeout, TimeProvider.System, "DataDispatcherClientOptions.Timeout"));
        return new HttpClient(HttpPipeline.Create(transport, handlers.ToArray()), disposeHandler: disposeTransport) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        => delay > TimeSpan.Zero ? Task.Delay(delay, _time, cancellationToken) : Task.CompletedTask;
}
