using System;
using System.IO;
using System.Threading.Tasks;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests.Uftp;

public sealed class UftpEndToEndTests(UftpFixture fx) : IClassFixture<UftpFixture>
{
    [Theory]
    [InlineData(1, UftpCipherAlgorithm.None, false)]
    [InlineData(2, UftpCipherAlgorithm.None, false)]
    [InlineData(4, UftpCipherAlgorithm.None, false)]
    [InlineData(1, UftpCipherAlgorithm.Aes, false)]
    [InlineData(2, UftpCipherAlgorithm.Aes, false)]
    [InlineData(4, UftpCipherAlgorithm.Aes, false)]
    [InlineData(1, UftpCipherAlgorithm.Blowfish, false)]
    [InlineData(3, UftpCipherAlgorithm.Blowfish, false)]
    [InlineData(1, UftpCipherAlgorithm.None, true)]
    [InlineData(4, UftpCipherAlgorithm.None, true)]
    [InlineData(1, UftpCipherAlgorithm.Aes, true)]
    [InlineData(2, UftpCipherAlgorithm.Blowfish, true)]
    public async Task Upload_then_download_round_trips_and_verifies(int streams, UftpCipherAlgorithm cipher, bool compress)
    {
        string name = $"rt-{streams}-{cipher}-{compress}.bin";
        var data = UftpFixture.RandomBytes(1_000_003 + streams, streams * 31 + (int)cipher);
        string src = fx.LocalPath("src-" + name);
        await File.WriteAllBytesAsync(src, data);
        await using var session = await fx.ConnectAsync(streams, cipher, compress);
        var up = await UftpTransfers.UploadAsync(session, src, name, new UftpTransferOptions { Verify = true });
        Assert.Equal(data.Length, up.Bytes);
        Assert.Equal(streams, up.Streams);
        Assert.NotNull(up.Hash);
        Assert.Equal(data, await File.ReadAllBytesAsync(fx.RemoteReal(name)));
        Assert.False(File.Exists(fx.RemoteReal(name + ".part")));

        string dst = fx.LocalPath("dst-" + name);
        var down = await UftpTransfers.DownloadAsync(session, name, dst, new UftpTransferOptions { Verify = true, HashAlgorithm = "MD5" });
        Assert.Equal(data.Length, down.Bytes);
        Assert.Equal("MD5", down.Hash!.Algorithm);
        Assert.Equal(data, await File.ReadAllBytesAsync(dst));
        Assert.False(File.Exists(dst + ".part"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Empty_and_tiny_files_round_trip(int streams)
    {
        foreach (int size in new[] { 0, 1, 7, 16, 16385 })
        {
            var data = UftpFixture.RandomBytes(size, size);
            string name = $"tiny-{streams}-{size}";
            string src = fx.LocalPath(name);
            await File.WriteAllBytesAsync(src, data);
            await using var session = await fx.ConnectAsync(streams, UftpCipherAlgorithm.Aes);
            await UftpTransfers.UploadAsync(session, src, name, new UftpTransferOptions { Verify = true });
            await UftpTransfers.DownloadAsync(session, name, src + ".back", new UftpTransferOptions { Verify = true });
            Assert.Equal(data, await File.ReadAllBytesAsync(src + ".back"));
        }
    }
}
