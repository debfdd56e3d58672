using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Toolkit.Runtime.Security;

namespace Toolkit.DataDispatcher;

/// <summary>
/// The token library file shared with the Python clients (MetaCat's <c>TokenLib</c>): one line per server,
/// <c>&lt;server URL&gt; &lt;encoded JWT&gt;</c>; expired tokens are dropped when the file is read; the whole file
/// is rewritten (mode 0600) when a token is stored. The key is the data server URL exactly as given.
/// </summary>
/// <remarks>
/// Location: the explicit path, else the first existing of <c>$HOME/.token_library</c>,
/// <c>./.token_library</c>, <c>/tmp/.token_library</c>; when none exists the first that can be created, in that
/// order. Not safe against concurrent writers (neither is the Python library).
/// </remarks>
public sealed class TokenLibrary
{
    /// <summary>The file name used in each default location.</summary>
    public const string FileName = ".token_library";

    private readonly TimeProvider _time;

    /// <summary>Opens (and, when no file exists anywhere, creates) the library.</summary>
    /// <param name="path">The library file; the default locations when null.</param>
    /// <param name="timeProvider">The clock that decides expiry; the system clock when null.</param>
    /// <param name="environment">Reads environment variables (HOME); the process environment when null.</param>
    /// <param name="currentDirectory">The directory of the second default location; the process's when null.</param>
    public TokenLibrary(string? path = null, TimeProvider? timeProvider = null, Func<string, string?>? environment = null, string? currentDirectory = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        Path = path ?? Resolve(environment ?? Environment.GetEnvironmentVariable, currentDirectory ?? Directory.GetCurrentDirectory());
    }

    /// <summary>The library file.</summary>
    public string Path { get; }

    /// <summary>The default locations, in the order they are tried.</summary>
    /// <param name="environment">Reads environment variables (HOME).</param>
    /// <param name="currentDirectory">The current directory.</param>
    /// <returns>The candidate paths.</returns>
    public static IReadOnlyList<string> DefaultLocations(Func<string, string?> environment, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var list = new List<string>(3);
        if (environment("HOME") is { Length: > 0 } home)
        {
            list.Add(System.IO.Path.Combine(home, FileName));
        }

        list.Add(System.IO.Path.Combine(currentDirectory, FileName));
        list.Add(System.IO.Path.Combine("/tmp", FileName));
        return list;
    }

    /// <summary>The last time the file was written (UTC), or null when it does not exist.</summary>
    /// <returns>The time.</returns>
    public DateTime? LastWriteTimeUtc() => File.Exists(Path) ? File.GetLastWriteTimeUtc(Path) : null;

    /// <summary>Reads every unexpired token, keyed by server URL.</summary>
    /// <returns>The tokens (empty when the file does not exist).</returns>
    /// <exception cref="CredentialException">The file can be read or written by group or others (a library in the shared
    /// <c>/tmp</c> location that someone else could have planted or read), or it cannot be read.</exception>
    public IReadOnlyDictionary<string, string> Load()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(Path))
        {
            return result;
        }

        // Bearer tokens are credentials: a library that group or others can read leaks them, and one they can write
        // lets them choose which identity this client uses. The Python library does not check; we do.
        SecureFile.EnsurePrivate(Path, "the token library");
        var now = _time.GetUtcNow();
        foreach (var raw in SecureFile.ReadBoundedText(Path, "the token library").Split('\n'))
        {
            var parts = raw.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                continue;
            }

            if (IsExpired(parts[1], now))
            {
                continue;
            }

            result[parts[0]] = parts[1];
        }

        return result;
    }

    /// <summary>The unexpired token stored for a server, or null.</summary>
    /// <param name="serverUrl">The data server URL, exactly as the client was given it.</param>
    /// <returns>The encoded token or null.</returns>
    public string? Get(string serverUrl)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        return Load().TryGetValue(serverUrl, out var t) ? t : null;
    }

    /// <summary>Stores a token for a server and rewrites the file (mode 0600), dropping expired entries.</summary>
    /// <param name="serverUrl">The data server URL.</param>
    /// <param name="token">The encoded token.</param>
    public void Set(string serverUrl, string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        if (serverUrl.Any(char.IsWhiteSpace) || token.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("the server URL and the token must not contain white space (the library is a '<url> <token>' line format)");
        }

        var all = new Dictionary<string, string>(Load(), StringComparer.Ordinal) { [serverUrl] = token };
        Save(all);
    }

    /// <summary>Removes the token of a server and rewrites the file.</summary>
    /// <param name="serverUrl">The data server URL.</param>
    /// <returns>Whether a token was removed.</returns>
    public bool Remove(string serverUrl)
    {
        var all = new Dictionary<string, string>(Load(), StringComparer.Ordinal);
        var removed = all.Remove(serverUrl);
        Save(all);
        return removed;
    }

    private void Save(IReadOnlyDictionary<string, string> tokens)
    {
        var sb = new StringBuilder();
        foreach (var kv in tokens.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            sb.Append(kv.Key).Append(' ').Append(kv.Value).Append('\n');
        }

        SecureFile.WriteAllText(Path, sb.ToString());
    }

    private static bool IsExpired(string token, DateTimeOffset now)
        => JwtInfo.TryParse(token, out var info) && info!.ExpiresAt is { } exp && exp <= now;

    private static string Resolve(Func<string, string?> environment, string currentDirectory)
    {
        var candidates = DefaultLocations(environment, currentDirectory);
        foreach (var c in candidates)
        {
            if (File.Exists(c))
            {
                return c;
            }
        }

        foreach (var c in candidates)
        {
            try
            {
                SecureFile.WriteAllText(c, string.Empty);
                return c;
            }
            catch (CredentialException)
            {
                // Not writable here (SecureFile wraps the I/O error): try the next location.
            }
        }

        throw new IOException("cannot create a token library in any of: " + string.Join(", ", candidates.Select(c => c.ToString(CultureInfo.InvariantCulture))));
    }
}
