using System;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// A remote UFTP location as the Java client and pyuftp write it: <c>https://AUTHHOST:PORT/rest/auth/SERVER:/path</c>
/// (the Auth endpoint, a colon, then the path on the server).
/// </summary>
/// <param name="AuthUrl">The Auth endpoint (<c>https://host:port/rest/auth/SERVER</c>).</param>
/// <param name="Path">The path after the colon (may be empty: the home or base directory).</param>
public sealed record UftpAddress(Uri AuthUrl, string Path)
{
    /// <summary>True when <paramref name="text"/> looks like a remote location (an http(s) URL).</summary>
    /// <param name="text">The argument.</param>
    /// <returns>True for a remote location.</returns>
    public static bool IsRemote(string text) => text is not null
        && (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a remote location.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">Not an http(s) URL.</exception>
    public static UftpAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsRemote(text))
        {
            throw new FormatException("a remote UFTP location is https://AUTHHOST:PORT/rest/auth/SERVER:/path, not '" + text + "'");
        }

        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal) + 3;
        int pathStart = text.IndexOf('/', schemeEnd);
        if (pathStart < 0)
        {
            return new UftpAddress(ToUri(text), "");
        }

        int colon = text.IndexOf(':', pathStart);
        string service = colon < 0 ? text : text[..colon];
        string path = colon < 0 ? "" : text[(colon + 1)..];
        return new UftpAddress(ToUri(service.TrimEnd('/')), path);
    }

    private static Uri ToUri(string s) => Uri.TryCreate(s, UriKind.Absolute, out var u)
        ? u
        : throw new FormatException("not a valid Auth server URL: '" + s + "'");

    /// <summary>The location in its written form.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => AuthUrl.GetLeftPart(UriPartial.Path) + ":" + Path;
}
