using System;
using System.Globalization;

namespace Toolkit.Unicore.Uftp;

/// <summary>A remote file or directory as uftpd lists it.</summary>
/// <param name="Name">The name (no directory part).</param>
/// <param name="IsDirectory">True for a directory.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="LastModified">The modification time.</param>
/// <param name="Permissions">The user's access as uftpd reports it (<c>rwx</c> letters; <c>l</c>/<c>e</c> for directories in MLST).</param>
/// <param name="UnixMode">The Unix mode (MLST's <c>UNIX.mode</c>), when the listing carries it.</param>
public sealed record UftpFileInfo(string Name, bool IsDirectory, long Size, DateTimeOffset LastModified, string Permissions, int? UnixMode = null)
{
    /// <summary>Parses one line of <c>STAT N</c>: <c>drwx SIZE MTIME_MS NAME</c> (leading space allowed).</summary>
    /// <param name="line">The line.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="UftpReplyException">The line does not have that shape.</exception>
    public static UftpFileInfo ParseStatLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Trim(' ').Split(' ', 4);
        if (parts.Length != 4 || parts[0].Length < 1 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long ms))
        {
            throw new UftpReplyException("STAT", 211, line, "malformed STAT entry (expected 'perm size mtime_ms name'): '" + line + "'");
        }

        if (ms > MaxUnixMilliseconds)
        {
            throw new UftpReplyException("STAT", 211, line, "STAT entry with a modification time out of range (" + parts[2] + " ms): '" + line + "'");
        }

        return new UftpFileInfo(parts[3], parts[0][0] == 'd', size, DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[0][1..].Replace("-", "", StringComparison.Ordinal));
    }

    /// <summary>
    /// Parses an MLST/MLSD fact line <c>size=N;modify=YYYYMMDDhhmmss;type=file|dir;perm=..;UNIX.mode=..; NAME</c>.
    /// uftpd writes <c>modify</c> in the server's local time (not UTC as RFC 3659 says); it is read as this machine's local time.
    /// </summary>
    /// <param name="line">The line.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="UftpReplyException">The line does not have that shape.</exception>
    public static UftpFileInfo ParseFacts(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string t = line.TrimStart(' ');
        int sep = t.IndexOf("; ", StringComparison.Ordinal);
        if (sep < 0)
        {
            throw new UftpReplyException("MLST", 250, line, "malformed MLST facts (no '; ' before the name): '" + line + "'");
        }

        string name = t[(sep + 2)..];
        long size = -1;
        DateTimeOffset modified = default;
        bool dir = false;
        string perm = "";
        int? mode = null;
        foreach (var fact in t[..sep].Split(';'))
        {
            int eq = fact.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            string key = fact[..eq].ToUpperInvariant();
            string value = fact[(eq + 1)..];
            switch (key)
            {
                case "SIZE" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long s):
                    size = s;
                    break;
                case "MODIFY" when DateTime.TryParseExact(value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var m):
                    modified = new DateTimeOffset(m);
                    break;
                case "TYPE":
                    dir = value.Equals("dir", StringComparison.OrdinalIgnoreCase) || value.Equals("cdir", StringComparison.OrdinalIgnoreCase);
                    break;
                case "PERM":
                    perm = value;
                    break;
                case "UNIX.MODE" when TryParseOctal(value, out int m):
                    mode = m;
                    break;
                default:
                    break;
            }
        }

        if (size < 0)
        {
            throw new UftpReplyException("MLST", 250, line, "MLST facts without a size: '" + line + "'");
        }

        return new UftpFileInfo(name, dir, size, modified, perm, mode);
    }

    // DateTimeOffset.MaxValue in Unix milliseconds (9999-12-31T23:59:59.999Z).
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    // A mode is 1 to 7 octal digits (up to 07777777); other text is ignored like any malformed fact.
    private static bool TryParseOctal(string value, out int mode)
    {
        mode = 0;
        if (value.Length is 0 or > 7)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            mode = (mode * 8) + (c - '0');
        }

        return true;
    }
}

/// <summary>A checksum uftpd computed (<c>213 ALGO first-last HEX path</c>).</summary>
/// <param name="Algorithm">MD5, SHA-1, SHA-256 or SHA-512.</param>
/// <param name="First">The first byte hashed.</param>
/// <param name="Last">The last byte hashed (inclusive; 0 for an empty file).</param>
/// <param name="Hex">The lower-case hex digest.</param>
/// <param name="Path">The path uftpd names.</param>
public sealed record UftpHash(string Algorithm, long First, long Last, string Hex, string Path)
{
    /// <summary>Parses the text of a <c>213</c> HASH reply.</summary>
    /// <param name="text">The text after the code.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="UftpReplyException">Another shape.</exception>
    public static UftpHash Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var p = text.Split(' ', 4);
        int dash = p.Length == 4 ? p[1].IndexOf('-', StringComparison.Ordinal) : -1;
        if (dash <= 0 || !long.TryParse(p[1].AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out long first)
            || !long.TryParse(p[1].AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long last) || p[2].Length == 0)
        {
            throw new UftpReplyException("HASH", 213, text, "malformed HASH reply (expected 'ALGO first-last hex path'): '" + text + "'");
        }

        return new UftpHash(p[0], first, last, p[2].ToLowerInvariant(), p[3]);
    }
}
