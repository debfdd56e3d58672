using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Peers.Uftp;

/// <summary>One logged-in session: uftpd's Session.py command table over a chroot at the peer's root.</summary>
internal sealed partial class PeerSession
{
    private static readonly string[] AccessLevels = ["NONE", "INFO", "READ", "WRITE"];
    private readonly UftpdPeer _peer;
    private readonly PeerControl _control;
    private readonly UftpdJob _job;
    private readonly IPAddress _local;
    private readonly string _base;
    private readonly int _access;
    private readonly List<Socket> _data = [];
    private string _cwd;
    private int _streams = 1;
    private string _hash = "MD5";
    private long _offset;
    private long _bytes = -1;
    private bool _haveRange;
    private string? _renameFrom;

    public PeerSession(UftpdPeer peer, PeerControl control, UftpdJob job, IPAddress local)
    {
        _peer = peer;
        _control = control;
        _job = job;
        _local = local;
        string dir = VirtualDirName(job.File);
        _base = dir.Length == 0 ? "/" : Normalize(dir.StartsWith('/') ? dir : "/" + dir);
        _cwd = _base;
        _access = 4;
        for (int i = 0; i < AccessLevels.Length; i++)
        {
            if (AccessLevels[i] == job.Access)
            {
                _access = i;
            }
        }

        if (!Directory.Exists(Real(_base)))
        {
            Directory.CreateDirectory(Real(_base));
        }

        _streams = Math.Min(Math.Max(1, job.Streams), peer.MaxStreams);
    }

    private bool Encrypted => _job.Key is not null;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            string? line = await _control.ReadLineAsync(TimeSpan.FromMinutes(10));
            if (line is null)
            {
                break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(' ', 2);
            string cmd = parts[0].ToUpperInvariant();
            string? arg = parts.Length > 1 ? parts[1] : null;
            if (cmd is "QUIT" or "BYE")
            {
                // uftpd closes without a 221.
                CloseData();
                return;
            }

            try
            {
                if (!await DispatchAsync(cmd, arg))
                {
                    await Reply("502 Command not implemented.");
                }
            }
            catch (PeerError e)
            {
                if (e.CloseData)
                {
                    CloseData();
                }

                await Reply($"{e.Code} Error processing command '{cmd}': {e.Message}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _peer.Errors.Enqueue(cmd + ": " + e.Message);
                await Reply($"500 Error processing command '{cmd}': {e.Message}");
            }
        }

        CloseData();
    }

    private Task Reply(string line) => _control.WriteAsync(line);

