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
public sealed class UftpReadStream : Stream
{
    private readonly UftpSession _session;
    private readonly UftpDataChannel _channel;
    private readonly long _length;
    private readonly CancellationToken _cancellation;
    private long _read;
    private bool _finished;

    internal UftpReadStream(UftpSession session, UftpDataChannel channel, long length, CancellationToken cancellationToken)
    {
        _session = session;
        _channel = channel;
        _length = length;
        _cancellation = cancellationToken;
    }

    /// <summary>The number of data connections uftpd accepted.</summary>
    public int Streams => _channel.Streams;

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <summary>The byte count uftpd announced (<c>150 OK n bytes available</c>).</summary>
    public override long Length => _length;

    /// <summary>Bytes read so far.</summary>
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_finished || buffer.IsEmpty)
        {
            return 0;
        }

        cancellationToken.ThrowIfCancellationRequested();
        int n = await _channel.ReadAsync(buffer).ConfigureAwait(false);
        _read += n;
        if (_read > _length)
        {
            throw new UftpDataException(0, _read, "uftpd sent more than the " + _length.ToString(CultureInfo.InvariantCulture) + " bytes it announced");
        }

        if (n == 0)
        {
            if (_read != _length)
            {
                throw new UftpDataException(0, _read, "the data connection closed after " + _read.ToString(CultureInfo.InvariantCulture) + " of " + _length.ToString(CultureInfo.InvariantCulture) + " announced bytes (a dropped data stream?)");
            }

            _finished = true;
            _channel.Dispose();
            await _session.FinishTransferAsync("RETR", aborted: false, _cancellation).ConfigureAwait(false);
        }

        return n;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Not supported: use <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("UFTP streams are asynchronous: use ReadAsync");

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Aborts an unfinished transfer (closes the data connections, then takes uftpd's reply off the control connection).</summary>
    public override async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            _channel.Abort();
            _channel.Dispose();
            try
            {
                await _session.FinishTransferAsync("RETR", aborted: true, CancellationToken.None).ConfigureAwait(false);
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
