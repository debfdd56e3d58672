using System;
using System.IO;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// The root of every UFTP failure: an auth refusal, a control reply the engine did not expect, a broken data stream.
/// It is an <see cref="IOException"/> because a failed transfer is an I/O failure to the caller; the subtypes say
/// what went wrong and where.
/// </summary>
public class UftpException : IOException
{
    /// <summary>Creates an exception.</summary>
    public UftpException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong and where.</param>
    public UftpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public UftpException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The Auth server refused the request (HTTP error or <c>success: false</c>) or sent a reply the engine cannot read.</summary>
public sealed class UftpAuthException : UftpException
{
    /// <summary>Creates an exception.</summary>
    public UftpAuthException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public UftpAuthException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public UftpAuthException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for an HTTP status.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">The HTTP status, 0 when the request got a 2xx reply that said <c>success: false</c>.</param>
    public UftpAuthException(string message, int statusCode)
        : base(message)
        => StatusCode = statusCode;

    /// <summary>The HTTP status of the refusal, 0 when the server said <c>success: false</c> or the reply was unreadable.</summary>
    public int StatusCode { get; }
}

/// <summary>uftpd answered a control command with an error reply (4xx/5xx), or a reply the engine did not expect.</summary>
public sealed class UftpReplyException : UftpException
{
    /// <summary>Creates an exception.</summary>
    public UftpReplyException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public UftpReplyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public UftpReplyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a reply to a command.</summary>
    /// <param name="command">The command verb (never its argument when that is a secret).</param>
    /// <param name="code">The reply code (0 when the reply had none).</param>
    /// <param name="reply">The reply text as the server sent it.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public UftpReplyException(string command, int code, string reply, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Command = command;
        Code = code;
        Reply = reply;
    }

    /// <summary>The command verb the reply answered (<c>PASS</c>, <c>RETR</c>, ...), or the connection greeting.</summary>
    public string Command { get; } = "";

    /// <summary>The reply code, 0 when the reply was malformed.</summary>
    public int Code { get; }

    /// <summary>The reply text.</summary>
    public string Reply { get; } = "";

    /// <summary>True for uftpd's login refusal (<c>530</c>: no matching transfer request, wrong or used secret).</summary>
    public bool IsLoginRefused => Code == 530;
}

/// <summary>A data stream broke the UFTP framing, the encryption or the compression: names the stream and the byte offset.</summary>
public sealed class UftpDataException : UftpException
{
    /// <summary>Creates an exception.</summary>
    public UftpDataException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public UftpDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public UftpDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the stream and the offset.</summary>
    /// <param name="stream">The data stream index (0-based).</param>
    /// <param name="offset">The byte offset in that stream's decoded bytes (framing) or received bytes (cipher).</param>
    /// <param name="what">What was wrong.</param>
    public UftpDataException(int stream, long offset, string what)
        : base("UFTP data stream " + stream.ToString(System.Globalization.CultureInfo.InvariantCulture) + " at byte "
            + offset.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + what)
    {
        Stream = stream;
        Offset = offset;
    }

    /// <summary>The data stream index.</summary>
    public int Stream { get; }

    /// <summary>The byte offset within that stream where the problem was found.</summary>
    public long Offset { get; }
}
