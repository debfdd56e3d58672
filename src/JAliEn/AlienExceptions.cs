using System;

namespace Toolkit.JAliEn;

/// <summary>The connection to a JAliEn service failed: no endpoint answered, the TLS handshake was refused, the server
/// refused the certificate (HTTP 401), a send or receive timed out, or the socket closed in the middle of a reply.</summary>
public class AlienConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlienConnectionException()
        : base("JAliEn connection error")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and where.</param>
    public AlienConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and where.</param>
    /// <param name="innerException">The cause.</param>
    public AlienConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The errno-style exit code alienpy uses for this failure (107 ENOTCONN; 129 for a refused certificate).</summary>
    public int ExitCode { get; init; } = 107;
}

/// <summary>A reply the client cannot use: not JSON, no <c>metadata</c> object, a non-numeric <c>exitcode</c>. The
/// message names the command, the field (JSON path) and the byte offset.</summary>
public class AlienProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlienProtocolException()
        : base("JAliEn protocol error")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public AlienProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public AlienProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The byte offset in the reply where the problem was found, or -1.</summary>
    public long ByteOffset { get; init; } = -1;

    /// <summary>The JSON path of the offending field (for example <c>$.metadata.exitcode</c>), or null.</summary>
    public string? JsonPath { get; init; }
}

/// <summary>A request over the server's 130 KiB cap, refused before it is sent (the server would answer EINVAL "Message too big").</summary>
public sealed class AlienRequestTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlienRequestTooLargeException()
        : base("the JAliEn request is over the server's 130 KiB limit")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public AlienRequestTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AlienRequestTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The encoded size of the request in bytes.</summary>
    public int Size { get; init; }
}
