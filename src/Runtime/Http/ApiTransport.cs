using System;
using System.Buffers;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Json;

namespace Toolkit.Runtime.Http;

/// <summary>The HTTP plumbing generated operations share: base address, bodies with exact media types, error details.</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ApiTransport
{
    private static readonly string[] MessageProperties = { "message", "detail", "error_description", "title", "error" };

    private static readonly Action<ILogger, string, int, string, Exception?> LogFailure =
        LoggerMessage.Define<string, int, string>(LogLevel.Debug, new EventId(1, "OperationFailed"), "Operation {OperationId} failed with status {StatusCode}: {Message}");

    /// <summary>Chooses the base address: the options', else the HttpClient's, else the document's server.</summary>
    /// <param name="optionsBase">The options' base address.</param>
    /// <param name="httpBase">The HttpClient's base address.</param>
    /// <param name="documentServer">The document's first server URL (may be relative).</param>
    /// <returns>The absolute base address.</returns>
    /// <exception cref="ArgumentException">No absolute base address can be found.</exception>
    public static Uri ResolveBaseAddress(Uri? optionsBase, Uri? httpBase, string? documentServer)
    {
        if (optionsBase is { IsAbsoluteUri: true })
        {
            return optionsBase;
        }

        if (documentServer is not null && Uri.TryCreate(documentServer, UriKind.Absolute, out var absolute) && httpBase is null)
        {
            return absolute;
        }

        if (httpBase is { IsAbsoluteUri: true })
        {
            // A relative server URL ("/api/v3") is a path below the HttpClient's address.
            if (documentServer is not null && documentServer.StartsWith('/') && httpBase.AbsolutePath.Length <= 1)
            {
                return new Uri(httpBase, documentServer);
            }

            return httpBase;
        }

        throw new ArgumentException("No base address: set the client options' BaseAddress or HttpClient.BaseAddress.");
    }

    /// <summary>A body with an exact Content-Type: no charset parameter is added (FTS3 compares it for equality).</summary>
    /// <param name="utf8">The body bytes.</param>
    /// <param name="mediaType">The exact media type, e.g. <c>application/json</c>.</param>
    /// <returns>The content.</returns>
    public static HttpContent BytesContent(byte[] utf8, string mediaType)
    {
        var content = new ByteArrayContent(utf8);
        content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        return content;
    }

    /// <summary>A text body in UTF-8 with the exact media type given.</summary>
    /// <param name="text">The text.</param>
    /// <param name="mediaType">The exact media type.</param>
    /// <returns>The content.</returns>
    public static HttpContent TextContent(string text, string mediaType) => BytesContent(Encoding.UTF8.GetBytes(text ?? string.Empty), mediaType);

    /// <summary>A streamed body (the caller keeps ownership of the stream).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="mediaType">The exact media type.</param>
    /// <returns>The content.</returns>
    public static HttpContent StreamContent(Stream stream, string mediaType)
    {
        var content = new StreamContent(new Toolkit.Runtime.IO.NonClosingStream(stream));
        content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        return content;
    }

    /// <summary>Sets the Accept header (exact values, no quality parameters).</summary>
    /// <param name="request">The request.</param>
    /// <param name="mediaTypes">The media types the operation documents.</param>
    public static void Accept(HttpRequestMessage request, params string[] mediaTypes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(mediaTypes);
        foreach (var m in mediaTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(m));
        }
    }

    /// <summary>
    /// Reads the whole response body into a buffer rented from the shared pool, never more than the options'
    /// <see cref="ApiClientOptions.MaxResponseBytes"/>. This is the one bounded body reader: generated clients decode
    /// success bodies from it and dispose it right after, so a call allocates no array of the body's size; an error
    /// body that an exception keeps is copied out with <see cref="ApiResponseBody.ToArray(int)"/>.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="options">The client's options (null: the defaults).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body (empty if none); dispose it to return the buffer.</returns>
    /// <exception cref="ResponseTooLargeException">The body is larger than the limit.</exception>
    /// <exception cref="HttpRequestException">The connection broke while the body was read (<see cref="HttpRequestError.ResponseEnded"/>).</exception>
    public static Task<ApiResponseBody> ReadBodyAsync(HttpResponseMessage response, ApiClientOptions? options, CancellationToken cancellationToken)
        => ReadBodyAsync(response, options?.MaxResponseBytes ?? ApiClientOptions.DefaultMaxResponseBytes, options?.MaxResponseBytesOptionName, cancellationToken);

    /// <summary>
    /// Reads the whole response body into a pooled buffer, never more than <paramref name="maxBytes"/>: a larger
    /// <c>Content-Length</c> is refused before reading, and a body without one (or longer than announced) is counted
    /// while it streams in, so memory stays bounded.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="maxBytes">The limit in bytes.</param>
    /// <param name="optionName">The option that raises the limit, named in the error.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body (empty if none); dispose it to return the buffer.</returns>
    /// <exception cref="ResponseTooLargeException">The body is larger than the limit.</exception>
    /// <exception cref="HttpRequestException">The connection broke while the body was read (<see cref="HttpRequestError.ResponseEnded"/>).</exception>
    public static async Task<ApiResponseBody> ReadBodyAsync(HttpResponseMessage response, long maxBytes, string? optionName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (response.Content is null)
        {
            return ApiResponseBody.Empty();
        }

        var uri = response.RequestMessage?.RequestUri;
        var announced = response.Content.Headers.ContentLength;
        if (announced is { } n && n > maxBytes)
        {
            throw new ResponseTooLargeException(uri, maxBytes, n, optionName);
        }

        try
        {
            return await ReadPooledAsync(response.Content, uri, announced, maxBytes, optionName, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "the response of " + (uri?.GetLeftPart(UriPartial.Path) ?? "the server") + " broke off: " + e.Message, e);
        }
    }

    private static async Task<ApiResponseBody> ReadPooledAsync(HttpContent content, Uri? uri, long? announced, long maxBytes, string? optionName, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // One rented buffer of the announced size (or 16 KB without one), doubled when the body goes on; it is the
            // caller's until it disposes the body. A body longer than announced continues, bounded by the limit.
            var buffer = ArrayPool<byte>.Shared.Rent(announced is { } length and > 0 and <= int.MaxValue ? (int)Math.Min(length, Array.MaxLength) : 16 * 1024);
            var used = 0;
            var owned = false;
            try
            {
                while (true)
                {
                    if (used == buffer.Length)
                    {
                        // Full: if that is all that was announced, look for the end in a small probe before doubling.
                        var (ended, probe, probed) = used == announced ? await AtEndAsync(stream, cancellationToken).ConfigureAwait(false) : (false, Array.Empty<byte>(), 0);
                        if (ended)
                        {
                            owned = true;
                            return new ApiResponseBody(buffer, used, pooled: true);
                        }

                        buffer = Grow(buffer, used, probed);
                        if (probed > 0)
                        {
                            probe.AsSpan(0, probed).CopyTo(buffer.AsSpan(used));
                            ArrayPool<byte>.Shared.Return(probe);
                            used += probed;
                            if (used > maxBytes)
                            {
                                throw new ResponseTooLargeException(uri, maxBytes, null, optionName);
                            }
                        }
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(used), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        owned = true;
                        return new ApiResponseBody(buffer, used, pooled: true);
                    }

                    used += read;
                    if (used > maxBytes)
                    {
                        throw new ResponseTooLargeException(uri, maxBytes, null, optionName);
                    }
                }
            }
            finally
            {
                if (!owned)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    private static byte[] Grow(byte[] buffer, int used, int extra)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max((long)buffer.Length * 2, (long)used + extra), Array.MaxLength));
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    /// <summary>Whether the stream is at its end; if not, the bytes read past the announced length are in a rented probe.</summary>
    private static async Task<(bool Ended, byte[] Probe, int Read)> AtEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        var probe = ArrayPool<byte>.Shared.Rent(256);
        var read = await stream.ReadAsync(probe.AsMemory(), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            ArrayPool<byte>.Shared.Return(probe);
            return (true, Array.Empty<byte>(), 0);
        }

        return (false, probe, read);
    }

    /// <summary>Decodes a body as UTF-8 text.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The text.</returns>
    public static string Text(byte[] body) => Encoding.UTF8.GetString(body ?? Array.Empty<byte>());

    /// <summary>Decodes a body read by <see cref="ReadBodyAsync(HttpResponseMessage, ApiClientOptions?, CancellationToken)"/> as UTF-8 text.</summary>
    /// <param name="body">The body (the caller disposes it).</param>
    /// <returns>The text.</returns>
    public static string Text(ApiResponseBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Encoding.UTF8.GetString(body.Span);
    }

    /// <summary>Decodes a JSON body, turning a decoding failure into an <see cref="ApiException"/> that keeps the body.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="response">The response.</param>
    /// <param name="operationId">The operation id.</param>
    /// <param name="body">The body.</param>
    /// <param name="read">Reads the value.</param>
    /// <returns>The value.</returns>
    public static T ParseBody<T>(HttpResponseMessage response, string operationId, byte[] body, JsonReadFunc<T> read)
    {
        try
        {
            return ApiJson.Parse(body, read);
        }
        catch (JsonException ex)
        {
            var details = Details(response, operationId, body, null);
            throw new ApiException("The response of " + operationId + " (status " + details.StatusCode.ToString(CultureInfo.InvariantCulture) + ") does not match the schema: " + ex.Message, details, ex);
        }
    }

    /// <summary>
    /// How many bytes of a success body that does not match the schema the <see cref="ApiException"/> keeps (the
    /// decoder's message names the byte offset of the mismatch; the body itself is a pooled buffer that goes back).
    /// </summary>
    public const int MaxKeptBodyBytes = 1 << 20;

    /// <summary>
    /// Decodes a JSON body read by <see cref="ReadBodyAsync(HttpResponseMessage, ApiClientOptions?, CancellationToken)"/>;
    /// a decoding failure becomes an <see cref="ApiException"/> whose details keep a copy of the body's first
    /// <see cref="MaxKeptBodyBytes"/> bytes (the only copy made, and only on failure).
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="response">The response.</param>
    /// <param name="operationId">The operation id.</param>
    /// <param name="body">The body (the caller disposes it).</param>
    /// <param name="read">Reads the value.</param>
    /// <returns>The value.</returns>
    public static T ParseBody<T>(HttpResponseMessage response, string operationId, ApiResponseBody body, JsonReadFunc<T> read)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return ApiJson.Parse(body.Span, read);
        }
        catch (JsonException ex)
        {
            var details = Details(response, operationId, body.ToArray(MaxKeptBodyBytes), null);
            throw new ApiException("The response of " + operationId + " (status " + details.StatusCode.ToString(CultureInfo.InvariantCulture) + ") does not match the schema: " + ex.Message, details, ex);
        }
    }

    /// <summary>Builds the details of a failed call.</summary>
    /// <param name="response">The response.</param>
    /// <param name="operationId">The operation id.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="error">The parsed error body, or null.</param>
    /// <returns>The details.</returns>
    public static ApiErrorDetails Details(HttpResponseMessage response, string operationId, byte[] body, object? error)
    {
        ArgumentNullException.ThrowIfNull(response);
        var request = response.RequestMessage;
        return new ApiErrorDetails(operationId, request?.Method.Method ?? string.Empty, request?.RequestUri, (int)response.StatusCode, response.ReasonPhrase, ApiHeaders.From(response), body, error);
    }

    /// <summary>
    /// The server's message: the named property of a JSON error body (or a common one such as <c>message</c>),
    /// else the plain-text body (Data Dispatcher answers errors in plain text), else the status line.
    /// </summary>
    /// <param name="details">The call's details.</param>
    /// <param name="messageProperty">The JSON property holding the message, if the document names one.</param>
    /// <returns>The message.</returns>
    public static string Message(ApiErrorDetails details, string? messageProperty)
    {
        ArgumentNullException.ThrowIfNull(details);
        var span = details.RawBody.Span;
        var text = Encoding.UTF8.GetString(span).Trim();
        if (text.Length > 0 && (text[0] == '{' || text[0] == '"'))
        {
            try
            {
                using var doc = JsonDocument.Parse(details.RawBody);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.String)
                {
                    return root.GetString()!;
                }

                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (messageProperty is not null && root.TryGetProperty(messageProperty, out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        return m.GetString()!;
                    }

                    foreach (var name in MessageProperties)
                    {
                        if (root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String)
                        {
                            return p.GetString()!;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to the text.
            }
        }

        if (text.Length > 0)
        {
            return text.Length > 2000 ? text[..2000] + "…" : text;
        }

        return "HTTP " + details.StatusCode.ToString(CultureInfo.InvariantCulture) + (details.ReasonPhrase is { Length: > 0 } r ? " " + r : string.Empty);
    }

    /// <summary>Logs a failed operation to the options' logger, if any, and returns the exception to throw.</summary>
    /// <param name="logger">The logger (may be null).</param>
    /// <param name="exception">The exception.</param>
    /// <returns>The same exception.</returns>
    public static ApiException Failed(ILogger? logger, ApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (logger is not null)
        {
            LogFailure(logger, exception.Details.OperationId, exception.StatusCode, exception.Message, null);
        }

        return exception;
    }
}
