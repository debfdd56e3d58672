using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// Encrypts everything written as one cipher message (uftpd's CryptWriter, Java's CipherOutputStream): whole blocks go
/// out as they fill, the PKCS#5 padding only at <see cref="CompleteAsync"/>. Two pooled buffers, nothing allocated per write.
/// </summary>
internal sealed class CipherWriteStream : Stream
{
    private const int BufferSize = 64 * 1024;
    private readonly Stream _inner;
    private readonly BlockCipher _cipher;
    private byte[] _plain;
    private byte[] _crypt;
    private int _count;
    private bool _completed;

    public CipherWriteStream(Stream inner, BlockCipher cipher)
    {
        _inner = inner;
        _cipher = cipher;
        _plain = ArrayPool<byte>.Shared.Rent(BufferSize);
        _crypt = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, BufferSize - _count);
            buffer[..n].CopyTo(_plain.AsSpan(_count));
            _count += n;
            buffer = buffer[n..];
            if (_count == BufferSize)
            {
                _cipher.Transform(_plain, 0, BufferSize, _crypt, 0);
                _inner.Write(_crypt, 0, BufferSize);
                _count = 0;
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, BufferSize - _count);
            buffer.Span[..n].CopyTo(_plain.AsSpan(_count));
            _count += n;
            buffer = buffer[n..];
            if (_count == BufferSize)
            {
                _cipher.Transform(_plain, 0, BufferSize, _crypt, 0);
                await _inner.WriteAsync(_crypt.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                _count = 0;
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes the last block with its padding (a whole padding block when the data fill whole blocks) and flushes.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            return;
        }

        int n = Pad();
        await _inner.WriteAsync(_crypt.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The synchronous <see cref="CompleteAsync"/>.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        int n = Pad();
        _inner.Write(_crypt, 0, n);
        _inner.Flush();
    }

    private int Pad()
    {
        int bs = _cipher.BlockSize;
        int whole = _count / bs * bs;
        int pad = bs - (_count - whole);
        _plain.AsSpan(_count, pad).Fill((byte)pad);
        int total = _count + pad;
        _cipher.Transform(_plain, 0, total, _crypt, 0);
        _count = 0;
        _completed = true;
        return total;
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _plain.Length > 0)
        {
            _completed = true;
            ArrayPool<byte>.Shared.Return(_plain);
            ArrayPool<byte>.Shared.Return(_crypt);
            _plain = [];
            _crypt = [];
            _cipher.Dispose();
        }

        base.Dispose(disposing);
    }
}
