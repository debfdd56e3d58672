using System;
using System.Globalization;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// What the client asks the Auth server for (<c>POST https://AUTHHOST:PORT/rest/auth/SERVER</c>): the Java Auth
/// server's AuthRequest. Streams, compression and the key must match the session's <see cref="UftpSessionOptions"/>.
/// </summary>
public sealed record UftpAuthRequest
{
    /// <summary>The session's base directory (<c>serverPath</c>); uftpd uses its directory part. Empty for the home directory.</summary>
    public string ServerPath { get; init; } = "";

    /// <summary>The number of data streams (<c>streamCount</c>, sent when more than 1).</summary>
    public int StreamCount { get; init; } = 1;

    /// <summary>Gzip the data (<c>compress</c>).</summary>
    public bool Compress { get; init; }

    /// <summary>The data encryption (<c>encryptionKey</c> in base64 and <c>encryptionAlgorithm</c>), or null.</summary>
    public UftpEncryption? Encryption { get; init; }

    /// <summary>The Unix group to run as (<c>group</c>), or null for the default.</summary>
    public string? Group { get; init; }

    /// <summary>Comma-separated client IPs uftpd accepts (<c>client</c>), or null for the one the Auth server sees.</summary>
    public string? ClientIps { get; init; }

    /// <summary>Let the one-time secret open several control connections while the session lives (<c>persistent</c>; pyuftp always sets it).</summary>
    public bool Persistent { get; init; } = true;

    /// <summary>The session options that match this request.</summary>
    /// <param name="timeout">The socket timeout, or null for the default.</param>
    /// <returns>The options.</returns>
    public UftpSessionOptions ToSessionOptions(TimeSpan? timeout = null) => new()
    {
        Streams = StreamCount,
        Compress = Compress,
        Encryption = Encryption,
        Timeout = timeout ?? TimeSpan.FromSeconds(60),
    };
}

/// <summary>The Auth server's answer: where uftpd listens and the one-time secret. <see cref="ToString"/> hides the secret.</summary>
/// <param name="ServerHost">uftpd's host.</param>
/// <param name="ServerPort">uftpd's listen port.</param>
/// <param name="Secret">The one-time password for <c>PASS</c>.</param>
public sealed record UftpAuthResponse(string ServerHost, int ServerPort, string Secret)
{
    /// <summary>Host and port, never the secret.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ServerHost + ":" + ServerPort.ToString(CultureInfo.InvariantCulture);
}
