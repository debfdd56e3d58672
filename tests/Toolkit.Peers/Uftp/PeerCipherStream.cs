using System;
using System.IO;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Paddings;
using Org.BouncyCastle.Crypto.Parameters;

namespace Toolkit.Peers.Uftp;

/// <summary>
/// The peer's cipher layer (uftpd's CryptWriter/DecryptReader): one PKCS#7-padded message per connection through
/// BouncyCastle's buffered block ciphers (AES/CBC with the hardware engine, Blowfish/ECB). Independent of the client's.
/// </summary>
internal sealed class PeerCipherStream : Stream
{
    private readonly Stream _inner;
    private readonly PaddedBufferedBlockCipher _cipher;
    private readonly bool _write;
    private readonly byte[] _raw = new byte[1 << 16];
    private byte[] _out = new byte[(1 << 16) + 64];
    private int _outPos;
    private int _outEnd;
    private bool _done;

    public PeerCipherStream(Stream inner, byte[] key, string algorithm, bool write)
    {
        _inner = inner;
        _write = write;
        if (algorithm == "AES")
        {
            _cipher = new PaddedBufferedBlockCipher(new CbcBlockCipher(AesUtilities.CreateEngine()), new Pkcs7Padding());
            _cipher.Init(write, new ParametersWithIV(new KeyParameter(key, 16, key.Length - 16), key, 0, 16));
        }
        else
        {
            _cipher = new PaddedBufferedBlockCipher(new BlowfishEngine(), new Pkcs7Padding());
            _cipher.Init(write, new KeyParameter(key));
        }
    }

    public override bool CanRead => !_write;

    public override bool CanSeek => false;

    public override bool CanWrite => _write;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, _raw.Length);
            int produced = _cipher.ProcessBytes(buffer[..n], _out);
            _inner.Write(_out, 0, produced);
            buffer = buffer[n..];
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_outPos == _outEnd)
        {
            if (_done)
            {
                return 0;
            }

            int n = _inner.Read(_raw, 0, _raw.Length);
            _outPos = 0;
            if (n == 0)
            {
                _done = true;
                _outEnd = _cipher.DoFinal(_out, 0); // throws on a truncated block or bad padding
            }
            else
            {
                _outEnd = _cipher.ProcessBytes(_raw, 0, n, _out, 0);
            }
        }

        int k = Math.Min(buffer.Length, _outEnd - _outPos);
        _out.AsSpan(_outPos, k).CopyTo(buffer);
        _outPos += k;
        return k;
    }

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _write && !_done)
        {
            _done = true;
            int n = _cipher.DoFinal(_out, 0);
            _inner.Write(_out, 0, n);
            _inner.Flush();
        }

        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
