using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace Toolkit.Peers.JAliEn;

internal sealed partial class JAlienSession
{
    /// <summary>The commands this peer serves (its <c>commandlist</c>).</summary>
    public static readonly string[] Commands =
    [
        "cd", "pwd", "ls", "find", "stat", "mkdir", "rmdir", "rm", "mv", "touch", "whereis", "access", "commit", "whoami",
        "token", "commandlist", "setSite", "ping", "version", "motd", "echo", "md5sum", "type", "guid2lfn", "lfn2guid",
        "listSEs", "du", "cp", "submit", "ps", "kill", "resubmit", "masterjob", "jquota", "fquota", "chmod", "guidinfo", "whois", "deleteMirror",
    ];

    private JAlienReply Run(string command, List<string> args) => command switch
    {
        "pwd" => new JAlienReply().Row(_cwd, ("pwd", _cwd)),
        "cd" => Cd(args),
        "ls" => Ls(args),
        "find" => Find(args),
        "stat" => Stat(args),
        "mkdir" => Mkdir(args),
        "rmdir" => Rmdir(args),
        "rm" => Rm(args),
        "mv" => Mv(args),
        "touch" => Touch(args),
        "whereis" => Whereis(args),
        "access" => Access(args),
        "commit" => Commit(args),
        "whoami" => new JAlienReply().Row(user, ("username", user), ("role", user), ("homedir", Home)),
        "token" => Token(args),
        "commandlist" => Commandlist(),
        "setSite" => new JAlienReply().Row("Site set to " + string.Join(' ', args)),
        "ping" => new JAlienReply().Row("pong"),
        "version" => new JAlienReply().Row("JAliEn test peer (Toolkit), protocol of March 2024", ("version", "peer-1.0")),
        "motd" => new JAlienReply().Row("Welcome to the Toolkit JAliEn test peer."),
        "echo" => new JAlienReply().Row(string.Join(' ', args)),
        "md5sum" => PerFile(args, e => new JAlienReply().Row(e.Md5 + "\t" + e.Path, ("lfn", e.Path), ("md5", e.Md5))),
        "type" => PerPath(args, e => new JAlienReply().Row(e.Path + " is a " + (e.IsDirectory ? "directory" : "file"), ("lfn", e.Path), ("type", e.IsDirectory ? "d" : "f"))),
        "lfn2guid" => PerFile(args, e => new JAlienReply().Row(e.Path + "\t" + e.Guid, ("lfn", e.Path), ("guid", e.Guid.ToString()))),
        "guid2lfn" => Guid2Lfn(args),
        "listSEs" => ListSes(),
        "du" => Du(args),
        "cp" => new JAlienReply().Fail(EINVAL, "use native client's Cp()"),
        _ => RunMore(command, args),
    };

    private string Abs(string path) => JAlienCatalogue.Resolve(path, _cwd, Home);

