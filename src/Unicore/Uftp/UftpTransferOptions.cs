using System;

namespace Toolkit.Unicore.Uftp;

/// <summary>How one file moves (the Java client's and pyuftp's <c>-B</c>, <c>-R</c> and checksum options).</summary>
public sealed record UftpTransferOptions
{
    /// <summary>The first byte of the source to move (<c>-B start-end</c>).</summary>
    public long Offset { get; init; }

    /// <summary>How many bytes from <see cref="Offset"/>, or -1 for the rest of the source.</summary>
    public long Length { get; init; } = -1;

    /// <summary>
    /// Write the range into the existing target at the same offset (<c>-B start-end-p</c>) instead of making a
    /// target that holds only the range. No temporary file: the target is the user's to patch.
    /// </summary>
    public bool Partial { get; init; }

    /// <summary>
    /// Continue an interrupted transfer (<c>-R</c>): the bytes already in the partial target (<c>NAME.part</c>,
    /// or a shorter target) are kept and only the rest is moved. A failed resumable transfer keeps its <c>.part</c>.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>Check the target against uftpd's <c>HASH</c> of the same bytes at the end.</summary>
    public bool Verify { get; init; }

    /// <summary>The checksum for <see cref="Verify"/>: MD5, SHA-1, SHA-256 or SHA-512.</summary>
    public string HashAlgorithm { get; init; } = "SHA-256";

    /// <summary>Called with the bytes moved so far (from the transfer's thread; keep it cheap).</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>The copy buffer size.</summary>
    public int BufferSize { get; init; } = 1 << 20;
}

/// <summary>What a transfer did.</summary>
/// <param name="Bytes">Bytes moved in this run (a resumed transfer counts only the rest).</param>
/// <param name="TotalBytes">The size of the complete target range.</param>
/// <param name="Elapsed">The wall time.</param>
/// <param name="Streams">The data connections used.</param>
/// <param name="Hash">uftpd's checksum when verified.</param>
/// <param name="Skipped">True when the target was already complete (resume).</param>
public sealed record UftpTransferResult(long Bytes, long TotalBytes, TimeSpan Elapsed, int Streams, UftpHash? Hash, bool Skipped);
