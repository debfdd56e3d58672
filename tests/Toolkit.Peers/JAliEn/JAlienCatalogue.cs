using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Toolkit.Peers.JAliEn;

/// <summary>One catalogue entry: a directory (path ends in '/') or a file with its replicas.</summary>
public sealed class JAlienEntry
{
    public required string Path { get; init; }

    public bool IsDirectory => Path.EndsWith('/');

    public string Name => IsDirectory ? Path.TrimEnd('/')[(Path.TrimEnd('/').LastIndexOf('/') + 1)..] : Path[(Path.LastIndexOf('/') + 1)..];

    public string Parent => Path.TrimEnd('/')[..(Path.TrimEnd('/').LastIndexOf('/') + 1)];

    public string Owner { get; set; } = "admin";

    public string Group { get; set; } = "admin";

    public string Permissions { get; set; } = "755";

    public long Size { get; set; }

    public string Md5 { get; set; } = string.Empty;

    public Guid Guid { get; set; } = Guid.NewGuid();

    public long CtimeMs { get; set; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The job that wrote the file (0 when none).</summary>
    public long JobId { get; set; }

    /// <summary>SE name → PFN.</summary>
    public Dictionary<string, string> Replicas { get; } = new(StringComparer.Ordinal);
}

/// <summary>The peer's file catalogue, held in memory (paths are absolute; directories end in '/').</summary>
public sealed class JAlienCatalogue
{
    private readonly SortedDictionary<string, JAlienEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public JAlienCatalogue()
    {
        _entries["/"] = new JAlienEntry { Path = "/" };
    }

    public Lock SyncRoot => _lock;

    public JAlienEntry? Get(string path)
    {
        lock (_lock)
        {
            return _entries.GetValueOrDefault(path) ?? (path.EndsWith('/') ? null : _entries.GetValueOrDefault(path + "/"));
        }
    }

    public IReadOnlyList<JAlienEntry> Children(string dir)
    {
        lock (_lock)
        {
            return _entries.Where(e => e.Key != dir && e.Key.StartsWith(dir, StringComparison.Ordinal) && e.Value.Parent == dir).Select(e => e.Value).ToList();
        }
    }

    public IReadOnlyList<JAlienEntry> Below(string dir)
    {
        lock (_lock)
        {
            return _entries.Where(e => e.Key != dir && e.Key.StartsWith(dir, StringComparison.Ordinal)).Select(e => e.Value).ToList();
        }
    }

    /// <summary>Creates a directory and its parents (as mkdir -p), owned by <paramref name="owner"/>.</summary>
    public JAlienEntry MakeDirectories(string dir, string owner)
    {
        lock (_lock)
        {
            JAlienEntry? last = null;
            var parts = dir.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            string path = "/";
            foreach (var part in parts)
            {
                path += part + "/";
                if (!_entries.TryGetValue(path, out last))
                {
                    last = new JAlienEntry { Path = path, Owner = owner, Group = owner };
                    _entries[path] = last;
                }
            }
            return last ?? _entries["/"];
        }
    }

    public bool Add(JAlienEntry entry)
    {
        lock (_lock)
        {
            return _entries.TryAdd(entry.Path, entry);
        }
    }

    public bool Remove(string path)
    {
        lock (_lock)
        {
            return _entries.Remove(path);
        }
    }

    public JAlienEntry? FindGuid(Guid guid)
    {
        lock (_lock)
        {
            return _entries.Values.FirstOrDefault(e => !e.IsDirectory && e.Guid == guid);
        }
    }

    /// <summary>Moves an entry (and, for a directory, everything below it).</summary>
    public void Move(string from, string to)
    {
        lock (_lock)
        {
            var moved = _entries.Where(e => e.Key == from || (from.EndsWith('/') && e.Key.StartsWith(from, StringComparison.Ordinal))).ToList();
            foreach (var (key, entry) in moved)
            {
                _entries.Remove(key);
                string path = to + key[from.Length..];
                var copy = new JAlienEntry
                {
                    Path = path, Owner = entry.Owner, Group = entry.Group, Permissions = entry.Permissions, Size = entry.Size,
                    Md5 = entry.Md5, Guid = entry.Guid, CtimeMs = entry.CtimeMs,
                };
                foreach (var r in entry.Replicas)
                {
                    copy.Replicas[r.Key] = r.Value;
                }
                _entries[path] = copy;
            }
        }
    }

    /// <summary>Resolves <paramref name="path"/> against <paramref name="cwd"/> and <paramref name="home"/>: ~, ., .., relative paths.</summary>
    public static string Resolve(string path, string cwd, string home)
    {
        if (path.Length == 0)
        {
            return cwd;
        }
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = home + path[1..].TrimStart('/');
        }
        bool dir = path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal) || path is "." or "..";
        string full = path.StartsWith('/') ? path : cwd + path;
        var stack = new List<string>();
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
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
        string result = "/" + string.Join('/', stack);
        return dir && result != "/" ? result + "/" : result;
    }
}
