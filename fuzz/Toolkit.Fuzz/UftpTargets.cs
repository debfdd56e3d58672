using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Fuzz;

/// <summary>
/// UFTP: <see cref="Data"/> feeds the input as one data connection to the engine's data lane (framing, cipher, gzip:
/// <c>DataLane.Read</c>/<c>ReadFrames</c>, which call <see cref="UftpFrame.Read"/>); <see cref="Control"/> feeds it
/// as what uftpd sends on a control connection (multi-line FTP replies, then each line through the STAT, MLST and
/// HASH parsers). Bad input is a <see cref="UftpException"/>; anything else is a crash.
/// </summary>
internal static class UftpTargets
{
    // Fixed keys: a seed encrypted with them decrypts, so afl can mutate below the cipher layer's padding check.
    private static readonly UftpEncryption Aes = new(UftpCipherAlgorithm.Aes, Enumerable(48));
    private static readonly UftpEncryption Blowfish = new(UftpCipherAlgorithm.Blowfish, Enumerable(16));
    private static readonly byte[] Batch = new byte[UftpDataChannel.BatchBlocks * UftpFrame.MaxBlockSize];
    private static readonly int[] Sizes = new int[UftpDataChannel.BatchBlocks];
    private static TcpListener? _listener;

    /// <summary>
    /// Byte 0 is the lane's setup: cipher <c>b % 3</c> (none, AES, Blowfish), gzip <c>(b / 3) % 2</c>, streams
    /// <c>1 + (b / 6) % 4</c>, this lane's index <c>(b / 24) % streams</c>; the rest is the lane's bytes on the wire.
    /// One stream is raw data; more are framed.
    /// </summary>
    public static void Data(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var (encryption, gzip, streams, index) = Setup(data[0]);
        using var lane = new DataLane(new MemoryStream(data, 1, data.Length - 1, writable: false), null, index, write: false, encryption, gzip);
        try
        {
            if (streams == 1)
            {
                while (lane.Read(Batch) > 0)
                {
                }

                return;
            }

            uint sequence = 0;
            int n;
            do
            {
                n = lane.ReadFrames(Batch, sequence, streams, Sizes);
                sequence += (uint)n;
            }
            while (n == Sizes.Length);
        }
        catch (UftpException)
        {
        }
    }

    /// <summary>The setup byte's fields (shared with the seed writer).</summary>
    public static (UftpEncryption? Encryption, bool Gzip, int Streams, int Index) Setup(byte b)
    {
        int streams = 1 + (b / 6 % 4);
        return ((b % 3) switch { 0 => null, 1 => Aes, _ => Blowfish }, b / 3 % 2 == 1, streams, b / 24 % streams);
    }

    /// <summary>
    /// The input is what uftpd sends on the control connection (over a loopback TCP connection, closed after the
    /// input): replies are read until the connection ends; each line of each reply also goes through the STAT, MLST
    /// and HASH parsers, as <c>ls</c>, <c>info</c> and <c>checksum</c> do.
    /// </summary>
    public static void Control(byte[] data) => Task.Run(() => ControlAsync(data)).GetAwaiter().GetResult();

    private static async Task ControlAsync(byte[] data)
    {
        if (_listener is null)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
        }

        int port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        var accept = _listener.AcceptSocketAsync();
        using var control = await UftpControl.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        using (var server = await accept.ConfigureAwait(false))
        {
            await server.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            server.Shutdown(SocketShutdown.Send);
        }

        try
        {
            while (true)
            {
                var reply = await control.ReadReplyAsync("FUZZ", TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
                foreach (var line in reply.Lines)
                {
                    Parse(() => UftpFileInfo.ParseStatLine(line));
                    Parse(() => UftpFileInfo.ParseFacts(line));
                    Parse(() => UftpHash.Parse(line.Length > 4 ? line[4..] : line));
                }

                Parse(() => UftpControl.Check(reply, "FUZZ", 200));
            }
        }
        catch (UftpException)
        {
        }
    }

    private static void Parse(Action parse)
    {
        try
        {
            parse();
        }
        catch (UftpException)
        {
        }
    }

    /// <summary>Writes the seed corpora (<c>Toolkit.Fuzz --write-uftp-seeds DIR</c>): valid lanes and control dialogues.</summary>
    public static void WriteSeeds(string directory)
    {
        var payload = new byte[40_000];
        new Random(17).NextBytes(payload);
        Array.Fill(payload, (byte)'a', 0, 10_000); // something gzip can shrink
        var dataDir = Directory.CreateDirectory(Path.Combine(directory, "uftp")).FullName;
        foreach (byte b in new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 18, 30, 47, 71 })
        {
            var (encryption, gzip, streams, index) = Setup(b);
            int size = streams == 1 ? 3000 : UftpFrame.MaxBlockSize + 700; // two frames
            var wire = new MemoryStream();
            wire.WriteByte(b);
            var sink = new MemoryStream();
            using (var lane = new DataLane(sink, null, index, write: true, encryption, gzip))
            {
                if (streams == 1)
                {
                    lane.Write(payload.AsSpan(0, size));
                }
                else
                {
                    lane.WriteFrames(payload.AsSpan(0, size), 0, streams);
                }

                lane.CompleteWrite();
                wire.Write(sink.ToArray());
            }

            File.WriteAllBytes(Path.Combine(dataDir, "lane-" + b.ToString(System.Globalization.CultureInfo.InvariantCulture)), wire.ToArray());
        }

        var controlDir = Directory.CreateDirectory(Path.Combine(directory, "uftp-control")).FullName;
        string[] dialogues =
        [
            "220 UFTPD 2.x server\n230 Login successful\n",
            "220-UFTPD 2.x server\n220-Features:\n220 ok\r\n",
            "211-STAT\n-rwx 1234 1700000000000 file.txt\n drwx 0 1700000000000 sub dir\n211 End of status\n",
            "250-Listing\n size=12;modify=20261202030405;type=file;perm=rw;UNIX.mode=0644; a b.txt\n250 End\n",
            "213 SHA-256 0-11 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 /data/x\n",
            "530 Not logged in\n150 OK\n226 Transfer complete\n",
        ];
        for (int i = 0; i < dialogues.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(controlDir, "reply-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Encoding.UTF8.GetBytes(dialogues[i]));
        }
    }

    private static byte[] Enumerable(int n)
    {
        var key = new byte[n];
        for (int i = 0; i < n; i++)
        {
            key[i] = (byte)(i * 7 + 3);
        }

        return key;
    }
}
