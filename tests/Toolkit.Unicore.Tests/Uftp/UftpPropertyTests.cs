using System;
using System.IO;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests.Uftp;

public sealed class UftpPropertyTests
{
    private static UftpEncryption? Cipher(int pick, Random rnd) => (pick % 3) switch
    {
        0 => null,
        1 => UftpEncryption.Generate(UftpCipherAlgorithm.Aes, new[] { 16, 24, 32 }[rnd.Next(3)]),
        _ => new UftpEncryption(UftpCipherAlgorithm.Blowfish, RandomBytes(rnd, rnd.Next(4, 57))),
    };

    private static byte[] RandomBytes(Random rnd, int n)
    {
        var b = new byte[n];
        rnd.NextBytes(b);
        return b;
    }

    [Fact]
    public void Framing_with_any_stream_count_cipher_and_gzip_round_trips()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            int size = rnd.Next(4) == 0 ? rnd.Next(0, 40) : rnd.Next(0, 3 * UftpDataChannel.BatchBlocks * UftpFrame.MaxBlockSize / 2);
            var data = RandomBytes(rnd, size);
            int streams = rnd.Next(1, 9);
            var enc = Cipher(rnd.Next(), rnd);
            bool gzip = rnd.Next(2) == 0;
            var wire = DataWire.Encode(data, streams, enc, gzip);
            Assert.Equal(streams, wire.Length);
            var back = DataWire.Decode(wire, enc, gzip);
            Assert.True(data.AsSpan().SequenceEqual(back), $"seed {seed}: {size} bytes over {streams} streams, {enc?.Algorithm}, gzip {gzip}");
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Each_cipher_layer_matches_an_independent_implementation()
    {
        // BouncyCastle's padded AES/CBC and Blowfish/ECB (the peer's choice) must read what the engine writes, and back.
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var data = RandomBytes(rnd, rnd.Next(0, 200_000));
            var enc = Cipher(1 + rnd.Next(2), rnd)!;
            var wire = DataWire.Encode(data, 1, enc, false)[0];
            var bc = CipherUtilities.GetCipher(enc.Algorithm == UftpCipherAlgorithm.Aes ? "AES/CBC/PKCS7PADDING" : "BLOWFISH/ECB/PKCS7PADDING");
            var key = enc.Key.ToArray();
            Org.BouncyCastle.Crypto.ICipherParameters p = enc.Algorithm == UftpCipherAlgorithm.Aes
                ? new ParametersWithIV(new KeyParameter(key, 16, key.Length - 16), key, 0, 16)
                : new KeyParameter(key);
            bc.Init(false, p);
            Assert.True(data.AsSpan().SequenceEqual(bc.DoFinal(wire)), "decrypt seed " + seed);
            bc.Init(true, p);
            Assert.True(wire.AsSpan().SequenceEqual(bc.DoFinal(data)), "encrypt seed " + seed);
            Assert.True(data.AsSpan().SequenceEqual(DataWire.Decode([wire], enc, false)));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Random_framing_input_only_succeeds_or_fails_typed()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            int streams = rnd.Next(2, 6);
            byte[][] wire;
            if (rnd.Next(2) == 0)
            {
                // Valid frames, then damaged: a bit flip, a truncation, or a stream dropped.
                wire = DataWire.Encode(RandomBytes(rnd, rnd.Next(1, 200_000)), streams, null, false);
                int s = rnd.Next(streams);
                switch (rnd.Next(3))
                {
                    case 0 when wire[s].Length > 0:
                        wire[s][rnd.Next(wire[s].Length)] ^= (byte)(1 << rnd.Next(8));
                        break;
                    case 1:
                        wire[s] = wire[s][..rnd.Next(wire[s].Length + 1)];
                        break;
                    default:
                        wire[s] = [];
                        break;
                }
            }
            else
            {
                wire = Enumerable.Range(0, streams).Select(_ => RandomBytes(rnd, rnd.Next(0, 64))).ToArray();
                if (rnd.Next(2) == 0)
                {
                    // A plausible header on stream 0 with random fields.
                    wire[0] = [0xCE, 0xBF, .. RandomBytes(rnd, 14 + rnd.Next(50))];
                }
            }

            try
            {
                DataWire.Decode(wire, null, false);
            }
            catch (UftpDataException e)
            {
                Assert.Contains("UFTP data stream", e.Message, StringComparison.Ordinal);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Random_cipher_and_gzip_input_only_succeeds_or_fails_typed()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var enc = Cipher(1 + rnd.Next(2), rnd);
            bool gzip = rnd.Next(2) == 0;
            var wire = rnd.Next(2) == 0
                ? RandomBytes(rnd, rnd.Next(0, 5000))
                : DataWire.Encode(RandomBytes(rnd, rnd.Next(0, 5000)), 1, enc, gzip)[0] is var w && w.Length > 0 ? w[..rnd.Next(w.Length)] : w;
            try
            {
                DataWire.Decode([wire], enc, gzip);
            }
            catch (UftpDataException)
            {
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Frame_header_round_trips()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            int streams = rnd.Next(1, 65);
            int index = rnd.Next(streams);
            int size = rnd.Next(0, UftpFrame.MaxBlockSize + 1);
            var (_, length) = UftpFrame.Chunk(size, streams, index);
            var f = new UftpFrame((ushort)index, (uint)rnd.Next(), (uint)size, (uint)length);
            var b = new byte[16];
            f.Write(b);
            Assert.Equal(f, UftpFrame.Read(b, streams, index, f.Sequence, 0));
            int sum = Enumerable.Range(0, streams).Sum(i => UftpFrame.Chunk(size, streams, i).Length);
            Assert.Equal(size, sum);
        }).QuickCheckThrowOnFailure();
    }
}
