using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Toolkit.Runtime.Security;

/// <summary>Permission checks and mode-0600 writes for files holding private keys or tokens. Protocol assemblies use it
/// for their own credential stores (the Data Dispatcher token library, for one).</summary>
public static class SecureFile
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Throws when a file with a private key can be accessed by group or others.</summary>
    /// <param name="path">The file to check.</param>
    /// <exception cref="CredentialException">The file is readable, writable or executable by group or others.</exception>
    public static void EnsurePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            string octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
            throw new CredentialException(
                string.Create(CultureInfo.InvariantCulture, $"refusing to use the private key: the file is accessible by group or others (mode {octal}); run 'chmod 600 {path}'"),
                path);
        }
    }

    /// <summary>Writes text to a temporary file created with mode 0600, then renames it over <paramref name="path"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="text">Its new content.</param>
    public static void WriteAllText(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var fs = new FileStream(tmp, options))
            using (var w = new StreamWriter(fs))
            {
                w.Write(text);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(tmp);
            }
            catch (IOException)
            {
            }
            throw new CredentialException($"cannot write the file: {e.Message}", path, e);
        }
    }
}
