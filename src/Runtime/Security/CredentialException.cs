using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Toolkit.Runtime.Security;

/// <summary>
/// A credential (certificate, private key, proxy, token, trust store or certificate request) could not be found,
/// read, decrypted or used. The message names the file or source and what was wrong; it never contains key
/// material, passphrases or tokens.
/// </summary>
public class CredentialException : Exception
{
    /// <summary>Creates the error with a message.</summary>
    /// <param name="message">What went wrong and where.</param>
    public CredentialException(string message) : base(message)
    {
    }

    /// <summary>Creates the error with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong and where.</param>
    /// <param name="innerException">The underlying error.</param>
    public CredentialException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the error naming the file or source it concerns.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="source">The file path or source description (e.g. <c>X509_USER_PROXY</c>).</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public CredentialException(string message, string? source, Exception? innerException = null)
        : base(source is null ? message : $"{source}: {message}", innerException)
    {
        Source = source;
    }

    /// <summary>Creates the error with no message (prefer the other constructors).</summary>
    public CredentialException() : base("credential error")
    {
    }

    /// <summary>The file path or source description the error concerns, when known.</summary>
    public new string? Source { get; }
}
