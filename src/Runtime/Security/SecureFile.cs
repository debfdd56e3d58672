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

    /// <summary>Throws when a file holding a secret (a private key, a token store) can be accessed by group or others.</summary>
    /// <param name="path">The file to check.</param>
    /// <param name="what">What the file holds, for the message (for example "the token library").</param>
    /// <exception cref="CredentialException">The file is readable, writable or executable by group or others.</exception>
    public static void EnsurePrivate(string path, string what = "the private key")
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
                string.Create(CultureInfo.InvariantCulture, $"refusing to use {what}: the file is accessible by group or others (mode {octal}); run 'chmod 600 {path}'"),
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

    /// <summary>
    /// The most bytes a credential file (PEM certificate, key or proxy, CA certificate, CRL, token) may have: 16 MiB.
    /// Real ones are kilobytes (a large CA's CRL a few megabytes); the limit keeps a wrong path such as
    /// <c>/dev/zero</c> or a huge file from exhausting memory.
    /// </summary>
    public const int MaxCredentialFileBytes = 16 << 20;

    /// <summary>
    /// Reads a credential file, at most <see cref="MaxCredentialFileBytes"/>: counted while reading, so a device or a
    /// pipe that never ends is refused too.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message (e.g. "the file", "the token file").</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="CredentialException">The file cannot be read or is larger than the limit.</exception>
    public static byte[] ReadBounded(string path, string what = "the file")
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > MaxCredentialFileBytes)
                {
                    throw new CredentialException("cannot read " + what + ": it is larger than " + (MaxCredentialFileBytes >> 20).ToString(CultureInfo.InvariantCulture) + " MiB, which no credential file is", path);
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException("cannot read " + what + ": " + e.Message, path, e);
        }
    }

    /// <summary>
    /// <see cref="ReadBounded"/> as text, decoded as <see cref="File.ReadAllText(string)"/> does (UTF-8, or the encoding
    /// a byte order mark names; the mark is not part of the text).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message.</param>
    /// <returns>The text.</returns>
    /// <exception cref="CredentialException">The file cannot be read or is larger than the limit.</exception>
    public static string ReadBoundedText(string path, string what = "the file")
    {
        using var reader = new StreamReader(new MemoryStream(ReadBounded(path, what)), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
