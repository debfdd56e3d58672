using System;

namespace Toolkit.Unicore.Uftp;

/// <summary>How a UFTP session moves data: these must match what the auth request asked for (uftpd takes them from it).</summary>
public sealed record UftpSessionOptions
{
    /// <summary>Parallel data connections per transfer (uftpd caps them at its MAX_STREAMS, 4 by default; the engine follows a <c>223</c>).</summary>
    public int Streams { get; init; } = 1;

    /// <summary>The data encryption, or null.</summary>
    public UftpEncryption? Encryption { get; init; }

    /// <summary>Gzip the data.</summary>
    public bool Compress { get; init; }

    /// <summary>The timeout for connecting and for each wait on the control or data connections.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest a HASH may take (uftpd sends <c>213-</c> keep-alives every 30 s on large files).</summary>
    public TimeSpan HashTimeout { get; init; } = TimeSpan.FromMinutes(30);
}