    private async Task<bool> DispatchAsync(string cmd, string? arg)
    {
        switch (cmd)
        {
            case "SYST":
                await Reply("215 Unix Type: L8");
                return true;
            case "FEAT":
                await Reply("211-Features:");
                foreach (var f in UftpdPeer.FeatureList)
                {
                    await Reply(" " + f);
                }

                if (Encrypted)
                {
                    await Reply(" CRYPTED-" + _job.Algorithm);
                }

                await Reply(" HASH " + string.Join(';', new[] { "MD5", "SHA-1", "SHA-256", "SHA-512" }.Select(h => h == _hash ? h + "*" : h)));
                await Reply("211 END");
                return true;
            case "NOOP":
                if (int.TryParse(arg, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
                {
                    // uftpd: capped at MAX_STREAMS; 222 when granted, 223 when capped.
                    _streams = n <= _peer.MaxStreams ? n : _peer.MaxStreams;
                    await Reply($"{(n == _streams ? "222" : "223")} Opening {_streams} data connections");
                }
                else
                {
                    await Reply("200 OK");
                }

                return true;
            case "PWD":
                Need(1);
                await Reply($"257 \"{_cwd}\"");
                return true;
            case "CWD":
                Need(1);
                string target = Abs(arg);
                if (!Directory.Exists(Real(target)))
                {
                    throw new PeerError(550, "Can't cwd to directory: [Errno 2] No such file or directory: '" + target + "'");
                }

                _cwd = target;
                await Reply("200 OK");
                return true;
            case "CDUP":
                if (_cwd == _base)
                {
                    throw new PeerError(534, "Can't cd up, already at base directory");
                }

                _cwd = Normalize(_cwd + "/..");
                await Reply("200 OK");
                return true;
            case "MKD":
                Need(3);
                string dir = Abs(arg);
                if (Path.Exists(Real(dir)))
                {
                    throw new InvalidOperationException($"[Errno 17] File exists: '{dir}'");
                }

                Directory.CreateDirectory(Real(dir));
                await Reply($"257 \"{dir}\" directory created");
                return true;
            case "DELE":
                Need(4);
                string file = Abs(arg);
                if (!File.Exists(Real(file)))
                {
                    throw new InvalidOperationException($"[Errno 2] No such file or directory: '{file}'");
                }

                File.Delete(Real(file));
                await Reply("200 OK");
                return true;
            case "RMD":
                Need(4);
                string rd = Abs(arg);
                if (!Directory.Exists(Real(rd)) || Directory.EnumerateFileSystemEntries(Real(rd)).Any())
                {
                    throw new InvalidOperationException($"[Errno 39] Directory not empty or missing: '{rd}'");
                }

                Directory.Delete(Real(rd));
                await Reply("200 OK");
                return true;
            case "RNFR":
                Need(3);
                _renameFrom = Abs(arg);
                await Reply("350 File action OK Please send rename-to");
                return true;
            case "RNTO":
                Need(3);
                string to = Abs(arg);
                if (_renameFrom is null)
                {
                    throw new PeerError(503, "Illegal sequence of FTP commands - must send RNFR first");
                }

                if (Directory.Exists(Real(_renameFrom)))
                {
                    Directory.Move(Real(_renameFrom), Real(to));
                }
                else
                {
                    File.Move(Real(_renameFrom), Real(to), overwrite: true);
                }

                await Reply("200 OK");
                return true;
            case "SIZE":
                // Broken in uftpd 3.5.3 (msg= keyword to write_message): always a 500.
                throw new InvalidOperationException("Connector.write_message() got an unexpected keyword argument 'msg'");
            case "STAT":
                await StatAsync(arg ?? "");
                return true;
            case "MLST":
                Need(1);
                string mp = Abs(arg ?? ".");
                if (!Path.Exists(Real(mp)))
                {
                    throw new PeerError(550, "Directory/file does not exist or cannot be accessed!", true);
                }

                await Reply($"250- Listing {mp}");
                await Reply(" " + Mlist(mp));
                await Reply("250 End");
                return true;
            case "RANG":
                var t = (arg ?? "").Split(' ');
                if (t.Length < 2 || !long.TryParse(t[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long a) || !long.TryParse(t[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long b))
                {
                    throw new PeerError(501, "Argument syntax error");
                }

                if (a == 1 && b == 0)
                {
                    ResetRange();
                    await Reply("350 Resetting range");
                }
                else
                {
                    _offset = a;
                    _bytes = b - a;
                    _haveRange = true;
                    await Reply($"350 Restarting at {a}. End byte range at {b}");
                }

                return true;
            case "REST":
                if (!long.TryParse(arg, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long r))
                {
                    throw new PeerError(501, "Argument syntax error");
                }

                _haveRange = false;
                _offset = r;
                await Reply($"350 Restarting at {r}.");
                return true;
            case "ALLO":
                Need(3);
                long allo = long.Parse(arg ?? "", CultureInfo.InvariantCulture);
                if (_haveRange)
                {
                    _bytes = allo;
                }
                else
                {
                    _offset = 0;
                    _bytes = allo;
                }

                await Reply($"200 OK Will read up to {_bytes} bytes from data connection.");
                return true;
            case "MFMT":
                Need(3);
                var mf = (arg ?? "").Split(' ', 2);
                string mpath = Abs(mf[1]);
                File.SetLastWriteTime(Real(mpath), DateTime.ParseExact(mf[0], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal));
                await Reply($"213 Modify={mf[0]}; {mf[1]}");
                return true;
            case "TYPE":
            case "KEEP-ALIVE":
                await Reply("200 OK");
                return true;
            case "OPTS":
                await OptsAsync(arg ?? "");
                return true;
            case "HASH":
                Need(2);
                await HashAsync(Abs(arg));
                return true;
            case "EPSV" when arg == "ALL":
                await Reply("200 OK");
                return true;
            case "EPSV":
            case "PASV":
                await AddDataConnectionAsync(cmd == "EPSV");
                return true;
            case "LIST":
            case "MLSD":
                Need(1);
                await ListAsync(Abs(arg is null or "-a" ? "." : arg), cmd == "MLSD");
                return true;
            case "RETR":
                Need(2);
                await RetrieveAsync(Abs(arg));
                return true;
            case "STOR":
            case "APPE":
                Need(3);
                await StoreAsync(Abs(arg), cmd == "APPE");
                return true;
            default:
                return false;
        }
    }

    private void Need(int level)
    {
        if (_access < level)
        {
            throw new PeerError(534, "Access denied");
        }
    }

    private void ResetRange()
    {
        _offset = 0;
        _bytes = -1;
        _haveRange = false;
    }

    private async Task StatAsync(string arg)
    {
        Need(1);
        var tokens = arg.Split(' ', 2);
        bool asFile = tokens[0] != "N";
        string path = Abs(tokens.Length > 1 ? tokens[1] : ".");
        string real = Real(path);
        if (!Path.Exists(real))
        {
            throw new InvalidOperationException("Directory/file does not exist or cannot be accessed!");
        }

        var list = asFile || !Directory.Exists(real) ? [path] : Directory.EnumerateFileSystemEntries(real).Select(e => Normalize(path + "/" + Path.GetFileName(e))).ToList();
        await Reply("211- Sending file list");
        foreach (var p in list)
        {
            await Reply(" " + SimpleList(p));
        }

        await Reply("211 End of file list");
    }

    private async Task OptsAsync(string arg)
    {
        var t = arg.Split(' ', 3);
        string option = t[0].ToUpperInvariant();
        if (t.Length > 1)
        {
            string value = t[1];
            switch (option)
            {
                case "HASH":
                    string h = value.ToUpperInvariant();
                    if (h is not ("MD5" or "SHA-1" or "SHA-256" or "SHA-512"))
                    {
                        throw new InvalidOperationException($"Unsupported hash algorithm '{h}'");
                    }

                    _hash = h;
                    break;
                case "FILE_READ_BUFFER_SIZE" or "FILE_WRITE_BUFFER_SIZE" or "BUFFER_SIZE" or "RATE_LIMIT":
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) || v < 0)
                    {
                        throw new InvalidOperationException("Need positive value");
                    }

                    break;
                case "SENDFILE_ENABLED" or "KEEP_ALIVE" or "ARCHIVE":
                    break;
                default:
                    throw new InvalidOperationException($"Unknown option '{option}'");
            }

            await Reply($"200 {option}={value}");
        }
        else
        {
            await Reply("211-OPTS");
            foreach (var o in new[] { "RATE_LIMIT 0", "FILE_READ_BUFFER_SIZE 1048576", "FILE_WRITE_BUFFER_SIZE 1048576", "BUFFER_SIZE 1048576", "SENDFILE_ENABLED False", "HASH " + _hash })
            {
                await Reply(" " + o);
            }

            await Reply("211 END");
        }
    }

    private async Task HashAsync(string path)
    {
        string real = Real(path);
        if (!File.Exists(real))
        {
            throw new PeerError(550, "Directory/file does not exist or cannot be accessed!");
        }

        long size = new FileInfo(real).Length;
        long count = _haveRange ? _bytes : size - _offset;
        using var hash = IncrementalHash.CreateHash(_hash switch
        {
            "SHA-1" => HashAlgorithmName.SHA1,
            "SHA-256" => HashAlgorithmName.SHA256,
            "SHA-512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.MD5,
        });
        await using (var fs = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16))
        {
            fs.Position = _offset;
            byte[] buf = new byte[1 << 20];
            long left = count;
            while (left > 0)
            {
                int n = await fs.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, left)));
                if (n == 0)
                {
                    break;
                }

                hash.AppendData(buf, 0, n);
                left -= n;
            }
        }

        long last = Math.Max(0, _offset + count - 1);
        await Reply($"213 {_hash} {_offset}-{last} {Convert.ToHexStringLower(hash.GetHashAndReset())} {path}");
        ResetRange();
    }

    // --- paths: a chroot at the peer's root (uftpd maps the Unix user's view; the peer keeps clients inside --root) ---

    private static string VirtualDirName(string file)
    {
        int slash = file.LastIndexOf('/');
        return slash < 0 ? "" : file[..slash];
    }

    private string Abs(string? path)
    {
        string p = (path ?? ".").Trim();
        if (!p.StartsWith('/'))
        {
            p = _cwd + "/" + p;
        }

        p = Normalize(p);
        if (!(p == _base || p.StartsWith(_base == "/" ? "/" : _base + "/", StringComparison.Ordinal)))
        {
            throw new PeerError(534, $"Forbidden: {p} not in {_base}");
        }

        return p;
    }

    internal static string Normalize(string path)
    {
        var stack = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                continue;
            }

            stack.Add(part);
        }

        return "/" + string.Join('/', stack);
    }

    private string Real(string virtualPath) => Path.Combine(_peer.Root, virtualPath.TrimStart('/'));

    private string SimpleList(string path)
    {
        string real = Real(path);
        bool dir = Directory.Exists(real);
        FileSystemInfo fi = dir ? new DirectoryInfo(real) : new FileInfo(real);
        long size = dir ? 4096 : ((FileInfo)fi).Length;
        long ms = 1000 * new DateTimeOffset(fi.LastWriteTimeUtc).ToUnixTimeSeconds();
        string name = path == "/" ? "/" : Path.GetFileName(path);
        return $"{(dir ? 'd' : '-')}{Perm(fi, "-", false)} {size} {ms} {(name.Length == 0 ? "." : name)}";
    }

    private string Mlist(string path)
    {
        string real = Real(path);
        bool dir = Directory.Exists(real);
        FileSystemInfo fi = dir ? new DirectoryInfo(real) : new FileInfo(real);
        long size = dir ? 4096 : ((FileInfo)fi).Length;
        string name = path == "/" ? "/" : Path.GetFileName(path);
        int mode = (int)File.GetUnixFileMode(real) | (dir ? 0x4000 : 0x8000);
        return $"size={size};modify={fi.LastWriteTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)};type={(dir ? "dir" : "file")};perm={Perm(fi, "", true)};UNIX.mode={Convert.ToString(mode, 8)}; {name}";
    }

    private static string Perm(FileSystemInfo fi, string empty, bool mlst)
    {
        var m = File.GetUnixFileMode(fi.FullName);
        bool dir = fi is DirectoryInfo;
        string r = (m & UnixFileMode.UserRead) != 0 ? (mlst && dir ? "l" : "r") : empty;
        string w = (m & UnixFileMode.UserWrite) != 0 ? "w" : empty;
        string x = (m & UnixFileMode.UserExecute) != 0 ? (mlst && dir ? "e" : "x") : empty;
        return r + w + x;
    }
}
