using System;
using System.Runtime.InteropServices;
using System.Text;
using Toolkit.JAliEn.Connection;

namespace Toolkit.Cli;

/// <summary>
/// Keeps the operating system's CA bundle out of <c>toolkit alien</c>. On Linux, .NET loads and parses every file of
/// the system trust store (<c>/etc/ssl/certs</c> and <c>ca-certificates.crt</c>, about 300 files here) the first time
/// any X.509 chain is built in the process, and the TLS stack builds one for every handshake even when the
/// application validates the server itself. That load was about 70 % of the shell's start-up CPU. The JAliEn server
/// is verified against the grid CAs only (<see cref="AlienCredentials.LoadTrust"/>), so the shell has no use for the
/// system store (it would only add its intermediates to chain building; a grid server's come from the grid CA
/// directory and the server itself): before the first connection the shell sets <c>SSL_CERT_FILE</c> and
/// <c>SSL_CERT_DIR</c> to empty in the native environment, where .NET's OpenSSL layer reads them, unless
/// <c>TOOLKIT_ALIEN_SYSTEM_CAS=1</c>. Managed code and child processes (xrdcp, <c>!cmd</c>) keep the environment the
/// process started with, values the user set included: .NET passes its own copy to them.
/// </summary>
internal static class AlienSystemTrust
{
    /// <summary>Empties the system trust locations for this process when nothing says otherwise.</summary>
    /// <param name="env">The environment (the process's).</param>
    /// <returns>True when the locations were emptied.</returns>
    public static bool SkipSystemStore(AlienEnvironment env)
    {
        if (!OperatingSystem.IsLinux() || env.IsOn("TOOLKIT_ALIEN_SYSTEM_CAS"))
        {
            return false;
        }
        return SetEnv("SSL_CERT_FILE") && SetEnv("SSL_CERT_DIR");
    }

    private static bool SetEnv(string name)
    {
        byte[] key = Encoding.ASCII.GetBytes(name + "\0");
        byte[] empty = [0];
        try
        {
            return NativeMethods.setenv(key, empty, 1) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int setenv(byte[] name, byte[] value, int overwrite);
    }
}
