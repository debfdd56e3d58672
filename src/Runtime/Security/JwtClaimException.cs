using System;

namespace Toolkit.Runtime.Security;

/// <summary>
/// A JWT decodes but one of its claims has a value of the wrong kind, for example an <c>exp</c> that is not a
/// NumericDate. Reading such a claim as absent would turn a broken token into one that never expires, so
/// <see cref="JwtInfo.Parse"/> refuses it. The message names the claim, never the token or the claim's value.
/// </summary>
public sealed class JwtClaimException : CredentialException
{
    /// <summary>Creates the error for a claim.</summary>
    /// <param name="claim">The claim's name, e.g. <c>exp</c>.</param>
    /// <param name="message">What is wrong with it.</param>
    /// <param name="source">The token's source, used as the message prefix.</param>
    public JwtClaimException(string claim, string message, string? source = "token")
        : base(message, source)
    {
        Claim = claim;
    }

    /// <summary>Creates the error with no details (prefer the other constructor).</summary>
    public JwtClaimException() : base("invalid JWT claim")
    {
        Claim = string.Empty;
    }

    /// <summary>Creates the error with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public JwtClaimException(string message) : base(message)
    {
        Claim = string.Empty;
    }

    /// <summary>Creates the error with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public JwtClaimException(string message, Exception? innerException) : base(message, innerException)
    {
        Claim = string.Empty;
    }

    /// <summary>The name of the claim that is wrong.</summary>
    public string Claim { get; }
}
