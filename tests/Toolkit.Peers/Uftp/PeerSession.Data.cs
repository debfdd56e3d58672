using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Peers.Uftp;

internal sealed partial class PeerSession
{
    private const int SingleBuffer = 16 * 65536;
    private const int ParallelBlock = 16384;

    private async Task AddDataConnectionAsync(bool epsv)
    {
        if (_data.Count == _streams)
        {
            CloseData();
        }

        using var listener = new TcpListener(_local, 0);
        listener.Start(1);
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await Reply(epsv
            ? $"229 Entering Extended Passive Mode (|||{port}|)"
            : $"227 Entering Passive Mode ({_local.ToString().Replace('.', ',')},{port / 256},{port % 256})");
        using var cts = new CancellationTokenSource(_peer.DataAcceptTimeout);
        try
        {
            var s = await listener.AcceptSocketAsync(cts.Token);
            s.NoDelay = true;
            _data.Add(s);
        }
        catch (OperationCanceledException)
        {
            // uftpd ends the session when the client does not connect (firewall?).
            _control.Socket.Close();
        }
    }

    private void CloseData()
    {
        foreach (var s in _data)
        {
            try
            {
                s.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }

            s.Dispose();
        }

        _data.Clear();
        _streams = 1;
    }

    private bool DataReady => _data.Count > 0 && _data.Count == _streams;

    private async Task ListAsync(string path, bool mlsd)
    {
        string real = Real(path);
        if (!Directory.Exists(real))
        {
            throw new PeerError(550, "Directory does not exist.", true);
        }

        await Reply("150 OK");
        if (!DataReady || _streams > 1 || Encrypted || _job.Compress)
        {
            // uftpd writes listings with write_message, which only its plain connector has.
            CloseData();
            throw new InvalidOperationException("'" + (_streams > 1 ? "PConnector" : Encrypted ? "CryptedConnector" : _job.Compress ? "GzipConnector" : "NoneType") + "' object has no attribute 'write_message'");
        }

        await using (var net = new NetworkStream(_data[0], ownsSocket: false))
        {
            foreach (var e in Directory.EnumerateFileSystemEntries(real))
            {
                string p = Normalize(path + "/" + Path.GetFileName(e));
                string line = mlsd ? Mlist(p) : LsLine(p);
                await net.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
            }
        }

        ResetRange();
        await Reply("226 File transfer successful");
        CloseData();
    }

