using System;
using System.Text;

namespace Toolkit.Runtime.Http;

/// <summary>Everything known about a failed call: request, status, headers, raw and parsed body.</summary>
public sealed class ApiErrorDetails
{
    /// <summary>Creates the details of a failed call.</summary>
    /// <param name="operationId">The OpenAPI operation id.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="requestUri">The request URI.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="reasonPhrase">The reason phrase.</param>
    /// <param name="headers">The response headers.</param>
    /// <param name="rawBody">The raw response body.</param>
    /// <param name="error">The parsed error body, when the schema documents one and it parsed.</param>
    public ApiErrorDetails(string operationId, string method, Uri? requestUri, int statusCode, string? reasonPhrase, ApiHeaders headers, byte[] rawBody, object? error)
    {
        OperationId = operationId;
        Method = method;
        RequestUri = requestUri;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Headers = headers ?? ApiHeaders.Empty;
        RawBody = rawBody ?? Array.Empty<byte>();
        Error = error;
    }

    /// <summary>The OpenAPI operation id.</summary>
    public string OperationId { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request URI.</summary>
    public Uri? RequestUri { get; }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase sent by the server.</summary>
    public string? ReasonPhrase { get; }

    /// <summary>The response headers.</summary>
    public ApiHeaders Headers { get; }

    /// <summary>The raw response body.</summary>
    public ReadOnlyMemory<byte> RawBody { get; }

    /// <summary>The raw response body decoded as UTF-8.</summary>
    public string RawText => Encoding.UTF8.GetString(RawBody.Span);

    /// <summary>The parsed error body (a generated model), or null.</summary>
    public object? Error { get; }
}
