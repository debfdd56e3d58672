using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// Decrypts a cipher message read to its end (uftpd's DecryptReader): it holds back the last block until the
/// connection ends, then checks and strips the PKCS#5 padding. A stream that does not end on a block boundary, or
/// whose padding is wrong, is a <see cref="UftpDataException"/> naming the stream and the byte offset.
/// </summary>
internal sealed class CipherReadStream : Stream
{
    private const int BufferSize = 64 * 1024;
    private readonly Stream _inner;
    private readonly BlockCipher _cipher;
    private readonly int _streamIndex;
    private byte[] _raw;
    private byte[] _plain;
    private int _rawCount;
    private int _plainPos;
    private int _plainEnd;
    private long _received;
    private bool _eof;

    public CipherReadStream(Stream inner, BlockCipher cipher, int streamIndex = 0)
    {
        _inner = inner;
        _cipher = cipher;
        _streamIndex = streamIndex;
        _raw = ArrayPool<byte>.Shared.Rent(BufferSize);
        _plain = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        while (_plainPos == _plainEnd)
        {
            if (_eof)
            {
                return 0;
            }

            int n = _inner.Read(_raw, _rawCount, BufferSize - _rawCount);
            Accept(n);
        }

        return Take(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_plainPos == _plainEnd)
        {
            if (_eof)
            {
                return 0;
            }

            int n = await _inner.ReadAsync(_raw.AsMemory(_rawCount, BufferSize - _rawCount), cancellationToken).ConfigureAwait(false);
            Accept(n);
        }

        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Take(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, _plainEnd - _plainPos);
        _plain.AsSpan(_plainPos, n).CopyTo(buffer);
        _plainPos += n;
        return n;
    }

    /// <summary>Takes <paramref name="n"/> newly read bytes (0 = end of stream) and decrypts what can be decrypted.</summary>
    private void Accept(int n)
    {
        int bs = _cipher.BlockSize;
        _received += n;
        if (n == 0)
        {
            _eof = true;
            if (_rawCount % bs != 0)
            {
                throw new UftpDataException(_streamIndex, _received, "truncated cipher block: the stream ended " + (_rawCount % bs).ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes into a " + bs.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-byte block");
            }

            if (_rawCount == 0)
            {
                throw new UftpDataException(_streamIndex, _received, "the encrypted stream ended without its padding block");
            }

            _cipher.Transform(_raw, 0, _rawCount, _plain, 0);
            int pad = _plain[_rawCount - 1];
            if (pad < 1 || pad > bs || !AllEqual(_plain.AsSpan(_rawCount - pad, pad), (byte)pad))
            {
                throw new UftpDataException(_streamIndex, _received, "bad cipher padding in the last block (wrong key or a corrupted stream)");
            }

            _plainPos = 0;
            _plainEnd = _rawCount - pad;
            _rawCount = 0;
            return;
        }

        _rawCount += n;

        // Hold back at least one byte, so the last whole block stays until the end tells it carries the padding.
        int ready = (_rawCount - 1) / bs * bs;
        if (ready > 0)
        {
            _cipher.Transform(_raw, 0, ready, _plain, 0);
            _plainPos = 0;
            _plainEnd = ready;
            Buffer.BlockCopy(_raw, ready, _raw, 0, _rawCount - ready);
            _rawCount -= ready;
        }
    }

    private static bool AllEqual(ReadOnlySpan<byte> span, byte value) => !span.ContainsAnyExcept(value);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _raw.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_raw);
            ArrayPool<byte>.Shared.Return(_plain);
            _raw = [];
            _plain = [];
            _cipher.Dispose();
        }

        base.Dispose(disposing);
    }
}
