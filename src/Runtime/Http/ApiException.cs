using System;

namespace Toolkit.Runtime.Http;

/// <summary>
/// The root of every error a generated client raises for an HTTP answer it does not accept: status, headers,
/// raw body and the parsed error body. Services derive their own types (see <c>x-toolkit-errors</c>).
/// </summary>
public class ApiException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public ApiException()
        : this("The HTTP call failed.")
    {
    }

    /// <summary>Creates an exception with a message and no details.</summary>
    /// <param name="message">The message.</param>
    public ApiException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates an exception with a message, an inner exception and no details.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Details = new ApiErrorDetails(string.Empty, string.Empty, null, 0, null, ApiHeaders.Empty, Array.Empty<byte>(), null);
    }

    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="message">The server's message (or a description of the status).</param>
    /// <param name="details">The call's details.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ApiException(string message, ApiErrorDetails details, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(details);
        Details = details;
    }

    /// <summary>The details of the call.</summary>
    public ApiErrorDetails Details { get; }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode => Details.StatusCode;

    /// <summary>The response headers.</summary>
    public ApiHeaders Headers => Details.Headers;

    /// <summary>The raw response body as text.</summary>
    public string RawBody => Details.RawText;

    /// <summary>The parsed error body, or null.</summary>
    public object? Error => Details.Error;

    /// <summary>The parsed error body as <typeparamref name="T"/>, or null.</summary>
    /// <typeparam name="T">The error model type.</typeparam>
    /// <returns>The error body or null.</returns>
    public T? GetError<T>()
        where T : class
        => Details.Error as T;
}
