using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Toolkit.Runtime.Security;

/// <summary>
/// A certificate of a credential is expired or not yet valid. Carries the validity window and the time it was
/// checked at, so callers can report them.
/// </summary>
public sealed class CredentialValidityException : CredentialException
{
    /// <summary>Creates the error.</summary>
    /// <param name="subject">Subject (grid form) of the certificate that is out of its validity window.</param>
    /// <param name="notBefore">Start of the certificate's validity.</param>
    /// <param name="notAfter">End of the certificate's validity.</param>
    /// <param name="checkedAt">The time the validity was checked against.</param>
    /// <param name="source">The file or source of the credential, if known.</param>
    public CredentialValidityException(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset checkedAt, string? source)
        : base(Describe(subject, notBefore, notAfter, checkedAt), source)
    {
        Subject = subject;
        NotBefore = notBefore;
        NotAfter = notAfter;
        CheckedAt = checkedAt;
    }

    /// <summary>Subject (grid form) of the offending certificate.</summary>
    public string Subject { get; }

    /// <summary>Start of the offending certificate's validity.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of the offending certificate's validity.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>The time the validity was checked against.</summary>
    public DateTimeOffset CheckedAt { get; }

    /// <summary>True when the certificate has expired; false when it is not yet valid.</summary>
    public bool IsExpired => CheckedAt > NotAfter;

    private static string Describe(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now)
    {
        string f(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        return now > notAfter
            ? $"certificate '{subject}' expired at {f(notAfter)} (now {f(now)}; valid from {f(notBefore)})"
            : $"certificate '{subject}' is not valid before {f(notBefore)} (now {f(now)}; valid until {f(notAfter)})";
    }
}
