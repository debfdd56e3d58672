using System;
using System.Globalization;
using System.Net.Http;

namespace Toolkit.Runtime.Http;

/// <summary>
/// A response body is larger than the client's maximum response size (<see cref="ApiClientOptions.MaxResponseBytes"/>,
/// set from each facade's <c>MaxResponseBytes</c> option). Raised before the body is read when the server announces a
/// larger <c>Content-Length</c>, else as soon as the bytes read pass the limit, so memory stays bounded.
/// </summary>
public sealed class ResponseTooLargeException : HttpRequestException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="requestUri">The URL whose response was too large.</param>
    /// <param name="limit">The limit in bytes.</param>
    /// <param name="contentLength">The announced length, or null when the body had none (counted while reading).</param>
    /// <param name="optionName">The option that raises the limit, named in the message.</param>
    public ResponseTooLargeException(Uri? requestUri, long limit, long? contentLength, string? optionName = null)
        : base(HttpRequestError.ConfigurationLimitExceeded, Describe(requestUri, limit, contentLength, optionName))
    {
        RequestUri = requestUri;
        Limit = limit;
        ContentLength = contentLength;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ResponseTooLargeException()
        : base(HttpRequestError.ConfigurationLimitExceeded, "the response is larger than the maximum response size")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ResponseTooLargeException(string message)
        : base(HttpRequestError.ConfigurationLimitExceeded, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ResponseTooLargeException(string message, Exception innerException)
        : base(HttpRequestError.ConfigurationLimitExceeded, message, innerException)
    {
    }

    /// <summary>The URL whose response was too large.</summary>
    public Uri? RequestUri { get; }

    /// <summary>The limit in bytes.</summary>
    public long Limit { get; }

    /// <summary>The length the server announced, or null when it announced none.</summary>
    public long? ContentLength { get; }

    /// <summary>A byte count for people: <c>64 MiB (67108864 bytes)</c>.</summary>
    /// <param name="bytes">The count.</param>
    /// <returns>The text.</returns>
    public static string FormatBytes(long bytes)
    {
        var exact = bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0
            ? (bytes >> 20).ToString(CultureInfo.InvariantCulture) + " MiB (" + exact + ")"
            : exact;
    }

    private static string Describe(Uri? uri, long limit, long? contentLength, string? optionName)
    {
        var server = uri?.GetLeftPart(UriPartial.Path) ?? "the server";
        var announced = contentLength is { } n ? "; it announced " + FormatBytes(n) : string.Empty;
        return "the response of " + server + " is larger than the maximum response size of " + FormatBytes(limit) + announced
            + " (raise it with " + (optionName ?? "MaxResponseBytes in the client options") + " if the server is trusted)";
    }
}
