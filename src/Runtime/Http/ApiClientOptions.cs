using System;
using Microsoft.Extensions.Logging;

namespace Toolkit.Runtime.Http;

/// <summary>Options shared by every generated client (each client derives its own <c>XxxClientOptions</c>).</summary>
public class ApiClientOptions
{
    /// <summary>The default of <see cref="MaxResponseBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxResponseBytes = 64L << 20;

    private long _maxResponseBytes = DefaultMaxResponseBytes;

    /// <summary>
    /// The service's base address. When null the client uses <see cref="System.Net.Http.HttpClient.BaseAddress"/>,
    /// then the document's first server URL.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Receives one entry per failed operation (status and message); HTTP traffic is logged by <see cref="HttpLoggingHandler"/>.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// The largest response body read, in bytes (default <see cref="DefaultMaxResponseBytes"/>, 64 MiB). A larger
    /// announced <c>Content-Length</c> is refused before reading; a body without one is counted while it is read. Both
    /// raise <see cref="ResponseTooLargeException"/> naming the URL, the limit and <see cref="MaxResponseBytesOptionName"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxResponseBytes
    {
        get => _maxResponseBytes;
        set => _maxResponseBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "the maximum response size must be positive");
    }

    /// <summary>The option a user changes to raise <see cref="MaxResponseBytes"/>, named in the error (a facade sets its own, e.g. <c>Fts3ContextOptions.MaxResponseBytes</c>).</summary>
    public string? MaxResponseBytesOptionName { get; set; }
}
