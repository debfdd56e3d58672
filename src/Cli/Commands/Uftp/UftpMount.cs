using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Fuse;
using Toolkit.Unicore.Uftp;
using Toolkit.Unicore.Uftp.Mount;

namespace Toolkit.Cli;

/// <summary><c>toolkit uftp mount</c>: a remote UFTP directory as a local filesystem through FUSE (PyUNICORE's uftpmount).</summary>
internal static partial class UftpHandlers
{
    public static Task<int> MountAsync(UftpMountCommandOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        var address = UftpAddress.Parse(o.Remote);
        string mountPoint = Path.GetFullPath(o.MountPoint);
        if (!Directory.Exists(mountPoint))
        {
            throw new ArgumentException("the mount point " + mountPoint + " is not a directory");
        }

        if (FuseHost.Unavailable() is { } why)
        {
            console.Error.WriteLine("error: FUSE cannot run here: " + why);
            return ExitCodes.Failure;
        }

        if (o.AttributeCacheSeconds < 0)
        {
            throw new ArgumentException("--attr-cache must be 0 or more seconds");
        }

        using var http = CreateHttp(o.Global, console);
        var request = Request(o.Global) with { Persistent = true };
        var pool = new UftpSessionPool(c => UftpClient.AuthenticateAsync(http, address.AuthUrl, request, o.Global.Timeout, c), Math.Max(2, o.Global.Streams * 2));
        await using (pool.ConfigureAwait(false))
        {
            var fs = new UftpMountFileSystem(pool, address.Path, new UftpMountOptions
            {
                ReadOnly = o.ReadOnly,
                OperationTimeout = o.Global.Timeout,
                AttributeLifetime = TimeSpan.FromSeconds(o.AttributeCacheSeconds),
                OnError = o.Verbose ? (errno, e) => console.Error.WriteLine("uftp mount: errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + TerminalText.Clean(e.Message, 500)) : null,
            });
            await using (fs.ConfigureAwait(false))
            {
                // Authenticate and check the remote directory before mounting, so a wrong password or path is an error here.
                var root = await pool.RunAsync(s => s.StatAsync(fs.Remote("/"), ct), ct).ConfigureAwait(false);
                if (!root.IsDirectory)
                {
                    throw new ArgumentException("'" + address.Path + "' is not a directory on the UFTP server");
                }

                var options = new FuseMountOptions
                {
                    MountPoint = mountPoint,
                    FileSystemName = "uftp:" + address.AuthUrl.Host,
                    Subtype = "uftp",
                    ReadOnly = o.ReadOnly,
                    OnError = o.Verbose ? e => console.Error.WriteLine("uftp mount: " + TerminalText.Clean(e.Message, 500)) : null,
                };
                int rc;
                try
                {
                    rc = await Task.Factory.StartNew(
                        () => FuseHost.Run(fs, options, () => console.Error.WriteLine("mounted " + TerminalText.Clean(address.ToString(), 500) + " on " + mountPoint + (o.ReadOnly ? " (read-only)" : "") + "; unmount with: fusermount3 -u " + mountPoint), ct),
                        CancellationToken.None,
                        TaskCreationOptions.LongRunning,
                        TaskScheduler.Default).ConfigureAwait(false);
                }
                catch (FuseUnavailableException e)
                {
                    console.Error.WriteLine("error: " + e.Message);
                    return ExitCodes.Failure;
                }

                console.Error.WriteLine("unmounted " + mountPoint);
                return rc == 0 ? ExitCodes.Ok : ExitCodes.Failure;
            }
        }
    });
}
