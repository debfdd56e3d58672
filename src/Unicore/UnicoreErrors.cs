using System;
using System.Text.Json;
using Toolkit.Runtime.Http;

namespace Toolkit.Unicore;

/// <summary>A reply the client cannot use: malformed JSON, a missing link or Location header. It names the URL and, for JSON, the byte offset.</summary>
public class UnicoreProtocolException : UnicoreException
{
    /// <summary>Creates the exception.</summary>
    public UnicoreProtocolException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and where.</param>
    public UnicoreProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public UnicoreProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The server treats the client as anonymous: no credential, or one it did not accept (PyUNICORE's <c>assert_authentication</c>).</summary>
public class UnicoreAnonymousException : UnicoreException
{
    /// <summary>Creates the exception.</summary>
    public UnicoreAnonymousException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public UnicoreAnonymousException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnicoreAnonymousException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Maps a failed reply to the service's typed exceptions, as the generated client does.</summary>
internal static class UnicoreErrors
{
    public static UnicoreException Create(ApiErrorDetails details)
    {
        string message = ApiTransport.Message(details, "errorMessage") + " (" + details.Method + " " + details.RequestUri + ")";
        return details.StatusCode switch
        {
            400 => new UnicoreBadRequestException(message, details),
            401 => new UnicoreAuthenticationException(message, details),
            403 => new UnicoreForbiddenException(message, details),
            404 => new UnicoreNotFoundException(message, details),
            409 => new UnicoreConflictException(message, details),
            432 => new UnicoreSessionExpiredException(message, details),
            >= 400 and < 500 => new UnicoreClientErrorException(message, details),
            >= 500 and < 600 => new UnicoreServerErrorException(message, details),
            _ => new UnicoreException(message, details),
        };
    }

    public static UnicoreProtocolException Malformed(string method, Uri url, JsonException e) =>
        new("the reply of " + method + " " + url + " is not what UNICORE sends: " + e.Message, e);
}
