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