    private string LsLine(string path)
    {
        string real = Real(path);
        bool dir = Directory.Exists(real);
        FileSystemInfo fi = dir ? new DirectoryInfo(real) : new FileInfo(real);
        string date = fi.LastWriteTime < DateTime.Now.AddSeconds(-15811200) ? fi.LastWriteTime.ToString("MMM dd yyyy", System.Globalization.CultureInfo.InvariantCulture) : fi.LastWriteTime.ToString("MMM dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return $"{(dir ? 'd' : '-')}{Perm(fi, "-", false)}------   {(dir ? 3 : 1)} dummy dummy {(dir ? 4096 : ((FileInfo)fi).Length)} {date} {Path.GetFileName(path)}\r";
    }

    private async Task RetrieveAsync(string path)
    {
        string real = Real(path);
        long zero = -1;
        if (_peer.Sink && path.StartsWith(_base.TrimEnd('/') + "/zero/", StringComparison.Ordinal) && long.TryParse(Path.GetFileName(path), out long z))
        {
            zero = z;
        }
        else if (!File.Exists(real))
        {
            throw new PeerError(550, "Directory/file does not exist or cannot be accessed!");
        }

        long fileSize = zero >= 0 ? zero : new FileInfo(real).Length;
        long size;
        if (_haveRange)
        {
            size = _bytes;
        }
        else
        {
            size = fileSize;
            _bytes = fileSize - _offset;
        }

        // uftpd announces the range or the whole file size (not the rest after REST).
        await Reply($"150 OK {size} bytes available for reading.");
        if (!DataReady)
        {
            throw new InvalidOperationException("'NoneType' object has no attribute 'write'");
        }

        try
        {
            Stream source = zero >= 0 ? new ZeroStream(zero) : new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            await using (source)
            {
                source.Position = zero >= 0 ? 0 : _offset;
                await Task.Run(() => Send(source, _bytes));
            }
        }
        catch
        {
            CloseData();
            throw;
        }

        ResetRange();
        await Reply("226 File transfer successful");
        CloseData();
    }

    private async Task StoreAsync(string path, bool append)
    {
        string real = Real(path);
        if (append && _bytes == -1)
        {
            // uftpd 3.5.3 indexes os.stat() by a string here.
            throw new InvalidOperationException("'os.stat_result' object is not subscriptable");
        }

        if (_bytes == -1)
        {
            _bytes = long.MaxValue;
        }

        if (!_peer.Sink)
        {
            if (!File.Exists(real))
            {
                await File.WriteAllBytesAsync(real, []);
            }
        }

        await Reply("150 OK");
        if (!DataReady)
        {
            throw new InvalidOperationException("'NoneType' object has no attribute 'read'");
        }

        try
        {
            Stream target = _peer.Sink ? Stream.Null : new FileStream(real, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            await using (target)
            {
                if (!_peer.Sink)
                {
                    if (!_haveRange)
                    {
                        target.SetLength(0);
                    }

                    target.Position = _offset;
                }

                long limit = Encrypted ? long.MaxValue : _bytes;
                await Task.Run(() => Receive(target, limit));
            }
        }
        catch
        {
            CloseData();
            throw;
        }

        CloseData();
        ResetRange();
        await Reply("226 File transfer successful");
    }

    // --- the data layers: socket <- cipher <- gzip (<- framing with n > 1), as uftpd's connectors stack them ---

    private Stream Wrap(Socket s, bool write)
    {
        Stream stream = new NetworkStream(s, ownsSocket: false);
        if (_job.Key is { } key)
        {
            stream = new PeerCipherStream(stream, key, _job.Algorithm!, write);
        }

        if (_job.Compress)
        {
            stream = write ? new GZipStream(stream, CompressionLevel.Fastest) : new GZipStream(stream, CompressionMode.Decompress);
        }

        return new BufferedStream(stream, 1 << 16);
    }

    private void Send(Stream source, long count)
    {
        var outs = _data.Select(s => Wrap(s, write: true)).ToArray();
        try
        {
            int n = outs.Length;
            byte[] buffer = new byte[n == 1 ? SingleBuffer : ParallelBlock];
            byte[] header = new byte[16];
            long total = 0;
            uint seq = 0;
            while (total < count)
            {
                int want = (int)Math.Min(buffer.Length, count - total);
                int got = source.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
                if (got == 0)
                {
                    break;
                }

                if (n == 1)
                {
                    outs[0].Write(buffer, 0, got);
                }
                else
                {
                    // PConnector.write: the block split over the streams, a header before each chunk.
                    int chunk = got / n;
                    for (int i = 0; i < n; i++)
                    {
                        int len = i == n - 1 ? got - (i * chunk) : chunk;
                        BinaryPrimitives.WriteUInt16BigEndian(header, 0xCEBF);
                        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)i);
                        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), seq);
                        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)got);
                        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), (uint)len);
                        outs[i].Write(header);
                        outs[i].Write(buffer, i * chunk, len);
                        if (_job.Compress)
                        {
                            // uftpd's GzipWriter sync-flushes after every block.
                            outs[i].Flush();
                        }
                    }

                    seq++;
                }

                total += got;
            }
        }
        finally
        {
            foreach (var o in outs)
            {
                o.Dispose();
            }
        }
    }

    private void Receive(Stream target, long limit)
    {
        var ins = _data.Select(s => Wrap(s, write: false)).ToArray();
        try
        {
            int n = ins.Length;
            byte[] buffer = new byte[n == 1 ? SingleBuffer : ParallelBlock];
            byte[] header = new byte[16];
            long total = 0;
            uint seq = 0;
            while (total < limit)
            {
                int got;
                if (n == 1)
                {
                    got = ins[0].Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total));
                }
                else
                {
                    got = ReadBlock(ins, buffer, header, seq++);
                }

                if (got == 0)
                {
                    break;
                }

                target.Write(buffer, 0, got);
                total += got;
            }
        }
        finally
        {
            foreach (var i in ins)
            {
                i.Dispose();
            }
        }
    }

    /// <summary>PConnector.read: one header and chunk from every stream in order; 0 at the end.</summary>
    private static int ReadBlock(Stream[] ins, byte[] buffer, byte[] header, uint seq)
    {
        int n = ins.Length;
        int size = 0;
        for (int i = 0; i < n; i++)
        {
            int h = ins[i].ReadAtLeast(header, 16, throwOnEndOfStream: false);
            if (h == 0)
            {
                return 0;
            }

            if (h < 16)
            {
                throw new InvalidOperationException($"I/O error reader {i} (short header)");
            }

            int pos = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
            if (pos != i)
            {
                throw new InvalidOperationException($"I/O error reader {i} (unexpected stream position: {pos})");
            }

            if (BinaryPrimitives.ReadUInt16BigEndian(header) != 0xCEBF)
            {
                throw new InvalidOperationException($"I/O error reader {i} (magic number)");
            }

            if (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)) != seq)
            {
                throw new InvalidOperationException($"I/O error reader {i} (sequence number)");
            }

            size = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
            int len = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
            int chunk = size / n;
            if (size > buffer.Length || (pos * chunk) + len > buffer.Length)
            {
                throw new InvalidOperationException($"I/O error reader {i} (block size {size})");
            }

            int r = ins[i].ReadAtLeast(buffer.AsSpan(pos * chunk, len), len, throwOnEndOfStream: false);
            if (r < len)
            {
                throw new InvalidOperationException($"I/O error reader {i} (short chunk)");
            }
        }

        return size;
    }

    /// <summary>N zero bytes (the benchmark sink's <c>zero/N</c> files).</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - Position);
            Array.Clear(buffer, offset, n);
            Position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = offset;

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
