using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Toolkit.JAliEn;

/// <summary>
/// A reply that does not have the JAliEn shape: not JSON, no <c>metadata</c>, a non-numeric <c>exitcode</c>, a value of
/// the wrong type, a row field that does not parse. Names the JSON path and the byte offset in the reply.
/// </summary>
public sealed class AlienProtocolException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="command">The command whose reply was bad.</param>
    /// <param name="what">What is wrong.</param>
    /// <param name="jsonPath">Where, as a JSON path (<c>$.metadata.exitcode</c>).</param>
    /// <param name="byteOffset">The byte offset in the reply of the offending token.</param>
    /// <param name="inner">The reader's exception, if any.</param>
    public AlienProtocolException(string command, string what, string jsonPath, long byteOffset, Exception? inner = null)
        : base("bad reply to '" + command + "': " + what + " at " + jsonPath + " (byte " + byteOffset.ToString(CultureInfo.InvariantCulture) + ")", inner)
    {
        Command = command;
        JsonPath = jsonPath;
        ByteOffset = byteOffset;
    }

    /// <summary>Creates the exception with a message.</summary>
    public AlienProtocolException()
        : this("?", "bad reply", "$", 0)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AlienProtocolException(string message)
        : base(message)
    {
        Command = "?";
        JsonPath = "$";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AlienProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = "?";
        JsonPath = "$";
    }

    /// <summary>The command whose reply was bad.</summary>
    public string Command { get; }

    /// <summary>Where in the reply, as a JSON path.</summary>
    public string JsonPath { get; }

    /// <summary>The byte offset in the reply.</summary>
    public long ByteOffset { get; }
}

/// <summary>
/// A command the server answered with a non-zero <c>exitcode</c> (an errno), thrown by the typed commands in
/// <see cref="AlienErrorMode.Throw"/> mode.
/// </summary>
public sealed class AlienCommandException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="command">The command.</param>
    /// <param name="exitCode">The errno the server returned.</param>
    /// <param name="error">The server's error text.</param>
    /// <param name="messages">The reply's messages.</param>
    public AlienCommandException(string command, int exitCode, string error, IReadOnlyList<string> messages)
        : base("'" + command + "' failed with exit code " + exitCode.ToString(CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(error) ? string.Empty : ": " + error))
    {
        Command = command;
        ExitCode = exitCode;
        Error = error;
        Messages = messages;
    }

    /// <summary>Creates the exception.</summary>
    public AlienCommandException()
        : this("?", 1, string.Empty, Array.Empty<string>())
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AlienCommandException(string message)
        : base(message)
    {
        Command = "?";
        ExitCode = 1;
        Error = message;
        Messages = Array.Empty<string>();
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AlienCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = "?";
        ExitCode = 1;
        Error = message;
        Messages = Array.Empty<string>();
    }

    /// <summary>The command.</summary>
    public string Command { get; }

    /// <summary>The errno the server returned (also the shell's exit code).</summary>
    public int ExitCode { get; }

    /// <summary>The server's <c>metadata.error</c>.</summary>
    public string Error { get; }

    /// <summary>The reply's <c>message</c> texts.</summary>
    public IReadOnlyList<string> Messages { get; }
}

/// <summary>
/// A request larger than the server accepts (130 KiB since about 2023; the server would answer EINVAL "Message too
/// big"): refused before anything is sent.
/// </summary>
public sealed class AlienRequestTooLargeException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="command">The command.</param>
    /// <param name="size">The encoded size in bytes.</param>
    /// <param name="limit">The limit in bytes.</param>
    public AlienRequestTooLargeException(string command, long size, long limit)
        : base("the '" + command + "' request is " + size.ToString(CultureInfo.InvariantCulture) + " bytes, more than the server's limit of " + limit.ToString(CultureInfo.InvariantCulture) + " bytes; split it into several commands")
    {
        Command = command;
        Size = size;
        Limit = limit;
    }

    /// <summary>Creates the exception.</summary>
    public AlienRequestTooLargeException()
        : this("?", 0, AlienRequest.MaxRequestBytes)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AlienRequestTooLargeException(string message)
        : base(message)
    {
        Command = "?";
        Limit = AlienRequest.MaxRequestBytes;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AlienRequestTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = "?";
        Limit = AlienRequest.MaxRequestBytes;
    }

    /// <summary>The command.</summary>
    public string Command { get; }

    /// <summary>The encoded size in bytes.</summary>
    public long Size { get; }

    /// <summary>The limit in bytes.</summary>
    public long Limit { get; }
}
