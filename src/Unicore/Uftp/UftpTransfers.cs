using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// File transfers over a <see cref="UftpSession"/>: whole files or byte ranges, resumable, verified with uftpd's
/// <c>HASH</c>. A target is written under <c>NAME.part</c> and renamed only when complete (and verified), so a
/// failure never leaves a file that looks finished.
/// </summary>
public static class UftpTransfers
{
    /// <summary>The suffix of an unfinished target.</summary>
    public const string PartSuffix = ".part";

    /// <summary>Downloads a remote file to a local path.</summary>
    /// <param name="session">The session.</param>
    /// <param name="remotePath">The remote file.</param>
    /// <param name="localPath">The local target.</param>
    /// <param name="options">Range, resume, verify, progress.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>What was moved.</returns>
    /// <exception cref="UftpException">A protocol, data or checksum failure.</exception>
    public static async Task<UftpTransferResult> DownloadAsync(UftpSession session, string remotePath, string localPath, UftpTransferOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        options ??= new UftpTransferOptions();
        var clock = Stopwatch.StartNew();
        var info = await session.StatAsync(remotePath, cancellationToken).ConfigureAwait(false);
        if (info.IsDirectory)
        {
            throw new UftpException("'" + remotePath + "' is a directory (use a recursive copy)");
        }

        long start = options.Offset;
        long total = options.Length >= 0 ? Math.Min(options.Length, Math.Max(0, info.Size - start)) : Math.Max(0, info.Size - start);
        if (options.Partial)
        {
            var fs = new FileStream(localPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (fs.ConfigureAwait(false))
            {
                fs.Position = start;
                var (moved, streams) = await ReceiveAsync(session, remotePath, start, total, fs, options, cancellationToken).ConfigureAwait(false);
                var hash = options.Verify ? await VerifyAsync(session, remotePath, start, total, localPath, start, options.HashAlgorithm, cancellationToken).ConfigureAwait(false) : null;
                return new UftpTransferResult(moved, total, clock.Elapsed, streams, hash, false);
            }
        }

        string part = localPath + PartSuffix;
        long have = 0;
        if (options.Resume)
        {
            if (!File.Exists(part) && File.Exists(localPath))
            {
                long existing = new System.IO.FileInfo(localPath).Length;
                if (existing == total)
                {
                    var h = options.Verify ? await VerifyAsync(session, remotePath, start, total, localPath, 0, options.HashAlgorithm, cancellationToken).ConfigureAwait(false) : null;
                    return new UftpTransferResult(0, total, clock.Elapsed, 0, h, true);
                }

                if (existing < total)
                {
                    File.Move(localPath, part);
                }
            }

            have = File.Exists(part) ? new System.IO.FileInfo(part).Length : 0;
            if (have > total)
            {
                have = 0;
            }
        }

        bool done = false;
        try
        {
            long moved = 0;
            int streams = 0;
            var fs = new FileStream(part, have > 0 ? FileMode.Open : FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (fs.ConfigureAwait(false))
            {
                fs.SetLength(have);
                fs.Position = have;
                if (total - have > 0 || total == 0)
                {
                    (moved, streams) = await ReceiveAsync(session, remotePath, start + have, total - have, fs, options, cancellationToken).ConfigureAwait(false);
                }

                await fs.FlushAsync(cancellationToken).ConfigureAwait(false);
                fs.Flush(flushToDisk: true);
            }

            var hash = options.Verify ? await VerifyAsync(session, remotePath, start, total, part, 0, options.HashAlgorithm, cancellationToken).ConfigureAwait(false) : null;
            File.Move(part, localPath, overwrite: true);
            done = true;
            return new UftpTransferResult(moved, total, clock.Elapsed, streams, hash, false);
        }
        finally
        {
            if (!done && !options.Resume)
            {
                TryDelete(part);
            }
        }
    }

    /// <summary>Uploads a local file to a remote path (via <c>NAME.part</c> and a rename at the end).</summary>
    /// <param name="session">The session.</param>
    /// <param name="localPath">The local file.</param>
    /// <param name="remotePath">The remote target.</param>
    /// <param name="options">Range, resume, verify, progress.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>What was moved.</returns>
    public static async Task<UftpTransferResult> UploadAsync(UftpSession session, string localPath, string remotePath, UftpTransferOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        options ??= new UftpTransferOptions();
        var clock = Stopwatch.StartNew();
        var fs = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (fs.ConfigureAwait(false))
        {
            long start = options.Offset;
            long total = options.Length >= 0 ? Math.Min(options.Length, Math.Max(0, fs.Length - start)) : Math.Max(0, fs.Length - start);
            if (options.Partial)
            {
                fs.Position = start;
                var (m, s) = await SendAsync(session, remotePath, start, total, partial: true, fs, options, cancellationToken).ConfigureAwait(false);
                var h = options.Verify ? await VerifyAsync(session, remotePath, start, total, localPath, start, options.HashAlgorithm, cancellationToken).ConfigureAwait(false) : null;
                return new UftpTransferResult(m, total, clock.Elapsed, s, h, false);
            }

            string part = remotePath + PartSuffix;
            long have = 0;
            if (options.Resume)
            {
                var partInfo = await session.TryStatAsync(part, cancellationToken).ConfigureAwait(false);
                if (partInfo is null && await session.TryStatAsync(remotePath, cancellationToken).ConfigureAwait(false) is { IsDirectory: false } existing)
                {
                    if (existing.Size == total)
                    {
                        var h = options.Verify ? await VerifyAsync(session, remotePath, 0, total, localPath, start, options.HashAlgorithm, cancellationToken).ConfigureAwait(false) : null;
                        return new UftpTransferResult(0, total, clock.Elapsed, 0, h, true);
                    }

                    if (existing.Size < total)
                    {
                        await session.RenameAsync(remotePath, part, cancellationToken).ConfigureAwait(false);
                        partInfo = existing;
                    }
                }

                have = partInfo is { IsDirectory: false } p && p.Size <= total ? p.Size : 0;
            }

            bool done = false;
            try
            {
                fs.Position = start + have;
                var (moved, streams) = have > 0
                    ? await SendAsync(session, part, have, total - have, partial: true, fs, options, cancellationToken).ConfigureAwait(false)
                    : await SendAsync(session, part, 0, total, partial: false, fs, options, cancellationToken).ConfigureAwait(false);
                var hash = options.Verify ? await VerifyAsync(session, part, 0, total, localPath, start, options.HashAlgorithm, cancellationToken).ConfigureAwait(false) : null;
                await session.RenameAsync(part, remotePath, cancellationToken).ConfigureAwait(false);
                done = true;
                return new UftpTransferResult(moved, total, clock.Elapsed, streams, hash, false);
            }
            finally
            {
                if (!done && !options.Resume)
                {
                    try
                    {
                        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                        await session.RemoveFileAsync(part, cts.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is UftpException or TimeoutException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
                    {
                        // Best effort: the .part name already says it is unfinished.
                    }
                }
            }
        }
    }

    private static async Task<(long Moved, int Streams)> ReceiveAsync(UftpSession session, string remotePath, long offset, long length, Stream target, UftpTransferOptions options, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        try
        {
            var source = await session.OpenReadAsync(remotePath, offset, length, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                long moved = 0;
                int n;
                while ((n = await source.ReadAsync(buffer.AsMemory(0, options.BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    moved += n;
                    options.Progress?.Invoke(moved);
                }

                if (moved != length)
                {
                    throw new UftpDataException(0, moved, "received " + moved + " bytes, expected " + length);
                }

                return (moved, source.Streams);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<(long Moved, int Streams)> SendAsync(UftpSession session, string remotePath, long offset, long length, bool partial, Stream source, UftpTransferOptions options, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        try
        {
            var target = await session.OpenWriteAsync(remotePath, length, offset, partial, cancellationToken).ConfigureAwait(false);
            await using (target.ConfigureAwait(false))
            {
                long moved = 0;
                while (moved < length)
                {
                    int want = (int)Math.Min(options.BufferSize, length - moved);
                    int n = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        throw new IOException("the local file ended after " + moved + " of " + length + " bytes (did it shrink during the upload?)");
                    }

                    await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    moved += n;
                    options.Progress?.Invoke(moved);
                }

                await target.CompleteAsync().ConfigureAwait(false);
                return (moved, target.Streams);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Compares uftpd's HASH of the remote range with the same bytes of the local file.</summary>
    private static async Task<UftpHash> VerifyAsync(UftpSession session, string remotePath, long remoteOffset, long length, string localPath, long localOffset, string algorithm, CancellationToken cancellationToken)
    {
        var remote = await session.HashAsync(remotePath, algorithm, remoteOffset, length, cancellationToken).ConfigureAwait(false);
        string local = await LocalHashAsync(localPath, localOffset, length, remote.Algorithm, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(local, remote.Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new UftpException("checksum mismatch for '" + remotePath + "' (" + remote.Algorithm + "): uftpd has " + remote.Hex + ", the local copy " + local);
        }

        return remote;
    }

    /// <summary>The hex digest of <paramref name="length"/> bytes of a local file from <paramref name="offset"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="offset">The first byte.</param>
    /// <param name="length">The byte count.</param>
    /// <param name="algorithm">MD5, SHA-1, SHA-256 or SHA-512.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>Lower-case hex.</returns>
    public static async Task<string> LocalHashAsync(string path, long offset, long length, string algorithm, CancellationToken cancellationToken = default)
    {
        var name = (algorithm ?? "").ToUpperInvariant() switch
        {
            "MD5" => HashAlgorithmName.MD5,
            "SHA-1" or "SHA1" => HashAlgorithmName.SHA1,
            "SHA-256" or "SHA256" => HashAlgorithmName.SHA256,
            "SHA-512" or "SHA512" => HashAlgorithmName.SHA512,
            _ => throw new ArgumentException("unsupported hash algorithm '" + algorithm + "' (MD5, SHA-1, SHA-256, SHA-512)", nameof(algorithm)),
        };
        using var hash = IncrementalHash.CreateHash(name);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (fs.ConfigureAwait(false))
            {
                fs.Position = offset;
                long left = length;
                while (left > 0)
                {
                    int n = await fs.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    hash.AppendData(buffer, 0, n);
                    left -= n;
                }
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
