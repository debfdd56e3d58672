using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// The data of one <c>RETR</c>. Reading to the end checks that uftpd sent exactly what it announced and that it
/// confirmed with <c>226</c>; a short or long stream is a <see cref="UftpDataException"/>. Disposing before the end
/// aborts the data connections.
/// </summary>
public sealed class UftpReadStream : UftpTransferStream
{
    private long _read;

    internal UftpReadStream(UftpSession session, UftpDataChannel channel, long length, CancellationToken cancellationToken)
        : base("RETR", session, channel, length, cancellationToken)
    {
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <summary>Bytes read so far.</summary>
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Finished || buffer.IsEmpty)
        {
            return 0;
        }

        cancellationToken.ThrowIfCancellationRequested();
        int n = await Channel.ReadAsync(buffer).ConfigureAwait(false);
        _read += n;
        if (_read > DeclaredLength)
        {
            throw new UftpDataException(0, _read, "uftpd sent more than the " + DeclaredLength.ToString(CultureInfo.InvariantCulture) + " bytes it announced");
        }

        if (n == 0)
        {
            if (_read != DeclaredLength)
            {
                throw new UftpDataException(0, _read, "the data connection closed after " + _read.ToString(CultureInfo.InvariantCulture) + " of " + DeclaredLength.ToString(CultureInfo.InvariantCulture) + " announced bytes (a dropped data stream?)");
            }

            Finished = true;
            Channel.Dispose();
            await Session.FinishTransferAsync("RETR", aborted: false, Cancellation).ConfigureAwait(false);
        }

        return n;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Not supported: use <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("UFTP streams are asynchronous: use ReadAsync");

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
