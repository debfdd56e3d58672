using System;
using System.IO;
using System.Net.Sockets;
using Toolkit.Runtime.Fuse;

namespace Toolkit.Unicore.Uftp.Mount;

/// <summary>Maps what the UFTP engine throws to the errno a FUSE call returns.</summary>
public static class UftpErrno
{
    /// <summary>The negative errno for <paramref name="e"/>.</summary>
    /// <param name="e">The failure.</param>
    /// <returns>-ENOENT, -EACCES, -EEXIST, -ENOTEMPTY, -ENOTDIR, -EISDIR, -ENOSPC, -EROFS, or -EIO for everything else.</returns>
    public static int From(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            UftpReplyException r => -FromReply(r.Code, r.Reply + " " + r.Message),
            UftpAuthException { StatusCode: 401 or 403 } => -Errno.EACCES,
            UnauthorizedAccessException => -Errno.EACCES,
            FileNotFoundException or DirectoryNotFoundException => -Errno.ENOENT,
            AggregateException { InnerExceptions.Count: 1 } a => From(a.InnerExceptions[0]),
            TimeoutException or OperationCanceledException or IOException or SocketException or UftpException => -Errno.EIO,
            _ => -Errno.EIO,
        };
    }

    /// <summary>The errno for a uftpd error reply (positive).</summary>
    /// <param name="code">The reply code.</param>
    /// <param name="text">The reply text (uftpd passes Python's <c>[Errno N]</c> text through).</param>
    /// <returns>The errno.</returns>
    public static int FromReply(int code, string text)
    {
        text ??= "";
        if (code == 530)
        {
            return Errno.EACCES;
        }

        // uftpd replies "500 Error processing command 'X': [Errno N] strerror: 'path'" for OS errors.
        int at = text.IndexOf("[Errno ", StringComparison.Ordinal);
        if (at >= 0)
        {
            int end = text.IndexOf(']', at);
            if (end > at + 7 && int.TryParse(text.AsSpan(at + 7, end - at - 7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int errno) && errno is > 0 and < 4096)
            {
                return errno;
            }
        }

        if (code == 550 || text.Contains("does not exist", StringComparison.OrdinalIgnoreCase) || text.Contains("No such file", StringComparison.OrdinalIgnoreCase))
        {
            return Errno.ENOENT;
        }

        if (text.Contains("ermission denied", StringComparison.Ordinal) || text.Contains("Access denied", StringComparison.OrdinalIgnoreCase))
        {
            return Errno.EACCES;
        }

        return code == 552 ? Errno.ENOSPC : Errno.EIO;
    }
}
