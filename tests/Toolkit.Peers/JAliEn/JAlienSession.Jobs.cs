using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Toolkit.Peers.JAliEn;

/// <summary>The task-queue and account commands: submit, ps, kill, resubmit, masterjob, jquota, fquota, chmod, guidinfo, whois.</summary>
internal sealed partial class JAlienSession
{
    private const int ENODATA = 61;

    private static string S(long v) => v.ToString(CultureInfo.InvariantCulture);

    private JAlienReply RunMore(string command, List<string> args) => command switch
    {
        "submit" => Submit(args),
        "ps" => Ps(args),
        "kill" => Kill(args, resubmit: false),
        "resubmit" => Kill(args, resubmit: true),
        "masterjob" => Masterjob(args),
        "jquota" => Jquota(args),
        "fquota" => Fquota(args),
        "chmod" => Chmod(args),
        "guidinfo" => GuidInfo(args),
        "whois" => Whois(args),
        "deleteMirror" => DeleteMirror(args),
        _ => new JAlienReply().Fail(EINVAL, "Command not found: " + command),
    };

    private bool KnownUser(string name) => name == user || peer.Options.Accounts.ContainsValue(name);

    private JAlienReply Submit(List<string> args)
    {
        if (args.Count == 0)
        {
            return new JAlienReply().Fail(EINVAL, "usage: submit <jdl LFN> [arguments]");
        }
        if (Catalogue.Get(Abs(args[0])) is not { IsDirectory: false } jdlFile)
        {
            return new JAlienReply().Fail(ENOENT, "No such file: " + args[0]);
        }
        // The peer does not read file content: the JDL records where it came from and the arguments.
        string jdl = "JDLPath = \"" + jdlFile.Path + "\";\nArguments = \"" + string.Join(' ', args.Skip(1)) + "\";\nUser = \"" + user + "\";";
        var job = peer.Jobs.Add(user, jdlFile.Path, jdl);
        return new JAlienReply().Row("Your new job ID is " + S(job.Id), ("jobId", S(job.Id)));
    }

