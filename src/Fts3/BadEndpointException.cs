using System;

namespace Toolkit.Fts3;

/// <summary>
/// The endpoint does not answer like an FTS3 server: the <c>GET /</c> of <see cref="Fts3Context.CheckEndpointAsync"/> (run by <see cref="Fts3Context.CreateAsync"/>)
/// failed to connect, timed out or returned something that is not the FTS3 version document.
/// </summary>
public class BadEndpointException : Fts3ClientException
{
    /// <summary>Creates an exception with no details.</summary>
    public BadEndpointException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public BadEndpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BadEndpointException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
