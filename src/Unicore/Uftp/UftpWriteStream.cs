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
public sealed class UftpWriteStream : Stream
{
    private readonly UftpSession _session;
    private readonly UftpDataChannel _channel;
    private readonly long _length;
    private readonly CancellationToken _cancellation;
    private long _written;
    private bool _finished;

    internal UftpWriteStream(UftpSession session, UftpDataChannel channel, long length, CancellationToken cancellationToken)
    {
        _session = session;
        _channel = channel;
        _length = length;
        _cancellation = cancellationToken;
    }

    /// <summary>The number of data connections uftpd accepted.</summary>
    public int Streams => _channel.Streams;

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <summary>The declared length, -1 when unknown.</summary>
    public override long Length => _length;

    /// <summary>Bytes written so far.</summary>
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_length >= 0 && _written + buffer.Length > _length)
        {
            throw new InvalidOperationException("writing more than the " + _length.ToString(CultureInfo.InvariantCulture) + " bytes declared to uftpd");
        }

        await _channel.WriteAsync(buffer).ConfigureAwait(false);
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
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_length >= 0 && _written != _length)
        {
            throw new InvalidOperationException("only " + _written.ToString(CultureInfo.InvariantCulture) + " of the " + _length.ToString(CultureInfo.InvariantCulture) + " declared bytes were written");
        }

        _finished = true;
        try
        {
            await _channel.CompleteWriteAsync().ConfigureAwait(false);
        }
        catch
        {
            _channel.Abort();
            _channel.Dispose();
            await _session.FinishTransferAsync("STOR", aborted: true, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        _channel.Dispose();
        await _session.FinishTransferAsync("STOR", aborted: false, _cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Aborts an upload that was not completed.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            _channel.Abort();
            _channel.Dispose();
            try
            {
                await _session.FinishTransferAsync("STOR", aborted: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is UftpException or TimeoutException or IOException)
            {
                // The session may be unusable; the caller's error says why.
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            _channel.Abort();
            _channel.Dispose();
        }

        base.Dispose(disposing);
    }
}
