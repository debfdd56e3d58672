using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Toolkit.Runtime.Fuse;

/// <summary>How <see cref="FuseHost.Run"/> mounts.</summary>
public sealed record FuseMountOptions
{
    /// <summary>The directory to mount on (must exist).</summary>
    public required string MountPoint { get; init; }

    /// <summary>The source shown in /proc/mounts (<c>fsname</c>).</summary>
    public string FileSystemName { get; init; } = "toolkit";

    /// <summary>The type suffix shown in /proc/mounts (<c>fuse.SUBTYPE</c>).</summary>
    public string Subtype { get; init; } = "toolkit";

    /// <summary>Mount read-only (<c>-o ro</c>: the kernel refuses writes with EROFS before they reach the filesystem).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>How long the kernel caches attributes and names (<c>attr_timeout</c>, <c>entry_timeout</c>).</summary>
    public TimeSpan KernelCacheLifetime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called with every exception a callback turned into EIO (for a log; never with secrets from the host).</summary>
    public Action<Exception>? OnError { get; init; }
}

/// <summary>FUSE cannot run on this machine (no /dev/fuse, no libfuse3, or the kernel refused the mount).</summary>
public sealed class FuseUnavailableException : Exception
{
    /// <summary>Creates an exception.</summary>
    public FuseUnavailableException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">Why FUSE cannot run.</param>
    public FuseUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">Why FUSE cannot run.</param>
    /// <param name="innerException">The cause.</param>
    public FuseUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Serves an <see cref="IFuseFileSystem"/> through libfuse3's high-level API: <c>fuse_new</c>, <c>fuse_mount</c>,
/// the multi-threaded loop, <c>fuse_unmount</c>, <c>fuse_destroy</c>. One mount per process. The mount is made with
/// <c>auto_unmount</c> (fusermount3 removes it if the process dies); SIGINT, SIGTERM and SIGHUP detach it
/// (<c>fusermount3 -u -z</c>), which ends the loop; an outside <c>fusermount3 -u</c> ends it the same way.
/// </summary>
public static unsafe class FuseHost
{
    /// <summary>renameat2's RENAME_NOREPLACE.</summary>
    public const uint RenameNoReplace = 1;

    /// <summary>renameat2's RENAME_EXCHANGE.</summary>
    public const uint RenameExchange = 2;

    private static int s_running;

    /// <summary>Null when FUSE can run here, else why not (no /dev/fuse, no libfuse3, no fusermount3).</summary>
    /// <returns>The reason, or null.</returns>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "FUSE mounts need Linux (this is " + RuntimeInformation.OSDescription + ")";
        }

        if (!File.Exists("/dev/fuse"))
        {
            return "/dev/fuse does not exist (no fuse kernel module, or a container started without --device /dev/fuse)";
        }

        if (!NativeLibrary.TryLoad(FuseNative.Library, out var lib))
        {
            return FuseNative.Library + " cannot be loaded (install Debian's fuse3 and libfuse3-3)";
        }

        NativeLibrary.Free(lib);
        if (FindFusermount() is null)
        {
            return "fusermount3 is not on the PATH (install Debian's fuse3)";
        }