    /// <summary>
    /// <c>ps</c> as JAliEnCommandps: the session user's jobs (-a every user, -u list), active states unless -A/-f/-E/-W
    /// say otherwise, -j IDs (any user and state), -trace/-jdl with an optional job ID, -l limit, -F l/-Fl/-L long rows.
    /// </summary>
    private JAlienReply Ps(List<string> args)
    {
        var ids = new List<long>();
        var users = new List<string>();
        List<string>? states = null;
        bool all = false, trace = false, jdl = false, longFormat = false, idOnly = false, mastersOnly = false;
        int limit = 0;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            bool NumberFollows() => i + 1 < args.Count && long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
            switch (a)
            {
                case "-j" or "-u" or "-f" or "-l" or "-F" or "-s" or "-n" or "-m" or "-o":
                    if (Next() is not { } v)
                    {
                        return new JAlienReply().Fail(EINVAL, "Option " + a[1..] + " requires an argument");
                    }
                    switch (a)
                    {
                        case "-j":
                            ids.AddRange(v.Split(',').Select(x => long.TryParse(x, CultureInfo.InvariantCulture, out long n) ? n : -1).Where(n => n >= 0));
                            break;
                        case "-u":
                            users.AddRange(v.Split(',', StringSplitOptions.RemoveEmptyEntries));
                            break;
                        case "-f":
                            states = v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => x.ToUpperInvariant()).ToList();
                            break;
                        case "-l" when !int.TryParse(v, CultureInfo.InvariantCulture, out limit):
                            return new JAlienReply().Fail(EINVAL, "Cannot parse argument '" + v + "' of option l");
                        case "-F":
                            longFormat |= v == "l";
                            break;
                    }
                    break;
                case "-trace" or "-jdl":
                    if (a == "-trace")
                    {
                        trace = true;
                    }
                    else
                    {
                        jdl = true;
                    }
                    if (NumberFollows())
                    {
                        ids.Clear();
                        ids.Add(long.Parse(Next()!, CultureInfo.InvariantCulture));
                    }
                    break;
                case "-a": all = true; break;
                case "-A": states = ["%"]; break;
                case "-E": states = ["ERROR_ALL"]; break;
                case "-W": states = ["WAITING", "INSERTING", "OVER_WAITING"]; break;
                case "-Fl" or "-L" or "-X": longFormat = true; break;
                case "-M": mastersOnly = true; break;
                case "-id": idOnly = true; break;
                case "-b" or "-q": break;
                default:
                    return new JAlienReply().Fail(EINVAL, a.StartsWith('-') ? a[1..] + " is not a recognized option" : "Unexpected argument " + a);
            }
        }
        if ((trace || jdl) && ids.Count == 0)
        {
            return new JAlienReply().Fail(EINVAL, trace ? "No job IDs to get the trace for" : "No job IDs to get the JDL for");
        }
        if (users.Count == 0)
        {
            users.Add(user);
        }
        IEnumerable<JAlienJob> jobs = peer.Jobs.All();
        if (ids.Count > 0)
        {
            jobs = jobs.Where(j => ids.Contains(j.Id));
        }
        else
        {
            jobs = jobs.Where(j => all || users.Contains(j.Owner));
            jobs = states switch
            {
                null => jobs.Where(j => JAlienJobs.IsActive(j.Status)),
                ["%"] or ["ANY"] => jobs,
                _ => jobs.Where(j => states.Contains(j.Status) || (states.Contains("ERROR_ALL") && JAlienJobs.IsError(j.Status))),
            };
        }
        if (mastersOnly)
        {
            jobs = jobs.Where(j => j.Split == 0);
        }
        if (limit > 0)
        {
            jobs = jobs.Take(limit);
        }
        var reply = new JAlienReply();
        foreach (var j in jobs)
        {
            string name = j.Name[(j.Name.LastIndexOf('/') + 1)..];
            var keys = new List<(string, object)> { ("owner", j.Owner), ("id", S(j.Id)), ("split", S(j.Split)), ("priority", S(j.Priority)), ("status", j.Status), ("name", name) };
            var text = new List<string>();
            if (!trace && !jdl)
            {
                if (longFormat)
                {
                    keys.Add(("site", j.Site));
                    keys.Add(("node", j.Node));
                }
                text.Add(idOnly ? S(j.Id) : string.Create(CultureInfo.InvariantCulture, $"{j.Owner,10} {j.Id,10}  {j.Priority,3}  {j.Status,-3}  {name,32}"));
            }
            if (trace)
            {
                if (j.Trace.Count == 0)
                {
                    reply.Fail(ENODATA, "No trace information for " + S(j.Id));
                }
                else
                {
                    string log = string.Join('\n', j.Trace);
                    text.Add(log);
                    keys.Add(("trace", log));
                }
            }
            if (jdl)
            {
                text.Add(j.Jdl);
                keys.Add(("jdl", j.Jdl));
            }
            reply.Row(string.Join('\n', text), [.. keys]);
        }
        return reply;
    }

    private JAlienReply Kill(List<string> args, bool resubmit)
    {
        var reply = new JAlienReply();
        if (args.Count == 0)
        {
            return reply.Fail(EINVAL, (resubmit ? "resubmit" : "kill") + ": give at least one job ID");
        }
        foreach (string a in args)
        {
            if (!long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
            {
                return reply.Fail(EINVAL, "Invalid job ID: " + a);
            }
            if (peer.Jobs.Get(id) is not { } job)
            {
                return reply.Fail(ENOENT, "No such job: " + a);
            }
            if (job.Owner != user)
            {
                return reply.Fail(EPERM, "Not your job: " + a);
            }
            if (resubmit && JAlienJobs.IsActive(job.Status))
            {
                return reply.Fail(EINVAL, "Job " + a + " is still active (" + job.Status + ")");
            }
            job.Status = resubmit ? "WAITING" : "KILLED";
            job.Trace.Add(JAlienJobs.Stamp() + " [state     ]: Job state transition to " + job.Status);
            reply.Row((resubmit ? "Resubmitted job " : "Killed job ") + a);
        }
        return reply;
    }

    private JAlienReply Masterjob(List<string> args)
    {
        if (args.Count == 0 || !long.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out long id) || peer.Jobs.Get(id) is not { } master)
        {
            return new JAlienReply().Fail(ENOENT, "No such master job: " + string.Join(' ', args));
        }
        var subjobs = peer.Jobs.All().Where(j => j.Split == master.Id).ToList();
        var reply = new JAlienReply().Row("Checking the masterjob " + S(master.Id) + ": " + master.Status + ", " + S(subjobs.Count) + " subjobs");
        foreach (var group in subjobs.GroupBy(j => j.Status).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            reply.Row("\t" + group.Key + ": " + S(group.Count()), ("status", group.Key), ("count", S(group.Count())));
        }
        return reply;
    }

    private (string? User, JAlienReply? Error) QuotaUser(List<string> args, string command)
    {
        if (args.Count == 0 || args[0] != "list")
        {
            return (null, new JAlienReply().Fail(EINVAL, "usage: " + command + " list [<user>]"));
        }
        string who = args.Count > 1 ? args[1] : user;
        return KnownUser(who) ? (who, null) : (null, new JAlienReply().Fail(ENOENT, "No such user: " + who));
    }

    private JAlienReply Jquota(List<string> args)
    {
        var (who, error) = QuotaUser(args, "jquota");
        if (error is not null)
        {
            return error;
        }
        var jobs = peer.Jobs.All().Where(j => j.Owner == who).ToList();
        long running = jobs.Count(j => j.Status is "RUNNING" or "STARTED" or "SAVING");
        long waiting = jobs.Count(j => j.Status is "WAITING" or "INSERTING" or "ASSIGNED" or "OVER_WAITING");
        long max = peer.Jobs.MaxUnfinishedJobs;
        return new JAlienReply().Row(string.Create(CultureInfo.InvariantCulture, $"Job quota of {who}: {running} running, {waiting} waiting, at most {max} unfinished"),
            ("username", who!), ("running", S(running)), ("waiting", S(waiting)), ("maxUnfinishedJobs", S(max)), ("maxparallelJobs", S(max)),
            ("nominalparallelJobs", S(max / 2)), ("totalCpuCostLast24h", "0"), ("maxTotalCpuCost", "0"), ("totalRunningTimeLast24h", "0"), ("maxTotalRunningTime", "0"));
    }

    private JAlienReply Fquota(List<string> args)
    {
        var (who, error) = QuotaUser(args, "fquota");
        if (error is not null)
        {
            return error;
        }
        var files = Catalogue.Below("/").Where(e => !e.IsDirectory && e.Owner == who).ToList();
        long size = files.Sum(f => f.Size);
        return new JAlienReply().Row(string.Create(CultureInfo.InvariantCulture, $"File quota of {who}: {files.Count}/{peer.Jobs.MaxFiles} files, {size}/{peer.Jobs.MaxTotalSize} bytes"),
            ("username", who!), ("nbFiles", S(files.Count)), ("maxNbFiles", S(peer.Jobs.MaxFiles)), ("totalSize", S(size)), ("maxTotalSize", S(peer.Jobs.MaxTotalSize)));
    }

    private JAlienReply Chmod(List<string> args)
    {
        var (flags, pos) = Split(args);
        if (pos.Count < 2 || pos[0].Length != 3 || !pos[0].All(c => c is >= '0' and <= '7'))
        {
            return new JAlienReply().Fail(EINVAL, "usage: chmod [-R] <octal mode> <lfn>...");
        }
        foreach (string path in pos.Skip(1))
        {
            if (Catalogue.Get(Abs(path)) is not { } e)
            {
                return new JAlienReply().Fail(ENOENT, "No such file or directory: " + path);
            }
            if (e.Owner != user)
            {
                return new JAlienReply().Fail(EPERM, "Permission denied: " + path + " belongs to " + e.Owner);
            }
            e.Permissions = pos[0];
            if (flags.Contains("-R") && e.IsDirectory)
            {
                foreach (var below in Catalogue.Below(e.Path).Where(b => b.Owner == user))
                {
                    below.Permissions = pos[0];
                }
            }
        }
        return new JAlienReply();
    }

    private JAlienReply GuidInfo(List<string> args)
    {
        var reply = new JAlienReply();
        foreach (string a in args)
        {
            if (!Guid.TryParse(a, out var g))
            {
                return reply.Fail(EINVAL, "Not a GUID: " + a);
            }
            if (Catalogue.FindGuid(g) is not { } e)
            {
                return reply.Fail(ENOENT, "No such GUID: " + a);
            }
            reply.Row("GUID: " + a + "\nSize: " + S(e.Size) + "\nMD5: " + e.Md5 + "\nLFN: " + e.Path, ("guid", g.ToString()), ("size", S(e.Size)), ("md5", e.Md5),
                ("owner", e.Owner), ("gowner", e.Group), ("perm", e.Permissions), ("ctime", S(e.CtimeMs)), ("lfns", e.Path));
        }
        return reply;
    }

    /// <summary><c>deleteMirror [-g] LFN|GUID SE</c>: removes one replica (ENOENT for no such file or no replica there; the owner only).</summary>
    private JAlienReply DeleteMirror(List<string> args)
    {
        var (flags, pos) = Split(args);
        if (pos.Count != 2)
        {
            return new JAlienReply().Fail(EINVAL, "usage: deleteMirror [-g] <lfn> <se>");
        }
        var e = flags.Contains("-g") ? (Guid.TryParse(pos[0], out var g) ? Catalogue.FindGuid(g) : null) : Catalogue.Get(Abs(pos[0]));
        if (e is null || e.IsDirectory)
        {
            return new JAlienReply().Fail(ENOENT, "No such file: " + pos[0]);
        }
        if (e.Owner != user)
        {
            return new JAlienReply().Fail(EPERM, "Permission denied: " + pos[0] + " belongs to " + e.Owner);
        }
        string? se = e.Replicas.Keys.FirstOrDefault(k => string.Equals(k, pos[1], StringComparison.OrdinalIgnoreCase));
        if (se is null)
        {
            return new JAlienReply().Fail(ENOENT, "No replica of " + e.Path + " at " + pos[1]);
        }
        e.Replicas.Remove(se);
        return new JAlienReply().Row("Mirror removed from " + se);
    }

    private JAlienReply Whois(List<string> args)
    {
        var (_, names) = Split(args);
        var reply = new JAlienReply();
        foreach (string name in names.Count == 0 ? [user] : names)
        {
            var dns = peer.Options.Accounts.Where(kv => kv.Value == name).Select(kv => kv.Key).ToList();
            if (dns.Count == 0 && name != user)
            {
                return reply.Fail(ENOENT, "No such account: " + name);
            }
            reply.Row("Username: " + name + "\nCertificate DNs: " + string.Join(", ", dns), ("username", name), ("fullname", name), ("email", name + "@example.org"),
                ("roles", name), ("certificates", string.Join(",", dns)));
        }
        return reply;
    }
}
