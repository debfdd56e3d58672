using System;
using System.Buffers.Text;

namespace Toolkit.Generated.Monitoring;

/// <summary>The parsed <c>prot/user.pid:sid@host</c> that starts every map record's info text.</summary>
public readonly ref struct XrdMonUserId
{
    /// <summary>Protocol (<c>xroot</c>, or <c>=</c> for the server-ident record).</summary>
    public ReadOnlySpan<byte> Prot { get; init; }

    /// <summary>Login user name (may be empty or <c>?</c>).</summary>
    public ReadOnlySpan<byte> User { get; init; }

    /// <summary>Client process id.</summary>
    public long Pid { get; init; }

    /// <summary>The server's 48-bit sid.</summary>
    public long Sid { get; init; }

    /// <summary>Client host name or address (IPv6 in brackets).</summary>
    public ReadOnlySpan<byte> Host { get; init; }

    /// <summary>Parses a user id; false when the text does not follow the grammar.</summary>
    /// <param name="text">The user id text.</param>
    /// <param name="id">The parsed parts (slices of <paramref name="text"/>).</param>
    /// <returns>True when parsed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> text, out XrdMonUserId id)
    {
        id = default;
        int slash = text.IndexOf((byte)'/');
        if (slash < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = text[(slash + 1)..];
        int colon = rest.IndexOf((byte)':');
        if (colon < 0)
        {
            return false;
        }

        int at = rest[colon..].IndexOf((byte)'@');
        if (at < 0)
        {
            return false;
        }

        at += colon;
        int dot = rest[..colon].LastIndexOf((byte)'.');
        if (dot < 0
            || !Utf8Parser.TryParse(rest[(dot + 1)..colon], out long pid, out int used) || used != colon - dot - 1
            || !Utf8Parser.TryParse(rest[(colon + 1)..at], out long sid, out used) || used != at - colon - 1)
        {
            return false;
        }

        id = new XrdMonUserId
        {
            Prot = text[..slash],
            User = rest[..dot],
            Pid = pid,
            Sid = sid,
            Host = rest[(at + 1)..],
        };
        return true;
    }
}