    private static (HashSet<string> Flags, List<string> Positional) Split(List<string> args, params string[] valued)
    {
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            if (valued.Contains(args[i]) && i + 1 < args.Count)
            {
                flags.Add(args[i] + "=" + args[++i]);
            }
            else if (args[i].StartsWith('-') && args[i].Length > 1)
            {
                flags.Add(args[i]);
                if (args[i].Length > 2 && args[i][1] != '-' && args[i][1..].All(char.IsAsciiLetter))
                {
                    // Clustered short flags (-la), as joptsimple accepts them.
                    foreach (char c in args[i][1..])
                    {
                        flags.Add("-" + c);
                    }
                }
            }
            else
            {
                positional.Add(args[i]);
            }
        }
        return (flags, positional);
    }

    private static List<string> Values(HashSet<string> flags, string flag) =>
        flags.Where(f => f.StartsWith(flag + "=", StringComparison.Ordinal)).Select(f => f[(flag.Length + 1)..]).ToList();

    private static string? Value(HashSet<string> flags, string flag) =>
        flags.FirstOrDefault(f => f.StartsWith(flag + "=", StringComparison.Ordinal)) is { } f ? f[(flag.Length + 1)..] : null;

    private JAlienReply Cd(List<string> args)
    {
        string target = args.Count == 0 ? Home : Abs(args[0] + (args[0].EndsWith('/') ? string.Empty : "/"));
        var entry = Catalogue.Get(target);
        if (entry is null)
        {
            return new JAlienReply().Fail(ENOENT, "No such file or directory: " + args[0]);
        }
        if (!entry.IsDirectory)
        {
            return new JAlienReply().Fail(ENOTDIR, "Not a directory: " + args[0]);
        }
        _cwd = entry.Path;
        return new JAlienReply();
    }

    private JAlienReply Ls(List<string> args)
    {
        var (flags, paths) = Split(args);
        bool longFormat = flags.Contains("-l") || flags.Contains("-H");
        bool classify = flags.Contains("-F");
        var reply = new JAlienReply();
        foreach (var path in paths.Count == 0 ? [_cwd] : paths)
        {
            var entry = Catalogue.Get(Abs(path));
            if (entry is null)
            {
                return reply.Fail(ENOENT, "No such file or directory: " + path);
            }
            var items = entry.IsDirectory ? Catalogue.Children(entry.Path) : [entry];
            foreach (var e in items.Where(e => flags.Contains("-a") || !e.Name.StartsWith('.')))
            {
                string name = e.Name + (classify && e.IsDirectory ? "/" : string.Empty);
                if (longFormat)
                {
                    string perm = (e.IsDirectory ? "d" : "-") + Rwx(e.Permissions);
                    string line = string.Create(CultureInfo.InvariantCulture, $"{perm}   {e.Owner} {e.Group} {e.Size,12} {DateTimeOffset.FromUnixTimeMilliseconds(e.CtimeMs):MMM dd HH:mm}    {name}");
                    reply.Row(line, ("name", e.Name), ("path", e.Path), ("permissions", perm), ("user", e.Owner), ("group", e.Group),
                        ("size", e.Size.ToString(CultureInfo.InvariantCulture)), ("ctime", e.CtimeMs.ToString(CultureInfo.InvariantCulture)), ("guid", e.Guid.ToString()));
                }
                else
                {
                    reply.Row(name, ("name", e.Name), ("path", e.Path));
                }
            }
        }
        return reply;
    }

    private static string Rwx(string octal) => string.Concat(octal.Select(c => (c - '0') switch
    {
        7 => "rwx", 6 => "rw-", 5 => "r-x", 4 => "r--", 3 => "-wx", 2 => "-w-", 1 => "--x", _ => "---",
    }));

    private JAlienReply Find(List<string> args)
    {
        var (flags, pos) = Split(args, "-l", "-o", "-j", "-e", "-S", "-x");
        if (pos.Count == 0)
        {
            return new JAlienReply().Fail(EINVAL, "find: give a path and a pattern");
        }
        string dir = Abs(pos[0] + (pos[0].EndsWith('/') ? string.Empty : "/"));
        if (Catalogue.Get(dir) is not { IsDirectory: true })
        {
            return new JAlienReply().Fail(ENOENT, "No such file or directory: " + pos[0]);
        }
        string pattern = pos.Count > 1 ? pos[1] : "*";
        var regex = flags.Contains("-r")
            ? new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            : new Regex("^(.*/)?" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        // JAliEn's find parses -j, -l and -o as Long (joptsimple): a value that is not a number is EINVAL.
        long? job = null, limit = null, offset = null;
        foreach (var (flag, set) in new (string, Action<long>)[] { ("-j", v => job = v), ("-l", v => limit = v), ("-o", v => offset = v) })
        {
            if (Value(flags, flag) is { } text)
            {
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
                {
                    return new JAlienReply().Fail(EINVAL, "Cannot parse argument '" + text + "' of option " + flag[1..]);
                }
                set(v);
            }
        }
        var excludes = Values(flags, "-e");
        string? site = Value(flags, "-S");
        IEnumerable<JAlienEntry> found = Catalogue.Below(dir)
            .Where(e => flags.Contains("-d") || !e.IsDirectory)
            .Where(e => flags.Contains("-a") || !e.Name.StartsWith('.'))
            .Where(e => regex.IsMatch(e.Path[dir.Length..].TrimEnd('/')))
            .Where(e => !excludes.Any(x => e.Path.Contains(x, StringComparison.Ordinal)))
            .Where(e => job is null || e.JobId == job);
        if (site is not null)
        {
            // -S sorts by the distance of the replicas to the site (and implies -s): here, files with a replica on an SE of
            // that site (ALICE::<site>::...) come first.
            string prefix = "ALICE::" + site + "::";
            found = found.OrderBy(e => e.Replicas.Keys.Any(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) ? 0 : 1);
        }
        var warnings = new JAlienReply();
        // Out-of-range values are ignored with a message, as the server does.
        if (limit is <= 0)
        {
            warnings.Row("Limit value has to be strictly positive, ignoring indicated value (" + limit.Value.ToString(CultureInfo.InvariantCulture) + ")");
            limit = null;
        }
        if (offset is < 0)
        {
            warnings.Row("Offset value cannot be negative, ignoring indicated value (" + offset.Value.ToString(CultureInfo.InvariantCulture) + ")");
            offset = null;
        }
        if (offset is { } o)
        {
            found = found.Skip((int)Math.Min(o, int.MaxValue));
        }
        if (limit is { } l)
        {
            found = found.Take((int)Math.Min(l, int.MaxValue));
        }
        var reply = warnings;
        foreach (var e in found)
        {
            reply.Row(e.Path, ("lfn", e.Path), ("name", e.Name), ("type", e.IsDirectory ? "d" : "f"), ("perm", e.Permissions), ("owner", e.Owner),
                ("gowner", e.Group), ("size", e.Size.ToString(CultureInfo.InvariantCulture)), ("ctime", e.CtimeMs.ToString(CultureInfo.InvariantCulture)),
                ("md5", e.Md5), ("guid", e.Guid.ToString()), ("jobid", e.JobId.ToString(CultureInfo.InvariantCulture)));
        }
        return reply;
    }

    private JAlienReply Stat(List<string> args)
    {
        var (flags, paths) = Split(args);
        var reply = new JAlienReply();
        if (paths.Count == 0)
        {
            return reply.Fail(EINVAL, "stat: no file given");
        }
        foreach (var path in paths)
        {
            var e = Guid.TryParse(path, out var g) ? Catalogue.FindGuid(g) : Catalogue.Get(Abs(path));
            if (e is null)
            {
                return reply.Fail(ENOENT, "No such file or directory: " + path);
            }
            var keys = new List<(string, object)>
            {
                ("lfn", e.Path), ("type", e.IsDirectory ? "d" : "f"), ("perm", e.Permissions), ("owner", e.Owner), ("gowner", e.Group),
                ("size", e.Size.ToString(CultureInfo.InvariantCulture)), ("ctime", e.CtimeMs.ToString(CultureInfo.InvariantCulture)),
                ("mtime", e.CtimeMs.ToString(CultureInfo.InvariantCulture)), ("md5", e.Md5), ("guid", e.Guid.ToString()),
            };
            if (flags.Contains("-v"))
            {
                keys.Add(("replicas", new Dictionary<string, string>(e.Replicas, StringComparer.Ordinal)));
            }
            reply.Row("File: " + e.Path + "\nSize: " + e.Size.ToString(CultureInfo.InvariantCulture) + "\nMD5: " + e.Md5, [.. keys]);
        }
        return reply;
    }

    private JAlienReply Mkdir(List<string> args)
    {
        var (flags, paths) = Split(args);
        var reply = new JAlienReply();
        foreach (var path in paths)
        {
            string dir = Abs(path + (path.EndsWith('/') ? string.Empty : "/"));
            if (Catalogue.Get(dir.TrimEnd('/')) is { IsDirectory: false })
            {
                return reply.Fail(EEXIST, "A file with this name exists: " + path);
            }
            if (Catalogue.Get(dir) is not null)
            {
                if (!flags.Contains("-p"))
                {
                    return reply.Fail(EEXIST, "Directory already exists: " + path);
                }
                continue;
            }
            var parent = dir.TrimEnd('/')[..(dir.TrimEnd('/').LastIndexOf('/') + 1)];
            if (!flags.Contains("-p") && Catalogue.Get(parent) is null)
            {
                return reply.Fail(ENOENT, "Parent directory does not exist: " + parent);
            }
            if (!dir.StartsWith(Home, StringComparison.Ordinal) && !dir.StartsWith("/tmp/", StringComparison.Ordinal))
            {
                return reply.Fail(EPERM, "Permission denied: " + dir);
            }
            Catalogue.MakeDirectories(dir, user);
        }
        return reply;
    }

    private JAlienReply Rmdir(List<string> args)
    {
        var (_, paths) = Split(args);
        var reply = new JAlienReply();
        foreach (var path in paths)
        {
            var e = Catalogue.Get(Abs(path + "/"));
            if (e is null)
            {
                return reply.Fail(ENOENT, "No such file or directory: " + path);
            }
            if (Catalogue.Children(e.Path).Count > 0)
            {
                return reply.Fail(ENOTEMPTY, "Directory not empty: " + path);
            }
            Catalogue.Remove(e.Path);
        }
        return reply;
    }

    private JAlienReply Rm(List<string> args)
    {
        var (flags, paths) = Split(args);
        bool recursive = flags.Contains("-r") || flags.Contains("-R");
        var reply = new JAlienReply();
        foreach (var path in paths)
        {
            var e = Catalogue.Get(Abs(path));
            if (e is null)
            {
                if (flags.Contains("-f"))
                {
                    continue;
                }
                return reply.Fail(ENOENT, "No such file or directory: " + path);
            }
            if (e.IsDirectory)
            {
                if (!recursive)
                {
                    return reply.Fail(EISDIR, "Is a directory (use -r): " + path);
                }
                foreach (var below in Catalogue.Below(e.Path))
                {
                    Catalogue.Remove(below.Path);
                }
            }
            Catalogue.Remove(e.Path);
        }
        return reply;
    }

    private JAlienReply Mv(List<string> args)
    {
        if (args.Count != 2)
        {
            return new JAlienReply().Fail(EINVAL, "mv: give a source and a destination");
        }
        var e = Catalogue.Get(Abs(args[0]));
        if (e is null)
        {
            return new JAlienReply().Fail(ENOENT, "No such file or directory: " + args[0]);
        }
        string to = Abs(args[1]);
        if (Catalogue.Get(to) is { IsDirectory: true } d)
        {
            to = d.Path + e.Name + (e.IsDirectory ? "/" : string.Empty);
        }
        else if (e.IsDirectory && !to.EndsWith('/'))
        {
            to += "/";
        }
        if (Catalogue.Get(to) is not null)
        {
            return new JAlienReply().Fail(EEXIST, "Destination exists: " + args[1]);
        }
        Catalogue.Move(e.Path, to);
        return new JAlienReply();
    }

    private JAlienReply Touch(List<string> args)
    {
        var reply = new JAlienReply();
        foreach (var path in args)
        {
            string lfn = Abs(path);
            if (Catalogue.Get(lfn.TrimEnd('/')[..(lfn.TrimEnd('/').LastIndexOf('/') + 1)]) is null)
            {
                return reply.Fail(ENOENT, "Parent directory does not exist: " + path);
            }
            if (Catalogue.Get(lfn) is { } existing)
            {
                existing.CtimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                continue;
            }
            Catalogue.Add(new JAlienEntry { Path = lfn, Owner = user, Group = user, Permissions = "644", Md5 = "d41d8cd98f00b204e9800998ecf8427e" });
        }
        return reply;
    }

    private JAlienReply PerPath(List<string> args, Func<JAlienEntry, JAlienReply> one)
    {
        var reply = new JAlienReply();
        foreach (var path in args)
        {
            var e = Catalogue.Get(Abs(path));
            if (e is null)
            {
                return reply.Fail(ENOENT, "No such file or directory: " + path);
            }
            reply.Rows.AddRange(one(e).Rows);
        }
        return reply;
    }

    private JAlienReply PerFile(List<string> args, Func<JAlienEntry, JAlienReply> one) =>
        args.Select(a => Catalogue.Get(Abs(a))).Any(e => e is { IsDirectory: true })
            ? new JAlienReply().Fail(EISDIR, "Is a directory") : PerPath(args, one);

    private JAlienReply Guid2Lfn(List<string> args)
    {
        var reply = new JAlienReply();
        foreach (var a in args)
        {
            if (!Guid.TryParse(a, out var g) || Catalogue.FindGuid(g) is not { } e)
            {
                return reply.Fail(ENOENT, "No such GUID: " + a);
            }
            reply.Row(a + "\t" + e.Path, ("guid", a), ("lfn", e.Path));
        }
        return reply;
    }

    private JAlienReply Whereis(List<string> args)
    {
        var (_, paths) = Split(args);
        // -r resolves an archive member to its archive: the peer keeps no archives, so every replica is its own PFN.
        if (paths.Count != 1 || Catalogue.Get(Abs(paths[0])) is not { IsDirectory: false } e)
        {
            return new JAlienReply().Fail(ENOENT, "No such file: " + string.Join(' ', paths));
        }
        var reply = new JAlienReply();
        int n = 0;
        foreach (var (se, pfn) in e.Replicas)
        {
            reply.Row("\t SE => " + se + " pfn => " + pfn, ("seName", se), ("seNumber", (++n).ToString(CultureInfo.InvariantCulture)), ("pfn", pfn));
        }
        return reply;
    }

    private JAlienReply Commandlist()
    {
        var reply = new JAlienReply();
        foreach (var c in Commands)
        {
            reply.Row(c, ("commandlist", c));
        }
        return reply;
    }

    /// <summary>
    /// <c>token [-u USER] [-v DAYS] [-t user|job|jobagent|host] [-jobid EXT] [-hostname FQDN] [-f]</c> as JAliEnCommandtoken:
    /// -hostname implies a host token and -jobid a job token; a job token needs -jobid and -u, a host token a FQDN;
    /// a validity over the type's maximum is reduced (with a message); switching to another user is EPERM.
    /// </summary>
    private JAlienReply Token(List<string> args)
    {
        var (flags, pos) = Split(args, "-u", "-jobid", "-v", "-t", "-hostname", "-wcert", "-wkey");
        if (pos.Count > 0 || flags.Any(f => !f.StartsWith("-u=", StringComparison.Ordinal) && !f.StartsWith("-jobid=", StringComparison.Ordinal)
            && !f.StartsWith("-v=", StringComparison.Ordinal) && !f.StartsWith("-t=", StringComparison.Ordinal) && !f.StartsWith("-hostname=", StringComparison.Ordinal)
            && !f.StartsWith("-wcert=", StringComparison.Ordinal) && !f.StartsWith("-wkey=", StringComparison.Ordinal) && f != "-f"))
        {
            return new JAlienReply().Fail(EINVAL, (pos.Count > 0 ? pos[0] : flags.First()) + " is not a recognized option");
        }
        string type = Value(flags, "-hostname") is not null ? "host" : Value(flags, "-jobid") is not null ? "job" : "user";
        if (Value(flags, "-t") is { } t)
        {
            if (t is not ("user" or "job" or "jobagent" or "host"))
            {
                return new JAlienReply().Fail(EINVAL, "Unknown token type " + t);
            }
            type = t;
        }
        // The peer's maximum validities (days); the real ones come from TokenCertificateType.
        int max = type switch { "host" => 365, "jobagent" => 1, _ => 2 };
        int days = max;
        var reply = new JAlienReply();
        if (Value(flags, "-v") is { } v)
        {
            if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out days))
            {
                return reply.Fail(EINVAL, "Cannot parse argument '" + v + "' of option v");
            }
            if (days > max)
            {
                reply.Row("Reducing the validity from " + S(days) + " to " + S(max) + " as this is the max allowed value for this type of certificate");
                days = max;
            }
        }
        string? requested = Value(flags, "-u");
        string? extension = null;
        if (type == "job")
        {
            extension = Value(flags, "-jobid");
            if (extension is null)
            {
                return reply.Fail(EINVAL, "You should pass a job extension for this type of certificate request");
            }
            if (requested is null)
            {
                return reply.Fail(EINVAL, "You also have to pass the user for which to run this job id");
            }
        }
        if (type == "host")
        {
            extension = Value(flags, "-hostname")?.Trim();
            if (extension is null)
            {
                return reply.Fail(EINVAL, "You must indicate the hostname for which to issue the certificate!");
            }
            if (extension.Length == 0 || !extension.Contains('.', StringComparison.Ordinal))
            {
                return reply.Fail(EINVAL, "Please pass a FQDN as hostname instead of `" + extension + "`");
            }
        }
        if (requested is not null && requested != user)
        {
            return reply.Fail(EPERM, "Switching user " + user + " to [" + requested + "] failed");
        }
        if (days <= 0)
        {
            return reply.Fail(EINVAL, "The validity must be at least one day");
        }
        if (peer.IssueToken(user, days, type, extension) is not { } token)
        {
            return reply.Fail(EPERM, "this peer was started without a CA key: it cannot issue tokens");
        }
        return reply.Row("DN: " + token.Dn + "\nExpires: " + token.NotAfter.ToString("u", CultureInfo.InvariantCulture), ("tokencert", token.Cert), ("tokenkey", token.Key));
    }

    private JAlienReply ListSes()
    {
        var reply = new JAlienReply();
        foreach (var (name, url) in peer.Options.StorageElements)
        {
            reply.Row(name + "\t" + url, ("seName", name), ("endpointUrl", url));
        }
        return reply;
    }

    private JAlienReply Du(List<string> args)
    {
        var (_, paths) = Split(args);
        var reply = new JAlienReply();
        foreach (var path in paths.Count == 0 ? [_cwd] : paths)
        {
            var e = Catalogue.Get(Abs(path + "/"));
            if (e is null)
            {
                return reply.Fail(ENOENT, "No such file or directory: " + path);
            }
            var below = Catalogue.Below(e.Path);
            long size = below.Where(b => !b.IsDirectory).Sum(b => b.Size);
            int files = below.Count(b => !b.IsDirectory);
            reply.Row(e.Path + ": " + size.ToString(CultureInfo.InvariantCulture) + " bytes in " + files.ToString(CultureInfo.InvariantCulture) + " files",
                ("entry", e.Path), ("folders", below.Count(b => b.IsDirectory).ToString(CultureInfo.InvariantCulture)),
                ("logical_files_count", files.ToString(CultureInfo.InvariantCulture)), ("logical_files_size", size.ToString(CultureInfo.InvariantCulture)));
        }
        return reply;
    }
}
