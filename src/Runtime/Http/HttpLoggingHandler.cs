using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Toolkit.Runtime.Http;

/// <summary>
/// Logs each request and response through <see cref="ILogger"/>: method, URI, status and duration at
/// Information; headers at Debug. Credentials never reach the log: sensitive headers, URI user info and
/// sensitive query values are replaced by <see cref="HttpLoggingOptions.Redacted"/>.
/// </summary>
public sealed class HttpLoggingHandler : DelegatingHandler
{
    private static readonly Action<ILogger, string, string, Exception?> LogRequest =
        LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(20, "Request"), "HTTP {Method} {Uri}");

    private static readonly Action<ILogger, string, string, int, double, Exception?> LogResponse =
        LoggerMessage.Define<string, string, int, double>(LogLevel.Information, new EventId(21, "Response"), "HTTP {Method} {Uri} -> {StatusCode} in {ElapsedMs} ms");

    private static readonly Action<ILogger, string, string, double, Exception?> LogFailure =
        LoggerMessage.Define<string, string, double>(LogLevel.Warning, new EventId(22, "Failure"), "HTTP {Method} {Uri} failed after {ElapsedMs} ms");

    private static readonly Action<ILogger, string, string, string, Exception?> LogHeader =
        LoggerMessage.Define<string, string, string>(LogLevel.Debug, new EventId(23, "Header"), "{Direction} header {Name}: {Value}");

    private readonly ILogger _logger;
    private readonly HttpLoggingOptions _options;

    /// <summary>Creates the handler.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="options">What to log and redact; defaults when null.</param>
    public HttpLoggingHandler(ILogger logger, HttpLoggingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _options = options ?? new HttpLoggingOptions();
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = _options.RedactUri(request.RequestUri);
        var method = request.Method.Method;
        LogRequest(_logger, method, uri, null);
        if (_options.LogHeaders && _logger.IsEnabled(LogLevel.Debug))
        {
            LogHeaders("request", request.Headers, request.Content?.Headers);
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            LogResponse(_logger, method, uri, (int)response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds, null);
            if (_options.LogHeaders && _logger.IsEnabled(LogLevel.Debug))
            {
                LogHeaders("response", response.Headers, response.Content?.Headers);
            }

            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogFailure(_logger, method, uri, Stopwatch.GetElapsedTime(start).TotalMilliseconds, ex);
            throw;
        }
    }

    private void LogHeaders(string direction, HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        IEnumerable<KeyValuePair<string, IEnumerable<string>>> all = headers;
        if (contentHeaders is not null)
        {
            all = all.Concat(contentHeaders);
        }

        foreach (var h in all)
        {
            var value = _options.IsSensitiveHeader(h.Key) ? HttpLoggingOptions.Redacted : string.Join(", ", h.Value);
            LogHeader(_logger, direction, h.Key, value, null);
        }
    }
}
