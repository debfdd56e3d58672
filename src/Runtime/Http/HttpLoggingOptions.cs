using System;
using System.Collections.Generic;
using System.Text;

namespace Toolkit.Runtime.Http;

/// <summary>What <see cref="HttpLoggingHandler"/> logs and what it redacts.</summary>
public sealed class HttpLoggingOptions
{
    /// <summary>The text that replaces a redacted value.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>Headers whose values are never logged (compared case-insensitively).</summary>
    public ISet<string> SensitiveHeaders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Authentication-Token", "X-Api-Key",
        "X-Auth-Token", "WWW-Authenticate", "Proxy-Authenticate",
    };

    /// <summary>Query parameter name fragments whose values are redacted (compared case-insensitively).</summary>
    public IList<string> SensitiveQueryFragments { get; } = new List<string> { "token", "password", "passwd", "secret", "key", "signature", "credential", "code", "sig" };

    /// <summary>Log request and response headers (at Debug level). Default true.</summary>
    public bool LogHeaders { get; set; } = true;

    /// <summary>Whether a header's value must be hidden.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>True if sensitive.</returns>
    public bool IsSensitiveHeader(string name) => SensitiveHeaders.Contains(name);

    /// <summary>The URI as it may be logged: user info removed and sensitive query values redacted.</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>The printable URI.</returns>
    public string RedactUri(Uri? uri)
    {
        if (uri is null)
        {
            return string.Empty;
        }

        if (!uri.IsAbsoluteUri)
        {
            return RedactQuery(uri.OriginalString);
        }

        var sb = new StringBuilder();
        sb.Append(uri.Scheme).Append("://");
        if (uri.UserInfo.Length > 0)
        {
            sb.Append(Redacted).Append('@');
        }

        sb.Append(uri.Authority).Append(uri.AbsolutePath);
        sb.Append(RedactQuery(uri.Query));
        return sb.ToString();
    }

    private string RedactQuery(string text)
    {
        var q = text.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text[..(q + 1)]);
        var parts = text[(q + 1)..].Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('&');
            }

            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? parts[i] : parts[i][..eq];
            if (eq >= 0 && IsSensitiveQuery(Uri.UnescapeDataString(name)))
            {
                sb.Append(name).Append('=').Append(Redacted);
            }
            else
            {
                sb.Append(parts[i]);
            }
        }

        return sb.ToString();
    }

    private bool IsSensitiveQuery(string name)
    {
        foreach (var fragment in SensitiveQueryFragments)
        {
            if (name.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
