using System;

namespace Toolkit.Cli;

/// <summary>Options every <c>toolkit uftp</c> command takes (pyuftp's and the Java client's short options).</summary>
internal sealed record UftpGlobalOptions(
    string? User,
    bool AskPassword,
    string? Token,
    int Streams,
    bool Encrypt,
    string? Algorithm,
    bool Compress,
    TimeSpan Timeout,
    bool Json);

/// <summary><c>toolkit uftp cp</c>.</summary>
internal sealed record UftpCopyOptions(UftpGlobalOptions Global, string[] Sources, string Target, string? ByteRange, bool Recursive, int Threads, bool Resume, bool NoVerify, string HashAlgorithm);

/// <summary><c>toolkit uftp ls|mkdir|rm|find|checksum</c>.</summary>
internal sealed record UftpPathOptions(UftpGlobalOptions Global, string Remote, bool Recursive, string? HashAlgorithm);

/// <summary><c>toolkit uftp issue-token</c>.</summary>
internal sealed record UftpTokenOptions(UftpGlobalOptions Global, string AuthUrl, long? Lifetime, bool Renewable, bool Limited, bool Inspect);

/// <summary><c>toolkit uftp mount</c>.</summary>
internal sealed record UftpMountCommandOptions(UftpGlobalOptions Global, string Remote, string MountPoint, bool ReadOnly, double AttributeCacheSeconds, bool Verbose);
