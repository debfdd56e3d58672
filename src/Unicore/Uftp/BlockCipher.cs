using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace Toolkit.Unicore.Uftp;

/// <summary>One direction of a chained block cipher: transforms whole blocks, keeping the chaining state between calls.</summary>
internal abstract class BlockCipher : IDisposable
{
    /// <summary>The block size in bytes (8 for Blowfish, 16 for AES).</summary>
    public abstract int BlockSize { get; }

    /// <summary>Transforms <paramref name="count"/> bytes (a whole number of blocks) of <paramref name="input"/> into <paramref name="output"/> (distinct arrays).</summary>
    public abstract void Transform(byte[] input, int offset, int count, byte[] output, int outputOffset);

    public virtual void Dispose()
    {
    }
}

/// <summary>Blowfish/ECB (BouncyCastle's engine; .NET has no Blowfish).</summary>
internal sealed class BlowfishEcbCipher : BlockCipher
{
    private readonly BlowfishEngine _engine = new();

    public BlowfishEcbCipher(byte[] key, bool encrypt) => _engine.Init(encrypt, new KeyParameter(key));

    public override int BlockSize => 8;

    public override void Transform(byte[] input, int offset, int count, byte[] output, int outputOffset)
    {
        var src = input.AsSpan(offset, count);
        var dst = output.AsSpan(outputOffset, count);
        for (int i = 0; i < count; i += 8)
        {
            _engine.ProcessBlock(src.Slice(i, 8), dst.Slice(i, 8));
        }
    }
}

/// <summary>AES/CBC through the platform (OpenSSL on Linux): one transform per stream, no padding (the layer pads).</summary>
internal sealed class AesCbcCipher : BlockCipher
{
    private readonly Aes _aes;
    private readonly ICryptoTransform _transform;

    public AesCbcCipher(byte[] keyMaterial, bool encrypt)
    {
        _aes = Aes.Create();
        _aes.Mode = CipherMode.CBC;
        _aes.Padding = PaddingMode.None;
        byte[] iv = keyMaterial[..16];
        byte[] key = keyMaterial[16..];
        _transform = encrypt ? _aes.CreateEncryptor(key, iv) : _aes.CreateDecryptor(key, iv);
    }

    public override int BlockSize => 16;

    public override void Transform(byte[] input, int offset, int count, byte[] output, int outputOffset)
    {
        if (count > 0)
        {
            _transform.TransformBlock(input, offset, count, output, outputOffset);
        }
    }

    public override void Dispose()
    {
        _transform.Dispose();
        _aes.Dispose();
        base.Dispose();
    }
}
