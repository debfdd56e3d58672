using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// The data of one <c>STOR</c>. <see cref="CompleteAsync"/> sends the end (gzip trailer, cipher padding), closes the
/// data connections and waits for uftpd's <c>226</c>; disposing without it aborts the upload.
/// </summary>
public sealed class UftpWriteStream : UftpTransferStream
{
    private long _written;

    internal UftpWriteStream(UftpSession session, UftpDataChannel channel, long length, CancellationToken cancellationToken)
        : base("STOR", session, channel, length, cancellationToken)
    {
    }

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <summary>Bytes written so far.</summary>
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Finished, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (DeclaredLength >= 0 && _written + buffer.Length > DeclaredLength)
        {
            throw new InvalidOperationException("writing more than the " + DeclaredLength.ToString(CultureInfo.InvariantCulture) + " bytes declared to uftpd");
        }

        await Channel.WriteAsync(buffer).ConfigureAwait(false);
        _written += buffer.Length;
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Not supported: use <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.</summary>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("UFTP streams are asynchronous: use WriteAsync");

    /// <summary>Ends the upload and waits for uftpd's confirmation.</summary>
    /// <exception cref="InvalidOperationException">Fewer bytes were written than declared.</exception>
    /// <exception cref="UftpReplyException">uftpd did not confirm with 226.</exception>
    public async Task CompleteAsync()
    {
        ObjectDisposedException.ThrowIf(Finished, this);
        if (DeclaredLength >= 0 && _written != DeclaredLength)
        {
            throw new InvalidOperationException("only " + _written.ToString(CultureInfo.InvariantCulture) + " of the " + DeclaredLength.ToString(CultureInfo.InvariantCulture) + " declared bytes were written");
        }

        Finished = true;
        try
        {
            await Channel.CompleteWriteAsync().ConfigureAwait(false);
        }
        catch
        {
            Channel.Abort();
            Channel.Dispose();
            await Session.FinishTransferAsync("STOR", aborted: true, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        Channel.Dispose();
        await Session.FinishTransferAsync("STOR", aborted: false, Cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