        return null;
    }

    /// <summary>Mounts, serves until unmounted or signalled, then unmounts.</summary>
    /// <param name="fileSystem">What to serve.</param>
    /// <param name="options">Where and how.</param>
    /// <param name="mounted">Called once the mount is in place (before the loop starts).</param>
    /// <param name="cancellationToken">Unmounts (like SIGTERM) when cancelled.</param>
    /// <returns>libfuse's loop result (0 after a clean unmount).</returns>
    /// <exception cref="FuseUnavailableException">FUSE cannot run here or the mount was refused.</exception>
    public static int Run(IFuseFileSystem fileSystem, FuseMountOptions options, Action? mounted = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(options);
        if (Unavailable() is { } why)
        {
            throw new FuseUnavailableException("FUSE cannot run here: " + why);
        }

        string mountPoint = Path.GetFullPath(options.MountPoint);
        if (!Directory.Exists(mountPoint))
        {
            throw new DirectoryNotFoundException("the mount point " + mountPoint + " is not a directory");
        }

        if (Interlocked.Exchange(ref s_running, 1) != 0)
        {
            throw new InvalidOperationException("a FUSE filesystem is already mounted by this process");
        }

        var allocations = new List<nint>();
        nint fuse = 0;
        var signals = new List<PosixSignalRegistration>();
        try
        {
            FuseCallbacks.FileSystem = fileSystem;
            FuseCallbacks.OnError = options.OnError;
            FuseCallbacks.Uid = FuseNative.GetUid();
            FuseCallbacks.Gid = FuseNative.GetGid();

            string seconds = options.KernelCacheLifetime.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            string mountOptions = "fsname=" + Escape(options.FileSystemName) + ",subtype=" + Escape(options.Subtype) + ",auto_unmount"
                + ",attr_timeout=" + seconds + ",entry_timeout=" + seconds + ",negative_timeout=0" + (options.ReadOnly ? ",ro" : "");
            string[] argv = ["toolkit", "-o", mountOptions];
            var args = (FuseNative.FuseArgs*)Alloc(allocations, sizeof(FuseNative.FuseArgs));
            args->Argc = argv.Length;
            args->Argv = (byte**)Alloc(allocations, (argv.Length + 1) * sizeof(nint));
            for (int i = 0; i < argv.Length; i++)
            {
                var s = Marshal.StringToCoTaskMemUTF8(argv[i]);
                allocations.Add(s);
                args->Argv[i] = (byte*)s;
            }

            args->Argv[argv.Length] = null;
            args->Allocated = 0;

            var ops = (nint*)Alloc(allocations, FuseNative.OperationCount * sizeof(nint));
            FuseCallbacks.Fill(ops);
            fuse = FuseNative.New(args, ops, (nuint)(FuseNative.OperationCount * sizeof(nint)), null);
            if (fuse == 0)
            {
                throw new FuseUnavailableException("fuse_new refused the options '" + mountOptions + "' (libfuse printed why on stderr)");
            }

            // Stop requests (signals, the caller's token) are taken from before the mount on, so none is lost in between.
            var gate = new object();
            bool isMounted = false, stopRequested = false;
            int stopped = 0;
            void Stop()
            {
                if (Interlocked.Exchange(ref stopped, 1) == 0)
                {
                    FuseNative.Exit(fuse);
                    DetachMount(mountPoint);
                }
            }

            void RequestStop()
            {
                lock (gate)
                {
                    stopRequested = true;
                    if (!isMounted)
                    {
                        return;
                    }
                }

                Stop();
            }

            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            {
                signals.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    RequestStop();
                }));
            }

            using var onCancel = cancellationToken.Register(RequestStop);
            var mp = Marshal.StringToCoTaskMemUTF8(mountPoint);
            allocations.Add(mp);
            if (FuseNative.Mount(fuse, (byte*)mp) != 0)
            {
                throw new FuseUnavailableException("FUSE cannot run here: mounting on " + mountPoint + " was refused (libfuse printed why on stderr; is /dev/fuse usable and mounting permitted?)");
            }

            bool stopNow;
            lock (gate)
            {
                isMounted = true;
                stopNow = stopRequested;
            }

            if (stopNow)
            {
                Stop();
            }

            mounted?.Invoke();
            int result = FuseNative.LoopMultiThreaded(fuse, 0);
            return result;
        }
        finally
        {
            foreach (var s in signals)
            {
                s.Dispose();
            }

            if (fuse != 0)
            {
                FuseNative.Unmount(fuse);
                FuseNative.Destroy(fuse);
            }

            foreach (var a in allocations)
            {
                Marshal.FreeCoTaskMem(a);
            }

            FuseCallbacks.FileSystem = null;
            FuseCallbacks.OnError = null;
            Volatile.Write(ref s_running, 0);
        }
    }

    /// <summary>Lazily unmounts <paramref name="mountPoint"/> (<c>fusermount3 -u -z</c>); true when fusermount3 succeeded.</summary>
    /// <param name="mountPoint">The mount point.</param>
    /// <returns>True when the mount is detached.</returns>
    public static bool DetachMount(string mountPoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(mountPoint);
        string? fusermount = FindFusermount();
        if (fusermount is null)
        {
            return false;
        }

        var psi = new ProcessStartInfo(fusermount) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-u");
        psi.ArgumentList.Add("-z");
        psi.ArgumentList.Add(mountPoint);
        using var p = Process.Start(psi);
        if (p is null)
        {
            return false;
        }

        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            return false;
        }

        return p.ExitCode == 0;
    }

    private static string? FindFusermount()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "fusermount3")))
            {
                return Path.Combine(dir, "fusermount3");
            }
        }

        return File.Exists("/usr/bin/fusermount3") ? "/usr/bin/fusermount3" : null;
    }

    private static void* Alloc(List<nint> allocations, int bytes)
    {
        var p = Marshal.AllocCoTaskMem(bytes);
        allocations.Add(p);
        new Span<byte>((void*)p, bytes).Clear();
        return (void*)p;
    }

    // fuse_opt separates options with commas; a comma or backslash inside a value is escaped with a backslash.
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal);
}
